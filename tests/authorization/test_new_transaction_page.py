"""The new-transaction page at the counter: a teller fills in a transaction's elements and
sees at once whether it needs authorization, with every error next to its field."""

from __future__ import annotations

from django.urls import reverse

from tests.authorization.request_fixtures import *  # noqa: F403


def test_new_transaction_shows_a_bad_amount_next_to_its_field(client, teller1, withdrawal_rules):
    client.force_login(teller1)
    url = reverse("authorization:request-new") + "?transaction_code=CASH_WITHDRAWAL"
    response = client.post(
        url,
        {
            "transaction_code": "CASH_WITHDRAWAL",
            "channel": "counter",
            "el_amount": "1e5",
            "el_amount__currency": "CNY",
        },
    )
    assert response.status_code == 400
    assert "el_amount" in response.context["form"].errors
    assert response.context["evaluation"] is None


def test_a_teller_of_a_closed_branch_is_told_so_and_nothing_is_recorded(
    client, teller1, withdrawal_rules, org
):
    from authorization.models import EvaluatedTransaction

    org["BJ01"].is_active = False
    org["BJ01"].save()
    client.force_login(teller1)
    response = client.post(
        reverse("authorization:request-new"),
        {
            "transaction_code": "CASH_WITHDRAWAL",
            "channel": "counter",
            "el_amount": "60000.00",
            "el_amount__currency": "CNY",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Your branch BJ01 is closed."]
    assert "Your branch BJ01 is closed." in response.content.decode()
    assert response.context["evaluation"] is None
    assert not EvaluatedTransaction.objects.exists()


def test_an_optional_parameters_element_starts_empty_and_is_read_when_filled(
    client, teller1, param_admin, second_param_admin
):
    from tests.authorization.factories import ACCOUNT_OPENING, rule_set

    rule_set((param_admin, second_param_admin), transactions=[ACCOUNT_OPENING], rules=[])
    client.force_login(teller1)
    url = reverse("authorization:request-new") + "?transaction_code=ACCOUNT_OPENING"

    shown = client.get(url)
    posted = client.post(
        url,
        {
            "transaction_code": "ACCOUNT_OPENING",
            "channel": "counter",
            "el_customer_no": "C-NOT-THERE",
            "el_product_code": "P-NOT-THERE",
            "el_amount__currency": "CNY",
            "el_parameters": '{"RATE": "2.10"',
        },
    )

    assert shown.status_code == 200
    field = shown.context["form"]["el_parameters"]
    assert "null" not in str(field)  # Django's JSON field would show the word
    assert posted.status_code == 400
    form = posted.context["form"]
    assert "el_parameters" in form.errors  # the unfinished JSON, next to its field
    assert form["el_parameters"].value() == '{"RATE": "2.10"'  # kept as typed


def test_new_transaction_without_need_says_go_ahead_and_offers_no_submission(
    client, teller1, withdrawal_rules
):
    client.force_login(teller1)
    response = client.post(
        reverse("authorization:request-new"),
        {
            "transaction_code": "CASH_WITHDRAWAL",
            "channel": "counter",
            "el_amount": "1000.00",
            "el_amount__currency": "CNY",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="no-authorization"' in html
    assert 'data-testid="submit-for-authorization"' not in html
