"""What one evaluate request costs the database: channels call it at high rates, so each query
it makes is named here (issue 15 item 7; bench/bench_evaluate.py measures the time)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from authorization.models import EvaluatedTransaction
from tests.authorization.conftest import money
from tests.authorization.factories import rule_set
from tests.bankcore.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/authorization/evaluate"
SMALL_WITHDRAWAL = {
    "transaction_code": "CASH_WITHDRAWAL",
    "channel": "counter",
    "elements": {"amount": money("100.00")},
}


@pytest.fixture
def published(param_admin, second_param_admin, settings):
    # A process that checked the schedule a moment ago (the default is once a second).
    settings.AUTHORIZATION_RULESET_CHECK_SECONDS = 3600
    return rule_set((param_admin, second_param_admin))


def evaluate_counting(client, payload) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(URL, payload, format="json")
    return response.status_code, [query["sql"] for query in captured.captured_queries]


def test_an_integrators_evaluation_costs_four_queries(published, integrator, api_client_for):
    client = api_client_for(integrator)
    payload = {**SMALL_WITHDRAWAL, "branch_code": "BJ01"}
    assert client.post(URL, payload, format="json").status_code == 200  # rule set compiled

    status, queries = evaluate_counting(client, payload)

    assert status == 200
    # The token with its user; the user's permissions, own and their groups', in one
    # statement; the branch the channel names; the evaluation's record.
    assert len(queries) == 4, "\n\n".join(queries)
    assert " UNION " in queries[1].upper()
    assert queries[3].upper().startswith("INSERT INTO")
    assert EvaluatedTransaction.objects.count() == 2


def test_an_unknown_branch_is_still_refused_and_nothing_is_recorded(
    published, integrator, api_client_for
):
    client = api_client_for(integrator)

    response = client.post(URL, {**SMALL_WITHDRAWAL, "branch_code": "NOPE"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"branch_code": ["No branch has this code."]}
    assert not EvaluatedTransaction.objects.exists()


def test_a_closed_branch_is_refused_and_nothing_is_recorded(
    published, integrator, api_client_for, org
):
    org["BJ02"].is_active = False
    org["BJ02"].save()
    client = api_client_for(integrator)

    response = client.post(URL, {**SMALL_WITHDRAWAL, "branch_code": "BJ02"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"branch_code": ["Branch BJ02 is closed."]}
    assert not EvaluatedTransaction.objects.exists()
    open_branch = client.post(URL, {**SMALL_WITHDRAWAL, "branch_code": "BJ01"}, format="json")
    assert open_branch.status_code == 200


def test_a_teller_of_a_closed_branch_is_refused_in_their_language_and_nothing_is_recorded(
    published, teller, api_client_for, org
):
    org["BJ01"].is_active = False
    org["BJ01"].save()
    client = api_client_for(teller)

    english = client.post(URL, SMALL_WITHDRAWAL, format="json")
    chinese = client.post(URL, SMALL_WITHDRAWAL, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert english.status_code == chinese.status_code == 400
    assert english.json()["error"]["fields"] == {"branch_code": ["Your branch BJ01 is closed."]}
    assert chinese.json()["error"]["fields"] == {"branch_code": ["您所在的网点 BJ01 已停用。"]}
    assert not EvaluatedTransaction.objects.exists()


def test_a_teller_named_by_an_integrator_is_checked_against_the_branch(
    published, integrator, teller, api_client_for
):
    client = api_client_for(integrator)
    at_own_branch = {**SMALL_WITHDRAWAL, "branch_code": "BJ", "teller": teller.username}
    at_other_branch = {**SMALL_WITHDRAWAL, "branch_code": "SH", "teller": teller.username}

    assert client.post(URL, at_own_branch, format="json").status_code == 200
    refused = client.post(URL, at_other_branch, format="json")

    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {
        "teller": ["No active teller of branch SH has this username."]
    }
    assert EvaluatedTransaction.objects.count() == 1


def test_a_teller_of_a_unit_whose_code_begins_like_the_branchs_is_not_of_that_branch(
    published, integrator, make_user, org, api_client_for
):
    # SH011 sits beside SH01 (both under SH): its path starts with the same letters, not
    # below SH01's.
    org["SH011"] = OrgUnitFactory(code="SH011", name="Lujiazui", parent=org["SH"])
    neighbour = make_user(None, "SH011", username="sh011-teller")
    client = api_client_for(integrator)

    at_neighbour = client.post(
        URL,
        {**SMALL_WITHDRAWAL, "branch_code": "SH01", "teller": neighbour.username},
        format="json",
    )
    at_parent = client.post(
        URL, {**SMALL_WITHDRAWAL, "branch_code": "SH", "teller": neighbour.username}, format="json"
    )

    assert at_neighbour.status_code == 400
    assert at_neighbour.json()["error"]["fields"] == {
        "teller": ["No active teller of branch SH01 has this username."]
    }
    assert at_parent.status_code == 200
    assert EvaluatedTransaction.objects.get().teller == "sh011-teller"


def test_a_permission_given_to_the_user_alone_lets_them_evaluate(
    published, make_user, api_client_for
):
    from django.contrib.auth.models import Permission

    user = make_user(None, "HO", username="channel")
    client = api_client_for(user)
    assert client.post(URL, SMALL_WITHDRAWAL, format="json").status_code == 403

    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="authorization", codename="evaluate_transaction"
        )
    )

    # A user without a bank-wide role evaluates at their own unit.
    assert client.post(URL, SMALL_WITHDRAWAL, format="json").status_code == 200
    assert EvaluatedTransaction.objects.get().branch_code == "HO"
