"""Authorization requests: one service per transition of the state machine.

    submit ──► waiting_for_evidence ──(required images ready)──► queued ◄──────────┐
                      │                                          │  ▲             │
                      └──────────────► queued ◄──── resubmit ────┼──┼── returned  │
                                                                 ▼  │  (release,│
                                     claim next / step-up ──► in_review  lease,   │
                                                                 │     transfer)  │
          approve (dual, first) ─────────────────────────────────┼────────────────┘
          approve ─► approved   reject ─► rejected   return ─► returned
    cancel (submitter, before a claim) ─► cancelled     time-out without escalation ─► expired

Every transition reads the request under its row lock and goes through
`transitions.transition`: a conditional UPDATE … WHERE state = <expected> (compare-and-set)
that also moves the trail's head, and the event's INSERT. Of two concurrent decisions on one
request one wins and the other gets RequestStateConflict (409) and changes nothing.

Modules: submit, evidence, queue (claim next, release, leases), decide (verdicts, approve,
reject, return), submitter (cancel, resubmit), transfer, on_site, timing (escalation),
reads, errors, transitions (the shared steps). This module names the public surface.
"""

from .decide import (
    VerdictInput,
    approval_gate,
    request_approve,
    request_reject,
    request_return,
    request_verdicts_record,
)
from .errors import (
    AlreadyInMode,
    AlreadySubmitted,
    CommentRequired,
    EvaluationNotFound,
    EvaluationOutdated,
    EvidenceIncomplete,
    ImageNotAccepted,
    ImageTypeNotAsked,
    InvalidDecisionInput,
    InvalidSubmission,
    InvalidVerdicts,
    MandatoryPointFailed,
    NotAllowed,
    NotEligible,
    NotTheHolder,
    RequestNotFound,
    RequestStateConflict,
    StepUpFailed,
    StepUpLocked,
    SubmitterOnly,
    UnknownAction,
    UnknownMode,
    UnknownReasonCode,
)
from .evidence import (
    on_image_state_changed,
    request_evidence_check,
    request_image_attach,
    requests_connect,
)
from .on_site import request_on_site_decide
from .queue import request_claim_next, request_release, requests_leases_expire
from .reads import (
    image_owner_can_view,
    missing_images,
    request_get,
    requests_visible_to,
    user_may_see_request,
    verdicts_of,
)
from .submit import request_submit
from .submitter import request_cancel, request_resubmit
from .timing import request_escalate, requests_due
from .transfer import request_transfer

__all__ = [
    "AlreadyInMode",
    "AlreadySubmitted",
    "CommentRequired",
    "EvaluationNotFound",
    "EvaluationOutdated",
    "EvidenceIncomplete",
    "ImageNotAccepted",
    "ImageTypeNotAsked",
    "InvalidDecisionInput",
    "InvalidSubmission",
    "InvalidVerdicts",
    "MandatoryPointFailed",
    "NotAllowed",
    "NotEligible",
    "NotTheHolder",
    "RequestNotFound",
    "RequestStateConflict",
    "StepUpFailed",
    "StepUpLocked",
    "SubmitterOnly",
    "UnknownAction",
    "UnknownMode",
    "UnknownReasonCode",
    "VerdictInput",
    "approval_gate",
    "image_owner_can_view",
    "missing_images",
    "on_image_state_changed",
    "request_approve",
    "request_cancel",
    "request_claim_next",
    "request_escalate",
    "request_evidence_check",
    "request_get",
    "request_image_attach",
    "request_on_site_decide",
    "request_reject",
    "request_release",
    "request_resubmit",
    "request_return",
    "request_submit",
    "request_transfer",
    "request_verdicts_record",
    "requests_connect",
    "requests_due",
    "requests_leases_expire",
    "requests_visible_to",
    "user_may_see_request",
    "verdicts_of",
]
