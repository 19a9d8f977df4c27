"""Public read API of the imaging app: frozen dataclasses, never ORM objects.

Other apps (authorization) count ready images per type and list an owner's images with the
protected URLs imaging serves them at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.urls import reverse

from .inspection import refusal_message
from .models import Image, ImageState
from .quality import quality_message
from .reuse import reuse_message

__all__ = [
    "ImageFacts",
    "ServedFile",
    "image_facts",
    "image_file_for_serving",
    "images_for_owner",
    "ready_image_counts",
]


@dataclass(frozen=True, slots=True)
class ImageFacts:
    id: int
    public_id: str  # unguessable; what URLs carry
    owner_ref: str
    image_type_code: str
    subject_ref: str
    state: str  # received | processing | ready | rejected
    state_label: str  # the state in the reader's language
    reject_reason: str  # in the reader's language; "" unless rejected
    width: int | None
    height: int | None
    quality_flags: tuple[tuple[str, str, float], ...]  # (code, message, measured value)
    reuse_flags: tuple[str, ...]  # messages
    uploaded_by_username: str
    uploaded_at: datetime
    content_format: str
    original_name: str
    view_url: str  # the review-size image, inline
    review_url: str  # the same, as a download
    thumbnail_url: str


def image_facts(image: Image) -> ImageFacts:
    """Facts of one image row (its uploaded_by loaded, or loaded here)."""
    public_id = image.public_id
    return ImageFacts(
        id=image.pk,
        public_id=public_id,
        owner_ref=image.owner_ref,
        image_type_code=image.image_type_code,
        subject_ref=image.subject_ref,
        state=image.state,
        state_label=str(ImageState(image.state).label),
        reject_reason=(
            refusal_message(image.reject_code, image.reject_params)
            if image.state == ImageState.REJECTED
            else ""
        ),
        width=image.width,
        height=image.height,
        quality_flags=tuple(
            (flag["code"], quality_message(flag), flag["value"]) for flag in image.quality_flags
        ),
        reuse_flags=tuple(reuse_message(flag) for flag in image.reuse_flags),
        uploaded_by_username=image.uploaded_by.get_username(),
        uploaded_at=image.uploaded_at,
        content_format=image.content_format,
        original_name=image.original_name,
        view_url=reverse("imaging:image-view", args=[public_id]),
        review_url=reverse("imaging:image-review", args=[public_id]),
        thumbnail_url=reverse("imaging:image-thumbnail", args=[public_id]),
    )


def images_for_owner(*, owner_ref: str) -> list[ImageFacts]:
    """Every live image of `owner_ref`, oldest first (one query)."""
    images = (
        Image.objects.for_owner(owner_ref)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "pk")
    )
    return [image_facts(image) for image in images]


def image_for_owner(*, owner_ref: str, public_id: str) -> ImageFacts | None:
    image = (
        Image.objects.for_owner(owner_ref)
        .select_related("uploaded_by")
        .filter(public_id=public_id)
        .first()
    )
    return image_facts(image) if image else None


def image_by_public_id(*, public_id: str) -> ImageFacts | None:
    image = Image.objects.live().select_related("uploaded_by").filter(public_id=public_id).first()
    return image_facts(image) if image else None


def ready_image_counts(*, owner_ref: str) -> dict[str, int]:
    """Image type code → number of ready images of `owner_ref`."""
    rows = (
        Image.objects.for_owner(owner_ref)
        .filter(state=ImageState.READY)
        .values("image_type_code")
        .annotate(count=Count("pk"))
        .order_by("image_type_code")
    )
    return {row["image_type_code"]: row["count"] for row in rows}


@dataclass(frozen=True, slots=True)
class ServedFile:
    owner_ref: str
    key: str  # name in the imaging storage
    filename: str  # offered to the browser


def image_file_for_serving(*, public_id: str, variant: str) -> ServedFile | None:
    """The stored derivative `variant` ("review" or "thumbnail") of a ready, live image."""
    field = {"review": "review_key", "thumbnail": "thumbnail_key"}[variant]
    row = (
        Image.objects.live()
        .filter(public_id=public_id, state=ImageState.READY)
        .values("owner_ref", "image_type_code", field)
        .first()
    )
    if row is None or not row[field]:
        return None
    return ServedFile(
        owner_ref=row["owner_ref"],
        key=row[field],
        filename=f"{row['image_type_code']}-{public_id[:10]}-{variant}.jpg",
    )
