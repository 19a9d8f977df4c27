"""Data of the authorization app: the three business models of the patent, versioned.

Everything a parameter administrator edits (transaction catalogue, trigger model, scene model,
image catalogue) belongs to one `RuleSetVersion`. A draft is a full copy of the version it was
made from; a published version is never edited again, so every recorded evaluation can be
explained by the version that decided it.
"""

from authorization.models.catalogue import (
    ElementType,
    ImageCombination,
    ImageKind,
    ImageType,
    TransactionElement,
    TransactionType,
)
from authorization.models.flow import EvaluatedTransaction
from authorization.models.requests import (
    FINAL_REQUEST_STATES,
    OPEN_REQUEST_STATES,
    AuthorizationRequest,
    AuthorizerLimit,
    Delegation,
    ReasonCode,
    ReasonCodeKind,
    RequestEvent,
    RequestEventKind,
    RequestState,
    ReviewVerdict,
)
from authorization.models.rule_sets import (
    RuleSetProposal,
    RuleSetPublication,
    RuleSetStatus,
    RuleSetVersion,
)
from authorization.models.scenes import (
    ImageRequirement,
    ReviewPoint,
    ReviewPointSeverity,
    Scene,
    SceneImageRule,
    SceneReviewRule,
)
from authorization.models.triggers import (
    MODE_STRICTNESS,
    AuthorizationMode,
    AuthorizerRole,
    ProcessingOutcome,
    ProcessingRule,
    TriggerReason,
    TriggerRule,
    TriggerSystem,
)
from authorization.models.webhooks import WebhookDelivery, WebhookDeliveryState, WebhookSubscription

__all__ = [
    "FINAL_REQUEST_STATES",
    "MODE_STRICTNESS",
    "OPEN_REQUEST_STATES",
    "AuthorizationMode",
    "AuthorizationRequest",
    "AuthorizerLimit",
    "AuthorizerRole",
    "Delegation",
    "ElementType",
    "EvaluatedTransaction",
    "ImageCombination",
    "ImageKind",
    "ImageRequirement",
    "ImageType",
    "ProcessingOutcome",
    "ProcessingRule",
    "ReasonCode",
    "ReasonCodeKind",
    "RequestEvent",
    "RequestEventKind",
    "RequestState",
    "ReviewPoint",
    "ReviewPointSeverity",
    "ReviewVerdict",
    "RuleSetProposal",
    "RuleSetPublication",
    "RuleSetStatus",
    "RuleSetVersion",
    "Scene",
    "SceneImageRule",
    "SceneReviewRule",
    "TransactionElement",
    "TransactionType",
    "TriggerReason",
    "TriggerRule",
    "TriggerSystem",
    "WebhookDelivery",
    "WebhookDeliveryState",
    "WebhookSubscription",
]
