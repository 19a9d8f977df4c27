"""Four-eyes on parameter changes: the refusals and the checks on who may propose and decide
(the proposal tables' shared columns and constraints are in `bankcore.proposals`)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankcore.errors import Conflict, DomainError
from bankcore.proposals import ProposalStatus

__all__ = [
    "ApproverNotAllowed",
    "ProposalNotPending",
    "ProposalPending",
    "ProposalStatus",
    "RejectionNeedsComment",
    "SelfApprovalRefused",
    "proposal_decider_check",
    "proposer_check",
]


class SelfApprovalRefused(DomainError):
    code = "self_approval_refused"
    http_status = 403
    default_message = gettext_lazy(
        "A change you proposed must be approved or rejected by another parameter administrator."
    )


class ApproverNotAllowed(DomainError):
    code = "approver_not_allowed"
    http_status = 403
    default_message = gettext_lazy("Only a parameter administrator may decide on a proposal.")


class ProposalNotPending(Conflict):
    code = "proposal_not_pending"
    default_message = gettext_lazy("The proposal has already been decided or withdrawn.")


class ProposalPending(Conflict):
    code = "proposal_pending"
    default_message = gettext_lazy(
        "A change is already awaiting approval; approve, reject or withdraw it first."
    )


class RejectionNeedsComment(DomainError):
    code = "comment_required"
    default_message = gettext_lazy("Say why the proposal is rejected.")

    def __init__(self, message=None, *, fields=None):
        super().__init__(message, fields=fields or {"comment": [str(self.default_message)]})


def proposal_decider_check(*, proposed_by_id: int | None, decided_by, permission: str) -> None:
    """Refuse a decision by nobody, by the proposer, or by someone without `permission`."""
    if decided_by is None or not getattr(decided_by, "is_authenticated", False):
        raise ApproverNotAllowed()
    if decided_by.pk == proposed_by_id:
        raise SelfApprovalRefused()
    if not decided_by.has_perm(permission):
        raise ApproverNotAllowed()


def proposer_check(*, proposed_by) -> None:
    """A proposal names the person who made it."""
    if proposed_by is None or not isinstance(proposed_by, AbstractBaseUser):
        raise ApproverNotAllowed(_("A proposal must name the parameter administrator making it."))
