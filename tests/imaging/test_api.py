"""Images over the API: multipart upload on the upload endpoint only; lists per owner for
those who may see the owner; refusals in the standard error body."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bankcore.roles import Role
from imaging.models import Image
from tests.harness import nothing_written
from tests.imaging import corpus
from tests.imaging.conftest import owner_ref, stored_files

URL = "/api/v1/imaging/images/"


def _file(content: bytes, name: str = "photo.jpg"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.django_db(transaction=True)  # processing runs on commit, as in production
def test_upload_answers_the_processed_image(api_client_for, teller):
    response = api_client_for(teller).post(
        URL,
        {
            "owner_ref": owner_ref("BJ01"),
            "image_type_code": "ID_FRONT",
            "subject_ref": "100000000016",
            "file": _file(corpus.jpeg(corpus.photo(seed=71), exif=corpus.camera_exif())),
        },
        format="multipart",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "ready"
    assert body["content_format"] == "jpeg"
    assert (body["width"], body["height"]) == (1200, 900)
    assert body["quality_flags"] == []
    assert body["uploaded_by"] == "teller"
    assert body["thumbnail_url"].startswith("/imaging/images/")
    assert api_client_for(teller).get(body["thumbnail_url"]).status_code == 200


def test_refused_upload_names_the_reason_in_the_error_body(api_client_for, teller):
    client = api_client_for(teller)
    with nothing_written():
        response = client.post(
            URL,
            {
                "owner_ref": owner_ref("BJ01"),
                "image_type_code": "ID_FRONT",
                "file": _file(corpus.png_bomb(), "scan.png"),
            },
            format="multipart",
        )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "too_many_pixels"
    assert "megapixels" in error["message"]
    assert error["fields"]["file"] == [error["message"]]
    assert Image.objects.count() == 0
    assert stored_files() == []


def test_upload_endpoint_takes_multipart_only(api_client_for, teller):
    response = api_client_for(teller).post(
        URL, {"owner_ref": owner_ref("BJ01"), "image_type_code": "ID_FRONT"}, format="json"
    )
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_unknown_fields_are_refused(api_client_for, teller):
    client = api_client_for(teller)
    with nothing_written():
        response = client.post(
            URL,
            {
                "owner_ref": owner_ref("BJ01"),
                "image_type_code": "ID_FRONT",
                "file": _file(corpus.jpeg(corpus.photo(seed=72))),
                "allow_everything": "1",
            },
            format="multipart",
        )
    assert response.status_code == 400
    assert "allow_everything" in response.json()["error"]["fields"]
    assert stored_files() == []


def test_upload_for_an_owner_the_user_cannot_see_is_404(api_client_for, make_user):
    shanghai = make_user(Role.TELLER, "SH01", username="sh_teller")
    response = api_client_for(shanghai).post(
        URL,
        {
            "owner_ref": owner_ref("BJ01"),
            "image_type_code": "ID_FRONT",
            "file": _file(corpus.jpeg(corpus.photo(seed=73))),
        },
        format="multipart",
    )
    assert response.status_code == 404
    assert Image.objects.count() == 0


def test_users_without_the_capture_permission_cannot_upload(api_client_for, manager):
    client = api_client_for(manager)
    with nothing_written():
        response = client.post(
            URL,
            {
                "owner_ref": owner_ref("BJ01"),
                "image_type_code": "ID_FRONT",
                "file": _file(corpus.jpeg(corpus.photo(seed=74))),
            },
            format="multipart",
        )
    assert response.status_code == 403
    assert stored_files() == []


def test_owner_list_for_those_who_may_see_it(api_client_for, teller, make_user, receive):
    ref = owner_ref("BJ01", 5)
    first = receive(corpus.jpeg(corpus.photo(seed=75)), ref=ref)
    client = api_client_for(teller)
    with CaptureQueriesContext(connection) as one_image:
        client.get(URL, {"owner_ref": ref})
    receive(corpus.truncated_jpeg(), ref=ref, type_code="VOUCHER")

    with CaptureQueriesContext(connection) as two_images:
        response = client.get(URL, {"owner_ref": ref})

    assert len(two_images) == len(one_image)  # one query for the list, whatever its length
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["public_id"] == first.public_id
    assert [item["state"] for item in results] == ["ready", "rejected"]
    assert "damaged or truncated" in results[1]["reject_reason"]

    detail = client.get(f"{URL}{first.public_id}/")
    assert detail.status_code == 200
    assert detail.json()["public_id"] == first.public_id

    outsider = api_client_for(make_user(Role.TELLER, "SH01", username="sh_teller2"))
    assert outsider.get(URL, {"owner_ref": ref}).status_code == 404
    assert outsider.get(f"{URL}{first.public_id}/").status_code == 404


def test_list_needs_an_owner(api_client_for, teller):
    response = api_client_for(teller).get(URL)
    assert response.status_code == 400
    assert "owner_ref" in response.json()["error"]["fields"]


def test_anonymous_api_request_is_401(api_client):
    assert api_client.get(URL, {"owner_ref": owner_ref("BJ01")}).status_code == 401


@pytest.mark.django_db(transaction=True)
def test_upload_spooled_to_a_temporary_file_is_stored_whole(api_client_for, teller, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # Django spools anything larger to disk
    photo = corpus.jpeg(corpus.photo(seed=76))
    assert len(photo) > 1024

    response = api_client_for(teller).post(
        URL,
        {"owner_ref": owner_ref("BJ01"), "image_type_code": "ID_FRONT", "file": _file(photo)},
        format="multipart",
    )

    assert response.status_code == 201
    assert response.json()["state"] == "ready"
    image = Image.objects.get()
    assert image.content_size == len(photo)
    assert image.content_sha256 == hashlib.sha256(photo).hexdigest()
