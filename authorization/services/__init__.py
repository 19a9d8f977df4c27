"""Public write API of the authorization app (evaluate, rule-set lifecycle, draft editing)."""

from .check import (
    CheckIssue,
    CheckReport,
    RuleConditionInvalid,
    VersionNotPublishable,
    rule_set_check,
    trigger_rule_condition_validate,
)
from .content import rule_set_content_load
from .evaluation import (
    Evaluation,
    InvalidTransaction,
    TransactionInput,
    UnknownAccount,
    UnknownCustomer,
    UnknownProduct,
    evaluate,
    facts_gather,
    transaction_parse,
)
from .lifecycle import (
    DraftAlreadyExists,
    EffectiveTimeInvalid,
    VersionAlreadyInForce,
    VersionAwaitingApproval,
    VersionNotEditable,
    draft_item_delete,
    draft_item_save,
    rule_set_draft_create,
    trigger_rule_save,
)
from .proposals import (
    rule_set_proposal_approve,
    rule_set_proposal_reject,
    rule_set_proposal_withdraw,
    rule_set_publication_propose,
)
from .simulation import SimulationReport, rule_set_simulate

__all__ = [
    "CheckIssue",
    "CheckReport",
    "DraftAlreadyExists",
    "EffectiveTimeInvalid",
    "Evaluation",
    "InvalidTransaction",
    "RuleConditionInvalid",
    "SimulationReport",
    "TransactionInput",
    "UnknownAccount",
    "UnknownCustomer",
    "UnknownProduct",
    "VersionAlreadyInForce",
    "VersionAwaitingApproval",
    "VersionNotEditable",
    "VersionNotPublishable",
    "draft_item_delete",
    "draft_item_save",
    "evaluate",
    "facts_gather",
    "rule_set_check",
    "rule_set_content_load",
    "rule_set_draft_create",
    "rule_set_proposal_approve",
    "rule_set_proposal_reject",
    "rule_set_proposal_withdraw",
    "rule_set_publication_propose",
    "rule_set_simulate",
    "transaction_parse",
    "trigger_rule_condition_validate",
    "trigger_rule_save",
]
from .diff import (
    FieldChange,
    ItemChange,
    RuleSetDiff,
    SectionDiff,
    rule_set_diff,
)

__all__ += ["FieldChange", "ItemChange", "RuleSetDiff", "SectionDiff", "rule_set_diff"]
