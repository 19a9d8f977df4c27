"""What other apps may call in the imaging app (the only module they import).

Everything here answers frozen dataclasses (ImageFacts) or plain values, never model
instances or querysets. Owner apps name their images by an owner reference ("authreq:…"),
say who may see them (`register_owner_access`, at start-up) and hear when one becomes ready
or rejected (`image_state_changed`, a signal sent on commit with owner_ref, image_type_code,
image_id and state).
"""

from __future__ import annotations

from imaging.inspection import ImageRefused
from imaging.selectors import ImageFacts, images_for_owner, ready_image_counts
from imaging.services import (
    image_process,
    image_quality_check,
    image_receive,
    image_state_changed,
    register_owner_access,
)

__all__ = [
    "ImageFacts",
    "ImageRefused",
    "image_process",
    "image_quality_check",
    "image_receive",
    "image_state_changed",
    "images_for_owner",
    "ready_image_counts",
    "register_owner_access",
]
