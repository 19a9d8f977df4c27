"""Normalisation, derivatives and measurements: pure functions on a file, no database.

One decode per image, at the smallest size that still gives the review image:
- JPEG: `Image.draft` asks the decoder for a DCT-scaled image (1/2, 1/4, 1/8), so a 12 MP
  camera photo is decoded at about 3 MP when the review image is 2,000 px on its long side;
- other formats: `Image.reduce` (a box filter on whole pixels) before the final resample;
- PDF: the first page is rendered at the review size by PDFium.
Then EXIF orientation is applied, the colour mode made RGB or greyscale (CMYK through its ICC
profile when it has one, 16-bit scaled, transparency flattened on white), and the two
derivatives are encoded afresh with no metadata at all: no EXIF (so no GPS), XMP, ICC,
comments, or trailing bytes (a JPEG + HTML or ZIP polyglot comes out as a plain JPEG).
Quality measurements and the perceptual hash are taken from the same pixels.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageCms, ImageFilter, ImageStat

from .inspection import JPEG, PDF, ImageRefused, Inspection, open_pdf

REVIEW_QUALITY = 85
THUMBNAIL_QUALITY = 80
MEASURE_MAX_SIDE = 1024  # quality measured at about a screen's size, whatever the source
_PILLOW_FORMAT = {"jpeg": "JPEG", "png": "PNG", "tiff": "TIFF"}
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    Image.DecompressionBombError,
)

# EXIF orientation → the transposition that makes the picture upright.
_ORIENTATION_FIX = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}
_LAPLACIAN = ImageFilter.Kernel((3, 3), [0, 1, 0, 1, -4, 1, 0, 1, 0], scale=1, offset=128)


@dataclass(frozen=True, slots=True)
class Derived:
    review: bytes  # JPEG, long side ≤ the review size, upright, no metadata
    thumbnail: bytes  # JPEG, long side ≤ the thumbnail size
    width: int  # the upright picture as received (a PDF: its first page as rendered)
    height: int
    sharpness: float  # variance of a Laplacian at MEASURE_MAX_SIDE (low = blurred)
    brightness: float  # mean luminance 0-255
    contrast: float  # standard deviation of luminance (low = nearly blank)
    perceptual_hash: int  # 64-bit difference hash


def derive(
    fp: BinaryIO, inspection: Inspection, *, review_max_side: int, thumbnail_max_side: int
) -> Derived:
    """Decode `fp` once (as little as needed) and make everything that is stored of it."""
    image, width, height = _decode_upright(fp, inspection, review_max_side)
    review = _fit(image, review_max_side)
    thumbnail = _fit(review, thumbnail_max_side)
    sharpness, brightness, contrast, perceptual_hash = measure(review)
    return Derived(
        review=encode_jpeg(review, REVIEW_QUALITY),
        thumbnail=encode_jpeg(thumbnail, THUMBNAIL_QUALITY),
        width=width,
        height=height,
        sharpness=sharpness,
        brightness=brightness,
        contrast=contrast,
        perceptual_hash=perceptual_hash,
    )


def _decode_upright(
    fp: BinaryIO, inspection: Inspection, review_max_side: int
) -> tuple[Image.Image, int, int]:
    if inspection.format == PDF:
        image = _render_pdf_first_page(fp, review_max_side)
        return image, image.width, image.height

    fp.seek(0)
    try:
        with warnings.catch_warnings():
            # Our own header check has bounded the pixels already (inspection.py).
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(fp, formats=[_PILLOW_FORMAT[inspection.format]])
            if inspection.frames > 1:
                image.seek(0)
            orientation = _orientation(image)
            width, height = image.size
            scale = review_max_side / max(width, height)
            if inspection.format == JPEG and scale < 1:
                mode = image.mode if image.mode in ("RGB", "L") else None
                image.draft(mode, (math.ceil(width * scale), math.ceil(height * scale)))
            image.load()
    except ImageRefused:
        raise
    except _DECODE_ERRORS as exc:
        raise ImageRefused("corrupt") from exc

    if image.mode not in ("RGB", "L", "RGBA", "CMYK"):
        image = to_display_mode(image)  # reduce() takes 8-bit modes only
    factor = max(image.width, image.height) // review_max_side
    if factor >= 2:
        image = image.reduce(factor)
    image = to_display_mode(image)
    for transpose in _ORIENTATION_FIX.get(orientation, ()):
        image = image.transpose(transpose)
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return image, width, height


def _orientation(image: Image.Image) -> int:
    try:
        value = int(image.getexif().get(0x0112, 1))
    except (OSError, ValueError, TypeError, struct.error):
        return 1  # unreadable EXIF: the picture is taken as it is stored
    return value if 1 <= value <= 8 else 1


def to_display_mode(image: Image.Image) -> Image.Image:
    """RGB or greyscale, 8 bits per channel, opaque."""
    mode = image.mode
    if mode in ("RGB", "L"):
        return image
    if mode == "CMYK":
        icc = image.info.get("icc_profile")
        if icc:
            try:
                return ImageCms.profileToProfile(
                    image,
                    ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                    ImageCms.createProfile("sRGB"),
                    outputMode="RGB",
                )
            except (ImageCms.PyCMSError, OSError, ValueError):
                pass  # a broken profile: the plain conversion below
        return image.convert("RGB")
    if mode.startswith("I;16") or mode == "I":
        # 16-bit samples: scale to 8 bits (a plain convert would clip everything above 255).
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if mode == "F":
        return image.point(lambda value: value * 255).convert("L")
    if mode in ("RGBA", "LA", "PA", "La", "RGBa") or (mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if mode == "1":
        return image.convert("L")
    return image.convert("RGB")


def _fit(image: Image.Image, max_side: int) -> Image.Image:
    longest = max(image.width, image.height)
    if longest <= max_side:
        return image
    scale = max_side / longest
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    if scale >= 0.5:
        # Close to the decoded size (a JPEG drafted to just above it): bilinear does not
        # alias at this ratio and costs half of bicubic on a 3 MP image.
        return image.resize(size, Image.Resampling.BILINEAR)
    return image.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)


def measure(image: Image.Image) -> tuple[float, float, float, int]:
    """Sharpness, brightness, contrast and the difference hash of an RGB or L image."""
    grey = image if image.mode == "L" else image.convert("L")
    factor = round(max(grey.width, grey.height) / MEASURE_MAX_SIDE)
    if factor >= 2:
        grey = grey.reduce(factor)
    stat = ImageStat.Stat(grey)
    edges = grey.filter(_LAPLACIAN)
    if edges.width > 2 and edges.height > 2:
        edges = edges.crop((1, 1, edges.width - 1, edges.height - 1))  # the filter skips borders
    sharpness = ImageStat.Stat(edges).var[0]
    return (
        round(sharpness, 2),
        round(stat.mean[0], 2),
        round(stat.stddev[0], 2),
        difference_hash(grey),
    )


def difference_hash(grey: Image.Image) -> int:
    """64-bit dHash: is each pixel brighter than its right neighbour, on a 9 x 8 thumbnail."""
    small = grey.resize((9, 8), Image.Resampling.BOX)
    pixels = small.tobytes()
    bits = 0
    for row in range(8):
        for column in range(8):
            left = pixels[row * 9 + column]
            right = pixels[row * 9 + column + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return bits


def hash_distance(first: int, second: int) -> int:
    return (first ^ second).bit_count()


def encode_jpeg(image: Image.Image, quality: int) -> bytes:
    image.info = {}  # nothing of the source's metadata may ride along (EXIF, ICC, comments)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _render_pdf_first_page(fp: BinaryIO, review_max_side: int) -> Image.Image:
    document = open_pdf(fp)
    try:
        page = document[0]
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            raise ImageRefused("pdf_unreadable")
        scale = review_max_side / max(width, height)
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255))
        image = bitmap.to_pil().convert("RGB")
    except ImageRefused:
        raise
    except Exception as exc:  # PDFium reports every failure its own way
        raise ImageRefused("pdf_unreadable") from exc
    finally:
        document.close()
    return image
