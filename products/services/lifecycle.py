"""A product's lifecycle: publishing (on an approved proposal), suspending, resuming, retiring."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankcore.four_eyes import proposal_decider_check
from bankcore.models import User
from products.models import Product, ProductEvent, ProductProposal, ProductStatus, ProductVersion
from products.services.checks import product_cross_checks
from products.services.errors import ProductInvalid, ProductStateConflict
from products.services.products import APPROVE_PERMISSION


def product_publish(
    *,
    product: Product,
    published_by: User,
    approved_by: User,
    now: datetime,
    proposal: ProductProposal | None = None,
) -> Product:
    """Draft → active: its latest version becomes the one accounts open on. Proposed by
    `published_by`, approved by a different parameter administrator (`products.proposals`
    calls this when the proposal is approved)."""
    proposal_decider_check(
        proposed_by_id=published_by.pk if published_by else None,
        decided_by=approved_by,
        permission=APPROVE_PERMISSION,
    )
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        version = product_publish_check(product=product)
        product.status = ProductStatus.ACTIVE
        product.active_version = version
        product.published_at = now
        product.published_by = published_by
        product.publication_approved_by = approved_by
        product.save(
            update_fields=[
                "status",
                "active_version",
                "published_at",
                "published_by",
                "publication_approved_by",
            ]
        )
        ProductEvent.objects.create(
            product=product,
            action="publish",
            from_status=ProductStatus.DRAFT,
            to_status=ProductStatus.ACTIVE,
            acted_by=published_by,
            approved_by=approved_by,
            version=version,
            proposal=proposal,
            occurred_at=now,
        )
    return product


def product_publish_check(*, product: Product) -> ProductVersion:
    """Raise what publishing would refuse now (state, missing values, binding rules); else
    return the version publishing makes active (the latest)."""
    if product.status != ProductStatus.DRAFT:
        raise ProductStateConflict(_("Only a draft product can be published."))
    version = product.versions.order_by("-number").first()
    errors = product_cross_checks(version=version)
    if errors:
        raise ProductInvalid(_("The product cannot be published yet."), fields=errors)
    return version


@dataclass(frozen=True, slots=True)
class _Transition:
    allowed_from: tuple[str, ...]
    to: str
    refusal: str  # why the product's status does not allow it


# Publishing is not here: it is a proposal a second administrator approves (products.proposals).
_TRANSITIONS = {
    "suspend": _Transition(
        allowed_from=(ProductStatus.ACTIVE,),
        to=ProductStatus.SUSPENDED,
        refusal=gettext_lazy("Only an active product can be suspended."),
    ),
    "resume": _Transition(
        allowed_from=(ProductStatus.SUSPENDED,),
        to=ProductStatus.ACTIVE,
        refusal=gettext_lazy("Only a suspended product can be resumed."),
    ),
    "retire": _Transition(
        allowed_from=(ProductStatus.ACTIVE, ProductStatus.SUSPENDED),
        to=ProductStatus.RETIRED,
        refusal=gettext_lazy("Only an active or suspended product can be retired."),
    ),
}
PRODUCT_ACTIONS = tuple(_TRANSITIONS)


def product_lifecycle_act(
    *, product: Product, action: str, acted_by: User, now: datetime
) -> Product:
    """Run one lifecycle action by name (the pages and the API offer them as buttons and
    endpoints): suspend, resume or retire. Each records who did it as a product event."""
    transition = _TRANSITIONS.get(action)
    if transition is None:
        raise ValueError(f"Unknown product action {action!r}.")
    if acted_by is None:
        raise ProductStateConflict(_("A lifecycle change must name who makes it."))
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        if product.status not in transition.allowed_from:
            raise ProductStateConflict(str(transition.refusal))
        from_status = product.status
        product.status = transition.to
        fields = ["status"]
        if transition.to == ProductStatus.RETIRED:
            product.retired_at = now
            product.retired_by = acted_by
            fields += ["retired_at", "retired_by"]
        product.save(update_fields=fields)
        ProductEvent.objects.create(
            product=product,
            action=action,
            from_status=from_status,
            to_status=transition.to,
            acted_by=acted_by,
            occurred_at=now,
        )
    return product


def product_suspend(*, product: Product, suspended_by: User, now: datetime) -> Product:
    """Active → suspended: no new accounts until resumed."""
    return product_lifecycle_act(product=product, action="suspend", acted_by=suspended_by, now=now)


def product_resume(*, product: Product, resumed_by: User, now: datetime) -> Product:
    """Suspended → active: accounts open again."""
    return product_lifecycle_act(product=product, action="resume", acted_by=resumed_by, now=now)


def product_retire(*, product: Product, retired_by: User, now: datetime) -> Product:
    """Active or suspended → retired (final): existing accounts stay, no new ones open."""
    return product_lifecycle_act(product=product, action="retire", acted_by=retired_by, now=now)
