"""Public write API of the imaging app.

- `image_receive`: cheap checks now (size, content sniffing, pixel bound from the header),
  then the file is stored and processing is enqueued on commit (queue `images`).
- `image_process`: the Celery task's body; idempotent (a redelivered task finishes the same
  image once) and by content hash (the same bytes are decoded once).
- `images_purge_expired`: retention; the beat task's body.
- `register_owner_access`: owner apps say who may see images of their owner references.
- `image_state_changed`: sent on commit when an image becomes ready or rejected.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from bankcore.errors import DomainError

from .inspection import ImageRefused, Inspection, inspect_upload
from .models import Image, ImageEvent, ImageEventKind, ImageState
from .processing import derive
from .quality import quality_flags, quality_message, thresholds_for
from .reuse import hash_bands, reuse_flags_for
from .selectors import ImageFacts, image_by_public_id, image_facts
from .storage import image_storage, storage_delete_unreferenced, storage_save_content_addressed

__all__ = [
    "ImageFacts",
    "ImageRefused",
    "image_process",
    "image_quality_check",
    "image_receive",
    "image_state_changed",
    "images_purge_expired",
    "owner_access_allows",
    "register_owner_access",
]

logger = logging.getLogger(__name__)

# Sent on commit with owner_ref, image_type_code, image_id, state ("ready" or "rejected").
image_state_changed = Signal()

_owner_access: dict[str, Callable[[object, str], bool]] = {}


def register_owner_access(prefix: str, can_view: Callable[[object, str], bool]) -> None:
    """Say who may see images whose owner_ref starts with `prefix` (call in AppConfig.ready).
    `can_view(user, owner_ref)` answers for one user and owner; the longest prefix wins."""
    if not prefix:
        raise ValueError("An owner-access prefix may not be empty.")
    _owner_access[prefix] = can_view


def owner_access_allows(*, user, owner_ref: str) -> bool:
    """May `user` see images of `owner_ref`? No registered owner app: nobody may."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    matching = [prefix for prefix in _owner_access if owner_ref.startswith(prefix)]
    if not matching:
        return False
    return bool(_owner_access[max(matching, key=len)](user, owner_ref))


def image_receive(
    *,
    owner_ref: str,
    image_type_code: str,
    upload,
    uploaded_by,
    subject_ref: str = "",
    allow_multi_page: bool = False,
    now: datetime | None = None,
) -> ImageFacts:
    """Receive one file for `owner_ref`; raise ImageRefused with nothing stored when the
    content is not an accepted image. Processing follows on commit (in-process when Celery
    runs eagerly, the embedded default)."""
    if not owner_ref or not image_type_code:
        raise DomainError(fields={"owner_ref": [], "image_type_code": []})
    now = now or timezone.now()
    size = int(getattr(upload, "size", 0) or 0)
    inspection = inspect_upload(
        upload,
        size=size,
        max_bytes=settings.IMAGING_MAX_UPLOAD_BYTES,
        max_pixels=settings.IMAGING_MAX_PIXELS,
        allow_multi_page=allow_multi_page,
    )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    content_sha256 = digest.hexdigest()
    upload.seek(0)
    source_key = storage_save_content_addressed(
        image_storage(), "received", content_sha256, inspection.format, upload
    )
    thresholds = thresholds_for(image_type_code)
    retention_days = thresholds.retention_days or settings.IMAGING_RETENTION_DAYS
    with transaction.atomic():
        image = Image.objects.create(
            owner_ref=owner_ref,
            image_type_code=image_type_code,
            subject_ref=subject_ref or "",
            uploaded_by=uploaded_by,
            uploaded_at=now,
            retain_until=now + timedelta(days=retention_days),
            original_name=(getattr(upload, "name", "") or "")[:200],
            content_format=inspection.format,
            content_sha256=content_sha256,
            content_size=size,
            source_key=source_key,
            frames=inspection.frames,
        )
        ImageEvent.objects.create(image=image, kind=ImageEventKind.RECEIVED, occurred_at=now)
        image_id = image.pk
        transaction.on_commit(lambda: _enqueue_processing(image_id))
    # Processing may have run already (on commit, eagerly): answer the image as it is now.
    current = image_by_public_id(public_id=image.public_id)
    if current is not None:
        return current
    image.uploaded_by = uploaded_by
    return image_facts(image)


def _enqueue_processing(image_id: int) -> None:
    from .tasks import image_process_task

    image_process_task.delay(image_id=image_id)


def image_process(*, image_id: int, now: datetime | None = None) -> str:
    """Validate by decoding, normalise, derive, measure, look for reuse; the image ends
    ready or rejected exactly once however often this runs. Returns the final state."""
    claimed = Image.objects.filter(
        pk=image_id, state__in=[ImageState.RECEIVED, ImageState.PROCESSING]
    ).update(state=ImageState.PROCESSING)
    if not claimed:
        return Image.objects.filter(pk=image_id).values_list("state", flat=True).first() or ""
    ImageEvent.objects.create(
        image_id=image_id, kind=ImageEventKind.PROCESSING, occurred_at=timezone.now()
    )
    image = Image.objects.get(pk=image_id)
    thresholds = thresholds_for(image.image_type_code)
    storage = image_storage()

    twin = (
        Image.objects.live()
        .filter(content_sha256=image.content_sha256, state=ImageState.READY)
        .exclude(pk=image.pk)
        .exclude(review_key="")
        .order_by("pk")
        .first()
    )
    if twin is not None:  # the same bytes were decoded before: their results hold
        facts = {
            field: getattr(twin, field)
            for field in (
                "width",
                "height",
                "review_key",
                "thumbnail_key",
                "sharpness",
                "brightness",
                "contrast",
                "perceptual_hash",
            )
        }
    else:
        try:
            with storage.open(image.source_key, "rb") as source:
                derived = derive(
                    source,
                    Inspection(image.content_format, 0, 0, image.frames),
                    review_max_side=settings.IMAGING_REVIEW_MAX_SIDE,
                    thumbnail_max_side=settings.IMAGING_THUMBNAIL_MAX_SIDE,
                )
        except ImageRefused as refused:
            return _finish_rejected(image, refused, now=now)
        except FileNotFoundError:
            # The received bytes are gone (a store restored from an older backup): nothing
            # can ever be made of this image; the teller is asked to send it again.
            return _finish_rejected(image, ImageRefused("source_missing"), now=now)
        facts = {
            "width": derived.width,
            "height": derived.height,
            "review_key": storage_save_content_addressed(
                storage, "review", None, "jpg", derived.review
            ),
            "thumbnail_key": storage_save_content_addressed(
                storage, "thumbnail", None, "jpg", derived.thumbnail
            ),
            "sharpness": derived.sharpness,
            "brightness": derived.brightness,
            "contrast": derived.contrast,
            "perceptual_hash": f"{derived.perceptual_hash:016x}",
        }

    flags = quality_flags(
        width=facts["width"],
        height=facts["height"],
        sharpness=facts["sharpness"],
        brightness=facts["brightness"],
        contrast=facts["contrast"],
        thresholds=thresholds,
        is_document_render=image.content_format == "pdf",
    )
    perceptual_hash = int(facts["perceptual_hash"], 16)
    reuse = reuse_flags_for(
        image=image,
        perceptual_hash=perceptual_hash,
        comparable=facts["contrast"] >= thresholds.min_contrast,
        max_distance=settings.IMAGING_REUSE_MAX_DISTANCE,
    )
    bands = hash_bands(perceptual_hash)
    with transaction.atomic():
        finished = Image.objects.filter(pk=image.pk, state=ImageState.PROCESSING).update(
            state=ImageState.READY,
            processed_at=now or timezone.now(),
            quality_flags=flags,
            reuse_flags=reuse,
            hash_band_0=bands[0],
            hash_band_1=bands[1],
            hash_band_2=bands[2],
            hash_band_3=bands[3],
            **facts,
        )
        if finished:
            ImageEvent.objects.create(
                image_id=image.pk, kind=ImageEventKind.READY, occurred_at=timezone.now()
            )
            _announce_on_commit(image, ImageState.READY)
    if finished:
        transaction.on_commit(lambda: _discard_source(image.pk))
    return ImageState.READY if finished else _state_of(image.pk)


def _finish_rejected(image: Image, refused: ImageRefused, *, now: datetime | None) -> str:
    with transaction.atomic():
        finished = Image.objects.filter(pk=image.pk, state=ImageState.PROCESSING).update(
            state=ImageState.REJECTED,
            reject_code=refused.code,
            reject_params={key: str(value) for key, value in refused.params.items()},
            processed_at=now or timezone.now(),
        )
        if finished:
            ImageEvent.objects.create(
                image_id=image.pk,
                kind=ImageEventKind.REJECTED,
                occurred_at=timezone.now(),
                note=refused.code,
            )
            _announce_on_commit(image, ImageState.REJECTED)
    if finished:
        transaction.on_commit(lambda: _discard_source(image.pk))
    return ImageState.REJECTED if finished else _state_of(image.pk)


def _state_of(image_id: int) -> str:
    return Image.objects.filter(pk=image_id).values_list("state", flat=True).first() or ""


def _announce_on_commit(image: Image, state: str) -> None:
    owner_ref, image_type_code, image_id = image.owner_ref, image.image_type_code, image.pk

    def send() -> None:
        image_state_changed.send(
            sender=Image,
            owner_ref=owner_ref,
            image_type_code=image_type_code,
            image_id=image_id,
            state=str(state),
        )

    transaction.on_commit(send)


def _discard_source(image_id: int) -> None:
    """The received bytes are kept only when the bank's policy says so; never served."""
    if settings.IMAGING_KEEP_ORIGINALS:
        return
    image = Image.objects.filter(pk=image_id).only("source_key").first()
    if image is None or not image.source_key:
        return
    key = image.source_key
    Image.objects.filter(pk=image_id).update(source_key="")
    # The same bytes received for another image (still to be processed, or kept) stay.
    still_needed = Image.objects.live().filter(source_key=key).exists()
    storage_delete_unreferenced(image_storage(), [key], in_use=still_needed)


def images_purge_expired(*, now: datetime | None = None, limit: int = 500) -> int:
    """Purge images whose retention has ended: their files are deleted (unless another live
    image shares them), the row keeps who/what/when, and a `purged` event records it."""
    now = now or timezone.now()
    expired_ids = list(
        Image.objects.live()
        .filter(retain_until__lte=now)
        .exclude(state__in=[ImageState.RECEIVED, ImageState.PROCESSING])
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    purged = 0
    storage = image_storage()
    for image_id in expired_ids:
        with transaction.atomic():
            image = (
                Image.objects.select_for_update()
                .filter(pk=image_id, purged_at__isnull=True)
                .first()
            )
            if image is None:
                continue
            keys = [key for key in (image.review_key, image.thumbnail_key, image.source_key) if key]
            Image.objects.filter(pk=image_id).update(
                purged_at=now, review_key="", thumbnail_key="", source_key=""
            )
            ImageEvent.objects.create(
                image_id=image_id, kind=ImageEventKind.PURGED, occurred_at=now, note="retention"
            )
        for key in keys:
            in_use = Image.objects.live().filter(_uses_of(key)).exists()
            storage_delete_unreferenced(storage, [key], in_use=in_use)
        purged += 1
    if purged:
        logger.info("imaging: purged %s image(s) whose retention ended", purged)
    return purged


def _uses_of(key: str) -> Q:
    return Q(review_key=key) | Q(thumbnail_key=key) | Q(source_key=key)


def image_quality_check(
    *, image_type_code: str, upload, allow_multi_page: bool = False
) -> tuple[tuple[str, str, float], ...]:
    """The quality flags `upload` would get as an image of `image_type_code`, measured now and
    nothing stored: lets a teller see "looks blurred" before attaching the picture.
    Raises ImageRefused like image_receive for a file that is not an accepted image."""
    size = int(getattr(upload, "size", 0) or 0)
    inspection = inspect_upload(
        upload,
        size=size,
        max_bytes=settings.IMAGING_MAX_UPLOAD_BYTES,
        max_pixels=settings.IMAGING_MAX_PIXELS,
        allow_multi_page=allow_multi_page,
    )
    try:
        derived = derive(
            upload,
            inspection,
            review_max_side=settings.IMAGING_REVIEW_MAX_SIDE,
            thumbnail_max_side=settings.IMAGING_THUMBNAIL_MAX_SIDE,
        )
    finally:
        upload.seek(0)
    flags = quality_flags(
        width=derived.width,
        height=derived.height,
        sharpness=derived.sharpness,
        brightness=derived.brightness,
        contrast=derived.contrast,
        thresholds=thresholds_for(image_type_code),
        is_document_render=inspection.format == "pdf",
    )
    return tuple((flag["code"], quality_message(flag), flag["value"]) for flag in flags)
