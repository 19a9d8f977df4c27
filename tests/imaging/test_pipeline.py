"""The intake pipeline: states, the signal owner apps listen to, selectors, retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from imaging import selectors, services
from imaging.models import Image, ImageEvent, ImageState, ImageTypeSettings
from tests.imaging import corpus
from tests.imaging.conftest import owner_ref, stored_files, upload


@pytest.fixture
def announcements():
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    services.image_state_changed.connect(listener, weak=False)
    yield received
    services.image_state_changed.disconnect(listener)


def test_image_is_received_then_ready_and_announced_once(receive, announcements):
    facts = receive(corpus.jpeg(corpus.photo(seed=41)), type_code="ID_BACK")

    assert facts.state == ImageState.READY
    assert announcements == [
        {
            "signal": services.image_state_changed,
            "owner_ref": facts.owner_ref,
            "image_type_code": "ID_BACK",
            "image_id": facts.id,
            "state": "ready",
        }
    ]
    kinds = list(
        ImageEvent.objects.filter(image_id=facts.id).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == ["received", "processing", "ready"]


def test_rejection_is_announced(receive, announcements):
    facts = receive(corpus.truncated_jpeg())
    assert [item["state"] for item in announcements] == ["rejected"]
    assert announcements[0]["image_id"] == facts.id


def test_processing_again_changes_nothing(
    receive, announcements, django_capture_on_commit_callbacks
):
    facts = receive(corpus.jpeg(corpus.photo(seed=42)))

    with django_capture_on_commit_callbacks(execute=True):
        state = services.image_process(image_id=facts.id)

    assert state == ImageState.READY
    assert len(announcements) == 1
    assert ImageEvent.objects.filter(image_id=facts.id, kind="ready").count() == 1


def test_image_stays_received_until_the_transaction_commits(
    teller, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        facts = services.image_receive(
            owner_ref=owner_ref("BJ01"),
            image_type_code="ID_FRONT",
            upload=upload(corpus.jpeg(corpus.photo(seed=43))),
            uploaded_by=teller,
        )
    assert facts.state == ImageState.RECEIVED
    assert len(callbacks) == 1  # processing is enqueued on commit, not before


def test_ready_counts_and_owner_list(receive, django_assert_num_queries):
    ref = owner_ref("BJ01", 7)
    receive(corpus.jpeg(corpus.photo(seed=44)), ref=ref, type_code="ID_FRONT")
    receive(corpus.jpeg(corpus.photo(seed=45)), ref=ref, type_code="ID_FRONT")
    receive(corpus.jpeg(corpus.photo(seed=46)), ref=ref, type_code="VOUCHER")
    receive(corpus.truncated_jpeg(), ref=ref, type_code="VOUCHER")
    receive(corpus.jpeg(corpus.photo(seed=47)), ref=owner_ref("BJ01", 8), type_code="VOUCHER")

    assert selectors.ready_image_counts(owner_ref=ref) == {"ID_FRONT": 2, "VOUCHER": 1}
    with django_assert_num_queries(1):
        images = selectors.images_for_owner(owner_ref=ref)
    assert [image.state for image in images] == ["ready", "ready", "ready", "rejected"]
    assert [image.image_type_code for image in images] == [
        "ID_FRONT",
        "ID_FRONT",
        "VOUCHER",
        "VOUCHER",
    ]
    assert all(image.uploaded_by_username == "teller" for image in images)


def test_retention_purges_expired_images_and_records_it(receive):
    ImageTypeSettings.objects.create(image_type_code="SCENE", retention_days=30)
    expired = receive(corpus.jpeg(corpus.photo(seed=48)), type_code="SCENE")
    kept = receive(corpus.jpeg(corpus.photo(seed=49)), type_code="ID_FRONT")
    assert Image.objects.get(pk=kept.id).retain_until > timezone.now() + timedelta(
        days=settings.IMAGING_RETENTION_DAYS - 1
    )
    files_before = set(stored_files())

    purged = services.images_purge_expired(now=timezone.now() + timedelta(days=31))

    assert purged == 1
    row = Image.objects.get(pk=expired.id)
    assert row.purged_at is not None
    assert ImageEvent.objects.filter(image_id=expired.id, kind="purged").count() == 1
    assert [image.id for image in selectors.images_for_owner(owner_ref=expired.owner_ref)] == [
        kept.id
    ]
    assert len(set(stored_files())) == len(files_before) - 2  # its review and thumbnail
    assert services.images_purge_expired(now=timezone.now() + timedelta(days=31)) == 0


def test_retention_keeps_files_another_live_image_shares(receive):
    ImageTypeSettings.objects.create(image_type_code="SCENE", retention_days=30)
    photo = corpus.jpeg(corpus.photo(seed=50))
    receive(photo, type_code="SCENE")
    receive(photo, type_code="ID_FRONT", ref=owner_ref("BJ01", 2))
    files_before = stored_files()

    assert services.images_purge_expired(now=timezone.now() + timedelta(days=31)) == 1
    assert stored_files() == files_before


def test_purge_runs_hourly_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["imaging.purge-expired-images"]
    from bankcore.celery import app

    assert entry["task"] in app.tasks


def test_image_whose_received_file_is_lost_is_rejected_with_a_reason(
    teller, django_capture_on_commit_callbacks, announcements
):
    with django_capture_on_commit_callbacks(execute=False):
        facts = services.image_receive(
            owner_ref=owner_ref("BJ01"),
            image_type_code="ID_FRONT",
            upload=upload(corpus.jpeg(corpus.photo(seed=51))),
            uploaded_by=teller,
        )
    from imaging.storage import image_storage

    image_storage().delete(Image.objects.get(pk=facts.id).source_key)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.image_process(image_id=facts.id) == ImageState.REJECTED

    row = Image.objects.get(pk=facts.id)
    assert row.reject_code == "source_missing"
    assert [item["state"] for item in announcements] == ["rejected"]
