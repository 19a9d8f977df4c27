"""Four-eyes on products: publishing a draft, or modifying an active (or suspended) product,
is proposed by one parameter administrator and takes effect when a different one approves it
(or is rejected with a comment). Approval carries the change out in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Case, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankcore.errors import NotFound
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
from products.models import (
    Product,
    ProductProposal,
    ProductProposalKind,
    ProductStatus,
    ProductVersion,
)
from products.services import (
    APPROVE_PERMISSION,
    ProductStateConflict,
    product_modify,
    product_publish,
    product_publish_check,
)

MODIFY_KEYS = ("name", "description", "parameters", "components", "change_note")


class ProductProposalNotFound(NotFound):
    code = "product_proposal_not_found"
    default_message = gettext_lazy("No such product change proposal.")


def _json_ready(value):
    """A submitted change as JSON can hold it (amounts and dates as text)."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if isinstance(value, (Decimal, datetime)):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _proposer_allowed(user: User) -> None:
    proposer_check(proposed_by=user)
    if not user.has_perm(APPROVE_PERMISSION):
        raise ApproverNotAllowed(_("Only a parameter administrator may propose a change."))


def _create(*, product: Product, kind: str, changes: dict, proposed_by: User, now: datetime):
    try:
        with transaction.atomic():
            if ProductProposal.objects.filter(
                product=product, status=ProposalStatus.PENDING
            ).exists():
                raise ProductChangePending()
            latest = product.versions.order_by("-number").values_list("number", flat=True).first()
            return ProductProposal.objects.create(
                product=product,
                kind=kind,
                changes=changes,
                base_version_number=latest or 1,
                proposed_by=proposed_by,
                proposed_at=now,
            )
    except IntegrityError:
        raise ProductChangePending() from None


class ProductChangePending(ProposalPending):
    default_message = gettext_lazy(
        "A change of this product is already awaiting approval; approve, reject or withdraw it "
        "first."
    )


def product_publication_propose(
    *, product: Product, proposed_by: User, now: datetime
) -> ProductProposal:
    """Propose publishing a draft. What publishing would refuse is refused now (missing
    values, binding rules); the draft cannot be edited while the proposal is pending."""
    _proposer_allowed(proposed_by)
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        product_publish_check(product=product)
        return _create(
            product=product,
            kind=ProductProposalKind.PUBLISH,
            changes={},
            proposed_by=proposed_by,
            now=now,
        )


def product_change_submit(
    *,
    product: Product,
    submitted_by: User,
    now: datetime,
    name: str | None = None,
    description: str | None = None,
    parameters: dict | None = None,
    components: list | None = None,
    change_note: str = "",
) -> ProductVersion | ProductProposal:
    """The one entry for a change from the pages and the API: a draft changes at once (returns
    its version); an active or suspended product gets a proposal (returns it), checked now
    exactly as approval will apply it, so the proposer sees every error at once."""
    changes = {
        "name": name,
        "description": description,
        "parameters": parameters,
        "components": components,
        "change_note": change_note,
    }
    if product.status == ProductStatus.DRAFT:
        return product_modify(product=product, modified_by=submitted_by, now=now, **changes)
    if product.status == ProductStatus.RETIRED:
        raise ProductStateConflict(_("A retired product cannot be modified."))
    _proposer_allowed(submitted_by)
    product_modify(
        product=product, modified_by=submitted_by, now=now, validate_only=True, **changes
    )
    return _create(
        product=product,
        kind=ProductProposalKind.MODIFY,
        changes=_json_ready({k: v for k, v in changes.items() if v is not None}),
        proposed_by=submitted_by,
        now=now,
    )


def _pending_locked(proposal: ProductProposal) -> ProductProposal:
    locked = (
        ProductProposal.objects.select_for_update()
        .select_related("product")
        .filter(pk=proposal.pk)
        .first()
    )
    if locked is None or not locked.is_pending:
        raise ProposalNotPending()
    return locked


@transaction.atomic
def product_proposal_approve(
    *, proposal: ProductProposal, approved_by: User, now: datetime
) -> Product:
    """Approve and carry out the proposal in one transaction (publish, or write the new
    version accounts open on), naming both administrators. Refused for the proposer."""
    proposal = _pending_locked(proposal)
    proposal_decider_check(
        proposed_by_id=proposal.proposed_by_id,
        decided_by=approved_by,
        permission=APPROVE_PERMISSION,
    )
    if proposal.kind == ProductProposalKind.PUBLISH:
        product = product_publish(
            product=proposal.product,
            published_by=proposal.proposed_by,
            approved_by=approved_by,
            now=now,
            proposal=proposal,
        )
        proposal.result_version = product.active_version
    else:
        changes = {k: proposal.changes[k] for k in MODIFY_KEYS if k in proposal.changes}
        proposal.result_version = product_modify(
            product=proposal.product,
            modified_by=proposal.proposed_by,
            approved_by=approved_by,
            proposal=proposal,
            now=now,
            **changes,
        )
    proposal.status = ProposalStatus.APPROVED
    proposal.decided_by = approved_by
    proposal.decided_at = now
    proposal.save(update_fields=["status", "decided_by", "decided_at", "result_version"])
    return Product.objects.get(pk=proposal.product_id)


@transaction.atomic
def product_proposal_reject(
    *, proposal: ProductProposal, rejected_by: User, comment: str, now: datetime
) -> ProductProposal:
    """Reject with a comment saying why; nothing changes."""
    proposal = _pending_locked(proposal)
    proposal_decider_check(
        proposed_by_id=proposal.proposed_by_id,
        decided_by=rejected_by,
        permission=APPROVE_PERMISSION,
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
def product_proposal_withdraw(
    *, proposal: ProductProposal, withdrawn_by: User, now: datetime
) -> ProductProposal:
    """The proposer takes the proposal back."""
    proposal = _pending_locked(proposal)
    if withdrawn_by is None or withdrawn_by.pk != proposal.proposed_by_id:
        raise ApproverNotAllowed(_("Only the administrator who proposed it may withdraw it."))
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.decided_at = now
    proposal.save(update_fields=["status", "decided_at"])
    return proposal


# --- Reads ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProposalChangeLine:
    field: str
    value: str


def proposal_change_lines(proposal: ProductProposal) -> list[ProposalChangeLine]:
    """A modification as lines a reviewer reads: each field or parameter and its new value."""
    lines = []
    for key in ("name", "description", "change_note"):
        if proposal.changes.get(key):
            lines.append(ProposalChangeLine(key, str(proposal.changes[key])))
    for code, setting in sorted((proposal.changes.get("parameters") or {}).items()):
        if isinstance(setting, dict):
            text = ", ".join(f"{k}={v}" for k, v in sorted(setting.items()) if v not in ("", None))
        else:
            text = str(setting)
        lines.append(ProposalChangeLine(f"parameters.{code}", text))
    if proposal.changes.get("components") is not None:
        lines.append(ProposalChangeLine("components", str(proposal.changes["components"])))
    return lines


def product_proposal_list(*, product: Product | None = None, limit: int = 100):
    """Pending proposals first, then the latest decided ones, with both administrators."""
    proposals = ProductProposal.objects.select_related(
        "product", "proposed_by", "decided_by", "result_version"
    )
    if product is not None:
        proposals = proposals.filter(product=product)
    return list(
        proposals.order_by(
            Case(When(status=ProposalStatus.PENDING, then=0), default=1), "-proposed_at", "-id"
        )[:limit]
    )


def product_proposal_get(*, proposal_id: int) -> ProductProposal:
    """Raises ProductProposalNotFound."""
    try:
        return ProductProposal.objects.select_related("product", "proposed_by", "decided_by").get(
            pk=proposal_id
        )
    except ProductProposal.DoesNotExist:
        raise ProductProposalNotFound() from None


def product_pending_proposal(*, product: Product) -> ProductProposal | None:
    return (
        ProductProposal.objects.select_related("proposed_by")
        .filter(product=product, status=ProposalStatus.PENDING)
        .first()
    )
