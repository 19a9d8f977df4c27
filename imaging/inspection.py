"""Validation by content, before anything is decoded or stored.

Nothing here trusts a file name or a declared content type. The first bytes say what a file
is (JPEG, PNG, TIFF, PDF; everything else is refused), and the image's dimensions are read
from its own header by the small parsers below, so a decompression bomb (a PNG declaring
100,000 x 100,000 pixels in a few kilobytes) is refused in microseconds, before Pillow is
even asked to open it. Pillow's global MAX_IMAGE_PIXELS is not relied on.
"""

from __future__ import annotations

import struct
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext_lazy as _
from PIL import Image

from bankcore.errors import DomainError

JPEG, PNG, TIFF, PDF = "jpeg", "png", "tiff", "pdf"
ACCEPTED_FORMATS = (JPEG, PNG, TIFF, PDF)
_PILLOW_FORMAT = {JPEG: "JPEG", PNG: "PNG", TIFF: "TIFF"}

# Why an upload was refused: one machine code each, the message shown to the teller.
REFUSAL_MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("The file is larger than %(max_mb)s MB."),
    "unsupported_format": _(
        "This is not an accepted image: send a JPEG, PNG or TIFF image or a PDF scan."
    ),
    "markup": _("This file is text (SVG or HTML), not an image; it is refused."),
    "animated": _("Animated images are not accepted; send a still photo."),
    "multi_page": _("The file has %(pages)s pages or frames; send one page per image."),
    "too_many_pixels": _(
        "The image declares %(width)s x %(height)s pixels, more than the limit of "
        "%(max_mp)s megapixels."
    ),
    "corrupt": _("The file is damaged or truncated and cannot be read."),
    "pdf_unreadable": _("The PDF cannot be rendered (damaged, encrypted or empty)."),
    "source_missing": _("The received file is no longer available; please send it again."),
}


class ImageRefused(DomainError):
    """An upload was refused: `code` says why (REFUSAL_MESSAGES), `message` says it in words."""

    code = "image_refused"

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(refusal_message(code, params), fields={"file": []})
        self.fields = {"file": [self.message]}


def refusal_message(code: str, params: dict | None = None) -> str:
    template = REFUSAL_MESSAGES.get(code, REFUSAL_MESSAGES["corrupt"])
    return str(template) % (params or {}) if params else str(template)


@dataclass(frozen=True, slots=True)
class Inspection:
    format: str  # one of ACCEPTED_FORMATS
    width: int  # as stored (before EXIF orientation)
    height: int
    frames: int  # pages of a PDF or TIFF, frames of anything else


def inspect_upload(
    fp: BinaryIO, *, size: int, max_bytes: int, max_pixels: int, allow_multi_page: bool
) -> Inspection:
    """Say what `fp` is, from its content; raise ImageRefused for anything not accepted.

    Reads the header only (PNG and GIF: a few bytes; JPEG: its markers up to the frame
    header; TIFF: the first directory; PDF: its cross-reference table). Leaves `fp` at 0."""
    if size <= 0:
        raise ImageRefused("empty")
    if size > max_bytes:
        raise ImageRefused("too_large", max_mb=max_bytes // (1024 * 1024))
    fp.seek(0)
    head = fp.read(64)
    fp.seek(0)
    if not head:
        raise ImageRefused("empty")
    kind = sniff(head)
    if kind == "gif":
        # Refused either way; an animation gets the reason that fits it.
        frames = _gif_frame_count(fp)
        raise ImageRefused("animated" if frames > 1 else "unsupported_format")
    if kind == "markup":
        raise ImageRefused("markup")
    if kind not in ACCEPTED_FORMATS:
        raise ImageRefused("unsupported_format")
    if kind == PDF:
        return _inspect_pdf(fp, allow_multi_page=allow_multi_page)

    dimensions = header_dimensions(kind, fp)
    fp.seek(0)
    if dimensions is None:
        raise ImageRefused("corrupt")
    width, height = dimensions
    if width <= 0 or height <= 0:
        raise ImageRefused("corrupt")
    if width * height > max_pixels:
        raise ImageRefused(
            "too_many_pixels", width=width, height=height, max_mp=max_pixels // 1_000_000
        )
    frames = _frames_from_header(kind, fp)
    if frames > 1 and not (kind == TIFF and allow_multi_page):
        raise ImageRefused("animated" if kind == PNG else "multi_page", pages=frames)
    return Inspection(format=kind, width=width, height=height, frames=frames)


def sniff(head: bytes) -> str:
    """The format named by a file's first bytes ("" when none we know)."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<svg", b"<?xml", b"<!doctype", b"<html", b"<", b"\xff\xfe<")):
        return "markup"
    return ""


def header_dimensions(kind: str, fp: BinaryIO) -> tuple[int, int] | None:
    """Width and height as the file's header declares them, without decoding anything."""
    fp.seek(0)
    if kind == PNG:
        return _png_dimensions(fp.read(32))
    if kind == JPEG:
        return _jpeg_dimensions(fp)
    if kind == TIFF:
        return _tiff_dimensions(fp)
    return None


def _png_dimensions(head: bytes) -> tuple[int, int] | None:
    # Signature (8), IHDR length (4) and type (4), then width and height, big-endian.
    if len(head) < 24 or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


_JPEG_FRAME_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_JPEG_SCAN_LIMIT = 4 * 1024 * 1024  # metadata beyond this before the frame header: refused


def _jpeg_dimensions(fp: BinaryIO) -> tuple[int, int] | None:
    fp.seek(2)
    while fp.tell() < _JPEG_SCAN_LIMIT:
        byte = fp.read(1)
        if not byte:
            return None
        if byte != b"\xff":
            continue
        marker = fp.read(1)
        while marker == b"\xff":  # fill bytes
            marker = fp.read(1)
        if not marker:
            return None
        code = marker[0]
        if code in (0x01, 0xD8) or 0xD0 <= code <= 0xD7:
            continue  # markers without a length
        if code in (0xD9, 0xDA):
            return None  # end of image or start of scan before any frame header
        length_bytes = fp.read(2)
        if len(length_bytes) < 2:
            return None
        (length,) = struct.unpack(">H", length_bytes)
        if length < 2:
            return None
        if code in _JPEG_FRAME_MARKERS:
            frame = fp.read(5)
            if len(frame) < 5:
                return None
            height, width = struct.unpack(">HH", frame[1:5])
            return width, height
        fp.seek(length - 2, 1)
    return None


def _tiff_dimensions(fp: BinaryIO) -> tuple[int, int] | None:
    head = fp.read(8)
    if len(head) < 8:
        return None
    order = "<" if head[:2] == b"II" else ">"
    (offset,) = struct.unpack(order + "I", head[4:8])
    fp.seek(offset)
    count_bytes = fp.read(2)
    if len(count_bytes) < 2:
        return None
    (count,) = struct.unpack(order + "H", count_bytes)
    entries = fp.read(12 * min(count, 4096))
    width = height = None
    for index in range(len(entries) // 12):
        tag, field_type, _count = struct.unpack(order + "HHI", entries[index * 12 : index * 12 + 8])
        value_bytes = entries[index * 12 + 8 : index * 12 + 12]
        if field_type == 3:  # SHORT
            (value,) = struct.unpack(order + "H", value_bytes[:2])
        elif field_type == 4:  # LONG
            (value,) = struct.unpack(order + "I", value_bytes)
        else:
            continue
        if tag == 256:
            width = value
        elif tag == 257:
            height = value
    if width is None or height is None:
        return None
    return width, height


def _open_header(kind: str, fp: BinaryIO) -> Image.Image:
    """Pillow's lazy open (header only), after our own pixel check has passed."""
    fp.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            return Image.open(fp, formats=[_PILLOW_FORMAT[kind]])
        except Image.DecompressionBombError as exc:
            raise ImageRefused("too_many_pixels", width="?", height="?", max_mp="?") from exc
        except (OSError, ValueError, SyntaxError, struct.error) as exc:
            raise ImageRefused("corrupt") from exc


def _frames_from_header(kind: str, fp: BinaryIO) -> int:
    if kind == JPEG:
        return 1  # a JPEG holds one frame (MPO extras are dropped on re-encoding)
    image = _open_header(kind, fp)
    try:
        return int(getattr(image, "n_frames", 1))
    except (OSError, ValueError, EOFError, struct.error) as exc:
        raise ImageRefused("corrupt") from exc
    finally:
        fp.seek(0)


def _gif_frame_count(fp: BinaryIO) -> int:
    fp.seek(0)
    try:
        image = Image.open(fp, formats=["GIF"])
        return int(getattr(image, "n_frames", 1))
    except Exception:  # refused either way; the count only picks the reason
        return 1
    finally:
        fp.seek(0)


def _inspect_pdf(fp: BinaryIO, *, allow_multi_page: bool) -> Inspection:
    document = open_pdf(fp)
    try:
        pages = len(document)
        if pages < 1:
            raise ImageRefused("pdf_unreadable")
        if pages > 1 and not allow_multi_page:
            raise ImageRefused("multi_page", pages=pages)
        width, height = document[0].get_size()  # points
    finally:
        document.close()
        fp.seek(0)
    return Inspection(format=PDF, width=round(width), height=round(height), frames=pages)


def open_pdf(fp: BinaryIO):
    """A pypdfium2 document for `fp`, or ImageRefused when it cannot be read."""
    import pypdfium2

    fp.seek(0)
    try:
        # PDFium reads through the file object as it needs, not the whole file at once.
        return pypdfium2.PdfDocument(fp)
    except pypdfium2.PdfiumError as exc:
        raise ImageRefused("pdf_unreadable") from exc
