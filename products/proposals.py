"""Four-eyes on products: publishing a draft, or modifying an active (or suspended) product,
is proposed by one parameter administrator and takes effect when a different one approves it
(or is rejected with a comment). Approval carries the change out in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankcore.errors import NotFound
from bankcore.four_eyes import ProposalPending, ProposalStatus
from bankcore.models import User
from bankcore.proposal_flow import ProposalFlow
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


class ProductChangePending(ProposalPending):
    default_message = gettext_lazy(
        "A change of this product is already awaiting approval; approve, reject or withdraw it "
        "first."
    )


# One proposal pending at a time per product.
_FLOW = ProposalFlow(
    model=ProductProposal,
    permission=APPROVE_PERMISSION,
    related=("product",),
    pending_error=ProductChangePending,
)


def _create(*, product: Product, kind: str, changes: dict, proposed_by: User, now: datetime):
    with _FLOW.one_pending(ProductProposal.objects.filter(product=product)):
        latest = product.versions.order_by("-number").values_list("number", flat=True).first()
        return ProductProposal.objects.create(
            product=product,
            kind=kind,
            changes=changes,
            base_version_number=latest or 1,
            proposed_by=proposed_by,
            proposed_at=now,
        )


def product_publication_propose(
    *, product: Product, proposed_by: User, now: datetime
) -> ProductProposal:
    """Propose publishing a draft. What publishing would refuse is refused now (missing
    values, binding rules); the draft cannot be edited while the proposal is pending."""
    _FLOW.proposer_check(proposed_by)
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
    _FLOW.proposer_check(submitted_by)
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


def product_proposal_approve(
    *, proposal: ProductProposal, approved_by: User, now: datetime
) -> Product:
    """Approve and carry out the proposal in one transaction (publish, or write the new
    version accounts open on), naming both administrators. Refused for the proposer."""

    def carry_out(proposal: ProductProposal) -> int:
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
        return proposal.product_id

    with transaction.atomic():
        product_id = _FLOW.approve(
            proposal=proposal,
            approved_by=approved_by,
            now=now,
            apply=carry_out,
            update_fields=("result_version",),
        )
        return Product.objects.get(pk=product_id)


def product_proposal_reject(
    *, proposal: ProductProposal, rejected_by: User, comment: str, now: datetime
) -> ProductProposal:
    """Reject with a comment saying why; nothing changes."""
    return _FLOW.reject(proposal=proposal, rejected_by=rejected_by, comment=comment, now=now)


def product_proposal_withdraw(
    *, proposal: ProductProposal, withdrawn_by: User, now: datetime
) -> ProductProposal:
    """The proposer takes the proposal back."""
    return _FLOW.withdraw(proposal=proposal, withdrawn_by=withdrawn_by, now=now)


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
