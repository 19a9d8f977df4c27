"""Four-eyes on parameter changes: the steps every proposal goes through, written once.

A proposal is made by one parameter administrator and approved (carried out), rejected (with a
comment) or withdrawn (by its proposer). The steps are the same for every proposal table
(`bankcore.proposals.ProposalFields`); an app declares what is its own in a `ProposalFlow`:
which table, which permission decides, and, on approval, what applying the proposal means.
(Kept apart from `bankcore.proposals`, which `bankcore.four_eyes` imports for the states.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from bankcore.four_eyes import (
    ApproverNotAllowed,
    ProposalNotPending,
    ProposalPending,
    ProposalStatus,
    RejectionNeedsComment,
    proposal_decider_check,
    proposer_check,
)


@dataclass(frozen=True, slots=True)
class ProposalFlow:
    """One app's proposals: `model` (a ProposalFields table), the `permission` a proposer and a
    decider need, the relations a decision reads (`related`), and the refusal given while a
    proposal is already pending (`pending_error`)."""

    model: type[models.Model]
    permission: str
    related: tuple[str, ...] = ()
    pending_error: type[ProposalPending] = ProposalPending

    def proposer_check(self, proposed_by) -> None:
        """Refuse a proposal by nobody or by someone who is not a parameter administrator."""
        proposer_check(proposed_by=proposed_by)
        if not proposed_by.has_perm(self.permission):
            raise ApproverNotAllowed(_("Only a parameter administrator may propose a change."))

    @contextmanager
    def one_pending(self, pending: models.QuerySet) -> Iterator[None]:
        """Run a proposal's creation in a transaction, refused while `pending` (the proposals
        the new one would stand beside) has one; two at once meet the database's one-pending
        constraint, and the loser gets the same refusal."""
        try:
            with transaction.atomic():
                if pending.filter(status=ProposalStatus.PENDING).exists():
                    raise self.pending_error()
                yield
        except IntegrityError:
            raise self.pending_error() from None

    def pending_locked(self, proposal):
        """The proposal again, row-locked; refused unless it is still pending."""
        locked = (
            self.model.objects.select_for_update()
            .select_related(*self.related)
            .filter(pk=proposal.pk)
            .first()
        )
        if locked is None or not locked.is_pending:
            raise ProposalNotPending()
        return locked

    def approve(
        self,
        *,
        proposal,
        approved_by,
        now: datetime,
        apply: Callable[[Any], Any],
        update_fields: tuple[str, ...] = (),
    ) -> Any:
        """Approve and carry out in one transaction: `apply(proposal)` does what the proposal
        says (and may set the `update_fields` it names on it); returns what `apply` returns.
        Refused for the proposer and for anyone without the permission."""
        with transaction.atomic():
            proposal = self.pending_locked(proposal)
            proposal_decider_check(
                proposed_by_id=proposal.proposed_by_id,
                decided_by=approved_by,
                permission=self.permission,
            )
            result = apply(proposal)
            proposal.status = ProposalStatus.APPROVED
            proposal.decided_by = approved_by
            proposal.decided_at = now
            proposal.save(update_fields=["status", "decided_by", "decided_at", *update_fields])
        return result

    def reject(self, *, proposal, rejected_by, comment: str, now: datetime):
        """Reject with a comment saying why; nothing is carried out."""
        with transaction.atomic():
            proposal = self.pending_locked(proposal)
            proposal_decider_check(
                proposed_by_id=proposal.proposed_by_id,
                decided_by=rejected_by,
                permission=self.permission,
            )
            comment = (comment or "").strip()
            if not comment:
                raise RejectionNeedsComment()
            proposal.status = ProposalStatus.REJECTED
            proposal.decided_by = rejected_by
            proposal.decided_at = now
            proposal.decision_comment = comment[:500]
            proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        return proposal

    def withdraw(self, *, proposal, withdrawn_by, now: datetime):
        """The proposer takes the proposal back."""
        with transaction.atomic():
            proposal = self.pending_locked(proposal)
            if withdrawn_by is None or withdrawn_by.pk != proposal.proposed_by_id:
                raise ApproverNotAllowed(
                    _("Only the administrator who proposed it may withdraw it.")
                )
            proposal.status = ProposalStatus.WITHDRAWN
            proposal.decided_at = now
            proposal.save(update_fields=["status", "decided_at"])
        return proposal
