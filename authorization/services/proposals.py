"""Four-eyes on the rule set: publishing a draft or rolling back to an earlier version is
proposed by one parameter administrator and takes effect when a different one approves it."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from bankcore.models import User
from bankcore.proposal_flow import ProposalFlow

from ..models import RuleSetProposal, RuleSetPublication, RuleSetVersion
from .check import check_refusal, rule_set_check
from .lifecycle import EffectiveTimeInvalid, publication_execute, publication_time_check

MANAGE_PERMISSION = "authorization.manage_rule_set"

# One proposal pending at a time for the whole rule set.
_FLOW = ProposalFlow(model=RuleSetProposal, permission=MANAGE_PERMISSION, related=("version",))


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
    _FLOW.proposer_check(proposed_by)
    with _FLOW.one_pending(RuleSetProposal.objects.all()):
        version = RuleSetVersion.objects.select_for_update().get(pk=version.pk)
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


def rule_set_proposal_approve(
    *, proposal: RuleSetProposal, approved_by: User, now: datetime
) -> RuleSetPublication:
    """Approve and carry out the proposal in one transaction: the version is published (or
    published again) from the proposed time, naming both administrators. Refused for the
    proposer (SelfApprovalRefused), and when the proposed time has passed meanwhile (reject it
    and propose again)."""

    def publish(proposal: RuleSetProposal) -> RuleSetPublication:
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
        return publication_execute(
            version=version,
            proposed_by=proposal.proposed_by,
            approved_by=approved_by,
            effective_at=proposal.effective_at or now,
            now=now,
            proposal=proposal,
        )

    return _FLOW.approve(proposal=proposal, approved_by=approved_by, now=now, apply=publish)


def rule_set_proposal_reject(
    *, proposal: RuleSetProposal, rejected_by: User, comment: str, now: datetime
) -> RuleSetProposal:
    """Reject with a comment saying why; nothing is published and the draft is editable again."""
    return _FLOW.reject(proposal=proposal, rejected_by=rejected_by, comment=comment, now=now)


def rule_set_proposal_withdraw(
    *, proposal: RuleSetProposal, withdrawn_by: User, now: datetime
) -> RuleSetProposal:
    """The proposer takes the proposal back (to edit the draft, or because it is wrong)."""
    return _FLOW.withdraw(proposal=proposal, withdrawn_by=withdrawn_by, now=now)
