"""Quality checks shown to the teller before submitting, and reuse flags shown to the
authorizer: thresholds per image type code, defaults when none is set."""

from __future__ import annotations

import io

import pytest
from PIL import Image as PILImage

from imaging import processing
from imaging.models import Image, ImageState, ImageTypeSettings
from tests.imaging import corpus
from tests.imaging.conftest import owner_ref


def _codes(facts) -> set[str]:
    return {code for code, _message, _value in facts.quality_flags}


def test_sharp_well_lit_photo_has_no_quality_flag(receive):
    facts = receive(corpus.jpeg(corpus.photo(seed=21)))
    assert facts.state == ImageState.READY
    assert facts.quality_flags == ()


def test_blurred_photo_is_flagged_with_its_measure(receive):
    facts = receive(corpus.blurred_jpeg())

    assert _codes(facts) == {"blurred"}
    (_code, message, value) = facts.quality_flags[0]
    assert "blurred" in message
    assert value < ImageTypeSettings._meta.get_field("min_sharpness").default


def test_dark_photo_is_flagged(receive):
    facts = receive(corpus.dark_jpeg())
    assert "too_dark" in _codes(facts)
    assert any("Too dark" in message for _code, message, _value in facts.quality_flags)


def test_over_exposed_photo_is_flagged(receive):
    washed_out = corpus.photo(seed=29).point(lambda value: 225 + value // 6)
    facts = receive(corpus.jpeg(washed_out))
    assert "over_exposed" in _codes(facts)


def test_nearly_blank_page_is_flagged(receive):
    facts = receive(corpus.blank_page_png(), name="page.png")
    assert _codes(facts) == {"nearly_blank"}


def test_thresholds_follow_the_image_type_settings(receive):
    photo = corpus.jpeg(corpus.photo(seed=22))  # 1200 x 900
    assert receive(photo, type_code="ID_FRONT").quality_flags == ()

    ImageTypeSettings.objects.create(
        image_type_code="VOUCHER", min_long_side=1600, min_short_side=1000
    )
    facts = receive(photo, type_code="VOUCHER", ref=owner_ref("BJ01", 2))

    assert _codes(facts) == {"too_small"}
    assert "1200 px" in facts.quality_flags[0][1]


def test_same_photo_for_two_customers_is_flagged(receive):
    photo = corpus.jpeg(corpus.photo(seed=23))
    first = receive(photo, ref=owner_ref("BJ01", 1), subject_ref="100000000016")
    second = receive(photo, ref=owner_ref("BJ02", 2), subject_ref="100000000024")

    assert first.reuse_flags == ()
    assert len(second.reuse_flags) == 1
    assert "another customer" in second.reuse_flags[0]
    assert "100000000016" in second.reuse_flags[0]


def test_resaved_and_resized_photo_for_another_customer_is_flagged(receive):
    scene = corpus.photo(seed=24)
    receive(corpus.jpeg(scene, quality=92), subject_ref="100000000016")
    smaller = scene.resize((1080, 810), PILImage.Resampling.LANCZOS)
    facts = receive(
        corpus.jpeg(smaller, quality=70), ref=owner_ref("BJ01", 2), subject_ref="100000000024"
    )

    assert len(facts.reuse_flags) == 1
    assert "another customer" in facts.reuse_flags[0]


def test_different_photos_and_the_same_customer_are_not_flagged(receive):
    photo = corpus.jpeg(corpus.photo(seed=25))
    receive(photo, ref=owner_ref("BJ01", 1), subject_ref="100000000016")
    # The same customer's ID card in another request is expected.
    assert receive(photo, ref=owner_ref("BJ01", 2), subject_ref="100000000016").reuse_flags == ()
    other = receive(
        corpus.jpeg(corpus.photo(seed=26)), ref=owner_ref("BJ01", 3), subject_ref="100000000024"
    )
    assert other.reuse_flags == ()


def test_blank_pages_of_different_customers_are_not_taken_for_reuse(receive):
    receive(corpus.blank_page_png(), name="a.png", subject_ref="100000000016")
    blank = PILImage.new("L", (1240, 1754), 248)
    buffer = io.BytesIO()
    blank.save(buffer, "PNG")
    facts = receive(
        buffer.getvalue(), name="b.png", ref=owner_ref("BJ01", 2), subject_ref="100000000024"
    )
    assert facts.reuse_flags == ()


def test_same_bytes_are_decoded_once(receive, monkeypatch):
    photo = corpus.jpeg(corpus.photo(seed=27))
    first = receive(photo, subject_ref="100000000016")

    def no_second_decode(*args, **kwargs):
        raise AssertionError("decoded again")

    monkeypatch.setattr("imaging.services.derive", no_second_decode)
    second = receive(photo, ref=owner_ref("BJ01", 2), subject_ref="100000000016")

    assert second.state == ImageState.READY
    rows = {row.public_id: row for row in Image.objects.all()}
    assert rows[first.public_id].review_key == rows[second.public_id].review_key


@pytest.mark.parametrize("seed", [31, 32])
def test_difference_hash_survives_recompression(seed):
    scene = corpus.photo(seed=seed)

    def hash_of(data: bytes) -> int:
        grey = PILImage.open(io.BytesIO(data)).convert("L")
        return processing.difference_hash(grey)

    original = hash_of(corpus.jpeg(scene, quality=95))
    recompressed = hash_of(corpus.jpeg(scene, quality=60))
    unrelated = hash_of(corpus.jpeg(corpus.photo(seed=seed + 100)))
    assert processing.hash_distance(original, recompressed) <= 3
    assert processing.hash_distance(original, unrelated) > 10


def test_quality_can_be_checked_before_attaching_and_nothing_is_stored(teller):
    from imaging.services import ImageRefused, image_quality_check
    from tests.imaging.conftest import stored_files, upload

    flags = image_quality_check(image_type_code="ID_FRONT", upload=upload(corpus.blurred_jpeg()))

    assert [code for code, _message, _value in flags] == ["blurred"]
    assert (
        image_quality_check(
            image_type_code="ID_FRONT", upload=upload(corpus.jpeg(corpus.photo(seed=28)))
        )
        == ()
    )
    with pytest.raises(ImageRefused):
        image_quality_check(image_type_code="ID_FRONT", upload=upload(corpus.svg_document()))
    assert Image.objects.count() == 0
    assert stored_files() == []
