"""Validation by content and normalisation: what a teller's upload becomes, or why not."""

from __future__ import annotations

import io

import pytest
from PIL import Image as PILImage
from PIL import ImageFile

from imaging import services
from imaging.models import Image, ImageState
from imaging.services import ImageRefused
from tests.harness import nothing_written
from tests.imaging import corpus
from tests.imaging.conftest import owner_ref, stored_files, stored_image, upload


def _near(pixel, expected, tolerance=40) -> bool:
    return all(abs(int(a) - int(b)) <= tolerance for a, b in zip(pixel, expected, strict=True))


def _image_row(facts) -> Image:
    return Image.objects.get(public_id=facts.public_id)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_comes_out_upright(receive, orientation):
    facts = receive(corpus.oriented_jpeg(orientation))

    assert facts.state == ImageState.READY
    assert (facts.width, facts.height) == (1200, 800)
    row = _image_row(facts)
    for key in (row.review_key, row.thumbnail_key):
        picture = stored_image(key).convert("RGB")
        width, height = picture.size
        assert width > height  # landscape, as the scene was
        inset_x, inset_y = width // 20, height // 20
        assert _near(picture.getpixel((inset_x, inset_y)), corpus.CORNERS["top_left"])
        assert _near(picture.getpixel((width - inset_x, inset_y)), corpus.CORNERS["top_right"])
        assert _near(picture.getpixel((inset_x, height - inset_y)), corpus.CORNERS["bottom_left"])
        assert _near(
            picture.getpixel((width - inset_x, height - inset_y)), corpus.CORNERS["bottom_right"]
        )


def test_no_exif_or_gps_survives_in_any_stored_file(receive):
    camera_photo = corpus.jpeg(
        corpus.photo(), exif=corpus.camera_exif(orientation=6, gps=True), comment=b"shot at home"
    )
    assert PILImage.open(io.BytesIO(camera_photo)).getexif().get_ifd(0x8825)  # GPS was there

    facts = receive(camera_photo)

    assert facts.state == ImageState.READY
    names = stored_files()
    assert names, "derivatives were stored"
    for name in names:
        picture = stored_image(name)
        assert dict(picture.getexif()) == {}
        assert picture.getexif().get_ifd(0x8825) == {}
        assert not {"exif", "icc_profile", "xmp", "comment"} & set(picture.info)
        with open(image_store_path(name), "rb") as handle:
            raw = handle.read()
        assert b"Exif\x00\x00" not in raw
        assert b"TestCam" not in raw
        assert b"shot at home" not in raw


def image_store_path(name: str) -> str:
    from imaging.storage import image_storage

    return image_storage().path(name)


def test_original_bytes_are_kept_only_when_policy_says_so(receive, settings):
    receive(corpus.jpeg(corpus.photo(seed=11)))
    assert not [name for name in stored_files() if name.startswith("received/")]

    settings.IMAGING_KEEP_ORIGINALS = True
    receive(corpus.jpeg(corpus.photo(seed=12)))
    assert len([name for name in stored_files() if name.startswith("received/")]) == 1


def test_png_declaring_100000_square_is_refused_without_decoding(teller, monkeypatch):
    bomb = corpus.png_bomb(100_000, 100_000)
    assert len(bomb) < 64 * 1024

    def no_decoding(*args, **kwargs):
        raise AssertionError("Pillow was asked to open or decode the bomb")

    monkeypatch.setattr(PILImage, "open", no_decoding)
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)

    with pytest.raises(ImageRefused) as refused:
        services.image_receive(
            owner_ref=owner_ref("BJ01"),
            image_type_code="ID_FRONT",
            upload=upload(bomb, "scan.png", "image/png"),
            uploaded_by=teller,
        )

    assert refused.value.code == "too_many_pixels"
    assert "100000 x 100000" in refused.value.message
    assert Image.objects.count() == 0
    assert stored_files() == []


@pytest.mark.parametrize(
    ("content", "name", "code", "words"),
    [
        (corpus.svg_document(), "id-card.jpg", "markup", "SVG or HTML"),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "x.png", "markup", "SVG or HTML"),
        (corpus.animated_gif(), "selfie.jpg", "animated", "Animated"),
        (b"", "empty.jpg", "empty", "empty"),
        (b"PK\x03\x04" + b"\x00" * 100, "archive.jpg", "unsupported_format", "JPEG, PNG"),
        (corpus.multipage_tiff(), "scan.tif", "multi_page", "2 pages"),
        (b"%PDF-1.4\n this is not a PDF at all", "doc.pdf", "pdf_unreadable", "PDF"),
    ],
    ids=["svg-renamed-jpg", "html", "animated-gif", "zero-bytes", "zip", "tiff-2-pages", "bad-pdf"],
)
def test_impostors_are_refused_at_once_with_a_clear_reason(teller, content, name, code, words):
    with pytest.raises(ImageRefused) as refused:
        services.image_receive(
            owner_ref=owner_ref("BJ01"),
            image_type_code="ID_FRONT",
            upload=upload(content, name),
            uploaded_by=teller,
        )

    assert refused.value.code == code
    assert words in refused.value.message
    assert Image.objects.count() == 0
    assert stored_files() == []


def test_oversized_file_is_refused(teller, settings):
    settings.IMAGING_MAX_UPLOAD_BYTES = 10_000
    with nothing_written(), pytest.raises(ImageRefused) as refused:
        services.image_receive(
            owner_ref=owner_ref("BJ01"),
            image_type_code="ID_FRONT",
            upload=upload(corpus.jpeg(corpus.photo())),
            uploaded_by=teller,
        )
    assert refused.value.code == "too_large"
    assert stored_files() == []


def test_truncated_jpeg_is_rejected_with_its_reason(receive):
    facts = receive(corpus.truncated_jpeg())

    assert facts.state == ImageState.REJECTED
    assert "damaged or truncated" in facts.reject_reason
    assert facts.thumbnail_url  # the URL exists, but serves nothing (see test_serving)
    assert stored_files() == []  # the received bytes are not kept


def test_jpeg_with_html_tail_is_neutralised_by_re_encoding(receive):
    polyglot = corpus.jpeg_with_html_tail()
    assert b"<script>" in polyglot

    facts = receive(polyglot)

    assert facts.state == ImageState.READY
    for name in stored_files():
        with open(image_store_path(name), "rb") as handle:
            raw = handle.read()
        assert b"<html" not in raw and b"<script" not in raw
        assert raw.endswith(b"\xff\xd9")  # a JPEG ends at its end-of-image marker


def test_cmyk_jpeg_converts_to_rgb_with_its_colours(receive):
    facts = receive(corpus.cmyk_jpeg())

    assert facts.state == ImageState.READY
    review = stored_image(_image_row(facts).review_key)
    assert review.mode == "RGB"
    assert _near(review.getpixel((600, 300)), (255, 0, 0), tolerance=30)  # red ink → red
    assert _near(review.getpixel((200, 300)), (0, 0, 0), tolerance=30)  # black ink → black


def test_16_bit_greyscale_keeps_its_tones(receive):
    facts = receive(corpus.sixteen_bit_png(), name="scan.png")

    assert facts.state == ImageState.READY
    review = stored_image(_image_row(facts).review_key)
    assert review.mode == "L"
    # The ramp runs dark to bright left to right: not clipped to white, not crushed to black.
    assert review.getpixel((10, 350)) < 25
    assert 105 < review.getpixel((512, 350)) < 150
    assert review.getpixel((1010, 350)) > 230


def test_multi_page_tiff_is_taken_when_the_owner_allows_it(receive):
    facts = receive(corpus.multipage_tiff(), name="scan.tif", allow_multi_page=True)

    assert facts.state == ImageState.READY
    assert (facts.width, facts.height) == (800, 600)


def test_pdf_scan_first_page_is_rendered(receive):
    facts = receive(corpus.pdf_one_page(), name="form.pdf")

    assert facts.state == ImageState.READY
    assert facts.content_format == "pdf"
    review = stored_image(_image_row(facts).review_key)
    assert max(review.size) == 2000
    assert review.height > review.width  # a portrait page


def test_camera_photo_gets_review_and_thumbnail_sizes(receive):
    camera = PILImage.linear_gradient("L").resize((4032, 3024)).convert("RGB")
    facts = receive(corpus.jpeg(camera, exif=corpus.camera_exif()))

    row = _image_row(facts)
    assert (facts.width, facts.height) == (4032, 3024)
    assert stored_image(row.review_key).size == (2000, 1500)
    assert stored_image(row.thumbnail_key).size == (320, 240)
