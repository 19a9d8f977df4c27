"""The test corpus, made with Pillow (no binary fixtures): photos, scans, bombs and impostors."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import ExifTags, Image, ImageDraw, ImageFilter

# Where a picture's top-left corner is red, top-right green, bottom-left blue, bottom-right
# yellow: the corners say at once whether it came out upright.
CORNERS = {
    "top_left": (220, 30, 30),
    "top_right": (30, 200, 30),
    "bottom_left": (30, 30, 220),
    "bottom_right": (230, 220, 30),
}


def photo(width: int = 1200, height: int = 900, *, seed: int = 1) -> Image.Image:
    """A sharp, evenly lit 'photo': shapes, lines and fine texture on a gradient."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1, y1 = x0 + rng.randrange(20, width // 3), y0 + rng.randrange(20, height // 3)
        colour = tuple(rng.randrange(30, 230) for _ in range(3))
        if rng.random() < 0.5:
            draw.rectangle((x0, y0, x1, y1), fill=colour)
        else:
            draw.ellipse((x0, y0, x1, y1), outline=colour, width=rng.randrange(2, 8))
    for row in range(0, height, 24):  # lines of 'text'
        x = rng.randrange(0, width // 4)
        while x < width - 40:
            word = rng.randrange(15, 60)
            draw.rectangle((x, row + 6, x + word, row + 14), fill=(20, 20, 20))
            x += word + rng.randrange(6, 14)
    return image


def cornered(width: int = 1200, height: int = 800) -> Image.Image:
    """An upright picture whose four corners have distinct colours."""
    image = photo(width, height, seed=7)
    draw = ImageDraw.Draw(image)
    qw, qh = width // 4, height // 4
    draw.rectangle((0, 0, qw, qh), fill=CORNERS["top_left"])
    draw.rectangle((width - qw, 0, width, qh), fill=CORNERS["top_right"])
    draw.rectangle((0, height - qh, qw, height), fill=CORNERS["bottom_left"])
    draw.rectangle((width - qw, height - qh, width, height), fill=CORNERS["bottom_right"])
    return image


# How a camera stores an upright scene for each EXIF orientation (EXIF 2.3, tag 0x0112):
# the stored pixels are the scene turned so that the viewer must apply the orientation.
STORED_FOR_ORIENTATION = {
    1: lambda im: im,
    2: lambda im: im.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
    3: lambda im: im.transpose(Image.Transpose.ROTATE_180),
    4: lambda im: im.transpose(Image.Transpose.FLIP_TOP_BOTTOM),
    5: lambda im: im.transpose(Image.Transpose.TRANSPOSE),
    6: lambda im: im.transpose(Image.Transpose.ROTATE_90),  # display turns it 90° clockwise
    7: lambda im: im.transpose(Image.Transpose.TRANSVERSE),
    8: lambda im: im.transpose(Image.Transpose.ROTATE_270),  # display turns it 90° anticlockwise
}


def camera_exif(*, orientation: int = 1, gps: bool = True) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    exif[ExifTags.Base.Model] = "Model 12"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Software] = "corpus"
    if gps:
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (39.0, 54.0, 27.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (116.0, 23.0, 51.0),
        }
    return exif


def jpeg(
    image: Image.Image, *, exif: Image.Exif | None = None, quality: int = 90, **params
) -> bytes:
    buffer = io.BytesIO()
    if exif is not None:
        params["exif"] = exif.tobytes()
    image.save(buffer, "JPEG", quality=quality, **params)
    return buffer.getvalue()


def png(image: Image.Image, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **params)
    return buffer.getvalue()


def tiff(image: Image.Image, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "TIFF", **params)
    return buffer.getvalue()


def oriented_jpeg(orientation: int) -> bytes:
    stored = STORED_FOR_ORIENTATION[orientation](cornered())
    return jpeg(stored, exif=camera_exif(orientation=orientation))


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG whose header declares width x height pixels, in a few kilobytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * (width + 1) * 8, 9)  # the first rows of zeros
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def truncated_jpeg() -> bytes:
    whole = jpeg(photo(seed=3))
    return whole[: len(whole) // 2]


def jpeg_with_html_tail() -> bytes:
    return jpeg(photo(seed=4)) + b"<html><script>alert('polyglot')</script></html>"


def svg_document() -> bytes:
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
        b'<script>alert(1)</script><rect width="100" height="100"/></svg>'
    )


def animated_gif() -> bytes:
    frames = [photo(200, 150, seed=seed).convert("P") for seed in (1, 2, 3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def cmyk_jpeg() -> bytes:
    image = Image.new("CMYK", (800, 600), (0, 255, 255, 0))  # pure red in ink
    ImageDraw.Draw(image).rectangle((0, 0, 399, 599), fill=(0, 0, 0, 255))  # black left half
    return jpeg(image)


def sixteen_bit_png() -> bytes:
    """A 16-bit greyscale scan: a horizontal ramp over the whole 0-65535 range."""
    width, height = 1024, 700
    ramp = Image.linear_gradient("L").rotate(90).resize((width, height))  # dark left, bright right
    wide = ramp.convert("I").point(lambda value: value * 257)
    return png(wide.convert("I;16"))


def blurred_jpeg() -> bytes:
    return jpeg(photo(seed=5).filter(ImageFilter.GaussianBlur(6)))


def dark_jpeg() -> bytes:
    return jpeg(photo(seed=6).point(lambda value: value // 8))


def blank_page_png() -> bytes:
    image = Image.new("L", (1240, 1754), 250)
    ImageDraw.Draw(image).rectangle((100, 100, 180, 106), fill=235)  # a faint speck
    return png(image)


def multipage_tiff() -> bytes:
    pages = [photo(800, 600, seed=seed) for seed in (1, 2)]
    return tiff(pages[0], save_all=True, append_images=pages[1:])


def pdf_one_page() -> bytes:
    buffer = io.BytesIO()
    photo(850, 1100, seed=8).save(buffer, "PDF", resolution=100)
    return buffer.getvalue()
