"""Duplicate and reuse detection: the same picture submitted for a different customer.

Exact duplicates by the SHA-256 of the bytes received; near-duplicates (re-saved, resized,
recompressed) by the 64-bit difference hash within a few bits. Candidates are found through
the four indexed 16-bit bands of the hash (two hashes within three bits share a band).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Image, ImageState
from .processing import hash_distance

REUSE_MESSAGES = {
    "other_subject": _(
        "The same picture was submitted for another customer (%(subject_ref)s, %(owner_ref)s, "
        "%(uploaded_on)s)."
    ),
    "same_owner": _("The same picture was already submitted here (%(uploaded_on)s)."),
}
_CANDIDATE_LIMIT = 200


def hash_bands(perceptual_hash: int) -> tuple[int, int, int, int]:
    return tuple((perceptual_hash >> shift) & 0xFFFF for shift in (48, 32, 16, 0))  # type: ignore[return-value]


def reuse_flags_for(
    *, image: Image, perceptual_hash: int, comparable: bool, max_distance: int
) -> list[dict]:
    """Flags for `image` against every other live image: a picture already submitted for
    another customer, or already submitted for the same owner. A nearly blank picture is
    compared by its bytes only (all blank pages look alike)."""
    condition = Q(content_sha256=image.content_sha256)
    if comparable:
        bands = hash_bands(perceptual_hash)
        condition |= (
            Q(hash_band_0=bands[0])
            | Q(hash_band_1=bands[1])
            | Q(hash_band_2=bands[2])
            | Q(hash_band_3=bands[3])
        )
    candidates = (
        Image.objects.live()
        .filter(condition)
        .filter(state__in=[ImageState.READY, ImageState.PROCESSING])
        .exclude(pk=image.pk)
        .order_by("uploaded_at", "pk")
        .values(
            "public_id",
            "owner_ref",
            "subject_ref",
            "uploaded_at",
            "content_sha256",
            "perceptual_hash",
        )[:_CANDIDATE_LIMIT]
    )
    flags = []
    for other in candidates:
        exact = other["content_sha256"] == image.content_sha256
        if not exact:
            if not other["perceptual_hash"]:
                continue
            distance = hash_distance(perceptual_hash, int(other["perceptual_hash"], 16))
            if distance > max_distance:
                continue
        else:
            distance = 0
        if image.subject_ref and other["subject_ref"] and other["subject_ref"] != image.subject_ref:
            code = "other_subject"
        elif other["owner_ref"] == image.owner_ref:
            code = "same_owner"
        else:
            continue  # the same customer's picture in another request: expected (ID cards)
        flags.append(
            {
                "code": code,
                "image_public_id": other["public_id"],
                "owner_ref": other["owner_ref"],
                "subject_ref": other["subject_ref"],
                "uploaded_on": timezone.localdate(other["uploaded_at"]).isoformat(),
                "distance": distance,
                "exact": exact,
            }
        )
    return flags


def reuse_message(flag: dict) -> str:
    template = REUSE_MESSAGES.get(flag.get("code", ""))
    if template is None:
        return str(flag.get("code", ""))
    return str(template) % {
        "subject_ref": flag.get("subject_ref", ""),
        "owner_ref": flag.get("owner_ref", ""),
        "uploaded_on": flag.get("uploaded_on", ""),
    }
