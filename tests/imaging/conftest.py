"""Imaging tests: a private store per test, and a test owner app that registers who may see
its images the way authorization does ("authreq:") — by the branch in the owner reference."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from bankcore.models import OrgUnit
from bankcore.scoping import user_can_see_unit
from imaging import selectors, services
from imaging.storage import image_storage

OWNER_PREFIX = "testowner:"


def owner_ref(branch_code: str, number: int = 1) -> str:
    return f"{OWNER_PREFIX}{branch_code}:{number}"


def owner_can_view_by_branch(user, ref: str) -> bool:
    """A user sees an owner's images when they may see the owner's branch."""
    branch_code = ref.removeprefix(OWNER_PREFIX).split(":", 1)[0]
    unit = OrgUnit.objects.filter(code=branch_code).first()
    return user_can_see_unit(user, unit)


@pytest.fixture(autouse=True)
def imaging_store(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "imaging": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "imaging"), "allow_overwrite": True},
        },
    }
    settings.IMAGING_KEEP_ORIGINALS = False
    settings.IMAGING_X_ACCEL_REDIRECT_PREFIX = ""
    return tmp_path / "imaging"


@pytest.fixture(autouse=True)
def test_owner_registered(monkeypatch):
    monkeypatch.setattr(services, "_owner_access", dict(services._owner_access))
    services.register_owner_access(OWNER_PREFIX, owner_can_view_by_branch)


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def receive(django_capture_on_commit_callbacks, teller):
    """Receive a file as the pipeline does (processing runs on commit) and return its facts
    as they are after processing."""

    def receive_file(
        content: bytes,
        *,
        name="photo.jpg",
        ref=None,
        type_code="ID_FRONT",
        subject_ref="",
        user=None,
        **kwargs,
    ):
        ref = ref or owner_ref("BJ01")
        with django_capture_on_commit_callbacks(execute=True):
            facts = services.image_receive(
                owner_ref=ref,
                image_type_code=type_code,
                upload=upload(content, name),
                uploaded_by=user or teller,
                subject_ref=subject_ref,
                **kwargs,
            )
        return selectors.image_for_owner(owner_ref=ref, public_id=facts.public_id)

    return receive_file


def stored_files() -> list[str]:
    """Every name in the imaging store."""
    storage = image_storage()
    found = []

    def walk(path: str) -> None:
        directories, files = storage.listdir(path)
        found.extend(f"{path}/{name}".lstrip("/") for name in files)
        for directory in directories:
            walk(f"{path}/{directory}".lstrip("/"))

    if storage.exists(""):
        walk("")
    return sorted(found)


def stored_image(name: str) -> PILImage.Image:
    with image_storage().open(name, "rb") as handle:
        return PILImage.open(io.BytesIO(handle.read()))
