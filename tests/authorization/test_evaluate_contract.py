"""The evaluate endpoint: the documented request schema and the hand-written request check (the
hot path does not run the serializer) stay in step; the endpoint costs a fixed number of
queries."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.authorization.conftest import money
from tests.authorization.factories import EXPIRED_ID_DESK, WITHDRAWAL_DESK, desks, rule_set
from tests.customers.factories import PersonalCustomerFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/authorization/evaluate"
VALID = {"transaction_code": "CASH_WITHDRAWAL", "channel": "counter", "branch_code": "BJ01"}


@pytest.fixture(scope="module")
def request_schema(django_db_blocker):
    with django_db_blocker.unblock():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    body = schema["paths"][URL]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]


@pytest.fixture
def rules_reading_the_customer(param_admin, second_param_admin):
    """The withdrawal desk and a rule on any transaction that reads the customer's documents:
    a withdrawal naming a customer costs the look-up of their facts."""
    return rule_set((param_admin, second_param_admin), **desks(WITHDRAWAL_DESK, EXPIRED_ID_DESK))


@pytest.fixture
def post(rules_reading_the_customer, integrator, api_client_for):
    client = api_client_for(integrator)

    def send(payload):
        response = client.post(URL, payload, format="json")
        fields = response.json()["error"]["fields"] if response.status_code == 400 else {}
        return response.status_code, fields

    return send


def test_a_request_valid_by_the_schema_is_accepted(post, request_schema):
    payload = {**VALID, "teller": "", "elements": {"amount": money("100.00")}}
    assert set(payload) == set(request_schema["properties"])  # every documented field sent

    assert post(payload) == (200, {})


def test_a_field_the_schema_does_not_document_is_refused(post, request_schema):
    assert request_schema["additionalProperties"] is False
    assert post({**VALID, "amount": "1"}) == (400, {"amount": ["Unknown field."]})


def test_each_documented_maximum_length_is_the_one_checked(post, request_schema):
    limited = {
        name: prop["maxLength"]
        for name, prop in request_schema["properties"].items()
        if "maxLength" in prop
    }
    assert set(limited) == {"transaction_code", "channel", "branch_code", "teller"}
    for name, limit in limited.items():
        too_long = [f"At most {limit} characters."]
        # At the limit the length is not what is wrong (an unknown code may be).
        assert post({**VALID, name: "x" * limit})[1].get(name) != too_long, name
        assert post({**VALID, name: "x" * (limit + 1)}) == (400, {name: too_long}), name


def test_the_documented_required_fields_are_the_ones_checked(post, request_schema):
    required = set(request_schema["required"])
    for name in request_schema["properties"]:
        missing = {key: value for key, value in VALID.items() if key != name}
        status, fields = post(missing)
        if name in required:
            assert (status, fields.get(name)) == (400, ["This field is required."]), name
            # minLength 1 and pattern \S: blank text is as good as missing
            assert post({**VALID, name: "   "})[1].get(name) == ["This field is required."]
        else:
            assert name not in fields, name


def test_each_field_is_refused_with_another_type_than_documented(post, request_schema):
    wrong = {"string": 7, "object": ["amount"]}
    for name, prop in request_schema["properties"].items():
        status, fields = post({**VALID, name: wrong[prop["type"]]})
        assert status == 400 and name in fields, name


def test_the_endpoint_costs_a_fixed_number_of_queries(
    post, org, django_assert_num_queries, settings
):
    # A process that checked the schedule a moment ago (the default is once a second).
    settings.AUTHORIZATION_RULESET_CHECK_SECONDS = 3600
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    needs_customer = {
        **VALID,
        "elements": {"amount": money("60000.00"), "customer_no": customer.customer_no},
    }
    needs_no_facts = {**VALID, "elements": {"amount": money("100.00")}}
    assert post(needs_customer)[0] == post(needs_no_facts)[0] == 200  # warm the rule set

    # The token and its user, the user's permissions (own and groups', one query), the branch
    # the channel names; then the evaluation's one INSERT.
    with django_assert_num_queries(4):
        assert post(needs_no_facts)[0] == 200
    # The customer's facts the rules read: the customer, and their documents' expiry.
    with django_assert_num_queries(6):
        assert post(needs_customer)[0] == 200
