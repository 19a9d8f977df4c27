"""The evaluate endpoint's request shape: every malformed request is a 400 naming the field."""

import pytest

from tests.authorization.factories import REVERSAL_DESK, WITHDRAWAL_DESK, desks, rule_set

URL = "/api/v1/authorization/evaluate"

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter_rules(param_admin, second_param_admin):
    """Withdrawals and reversals are known transactions: what is refused is the shape."""
    return rule_set((param_admin, second_param_admin), **desks(WITHDRAWAL_DESK, REVERSAL_DESK))


def post(client, payload):
    return client.post(URL, payload, format="json")


def test_a_json_array_is_refused(counter_rules, integrator, api_client_for):
    response = post(api_client_for(integrator), [{"transaction_code": "REVERSAL"}])
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_malformed_json_is_refused(counter_rules, integrator, api_client_for):
    response = api_client_for(integrator).post(URL, "{oops", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"channel": "counter"}, "transaction_code"),
        ({"transaction_code": "  ", "channel": "counter"}, "transaction_code"),
        ({"transaction_code": 42, "channel": "counter"}, "transaction_code"),
        ({"transaction_code": "REVERSAL", "channel": None}, "channel"),
        ({"transaction_code": "REVERSAL", "channel": "counter", "teller": "x" * 151}, "teller"),
        ({"transaction_code": "REVERSAL", "channel": "counter", "elements": [1]}, "elements"),
        ({"transaction_code": "REVERSAL", "channel": "counter", "amount": "1"}, "amount"),
    ],
)
def test_malformed_fields_are_named(counter_rules, integrator, api_client_for, payload, field):
    response = post(api_client_for(integrator), payload)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_every_problem_is_reported_at_once(counter_rules, integrator, api_client_for):
    response = post(api_client_for(integrator), {"channel": 1, "extra": True})
    fields = response.json()["error"]["fields"]
    assert {"transaction_code", "channel", "extra"} <= set(fields)


def test_a_refused_request_is_not_recorded(counter_rules, integrator, api_client_for):
    from authorization.models import EvaluatedTransaction

    before = EvaluatedTransaction.objects.count()
    post(api_client_for(integrator), {"transaction_code": "NOPE", "channel": "counter"})
    assert EvaluatedTransaction.objects.count() == before


def test_the_recorded_row_keeps_what_the_channel_sent(
    counter_rules, integrator, teller, api_client_for
):
    from authorization.models import EvaluatedTransaction

    payload = {
        "transaction_code": "CASH_WITHDRAWAL",
        "channel": "counter",
        "branch_code": "BJ01",
        "teller": teller.username,
        "elements": {"amount": {"amount": "60000.00", "currency": "CNY"}},
    }
    body = post(api_client_for(integrator), payload).json()
    row = EvaluatedTransaction.objects.get(reference=body["reference"])
    assert row.elements == payload["elements"]
    assert (row.branch_code, row.teller, row.required) == ("BJ01", teller.username, True)
    assert row.evaluated_by == integrator
    assert row.evaluated_at is not None and row.evaluated_at.tzinfo is not None


def test_a_form_encoded_body_is_refused_as_unsupported(counter_rules, integrator, api_client_for):
    from authorization.models import EvaluatedTransaction

    response = api_client_for(integrator).post(
        URL, {"transaction_code": "REVERSAL", "channel": "counter"}, format="multipart"
    )
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert not EvaluatedTransaction.objects.exists()
