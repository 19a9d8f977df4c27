"""Account opening: branch scoping (no fact about an out-of-scope customer leaks), the
authorization rules in force decide like for any transaction, and the account-number draw."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from authorization.demo import demo_rule_set_publish
from authorization.models import EvaluatedTransaction
from bankcore.roles import Role
from products import services
from products.codes import account_no_build
from products.models import Account, CodeCounter
from tests.conftest import requires_postgres
from tests.customers.factories import (
    CorporateCustomerFactory,
    InternalCustomerFactory,
    PersonalCustomerFactory,
)
from tests.products.factories import account_open_for_test, time_deposit_product_for_test

pytestmark = pytest.mark.django_db

URL = "/api/v1/products/accounts/"
UNKNOWN_CUSTOMER_NO = "100000099999"  # well-formed below (check digit fixed in the fixture)


@pytest.fixture
def api_client_for():
    """API clients authenticated as a user (the token scheme is tested elsewhere)."""

    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def product(org):
    return time_deposit_product_for_test()


@pytest.fixture
def unknown_no():
    from customers.models import customer_no_is_well_formed

    for last in "0123456789":
        number = UNKNOWN_CUSTOMER_NO[:-1] + last
        if customer_no_is_well_formed(number):
            return number
    raise AssertionError("no well-formed number")


@pytest.fixture
def shanghai_customer(org):
    return PersonalCustomerFactory(home_branch=org["SH01"], name="Secret Shanghai Person")


@pytest.fixture
def head_office_suspense(org):
    return InternalCustomerFactory(home_branch=org["HO"], name="HO internal suspense")


def _open(client, product, customer_no, **extra):
    body = {
        "product_code": product.product_code,
        "customer_no": customer_no,
        "currency": "CNY",
        "opening_amount": "1000.00",
        "channel": "counter",
        **extra,
    }
    return client.post(URL, body, format="json")


# ---------------------------------------------------------------- item 1: scoping


def test_teller_cannot_open_an_account_for_another_branchs_customer_through_the_api(
    api_client_for, teller, product, shanghai_customer, unknown_no
):
    client = api_client_for(teller)

    out_of_scope = _open(client, product, shanghai_customer.customer_no)
    unknown = _open(client, product, unknown_no)

    assert out_of_scope.status_code == unknown.status_code == 400
    assert out_of_scope.json() == unknown.json()
    assert "Secret Shanghai" not in out_of_scope.content.decode()
    assert not Account.objects.filter(customer_no=shanghai_customer.customer_no).exists()


def test_teller_cannot_open_an_account_for_the_head_office_suspense_customer(
    api_client_for, teller, product, head_office_suspense, unknown_no
):
    client = api_client_for(teller)

    out_of_scope = _open(client, product, head_office_suspense.customer_no)
    unknown = _open(client, product, unknown_no)

    assert out_of_scope.json() == unknown.json()
    body = out_of_scope.content.decode()
    assert "suspense" not in body and "internal" not in body
    assert not Account.objects.exists()


def test_out_of_scope_customer_is_answered_like_an_unknown_one_on_the_page(
    client, teller, product, shanghai_customer, unknown_no
):
    client.force_login(teller)

    def page(customer_no):
        response = client.post(
            reverse("products:account-open"),
            {
                "product_code": product.product_code,
                "customer_no": customer_no,
                "currency": "CNY",
                "opening_amount": "1000.00",
                "channel": "counter",
            },
        )
        assert response.status_code == 200
        return response.context["form"].errors

    assert page(shanghai_customer.customer_no) == page(unknown_no)
    assert not Account.objects.exists()


def test_teller_still_opens_for_a_customer_of_their_branch(api_client_for, teller, product, org):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])

    response = _open(api_client_for(teller), product, customer.customer_no)

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "active"


def test_bank_wide_integrator_opens_for_any_branchs_customer(
    api_client_for, integrator, product, shanghai_customer
):
    response = _open(
        api_client_for(integrator), product, shanghai_customer.customer_no, branch_code="SH01"
    )

    assert response.status_code == 201, response.json()


def test_relationship_to_an_out_of_scope_customer_is_answered_like_an_unknown_one(
    api_client_for, teller, org, shanghai_customer, unknown_no
):
    client = api_client_for(teller)
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    url = f"/api/v1/customers/{customer.customer_no}/relationships/"

    def add(number):
        return client.post(url, {"related_customer_no": number, "kind": "guarantor"}, format="json")

    out_of_scope, unknown = add(shanghai_customer.customer_no), add(unknown_no)

    assert out_of_scope.status_code == unknown.status_code == 400
    assert out_of_scope.json() == unknown.json()
    assert "Secret Shanghai" not in out_of_scope.content.decode()


def test_transaction_check_of_an_out_of_scope_account_is_answered_like_an_unknown_one(
    api_client_for, teller, product, shanghai_customer, org
):
    account = account_open_for_test(
        product=product, customer_no=shanghai_customer.customer_no, branch=org["SH01"]
    )
    client = api_client_for(teller)
    unknown_no = account_no_build(line_code="20", serial=99_999)

    out_of_scope = client.get(f"{URL}{account.account_no}/transactions/renewal/")
    unknown = client.get(f"{URL}{unknown_no}/transactions/renewal/")

    assert out_of_scope.status_code == unknown.status_code == 404
    assert out_of_scope.json() == unknown.json()


@pytest.fixture
def demo_rules(settings, param_admin, make_user):
    settings.AUTHORIZATION_RULESET_CHECK_SECONDS = 0
    second_admin = make_user(Role.PARAMETER_ADMIN, "HO", username="paramadmin2")
    return demo_rule_set_publish(
        proposed_by=param_admin,
        approved_by=second_admin,
        now=timezone.now() - timedelta(minutes=1),
    )


def _evaluate(client, elements, code="CUSTOMER_INFO_CHANGE"):
    return client.post(
        "/api/v1/authorization/evaluate",
        {"transaction_code": code, "channel": "counter", "elements": elements},
        format="json",
    )


def test_evaluate_answers_a_branch_user_about_an_out_of_scope_customer_as_about_an_unknown_one(
    api_client_for, teller, demo_rules, shanghai_customer, unknown_no
):
    client = api_client_for(teller)

    out_of_scope = _evaluate(client, {"customer_no": shanghai_customer.customer_no})
    unknown = _evaluate(client, {"customer_no": unknown_no})

    assert out_of_scope.status_code == unknown.status_code == 400
    assert out_of_scope.json() == unknown.json()


def test_evaluate_answers_a_branch_user_about_an_out_of_scope_account_as_about_an_unknown_one(
    api_client_for, teller, demo_rules, product, shanghai_customer, org
):
    account = account_open_for_test(
        product=product, customer_no=shanghai_customer.customer_no, branch=org["SH01"]
    )
    client = api_client_for(teller)
    unknown_no = account_no_build(line_code="20", serial=99_999)

    def early(number):
        return _evaluate(client, {"account_no": number}, code="EARLY_WITHDRAWAL")

    out_of_scope, unknown = early(account.account_no), early(unknown_no)

    assert out_of_scope.status_code == unknown.status_code == 400
    assert out_of_scope.json() == unknown.json()


def test_evaluate_still_answers_an_integrator_about_any_branchs_customer(
    api_client_for, integrator, demo_rules, shanghai_customer
):
    response = _evaluate(api_client_for(integrator), {"customer_no": shanghai_customer.customer_no})

    assert response.status_code == 200, response.json()


# ---------------------------------------------------------------- item 2: rules decide


@pytest.fixture
def expired_id_customer(org):
    return PersonalCustomerFactory(home_branch=org["BJ01"], opening_document_expired=True)


def test_opening_for_a_customer_with_an_expired_id_needs_on_site_authorization(
    api_client_for, teller, demo_rules, product, expired_id_customer
):
    response = _open(api_client_for(teller), product, expired_id_customer.customer_no)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending_authorization"
    assert body["authorization_required"] is True
    decision = body["decision"]
    assert decision["required"] is True and decision["mode"] == "on_site"
    assert decision["mode_label"] == "On-site"
    assert [r["reason"] for r in decision["reasons"]] == ["EXPIRED_ID"]
    assert decision["reasons"][0]["reason_name"] == "Customer's ID document has expired"
    account = Account.objects.get(account_no=body["account_no"])
    assert account.authorization_mode == "on_site"
    assert account.authorization_reasons[0]["code"] == "EXPIRED_ID"
    # Recorded like any evaluated transaction, with the teller and branch who opened it.
    record = EvaluatedTransaction.objects.get(reference=decision["reference"])
    assert record.transaction_code == "ACCOUNT_OPENING" and record.required
    assert (record.teller, record.branch_code) == ("teller", "BJ01")


def test_opening_page_says_the_account_waits_for_on_site_authorization_and_why(
    client, teller, demo_rules, product, expired_id_customer
):
    client.force_login(teller)

    response = client.post(
        reverse("products:account-open"),
        {
            "product_code": product.product_code,
            "customer_no": expired_id_customer.customer_no,
            "currency": "CNY",
            "opening_amount": "1000.00",
            "channel": "counter",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "waits for authorization (On-site, level 1)" in page
    assert "Customer&#x27;s ID document has expired" in page
    assert Account.objects.get().status == "pending_authorization"


def test_opening_needing_no_authorization_under_the_rules_is_active_at_once(
    api_client_for, teller, demo_rules, product, org
):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])

    body = _open(api_client_for(teller), product, customer.customer_no).json()

    assert body["status"] == "active"
    assert body["decision"]["evaluated"] is True and body["decision"]["required"] is False


def test_corporate_opening_follows_the_rule_for_corporate_customers(
    api_client_for, teller, demo_rules, org
):
    product = time_deposit_product_for_test(customer_types="corporate")
    customer = CorporateCustomerFactory(home_branch=org["BJ01"])

    body = _open(api_client_for(teller), product, customer.customer_no).json()

    assert body["status"] == "pending_authorization"
    assert body["decision"]["mode"] == "remote_centralized" and body["decision"]["level"] == 2


def test_a_pending_opening_becomes_active_when_the_authorization_center_approves(
    teller, demo_rules, product, expired_id_customer
):
    account = account_open_for_test(
        product=product, customer_no=expired_id_customer.customer_no, opened_by=teller
    )
    assert account.status == "pending_authorization"

    services.account_authorization_complete(account_no=account.account_no, approved=True)

    account.refresh_from_db()
    assert account.status == "active"


# ---------------------------------------------------------------- item 16a: number draw


def test_account_number_already_taken_is_skipped_and_the_opening_succeeds(product, org):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    first = account_open_for_test(product=product, customer_no=customer.customer_no)
    serial = CodeCounter.objects.get(key="account").last_value
    taken = account_no_build(line_code=product.line.line_code, serial=serial + 1)
    Account.objects.filter(pk=first.pk).update(account_no=taken)  # e.g. an imported account

    second = account_open_for_test(product=product, customer_no=customer.customer_no)

    assert second.account_no == account_no_build(
        line_code=product.line.line_code, serial=serial + 2
    )
    assert Account.objects.count() == 2


@requires_postgres
def test_an_unrelated_integrity_error_is_raised_not_retried_as_a_number_clash(product, org):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    with connection.cursor() as cursor:  # DDL rolled back with the test's transaction
        cursor.execute(
            "ALTER TABLE products_account ADD CONSTRAINT test_small_openings_only "
            "CHECK (opening_amount < 5000)"
        )

    with pytest.raises(IntegrityError, match="test_small_openings_only"):
        account_open_for_test(product=product, customer_no=customer.customer_no, amount="9000.00")

    # Not retried and reported as "no account number could be drawn": the real error is
    # raised and the whole opening rolled back.
    assert not Account.objects.exists()


def test_opening_page_answers_an_amount_longer_than_allowed_next_to_the_field(
    client, teller, product, org
):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    client.force_login(teller)

    response = client.post(
        reverse("products:account-open"),
        {
            "product_code": product.product_code,
            "customer_no": customer.customer_no,
            "currency": "CNY",
            "opening_amount": "1" * 30,
            "channel": "counter",
        },
    )

    assert response.status_code == 200
    assert "opening_amount" in response.context["form"].errors
    assert not Account.objects.exists()
