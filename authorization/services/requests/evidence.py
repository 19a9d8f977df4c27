"""Evidence: images attached to a request, and the request leaving "waiting for evidence"
once imaging reports the required images ready."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ...models import AuthorizationRequest, RequestEventKind, RequestState
from ..trail import SYSTEM, Actor
from .clock import clock
from .errors import ImageNotAccepted, ImageTypeNotAsked, RequestStateConflict
from .reads import image_owner_can_view, missing_images, request_get
from .transitions import request_lock, require_participant_may_submit, transition

OPEN_FOR_EVIDENCE = (RequestState.WAITING_FOR_EVIDENCE, RequestState.QUEUED, RequestState.RETURNED)


def request_image_attach(
    *,
    reference: str,
    image_type_code: str,
    upload,
    actor: Actor,
    now: datetime | None = None,
):
    """Attach an image to the request (its submitter, or the channel). The type must be one the
    decision asks for. Returns imaging's ImageFacts; the request leaves "waiting for evidence"
    when imaging reports the required images ready (image_state_changed)."""
    from imaging import facade as imaging_facade

    now = clock(now)
    request = request_get(reference=reference, user=actor.user)
    require_participant_may_submit(actor.user, request)
    allowed = {
        image["code"]
        for key in ("required_image_types", "optional_image_types")
        for image in request.decision.get(key, [])
    }
    if image_type_code not in allowed:
        raise ImageTypeNotAsked(
            fields={
                "image_type": [
                    _("Not an image type of this request; allowed: %(codes)s.")
                    % {"codes": ", ".join(sorted(allowed)) or "-"}
                ]
            },
        )
    if request.state not in OPEN_FOR_EVIDENCE:
        raise RequestStateConflict(
            _("Images can be attached only while the request waits, is queued or returned.")
        )
    with transaction.atomic():
        request_lock(request)
        if request.state not in OPEN_FOR_EVIDENCE:
            raise RequestStateConflict()
        try:
            facts = imaging_facade.image_receive(
                owner_ref=request.owner_ref,
                image_type_code=image_type_code,
                upload=upload,
                uploaded_by=actor.user,
                subject_ref=str(request.elements.get("customer_no") or ""),
            )
        except imaging_facade.ImageRefused as refused:
            raise ImageNotAccepted(
                str(refused.message), fields={"file": [str(refused.message)]}
            ) from None
        transition(
            request,
            kind=RequestEventKind.IMAGE_ATTACHED,
            actor=actor,
            now=now,
            expected_states=OPEN_FOR_EVIDENCE,
            details={"image_type": image_type_code, "image": facts.public_id},
        )
    return facts


def request_evidence_check(*, reference: str, now: datetime | None = None) -> bool:
    """Move a request waiting for evidence to the queue once every required image type has
    its minimum count of ready images. Returns True when it moved. Idempotent."""
    now = clock(now)
    with transaction.atomic():
        request = AuthorizationRequest.objects.filter(reference=reference).first()
        if request is None or request.state != RequestState.WAITING_FOR_EVIDENCE:
            return False
        request_lock(request)
        if request.state != RequestState.WAITING_FOR_EVIDENCE or missing_images(request=request):
            return False
        transition(
            request,
            kind=RequestEventKind.EVIDENCE_COMPLETE,
            actor=SYSTEM,
            now=now,
            expected_states=(RequestState.WAITING_FOR_EVIDENCE,),
            state=RequestState.QUEUED,
            queued_at=now,
        )
    return True


def on_image_state_changed(sender, *, owner_ref: str, state: str, **kwargs) -> None:
    """Receiver of imaging's image_state_changed (connected in AppConfig.ready)."""
    if state == "ready" and owner_ref.startswith("authreq:"):
        request_evidence_check(reference=owner_ref.removeprefix("authreq:"))


def requests_connect() -> None:
    """At start-up (AppConfig.ready): tell imaging who may see a request's images, and listen
    for images becoming ready to move requests out of "waiting for evidence"."""
    from imaging import facade as imaging_facade

    imaging_facade.register_owner_access("authreq:", image_owner_can_view)
    imaging_facade.image_state_changed.connect(
        on_image_state_changed, dispatch_uid="authorization.requests.evidence"
    )
