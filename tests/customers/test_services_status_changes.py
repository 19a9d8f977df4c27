"""The status-change services called directly: one person requests, a branch supervisor of the
customer's branch other than the requester decides. Every refusal leaves the customers tables
as they were."""

from __future__ import annotations

import datetime as dt

import pytest

from bankcore.roles import Role
from customers import services
from customers.models import Customer, CustomerChange, StatusChangeState
from tests.customers.factories import PersonalCustomerFactory
from tests.customers.state import customers_state

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def customer(org):
    return PersonalCustomerFactory(home_branch=org["BJ01"])


@pytest.fixture
def second_supervisor(make_user):
    return make_user(Role.BRANCH_SUPERVISOR, "BJ01", level=1, username="supervisor2")


def _status(customer) -> str:
    return Customer.objects.values_list("status", flat=True).get(pk=customer.pk)


def _request_close(customer, requested_by):
    return services.status_change_request(
        customer=customer,
        to_status="closed",
        reason="Customer asked",
        requested_by=requested_by,
        now=NOW,
    )


def test_a_request_waits_and_changes_nothing_yet(customer, teller):
    change = _request_close(customer, teller)

    assert (change.state, change.from_status, change.to_status) == (
        StatusChangeState.PENDING,
        "active",
        "closed",
    )
    assert change.requested_at == NOW
    assert _status(customer) == "active"


def test_a_second_request_while_one_waits_is_refused_and_nothing_is_written(customer, teller):
    _request_close(customer, teller)
    before = customers_state()

    with pytest.raises(services.StatusChangePending):
        services.status_change_request(
            customer=customer, to_status="dormant", reason="Quiet", requested_by=teller
        )

    assert customers_state() == before


@pytest.mark.parametrize(
    ("to_status", "reason", "fields"),
    [
        ("active", "Already", {"to_status"}),
        ("vanished", "Unknown", {"to_status"}),
        ("closed", "   ", {"reason"}),
    ],
)
def test_a_request_without_a_new_status_or_a_reason_is_refused(
    customer, teller, to_status, reason, fields
):
    before = customers_state()

    with pytest.raises(services.CustomerFieldsInvalid) as refused:
        services.status_change_request(
            customer=customer, to_status=to_status, reason=reason, requested_by=teller
        )

    assert set(refused.value.fields) == fields
    assert customers_state() == before


def test_a_supervisor_who_requested_cannot_approve_and_nothing_is_written(customer, supervisor):
    change = _request_close(customer, supervisor)
    before = customers_state()

    with pytest.raises(services.SecondPersonRequired) as refused:
        services.status_change_approve(
            customer=customer, status_change_id=change.pk, approved_by=supervisor
        )

    assert refused.value.http_status == 403
    assert customers_state() == before
    assert _status(customer) == "active"


def test_a_supervisor_who_requested_cannot_reject_either(customer, supervisor):
    change = _request_close(customer, supervisor)
    before = customers_state()

    with pytest.raises(services.SecondPersonRequired):
        services.status_change_reject(
            customer=customer, status_change_id=change.pk, rejected_by=supervisor, comment="No"
        )

    assert customers_state() == before


def test_a_teller_cannot_decide_and_nothing_is_written(customer, teller, make_user):
    change = _request_close(customer, teller)
    other_teller = make_user(Role.TELLER, "BJ01", username="teller2")
    before = customers_state()

    with pytest.raises(services.StatusChangeNotAllowed):
        services.status_change_approve(
            customer=customer, status_change_id=change.pk, approved_by=other_teller
        )

    assert customers_state() == before


def test_a_supervisor_of_another_branch_cannot_decide(customer, teller, make_user):
    change = _request_close(customer, teller)
    shanghai = make_user(Role.BRANCH_SUPERVISOR, "SH01", level=1, username="sh_supervisor")
    before = customers_state()

    with pytest.raises(services.StatusChangeNotAllowed):
        services.status_change_approve(
            customer=customer, status_change_id=change.pk, approved_by=shanghai
        )

    assert customers_state() == before


def test_another_supervisor_approves_and_the_history_names_both(
    customer, supervisor, second_supervisor
):
    change = _request_close(customer, supervisor)
    later = NOW + dt.timedelta(hours=2)

    approved = services.status_change_approve(
        customer=customer,
        status_change_id=change.pk,
        approved_by=second_supervisor,
        comment=" ok ",
        now=later,
    )

    assert (approved.state, approved.decided_by, approved.decided_at) == (
        StatusChangeState.APPROVED,
        second_supervisor,
        later,
    )
    assert approved.decision_comment == "ok"
    assert _status(customer) == "closed"
    record = CustomerChange.objects.filter(customer=customer).latest("pk")
    assert record.changed_by == second_supervisor
    assert record.changes == {"status": ["active", "closed"], "requested_by": [None, "supervisor"]}


def test_a_decided_change_cannot_be_decided_again(customer, teller, supervisor, second_supervisor):
    change = _request_close(customer, teller)
    services.status_change_approve(
        customer=customer, status_change_id=change.pk, approved_by=supervisor
    )
    before = customers_state()

    with pytest.raises(services.StatusChangeStateConflict):
        services.status_change_reject(
            customer=customer,
            status_change_id=change.pk,
            rejected_by=second_supervisor,
            comment="Too late",
        )

    assert customers_state() == before


def test_a_rejection_says_why_and_leaves_the_status(customer, teller, supervisor):
    change = _request_close(customer, teller)
    before = customers_state()

    with pytest.raises(services.CustomerFieldsInvalid) as refused:
        services.status_change_reject(
            customer=customer, status_change_id=change.pk, rejected_by=supervisor, comment=" "
        )
    assert "comment" in refused.value.fields
    assert customers_state() == before

    rejected = services.status_change_reject(
        customer=customer,
        status_change_id=change.pk,
        rejected_by=supervisor,
        comment="Balance outstanding",
    )

    assert rejected.state == StatusChangeState.REJECTED
    assert _status(customer) == "active"


def test_a_change_of_another_customer_is_not_found(org, customer, teller, supervisor):
    other = PersonalCustomerFactory(home_branch=org["BJ01"])
    change = _request_close(other, teller)
    before = customers_state()

    with pytest.raises(services.StatusChangeNotFound):
        services.status_change_approve(
            customer=customer, status_change_id=change.pk, approved_by=supervisor
        )

    assert customers_state() == before
