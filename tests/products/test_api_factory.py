"""The product factory through the API: templates, copy, modify (versions), lifecycle,
the extensible catalogue, and constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.customers.factories import PersonalCustomerFactory
from tests.products.conftest import approve_over_api
from tests.products.factories import (
    account_open_for_test,
    product_create_for_test,
    publish_with_approval_for_test,
    time_deposit_product_for_test,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(param_admin, api_client_for):
    return api_client_for(param_admin)


def test_copying_a_product_gives_an_independent_draft(admin_api, org):
    source = time_deposit_product_for_test(early_withdrawals_allowed=2)

    copied = admin_api.post(
        f"/api/v1/products/products/{source.product_code}/copy/", {"name": "Copy"}, format="json"
    )
    assert copied.status_code == 201
    copy = copied.json()
    assert copy["status"] == "draft"
    assert copy["product_code"] != source.product_code
    assert copy["copied_from"] == source.product_code
    assert {p["code"]: p["value"] for p in copy["parameters"]}["early_withdrawals_allowed"] == "2"

    changed = admin_api.patch(
        f"/api/v1/products/products/{copy['product_code']}/",
        {"parameters": {"early_withdrawals_allowed": {"value": "1", "free_max": "1"}}},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    source_now = admin_api.get(f"/api/v1/products/products/{source.product_code}/").json()
    assert {p["code"]: p["value"] for p in source_now["parameters"]}[
        "early_withdrawals_allowed"
    ] == "2"
    assert changed.json()["latest_version"] == 1  # a draft changes in place


def test_modifying_an_active_product_with_accounts_creates_version_2(
    admin_api, second_admin_api, org, teller, api_client_for
):
    product = time_deposit_product_for_test(early_withdrawals_allowed=3)
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    old_account = account_open_for_test(product=product, customer_no=customer.customer_no)

    response = admin_api.patch(
        f"/api/v1/products/products/{product.product_code}/",
        {
            "parameters": {"early_withdrawals_allowed": {"value": "1", "free_max": "1"}},
            "change_note": "Fewer early withdrawals",
        },
        format="json",
    )
    response = approve_over_api(response, second_admin_api)

    assert response.status_code == 200, response.json()
    assert response.json()["active_version"] == 2
    teller_api = api_client_for(teller)
    old = teller_api.get(f"/api/v1/products/accounts/{old_account.account_no}/").json()
    assert old["product_version"] == 1
    assert old["parameters"]["early_withdrawals_allowed"] == "3"
    new_account = account_open_for_test(product=product, customer_no=customer.customer_no)
    assert new_account.product_version.number == 2
    assert new_account.parameter_values["early_withdrawals_allowed"] == "1"
    version_1 = admin_api.get(
        f"/api/v1/products/products/{product.product_code}/versions/1/"
    ).json()
    assert {p["code"]: p["value"] for p in version_1["parameters"]}[
        "early_withdrawals_allowed"
    ] == "3"
    diff = admin_api.get(
        f"/api/v1/products/products/{product.product_code}/diff/?left=1&right=2"
    ).json()
    changed = [row for row in diff if row["changed"]]
    assert [row["code"] for row in changed] == ["early_withdrawals_allowed"]
    assert changed[0]["left"].startswith("3") and changed[0]["right"].startswith("1")


@pytest.fixture
def product_with_unlocked_system_parameter(org):
    from products.services import parameter_definition_create

    parameter_definition_create(
        code="deposit_insurance_scheme",
        label="Deposit insurance scheme",
        zone="accounting",
        data_type="text",
        principle_level="system",
    )
    product = time_deposit_product_for_test(publish=False)
    from products.services import product_modify

    product_modify(
        product=product,
        modified_by=None,
        now=product.created_at,
        parameters={"deposit_insurance_scheme": "CN-2015"},
    )
    return publish_with_approval_for_test(product=product)


def test_system_principle_values_cannot_change_once_the_product_has_accounts(
    admin_api, org, product_with_unlocked_system_parameter
):
    product = product_with_unlocked_system_parameter
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    account_open_for_test(product=product, customer_no=customer.customer_no)

    response = admin_api.patch(
        f"/api/v1/products/products/{product.product_code}/",
        {"parameters": {"deposit_insurance_scheme": "CN-2026"}},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "system_principle_change"


def test_system_principle_values_may_change_before_any_account(
    admin_api, second_admin_api, org, product_with_unlocked_system_parameter
):
    product = product_with_unlocked_system_parameter

    response = admin_api.patch(
        f"/api/v1/products/products/{product.product_code}/",
        {"parameters": {"deposit_insurance_scheme": "CN-2026"}},
        format="json",
    )
    response = approve_over_api(response, second_admin_api)

    assert response.status_code == 200
    assert response.json()["active_version"] == 2


def test_a_template_locked_parameter_cannot_change(admin_api, org):
    response = admin_api.post(
        "/api/v1/products/products/",
        {"template": "time_deposit", "name": "X", "parameters": {"accounting_subject": "9999"}},
        format="json",
    )

    assert response.status_code == 400
    assert "locked" in response.json()["error"]["fields"]["parameters.accounting_subject"][0]


def test_a_value_outside_the_definition_bounds_is_refused_next_to_its_field(admin_api, org):
    response = admin_api.post(
        "/api/v1/products/products/",
        {
            "template": "time_deposit",
            "name": "X",
            "parameters": {"renewal_count": {"value": "500", "free_max": ""}},
        },
        format="json",
    )

    assert response.status_code == 400
    assert (
        "outside the allowed range"
        in response.json()["error"]["fields"]["parameters.renewal_count"][0]
    )


def test_lifecycle_draft_active_suspended_retired(admin_api, second_admin_api, org):
    product = product_create_for_test(publish=False)
    code = product.product_code

    def act(action):
        return admin_api.post(f"/api/v1/products/products/{code}/{action}/")

    assert act("suspend").status_code == 409  # a draft is not active
    assert approve_over_api(act("publish"), second_admin_api).json()["status"] == "active"
    assert act("publish").status_code == 409
    assert act("suspend").json()["status"] == "suspended"
    assert act("resume").json()["status"] == "active"
    assert act("retire").json()["status"] == "retired"
    assert (
        admin_api.patch(
            f"/api/v1/products/products/{code}/", {"name": "Y"}, format="json"
        ).status_code
        == 409
    )


def test_accounts_do_not_open_on_a_suspended_product(admin_api, org, teller, api_client_for):
    product = time_deposit_product_for_test()
    admin_api.post(f"/api/v1/products/products/{product.product_code}/suspend/")
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])

    response = api_client_for(teller).post(
        "/api/v1/products/accounts/",
        {
            "product_code": product.product_code,
            "customer_no": customer.customer_no,
            "opening_amount": "100.00",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "product_not_active"


def test_administrators_add_a_parameter_to_a_zone_and_use_it_without_a_migration(admin_api, org):
    created = admin_api.post(
        "/api/v1/products/parameters/",
        {
            "code": "max_daily_withdrawal",
            "label": "Maximum daily withdrawal",
            "zone": "control",
            "data_type": "money",
            "principle_level": "default",
            "line_codes": ["time_deposit"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()

    product = admin_api.post(
        "/api/v1/products/products/",
        {
            "template": "time_deposit",
            "name": "With a daily cap",
            "parameters": {"max_daily_withdrawal": "5000.00 CNY"},
        },
        format="json",
    )
    assert product.status_code == 201, product.json()
    values = {p["code"]: p for p in product.json()["parameters"]}
    assert values["max_daily_withdrawal"]["zone"] == "control"
    assert values["max_daily_withdrawal"]["value"] == "5000.00 CNY"


def test_a_parameter_of_another_line_is_refused(admin_api, org):
    response = admin_api.post(
        "/api/v1/products/products/",
        {
            "template": "demand_deposit",
            "name": "X",
            "parameters": {"early_withdrawals_allowed": "1"},
        },
        format="json",
    )

    assert response.status_code == 400
    assert "parameters.early_withdrawals_allowed" in response.json()["error"]["fields"]


def test_tellers_cannot_design_products(teller, api_client_for, org):
    response = api_client_for(teller).post(
        "/api/v1/products/products/", {"template": "time_deposit", "name": "X"}, format="json"
    )

    assert response.status_code == 403


def test_floats_are_refused_for_amounts(teller, api_client_for, org):
    product = time_deposit_product_for_test()
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    response = api_client_for(teller).post(
        "/api/v1/products/accounts/",
        {
            "product_code": product.product_code,
            "customer_no": customer.customer_no,
            "opening_amount": 100.5,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "opening_amount" in response.json()["error"]["fields"]


def test_a_teller_sees_only_accounts_opened_in_their_subtree(org, make_user, api_client_for):
    product = time_deposit_product_for_test()
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    mine = account_open_for_test(
        product=product, customer_no=customer.customer_no, branch=org["BJ01"]
    )
    other = account_open_for_test(
        product=product, customer_no=customer.customer_no, branch=org["SH01"]
    )
    client = api_client_for(make_user("teller", "BJ01"))

    listed = client.get("/api/v1/products/accounts/").json()["results"]

    assert [row["account_no"] for row in listed] == [mine.account_no]
    assert client.get(f"/api/v1/products/accounts/{other.account_no}/").status_code == 404


def _products(n):
    for _ in range(n):
        time_deposit_product_for_test()


@pytest.mark.parametrize(
    "path",
    ["/api/v1/products/products/", "/api/v1/products/templates/", "/api/v1/products/parameters/"],
)
def test_list_endpoints_run_a_constant_number_of_queries(path, admin_api, org):
    _products(2)
    admin_api.get(path)  # warm the per-user permission cache
    with CaptureQueriesContext(connection) as small:
        assert admin_api.get(path).status_code == 200
    _products(6)
    with CaptureQueriesContext(connection) as large:
        assert admin_api.get(path).status_code == 200
    assert len(large) == len(small)


def test_product_detail_runs_a_constant_number_of_queries(
    admin_api, second_admin_api, org, django_assert_num_queries
):
    small = time_deposit_product_for_test()
    large = time_deposit_product_for_test()
    for index in range(4):  # more versions, each with all its parameters
        proposed = admin_api.patch(
            f"/api/v1/products/products/{large.product_code}/",
            {"parameters": {"renewal_count": str((index + 1) % 2)}},
            format="json",
        )
        approve_over_api(proposed, second_admin_api)
    admin_api.get(f"/api/v1/products/products/{small.product_code}/")
    with CaptureQueriesContext(connection) as first:
        admin_api.get(f"/api/v1/products/products/{small.product_code}/")
    with django_assert_num_queries(len(first)):
        response = admin_api.get(f"/api/v1/products/products/{large.product_code}/")
    assert response.json()["latest_version"] == 5
