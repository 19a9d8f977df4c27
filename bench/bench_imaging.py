"""Benchmark of the imaging pipeline (issue 10). Not a test: prints numbers measured in one run.

    .venv/bin/python bench/bench_imaging.py [--quick]

Makes its own 12 MP camera JPEGs (4032 x 3024, EXIF with orientation and GPS, some turned by
orientation 6), then measures per image, alternating in rounds (the order rotates each round):

- **pipeline**: what imaging does with an upload, without the database and the store:
  `inspect_upload` (content sniffing, header pixel bound), SHA-256 of the bytes, and
  `derive` (one drafted decode, orientation, mode, review 2,000 px and thumbnail 320 px
  re-encoded without metadata, sharpness/brightness/contrast, difference hash);
- **(a) naive Pillow**: the same outputs the obvious way: full decode, `exif_transpose`,
  LANCZOS resizes from the full image, measurements on the full-resolution picture;
- **(b) lean Pillow**: the leanest bare Pillow script producing the same outputs: the same
  operations as the pipeline, inline, with no checks, no hashing and no abstractions.

It checks that the pipeline and (b) produce byte-identical derivatives and that (a) produces
derivatives of the same sizes, then prints medians, the ratios against the targets (>= 3x
faster than (a), within 1.3x of (b)), and what refusing a decompression bomb costs.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import math
import os
import random
import statistics
import struct
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bankcore.settings.test")

import django  # noqa: E402

django.setup()

from PIL import ExifTags, Image, ImageDraw, ImageFilter, ImageOps, ImageStat  # noqa: E402

from imaging.inspection import ImageRefused, inspect_upload  # noqa: E402
from imaging.processing import derive  # noqa: E402

REVIEW, THUMB, MEASURE = 2000, 320, 1024
MAX_BYTES, MAX_PIXELS = 20 * 1024 * 1024, 60_000_000


# --- Corpus -----------------------------------------------------------------------------------
def camera_jpeg(seed: int, *, orientation: int) -> bytes:
    """A 12 MP camera-like JPEG: shapes, text-like lines and sensor noise, with EXIF + GPS."""
    rng = random.Random(seed)
    width, height = 4032, 3024
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(120):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1, y1 = x0 + rng.randrange(40, width // 3), y0 + rng.randrange(40, height // 3)
        colour = tuple(rng.randrange(30, 230) for _ in range(3))
        draw.rectangle((x0, y0, x1, y1), fill=colour) if rng.random() < 0.5 else draw.ellipse(
            (x0, y0, x1, y1), outline=colour, width=rng.randrange(3, 15)
        )
    for row in range(0, height, 60):
        x = rng.randrange(0, width // 4)
        while x < width - 100:
            word = rng.randrange(40, 160)
            draw.rectangle((x, row + 15, x + word, row + 35), fill=(20, 20, 20))
            x += word + rng.randrange(15, 35)
    noise = Image.effect_noise((width, height), 24).convert("RGB")
    image = Image.blend(image, noise, 0.12).filter(ImageFilter.SMOOTH)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "BenchCam"
    exif[ExifTags.Base.Model] = "12MP"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (39.0, 54.0, 27.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (116.0, 23.0, 51.0),
    }
    if orientation == 6:  # the camera stored it turned; the viewer turns it back
        image = image.transpose(Image.Transpose.ROTATE_90)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    return buffer.getvalue()


def png_bomb() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 100_001 * 8, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


# --- Contenders -------------------------------------------------------------------------------
def run_pipeline(data: bytes):
    fp = io.BytesIO(data)
    inspection = inspect_upload(
        fp, size=len(data), max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, allow_multi_page=False
    )
    hashlib.sha256(data).hexdigest()
    derived = derive(fp, inspection, review_max_side=REVIEW, thumbnail_max_side=THUMB)
    return derived.review, derived.thumbnail, derived.sharpness, derived.perceptual_hash


_LAPLACIAN = ImageFilter.Kernel((3, 3), [0, 1, 0, 1, -4, 1, 0, 1, 0], scale=1, offset=128)
_FIX = {6: Image.Transpose.ROTATE_270, 8: Image.Transpose.ROTATE_90, 3: Image.Transpose.ROTATE_180}


def _dhash(grey):
    pixels = grey.resize((9, 8), Image.Resampling.BOX).tobytes()
    bits = 0
    for row in range(8):
        for column in range(8):
            bits = (bits << 1) | (pixels[row * 9 + column] > pixels[row * 9 + column + 1])
    return bits


def _measure(grey):
    edges = grey.filter(_LAPLACIAN)
    edges = edges.crop((1, 1, edges.width - 1, edges.height - 1))
    stat = ImageStat.Stat(grey)
    return ImageStat.Stat(edges).var[0], stat.mean[0], stat.stddev[0], _dhash(grey)


def _jpeg(image, quality):
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _size(width, height, side):
    scale = side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def run_naive(data: bytes):
    image = Image.open(io.BytesIO(data))
    image = ImageOps.exif_transpose(image).convert("RGB")  # full 12 MP decode
    review = image.resize(_size(*image.size, REVIEW), Image.Resampling.LANCZOS)
    thumbnail = image.resize(_size(*image.size, THUMB), Image.Resampling.LANCZOS)
    sharpness, _brightness, _contrast, phash = _measure(image.convert("L"))
    return _jpeg(review, 85), _jpeg(thumbnail, 80), sharpness, phash


def run_lean(data: bytes):
    image = Image.open(io.BytesIO(data))
    orientation = image.getexif().get(0x0112, 1)
    width, height = image.size
    scale = REVIEW / max(width, height)
    image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
    image.load()
    if orientation in _FIX:
        image = image.transpose(_FIX[orientation])
    review = image.resize(_size(*image.size, REVIEW), Image.Resampling.BILINEAR)
    thumbnail = review.resize(
        _size(*review.size, THUMB), Image.Resampling.BICUBIC, reducing_gap=2.0
    )
    grey = review.convert("L")
    factor = round(max(grey.size) / MEASURE)
    if factor >= 2:
        grey = grey.reduce(factor)
    sharpness, _brightness, _contrast, phash = _measure(grey)
    return _jpeg(review, 85), _jpeg(thumbnail, 80), round(sharpness, 2), phash


CONTENDERS = {"pipeline": run_pipeline, "naive (a)": run_naive, "lean (b)": run_lean}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    images = 3 if args.quick else 6
    rounds = 2 if args.quick else 4

    print(f"making {images} 12 MP camera JPEGs with EXIF (GPS; orientation 1 and 6) ...")
    corpus = [camera_jpeg(seed, orientation=6 if seed % 2 else 1) for seed in range(images)]
    print(f"  sizes: {', '.join(f'{len(data) / 1e6:.1f} MB' for data in corpus)}")

    # Same outputs: the pipeline and (b) byte for byte; (a) the same sizes.
    for data in corpus:
        mine, lean, naive = run_pipeline(data), run_lean(data), run_naive(data)
        assert mine[0] == lean[0] and mine[1] == lean[1], "pipeline and lean (b) differ"
        assert mine[3] == lean[3], "perceptual hashes differ"
        for ours, theirs in zip(mine[:2], naive[:2], strict=True):
            assert Image.open(io.BytesIO(ours)).size == Image.open(io.BytesIO(theirs)).size
    print("  outputs checked: pipeline == lean (b) byte for byte; naive (a) same sizes")

    timings: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    order = list(CONTENDERS)
    for round_index in range(rounds):
        rotated = order[round_index % 3 :] + order[: round_index % 3]
        for name in rotated:
            function = CONTENDERS[name]
            for data in corpus:
                started = time.perf_counter()
                function(data)
                timings[name].append(time.perf_counter() - started)

    print(f"\nper image (median of {rounds} rounds x {images} images, alternating):")
    medians = {name: statistics.median(values) * 1000 for name, values in timings.items()}
    for name, value in medians.items():
        print(f"  {name:<10} {value:8.1f} ms")
    speedup = medians["naive (a)"] / medians["pipeline"]
    overhead = medians["pipeline"] / medians["lean (b)"]
    print(
        f"\npipeline vs naive (a): {speedup:.2f}x faster   (target >= 3x: {'met' if speedup >= 3 else 'NOT met'})"
    )
    print(
        f"pipeline vs lean (b):  {overhead:.2f}x the time (target <= 1.3x: {'met' if overhead <= 1.3 else 'NOT met'})"
    )

    bomb = png_bomb()
    costs = []
    for _ in range(200):
        started = time.perf_counter()
        try:
            inspect_upload(
                io.BytesIO(bomb),
                size=len(bomb),
                max_bytes=MAX_BYTES,
                max_pixels=MAX_PIXELS,
                allow_multi_page=False,
            )
        except ImageRefused as refused:
            assert refused.code == "too_many_pixels"
        else:
            raise AssertionError("the bomb was accepted")
        costs.append(time.perf_counter() - started)
    print(
        f"\nbomb (PNG declaring 100,000 x 100,000 px, {len(bomb) / 1024:.1f} KB) refused in "
        f"{statistics.median(costs) * 1e6:.0f} us median, {max(costs) * 1e6:.0f} us max "
        f"(target < 100 ms), nothing decoded"
    )


if __name__ == "__main__":
    main()
