"""Product and account helpers for every app's tests. They go through `products.services`,
so what they create is exactly what the product factory creates (unified product code,
version 1, resolved account parameters). The parameter catalogue and the four line
templates (demand_deposit, time_deposit, loan, internal_account) come with the migrations.

Usage::

    from tests.customers.factories import PersonalCustomerFactory
    from tests.products.factories import (
        account_open_for_test, product_create_for_test, time_deposit_product_for_test,
    )

    product = time_deposit_product_for_test(early_withdrawals_allowed=3)
    product.product_code                 # "2012001x": 8 digits, Luhn check digit
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    account = account_open_for_test(product=product, customer_no=customer.customer_no)
    account.account_no                   # "20000000000001x": 15 digits, Luhn check digit
    account.status                       # "active"
    # products.selectors.account_facts(account_no=...).early_withdrawals_allowed == 3

- time_deposit_product_for_test(early_withdrawals_allowed=3, negotiable_max=None, term="1Y",
  min_opening_amount="50.00 CNY", customer_types="" (any type), name=None, publish=True):
  an ACTIVE time deposit whose accounts may withdraw early up to `early_withdrawals_allowed`
  times (a default parameter with free bounds 0..limit; `negotiable_max` widens it: opening
  with a value above the limit up to it gives a `pending_authorization` account).
- catalogue_ensure_for_test(): the lines, parameters and templates are installed by a data
  migration; a transactional test elsewhere flushes them, so call this (the helpers below do)
  when your test reads the catalogue directly.
- product_create_for_test(template="time_deposit", name=None, customer_group=None,
  parameters=None, publish=True, created_by=None): any product from a line template;
  `parameters` maps parameter code → value or setting dict (see products.services).
  Demand deposits: template="demand_deposit"; loans "loan"; internal "internal_account".
- account_open_for_test(product, customer_no, amount="10000.00", currency="CNY",
  channel="counter", medium="", parameters=None, branch=None (unit BJ01, else the customer's
  home branch is not looked up: the first org unit), opened_by=None): an account through
  `products.services.account_open`. The customer must exist (use tests.customers.factories).
"""

from __future__ import annotations

import itertools

from django.apps import apps
from django.utils import timezone

from bankcore.models import OrgUnit
from products import services
from products.catalogue import catalogue_install
from products.models import Account, Product, ProductTemplate

_names = itertools.count(1)


def catalogue_ensure_for_test() -> None:
    """The reference catalogue comes with the migrations, but a transactional test flushes
    it: put it back when it is missing (one query when it is there)."""
    if not ProductTemplate.objects.exists():
        catalogue_install(apps)


def product_create_for_test(
    *,
    template: str = "time_deposit",
    name: str | None = None,
    customer_group: str | None = None,
    parameters: dict | None = None,
    publish: bool = True,
    created_by=None,
) -> Product:
    """A product from a line template; active unless publish=False."""
    catalogue_ensure_for_test()
    now = timezone.now()
    product = services.product_create_from_template(
        template_code=template,
        name=name or f"Test product {next(_names)}",
        customer_group=customer_group,
        parameters=parameters or {},
        created_by=created_by,
        now=now,
    )
    if publish:
        product = publish_with_approval_for_test(product=product, proposed_by=created_by)
    return product


def parameter_admins_for_test():
    """Two parameter administrators (created once): one proposes, the other approves."""
    from django.contrib.auth.models import Group

    from bankcore.models import User
    from bankcore.roles import Role, roles_sync

    if not Group.objects.filter(name=Role.PARAMETER_ADMIN).exists():
        roles_sync()
    group = Group.objects.get(name=Role.PARAMETER_ADMIN)
    admins = []
    for username in ("factory-paramadmin-a", "factory-paramadmin-b"):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username)
            user.groups.add(group)
        admins.append(user)
    return admins


def publish_with_approval_for_test(*, product, proposed_by=None, approved_by=None, now=None):
    """Publish a draft the only way there is: one administrator proposes, another approves
    (two made up for the test unless given)."""
    from products.proposals import product_proposal_approve, product_publication_propose

    now = now or timezone.now()
    first, second = parameter_admins_for_test()
    proposed_by = proposed_by or first
    approved_by = approved_by or (second if proposed_by != second else first)
    proposal = product_publication_propose(product=product, proposed_by=proposed_by, now=now)
    return product_proposal_approve(proposal=proposal, approved_by=approved_by, now=now)


def time_deposit_product_for_test(
    *,
    early_withdrawals_allowed: int = 3,
    negotiable_max: int | None = None,
    term: str = "1Y",
    min_opening_amount: str = "50.00 CNY",
    customer_types: str = "",
    name: str | None = None,
    publish: bool = True,
) -> Product:
    """An active time deposit with an early-withdrawal limit (see the module docstring)."""
    limit = {
        "value": str(early_withdrawals_allowed),
        "principle_level": "default",
        "free_min": "0",
        "free_max": str(early_withdrawals_allowed),
        "negotiable_min": "",
        "negotiable_max": str(negotiable_max) if negotiable_max is not None else "",
    }
    return product_create_for_test(
        template="time_deposit",
        name=name or f"Test time deposit {next(_names)}",
        parameters={
            "early_withdrawals_allowed": limit,
            "term": {"value": term, "principle_level": "product"},
            "min_opening_amount": min_opening_amount,
            "allowed_customer_types": customer_types,
            "allowed_channels": "counter,self_service,mobile,lobby_pad,core",
        },
        publish=publish,
    )


def account_open_for_test(
    *,
    product: Product,
    customer_no: str,
    amount: str = "10000.00",
    currency: str = "CNY",
    channel: str = "counter",
    medium: str = "",
    parameters: dict | None = None,
    branch: OrgUnit | None = None,
    opened_by=None,
) -> Account:
    """An account on the product's active version for an existing customer."""
    branch = branch or OrgUnit.objects.filter(code="BJ01").first() or OrgUnit.objects.first()
    opening = services.account_open(
        product_code=product.product_code,
        customer_no=customer_no,
        currency=currency,
        opening_amount=amount,
        channel=channel,
        medium=medium,
        parameters=parameters or {},
        opened_by=opened_by,
        branch=branch,
        now=timezone.now(),
    )
    return opening.account


def modify_with_approval_for_test(*, product, now=None, **changes):
    """Modify an active product the only way there is: one administrator proposes the change,
    another approves it. Returns the product with the new version active."""
    from products.proposals import product_change_submit, product_proposal_approve

    now = now or timezone.now()
    first, second = parameter_admins_for_test()
    proposal = product_change_submit(product=product, submitted_by=first, now=now, **changes)
    return product_proposal_approve(proposal=proposal, approved_by=second, now=now)
