"""The owner's images page and the upload widget's endpoint (session, CSRF, multipart)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from bankcore.roles import Role
from imaging.models import Image
from tests.harness import nothing_written
from tests.imaging import corpus
from tests.imaging.conftest import owner_ref

UPLOAD = "/imaging/upload/"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def _post(client, content: bytes, *, ref=None, type_code="ID_FRONT", name="photo.jpg", **extra):
    return client.post(
        UPLOAD,
        {
            "owner_ref": ref or owner_ref("BJ01"),
            "image_type_code": type_code,
            "subject_ref": "",
            "file": SimpleUploadedFile(name, content),
        },
        **extra,
    )


@pytest.mark.django_db(transaction=True)  # processing runs on commit, as in production
def test_widget_upload_answers_the_image_card(client, teller):
    client.force_login(teller)
    response = _post(client, corpus.jpeg(corpus.photo(seed=101)), **XHR)

    assert response.status_code == 201
    html = response.content.decode()
    image = Image.objects.get()
    assert f'data-image="{image.public_id}"' in html
    assert f"/imaging/images/{image.public_id}/thumbnail.jpg" in html
    assert 'data-state="ready"' in html


def test_card_of_an_image_in_progress_refreshes_itself(client, teller):
    client.force_login(teller)
    response = _post(client, corpus.jpeg(corpus.photo(seed=106)), **XHR)  # not committed yet

    html = response.content.decode()
    image = Image.objects.get()
    assert 'data-state="received"' in html
    assert f'hx-get="/imaging/images/{image.public_id}/card/"' in html
    assert 'hx-trigger="every 2s"' in html

    card = client.get(f"/imaging/images/{image.public_id}/card/")
    assert card.status_code == 200
    assert f'data-image="{image.public_id}"' in card.content.decode()


def test_widget_upload_of_a_refused_file_answers_the_reason(client, teller):
    client.force_login(teller)
    with nothing_written():
        response = _post(client, corpus.svg_document(), name="card.jpg", **XHR)

    assert response.status_code == 400
    assert "SVG or HTML" in response.content.decode()
    assert Image.objects.count() == 0


def test_upload_needs_the_csrf_token(teller):
    client = Client(enforce_csrf_checks=True)
    client.force_login(teller)
    with nothing_written():
        assert _post(client, corpus.jpeg(corpus.photo(seed=102)), **XHR).status_code == 403


def test_upload_without_the_script_comes_back_to_the_page(client, teller):
    client.force_login(teller)
    response = _post(client, b"", name="empty.jpg", follow=True)

    assert response.status_code == 200
    assert "The file is empty." in response.content.decode()


def test_upload_for_another_branch_is_404(client, make_user):
    client.force_login(make_user(Role.TELLER, "SH01", username="sh_teller"))
    assert _post(client, corpus.jpeg(corpus.photo(seed=103)), **XHR).status_code == 404
    assert Image.objects.count() == 0


def test_owner_page_shows_images_flags_and_the_widget(client, teller, receive):
    ref = owner_ref("BJ01", 4)
    receive(corpus.blurred_jpeg(), ref=ref, type_code="ID_FRONT")
    receive(corpus.truncated_jpeg(), ref=ref, type_code="VOUCHER")
    client.force_login(teller)

    response = client.get(f"/imaging/owners/{ref}/", {"types": "ID_FRONT,ID_BACK"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-image-type="ID_FRONT"' in html
    assert 'data-image-type="ID_BACK"' in html  # required, none yet: its widget is there
    assert 'data-image-type="VOUCHER"' in html
    assert 'data-quality-flag="blurred"' in html
    assert "damaged or truncated" in html
    assert html.count("data-imaging-upload") == 4  # three types and "another image type"
    assert "data-imaging-progress" in html and "data-imaging-preview" in html


def test_owner_page_and_cards_are_404_for_another_branch(client, make_user, receive):
    ref = owner_ref("BJ01", 5)
    facts = receive(corpus.jpeg(corpus.photo(seed=104)), ref=ref)
    client.force_login(make_user(Role.TELLER, "SH01", username="sh_teller"))
    assert client.get(f"/imaging/owners/{ref}/").status_code == 404
    assert client.get(f"/imaging/images/{facts.public_id}/card/").status_code == 404


def test_managers_see_the_page_without_the_widget(client, manager, receive):
    ref = owner_ref("BJ01", 6)
    receive(corpus.jpeg(corpus.photo(seed=105)), ref=ref)
    client.force_login(manager)

    html = client.get(f"/imaging/owners/{ref}/").content.decode()
    assert "data-image=" in html
    assert "data-imaging-upload" not in html
