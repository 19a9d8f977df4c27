"""Services beyond the API tests: codes, authorization outcome, demo data."""

import io

import pytest
from django.utils import timezone

from bankcore.codes import luhn_is_valid
from bankcore.roles import Role
from products import services
from products.models import Product
from products.proposals import product_publication_propose
from tests.conftest import requires_postgres
from tests.customers.factories import PersonalCustomerFactory
from tests.products.factories import (
    account_open_for_test,
    parameter_admins_for_test,
    product_create_for_test,
    time_deposit_product_for_test,
)

pytestmark = pytest.mark.django_db


def test_product_codes_are_structured_and_checked(org):
    first = product_create_for_test(template="time_deposit", customer_group="corporate")
    second = product_create_for_test(template="time_deposit", customer_group="corporate")
    loan = product_create_for_test(template="loan")

    assert first.product_code[:4] == "2022"  # time deposit, corporate, liability
    assert first.product_code[4:7] == "001" and second.product_code[4:7] == "002"
    assert loan.product_code[:4] == "3011"  # loan, personal, asset
    assert all(luhn_is_valid(p.product_code) for p in (first, second, loan))


def test_account_numbers_carry_the_line_code_and_a_check_digit(org):
    product = time_deposit_product_for_test()
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])

    account = account_open_for_test(product=product, customer_no=customer.customer_no)

    assert account.account_no.startswith("20") and len(account.account_no) == 15
    assert luhn_is_valid(account.account_no)


def test_authorization_approves_a_pending_account(org):
    product = time_deposit_product_for_test(early_withdrawals_allowed=1, negotiable_max=3)
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    account = account_open_for_test(
        product=product,
        customer_no=customer.customer_no,
        parameters={"early_withdrawals_allowed": "3"},
    )
    assert account.status == "pending_authorization"

    approved = services.account_authorization_complete(account_no=account.account_no, approved=True)

    assert approved.status == "active"
    with pytest.raises(services.AccountStateConflict):
        services.account_authorization_complete(account_no=account.account_no, approved=False)


def test_publishing_checks_rules_that_bind_parameters(org):
    product = product_create_for_test(
        publish=False,
        parameters={"min_opening_amount": "100.00 CNY", "min_retained_balance": "500.00 CNY"},
    )

    with pytest.raises(services.ProductInvalid) as caught:
        product_publication_propose(
            product=product, proposed_by=parameter_admins_for_test()[0], now=timezone.now()
        )

    assert "parameters.min_retained_balance" in caught.value.fields
    assert not product.proposals.exists()


def test_composite_products_bind_single_products(org):
    deposit = product_create_for_test(template="demand_deposit")
    term = product_create_for_test(template="time_deposit")

    bundle = services.product_create_from_template(
        template_code="demand_deposit",
        name="Salary bundle",
        model="composite",
        components=[
            {"product_code": deposit.product_code, "binding_rule": "settlement account"},
            {"product_code": term.product_code, "binding_rule": "sweeps above 50,000"},
        ],
        created_by=None,
        now=timezone.now(),
    )

    assert [c.component.product_code for c in bundle.components.order_by("sort_order")] == [
        deposit.product_code,
        term.product_code,
    ]
    with pytest.raises(services.ProductInvalid):
        services.product_create_from_template(
            template_code="demand_deposit",
            name="Bad",
            model="combined",
            components=[{"product_code": bundle.product_code}],
            created_by=None,
            now=timezone.now(),
        )


def test_seed_demo_products_is_idempotent(org, make_user):
    from products import demo

    # The demo's two parameter administrators: one proposes publishing, the other approves.
    for username in ("paramadmin1", "paramadmin2"):
        make_user(Role.PARAMETER_ADMIN, "HO", username=username)

    demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())

    assert Product.objects.filter(status="active").count() == 5
    certificate = Product.objects.get(name__startswith="Interbank")
    assert certificate.active_version.parameters.get(definition__code="term").value == "21D"


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_product_creation_never_draws_the_same_code():
    from concurrent.futures import ThreadPoolExecutor

    from django.apps import apps
    from django.db import connection

    from products.catalogue import catalogue_install

    catalogue_install(apps)

    def create(index):
        try:
            return product_create_for_test(publish=False, name=f"Concurrent {index}").product_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(create, range(12)))

    assert len(set(codes)) == 12
