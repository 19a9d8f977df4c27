"""Four-eyes on the rule set: publishing a draft or rolling back to an earlier version is
proposed by one parameter administrator and takes effect when a different one approves it."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
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
from bankcore.models import User

from ..models import RuleSetProposal, RuleSetPublication, RuleSetVersion
from .lifecycle import (
    EffectiveTimeInvalid,
    check_refusal,
    publication_execute,
    publication_time_check,
    rule_set_check,
)

MANAGE_PERMISSION = "authorization.manage_rule_set"


def rule_set_publication_propose(
    *,
    version: RuleSetVersion,
    proposed_by: User,
    effective_at: datetime | None,
    now: datetime,
) -> RuleSetProposal:
    """Propose publishing `version` (a draft, after a clean check) or publishing an earlier
    version again (roll back), in force from `effective_at` (None: when approved). Refuses a
    past time or one before the latest publication (field `effective_at`), a draft with check
    errors, and a second pending proposal. The draft cannot be edited while it is pending."""
    proposer_check(proposed_by=proposed_by)
    if not proposed_by.has_perm(MANAGE_PERMISSION):
        raise ApproverNotAllowed(_("Only a parameter administrator may propose a change."))
    try:
        with transaction.atomic():
            version = RuleSetVersion.objects.select_for_update().get(pk=version.pk)
            if RuleSetProposal.objects.filter(status=ProposalStatus.PENDING).exists():
                raise ProposalPending()
            publication_time_check(version=version, effective_at=effective_at, now=now)
            if version.is_draft:
                report = rule_set_check(version=version)
                if not report.ok:
                    raise check_refusal(report)
            return RuleSetProposal.objects.create(
                version=version,
                is_rollback=not version.is_draft,
                effective_at=effective_at,
                proposed_by=proposed_by,
                proposed_at=now,
            )
    except IntegrityError:
        # Two proposals at once: the database's one-pending constraint let one through.
        raise ProposalPending() from None


def _pending_locked(proposal: RuleSetProposal) -> RuleSetProposal:
    locked = (
        RuleSetProposal.objects.select_for_update()
        .select_related("version")
        .filter(pk=proposal.pk)
        .first()
    )
    if locked is None or not locked.is_pending:
        raise ProposalNotPending()
    return locked


@transaction.atomic
def rule_set_proposal_approve(
    *, proposal: RuleSetProposal, approved_by: User, now: datetime
) -> RuleSetPublication:
    """Approve and carry out the proposal in one transaction: the version is published (or
    published again) from the proposed time, naming both administrators. Refused for the
    proposer (SelfApprovalRefused), and when the proposed time has passed meanwhile (reject it
    and propose again)."""
    proposal = _pending_locked(proposal)
    proposal_decider_check(
        proposed_by_id=proposal.proposed_by_id, decided_by=approved_by, permission=MANAGE_PERMISSION
    )
    version = RuleSetVersion.objects.select_for_update().get(pk=proposal.version_id)
    try:
        publication_time_check(version=version, effective_at=proposal.effective_at, now=now)
    except EffectiveTimeInvalid as error:
        raise EffectiveTimeInvalid(
            _("%(reason)s Reject this proposal and propose again.")
            % {"reason": " ".join(error.fields.get("effective_at", [error.message]))},
            fields=error.fields,
        ) from None
    if version.is_draft:
        report = rule_set_check(version=version)
        if not report.ok:
            raise check_refusal(report)
    publication = publication_execute(
        version=version,
        proposed_by=proposal.proposed_by,
        approved_by=approved_by,
        effective_at=proposal.effective_at or now,
        now=now,
        proposal=proposal,
    )
    proposal.status = ProposalStatus.APPROVED
    proposal.decided_by = approved_by
    proposal.decided_at = now
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    return publication


@transaction.atomic
def rule_set_proposal_reject(
    *, proposal: RuleSetProposal, rejected_by: User, comment: str, now: datetime
) -> RuleSetProposal:
    """Reject with a comment saying why; nothing is published and the draft is editable again."""
    proposal = _pending_locked(proposal)
    proposal_decider_check(
        proposed_by_id=proposal.proposed_by_id, decided_by=rejected_by, permission=MANAGE_PERMISSION
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


@transaction.atomic
def rule_set_proposal_withdraw(
    *, proposal: RuleSetProposal, withdrawn_by: User, now: datetime
) -> RuleSetProposal:
    """The proposer takes the proposal back (to edit the draft, or because it is wrong)."""
    proposal = _pending_locked(proposal)
    if withdrawn_by is None or withdrawn_by.pk != proposal.proposed_by_id:
        raise ApproverNotAllowed(_("Only the administrator who proposed it may withdraw it."))
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.decided_at = now
    proposal.save(update_fields=["status", "decided_at"])
    return proposal
