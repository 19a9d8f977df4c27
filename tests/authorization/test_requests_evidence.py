"""Evidence of a request: only the decision's image types are accepted, the images are seen
by whoever may see the request, and a deleted trail event is named by trail_verify."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from authorization.models import RequestEvent
from bankcore.roles import Role
from tests.authorization.request_fixtures import *  # noqa: F403
from tests.authorization.request_fixtures import upload

API = "/api/v1/authorization"


def test_an_image_type_the_decision_does_not_ask_for_is_refused(
    submit_withdrawal, teller1, api_client_for
):
    request = submit_withdrawal(teller1)
    answer = api_client_for(teller1).post(
        f"{API}/requests/{request.reference}/images",
        {"image_type": "BUSINESS_LICENCE", "file": upload(1)},
        format="multipart",
    )
    assert answer.status_code == 400
    assert "WITHDRAWAL_SLIP" in answer.json()["error"]["fields"]["image_type"][0]
    assert not RequestEvent.objects.filter(request=request, kind="image_attached").exists()


def test_a_file_that_is_not_an_image_is_refused_naming_the_file(
    submit_withdrawal, teller1, api_client_for
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = submit_withdrawal(teller1)
    answer = api_client_for(teller1).post(
        f"{API}/requests/{request.reference}/images",
        {
            "image_type": "WITHDRAWAL_SLIP",
            "file": SimpleUploadedFile("slip.jpg", b"<html>not a picture</html>", "image/jpeg"),
        },
        format="multipart",
    )
    assert answer.status_code == 400 and "file" in answer.json()["error"]["fields"]


def test_request_images_are_seen_by_whoever_may_see_the_request(
    submit_withdrawal,
    teller1,
    authorizer1,
    make_user,
    client,
    api_client_for,
    django_capture_on_commit_callbacks,
):
    request = submit_withdrawal(teller1)
    with django_capture_on_commit_callbacks(execute=True):
        attached = api_client_for(teller1).post(
            f"{API}/requests/{request.reference}/images",
            {"image_type": "WITHDRAWAL_SLIP", "file": upload(5)},
            format="multipart",
        )
    view_url = attached.json()["view_url"]
    stranger = make_user(Role.TELLER, "SH01", username="sh_teller")

    client.force_login(authorizer1)
    assert client.get(view_url).status_code == 200
    client.force_login(teller1)
    assert client.get(view_url).status_code == 200
    client.force_login(stranger)
    assert client.get(view_url).status_code == 404


def test_trail_verify_names_a_deleted_event(submit_withdrawal, teller1, capsys):
    from authorization.services.requests import request_cancel
    from authorization.services.trail import Actor

    request = submit_withdrawal(teller1)
    request_cancel(reference=request.reference, actor=Actor(user=teller1), comment="x")
    deleted = RequestEvent.objects.get(request=request, seq=1)
    table = RequestEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [deleted.pk])  # noqa: S608
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")

    with pytest.raises(CommandError):
        call_command("trail_verify", request.reference)
    assert f"{request.reference} event #1 is missing (deleted)" in capsys.readouterr().err
