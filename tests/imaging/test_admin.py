"""Admin: thresholds per image type code are edited there and apply to the next image;
images are shown read-only with their quality results and trail."""

from __future__ import annotations

from imaging.models import Image, ImageTypeSettings
from tests.harness import nothing_written
from tests.imaging import corpus


def test_thresholds_per_type_are_edited_in_the_admin(admin_client, receive):
    response = admin_client.post(
        "/admin/imaging/imagetypesettings/add/",
        {
            "image_type_code": "ID_FRONT",
            "min_long_side": "1000",
            "min_short_side": "600",
            "min_sharpness": "60",
            "min_brightness": "120",  # this bank wants brighter ID photos
            "max_brightness": "235",
            "min_contrast": "8",
            "retention_days": "",
        },
    )
    assert response.status_code == 302, response.content
    assert ImageTypeSettings.objects.get(image_type_code="ID_FRONT").min_brightness == 120

    facts = receive(corpus.jpeg(corpus.photo(seed=111)), type_code="ID_FRONT")
    assert [code for code, _message, _value in facts.quality_flags] == ["too_dark"]


def test_brightness_range_must_make_sense(admin_client):
    response = admin_client.post(
        "/admin/imaging/imagetypesettings/add/",
        {
            "image_type_code": "VOUCHER",
            "min_long_side": "1000",
            "min_short_side": "600",
            "min_sharpness": "60",
            "min_brightness": "200",
            "max_brightness": "100",
            "min_contrast": "8",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert not ImageTypeSettings.objects.filter(image_type_code="VOUCHER").exists()


def test_image_admin_shows_results_read_only(admin_client, receive):
    facts = receive(corpus.blurred_jpeg())
    image = Image.objects.get(pk=facts.id)

    listing = admin_client.get("/admin/imaging/image/")
    page = admin_client.get(f"/admin/imaging/image/{image.pk}/change/")

    assert listing.status_code == 200
    assert facts.public_id in listing.content.decode()
    html = page.content.decode()
    assert page.status_code == 200
    assert "Looks blurred" in html
    assert f"/imaging/images/{facts.public_id}/thumbnail.jpg" in html
    with nothing_written():  # images are never deleted by hand
        assert admin_client.post(f"/admin/imaging/image/{image.pk}/delete/").status_code == 403
