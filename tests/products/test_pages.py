"""The product factory's pages (parameter administrators) and account opening (tellers)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from products.models import Account, Product
from tests.customers.factories import CorporateCustomerFactory, PersonalCustomerFactory
from tests.products.factories import (
    account_open_for_test,
    modify_with_approval_for_test,
    product_create_for_test,
    time_deposit_product_for_test,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, param_admin):
    client.force_login(param_admin)
    return client


def test_parameter_admins_land_on_the_product_list(admin_client):
    response = admin_client.get("/", follow=True)

    assert response.redirect_chain[-1][0] == reverse("products:list")


def test_product_list_shows_products_and_their_status(admin_client, org):
    product = time_deposit_product_for_test(name="Savings certificate")

    page = admin_client.get(reverse("products:list")).content.decode()

    assert product.product_code in page
    assert "Savings certificate" in page
    assert "Active" in page


def test_a_new_product_starts_from_a_template_and_opens_the_designer(admin_client, org):
    assert (
        "New product from this template"
        in admin_client.get(reverse("products:templates")).content.decode()
    )

    response = admin_client.post(
        reverse("products:create", args=["demand_deposit"]),
        {
            "name": "Payroll account",
            "customer_group": "personal",
            "business_nature": "liability",
            "model": "single",
        },
    )

    product = Product.objects.get(name="Payroll account")
    assert response.status_code == 302
    assert response.url == reverse("products:designer", args=[product.product_code])
    page = admin_client.get(response.url).content.decode()
    for zone in ("Basic", "Feature", "Control", "Accounting"):
        assert f'id="tab-{zone.lower()}"' in page


def approve_on_page(client, approver, product):
    """The second administrator approves the product's pending proposal on its page."""
    client.force_login(approver)
    proposal = product.proposals.get(status="pending")
    return client.post(reverse("products:proposal-decide", args=[proposal.pk, "approve"]))


def _designer_post(admin_client, product, **changes):
    """Submit the designer with its current values, changed by `changes`."""
    page = admin_client.get(reverse("products:designer", args=[product.product_code]))
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if value is None:
            value = ""
        data[name] = value
    data.update(changes)
    return admin_client.post(reverse("products:designer", args=[product.product_code]), data)


def test_the_designer_shows_a_validation_message_next_to_the_field(admin_client, org):
    product = product_create_for_test(publish=False)

    response = _designer_post(admin_client, product, renewal_count__value="500")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="error-renewal_count"' in page
    assert "outside the allowed range" in page


def test_saving_a_published_product_in_the_designer_writes_version_2_and_the_diff_shows_it(
    admin_client, org, second_param_admin
):
    product = time_deposit_product_for_test(early_withdrawals_allowed=3)
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    old = account_open_for_test(product=product, customer_no=customer.customer_no)

    response = _designer_post(
        admin_client,
        product,
        early_withdrawals_allowed__value="2",
        early_withdrawals_allowed__free_max="2",
    )

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.active_version.number == 1  # proposed, not yet in effect
    response = approve_on_page(admin_client, second_param_admin, product)
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.active_version.number == 2
    old.refresh_from_db()
    assert old.product_version.number == 1
    assert old.parameter_values["early_withdrawals_allowed"] == "3"
    diff = admin_client.get(
        reverse("products:diff", args=[product.product_code]) + "?left=1&right=2"
    )
    rows = {row.code: row for row in diff.context["diff"]}
    assert rows["early_withdrawals_allowed"].changed
    assert rows["early_withdrawals_allowed"].left.startswith("3")
    assert rows["early_withdrawals_allowed"].right.startswith("2")
    assert not rows["term"].changed
    assert 'data-testid="version-diff"' in diff.content.decode()


def test_publish_and_retire_buttons_move_the_lifecycle(
    admin_client, org, param_admin, second_param_admin
):
    product = product_create_for_test(publish=False)
    designer = admin_client.get(
        reverse("products:designer", args=[product.product_code])
    ).content.decode()
    assert "Propose publication" in designer

    admin_client.post(reverse("products:action", args=[product.product_code, "publish"]))
    product.refresh_from_db()
    assert product.status == "draft"  # proposed, not yet in effect
    approve_on_page(admin_client, second_param_admin, product)
    product.refresh_from_db()
    assert product.status == "active"
    admin_client.force_login(param_admin)
    admin_client.post(reverse("products:action", args=[product.product_code, "retire"]))
    product.refresh_from_db()
    assert product.status == "retired"


def test_copy_button_makes_an_independent_draft(admin_client, org):
    product = time_deposit_product_for_test()

    response = admin_client.post(
        reverse("products:copy", args=[product.product_code]), {"name": "Copy"}
    )

    copy = Product.objects.get(name="Copy")
    assert copy.status == "draft" and copy.copied_from_id == product.pk
    assert response.url == reverse("products:designer", args=[copy.product_code])


def test_tellers_cannot_open_the_designer_for_changes(client, teller, org):
    product = product_create_for_test(publish=False)
    client.force_login(teller)

    response = client.post(reverse("products:designer", args=[product.product_code]), {"name": "X"})

    assert response.status_code == 403


def test_a_teller_opens_an_account_and_sees_it(client, teller, org):
    product = time_deposit_product_for_test(min_opening_amount="1000.00 CNY")
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    client.force_login(teller)

    response = client.post(
        reverse("products:account-open"),
        {
            "product_code": product.product_code,
            "customer_no": customer.customer_no,
            "currency": "CNY",
            "opening_amount": "5000.00",
            "channel": "counter",
            "medium": "",
            "parameter_early_withdrawals_allowed": "1",
        },
    )

    account = Account.objects.get(customer_no=customer.customer_no)
    assert response.url == reverse("products:account-detail", args=[account.account_no])
    assert account.parameter_values["early_withdrawals_allowed"] == "1"
    assert account.branch == org["BJ01"]
    detail = client.get(response.url).content.decode()
    assert account.account_no in detail


def test_the_opening_form_names_the_broken_rule_next_to_the_field(client, teller, org):
    product = time_deposit_product_for_test(
        min_opening_amount="1000.00 CNY", customer_types="personal"
    )
    company = CorporateCustomerFactory(home_branch=org["BJ01"])
    client.force_login(teller)

    response = client.post(
        reverse("products:account-open"),
        {
            "product_code": product.product_code,
            "customer_no": company.customer_no,
            "currency": "CNY",
            "opening_amount": "10.00",
            "channel": "counter",
            "medium": "",
            "parameters": "",
        },
    )

    form = response.context["form"]
    assert "1,000.00 CNY" in form.errors["opening_amount"][0]
    assert "customer-type control" in form.errors["customer_no"][0]


def _more_products(n):
    for _ in range(n):
        time_deposit_product_for_test()


def test_product_list_page_runs_a_constant_number_of_queries(
    admin_client, org, django_assert_num_queries
):
    _more_products(2)
    url = reverse("products:list")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as small:
        admin_client.get(url)
    _more_products(6)
    with django_assert_num_queries(len(small)):
        admin_client.get(url)


def test_designer_page_runs_a_constant_number_of_queries(
    admin_client, org, django_assert_num_queries
):
    from products.services import parameter_definition_create

    small = time_deposit_product_for_test()
    large = time_deposit_product_for_test()
    for index in range(5):  # more parameters and more versions
        parameter_definition_create(
            code=f"extra_{index}",
            label=f"Extra {index}",
            zone="feature",
            data_type="integer",
            principle_level="default",
        )
        modify_with_approval_for_test(
            product=large, now=large.created_at, parameters={f"extra_{index}": "1"}
        )
    admin_client.get(reverse("products:designer", args=[small.product_code]))
    with CaptureQueriesContext(connection) as first:
        admin_client.get(reverse("products:designer", args=[small.product_code]))
    with django_assert_num_queries(len(first)):
        response = admin_client.get(reverse("products:designer", args=[large.product_code]))
    assert "extra_4" in response.content.decode()


def test_making_a_default_product_principle_in_the_designer_drops_its_bounds(admin_client, org):
    product = product_create_for_test(publish=False)  # term: default, free 3M..5Y

    response = _designer_post(
        admin_client, product, term__value="21D", term__principle_level="product"
    )

    assert response.status_code == 302
    term = product.versions.get().parameters.get(definition__code="term")
    assert (term.value, term.principle_level, term.free_min, term.free_max) == (
        "21D",
        "product",
        "",
        "",
    )


def test_the_designer_reads_amounts_and_terms_from_a_number_and_a_unit(admin_client, org):
    product = product_create_for_test(publish=False)
    changes = {
        "min_opening_amount__value_0": "80,000",
        "min_opening_amount__value_1": "CNY",
        "term__value_0": "21",
        "term__value_1": "D",
        "term__principle_level": "product",
    }
    page = admin_client.get(reverse("products:designer", args=[product.product_code]))
    form = page.context["form"]
    posted = {}
    for name, field in form.fields.items():
        if field.disabled or name in ("min_opening_amount__value", "term__value"):
            continue
        value = form[name].value()
        posted[name] = "" if value is None else value
    posted.update(changes)
    response = admin_client.post(reverse("products:designer", args=[product.product_code]), posted)

    assert response.status_code == 302
    values = {p.definition.code: p.value for p in product.versions.get().parameters.all()}
    assert values["min_opening_amount"] == "80000.00 CNY"
    assert values["term"] == "21D"


def test_the_designer_names_a_retained_balance_above_the_minimum_next_to_the_field(
    admin_client, org
):
    product = product_create_for_test(publish=False)

    response = _designer_post(
        admin_client,
        product,
        min_opening_amount__value="80000.00 CNY",
        min_retained_balance__value="90000.00 CNY",
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="error-min_retained_balance"' in page
    assert "cannot exceed the minimum opening amount" in page
    assert response.context["active_zone"] == "control"
    assert "Nothing was saved" in page
