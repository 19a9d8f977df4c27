"""Status changes need a second person: a teller alone can no longer close a customer or
reopen a closed one; the change waits until a branch supervisor (someone else, of the
customer's branch) approves or rejects it."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from bankcore.roles import Role
from customers import services
from customers.models import Customer, CustomerChange, CustomerStatusChange
from tests.customers.factories import PersonalCustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def customer(org):
    return PersonalCustomerFactory(home_branch=org["BJ01"])


def _url(customer, suffix=""):
    return f"/api/v1/customers/{customer.customer_no}/status-changes/{suffix}"


def _status(customer) -> str:
    return Customer.objects.values_list("status", flat=True).get(pk=customer.pk)


def test_teller_alone_cannot_close_a_customer_through_the_api(api_as, teller, customer):
    response = api_as(teller).patch(
        f"/api/v1/customers/{customer.customer_no}/", {"status": "closed"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "status_change_needs_approval"
    assert "status" in response.json()["error"]["fields"]
    assert _status(customer) == "active"


def test_teller_alone_cannot_reopen_a_closed_customer(teller, org):
    closed = PersonalCustomerFactory(home_branch=org["BJ01"], status="closed")

    with pytest.raises(services.StatusChangeNeedsApproval):
        services.customer_update(customer=closed, changes={"status": "active"}, changed_by=teller)

    assert _status(closed) == "closed"


def test_the_edit_page_offers_no_status_field(client, teller, customer):
    client.force_login(teller)

    form = client.get(reverse("customers:edit", args=[customer.customer_no])).context["form"]

    assert "status" not in form.fields


def test_a_requested_close_waits_and_a_supervisor_approves_it(api_as, teller, supervisor, customer):
    requested = api_as(teller).post(
        _url(customer), {"to_status": "closed", "reason": "Customer asked"}, format="json"
    )
    assert requested.status_code == 201, requested.json()
    assert requested.json()["state"] == "pending"
    assert _status(customer) == "active"

    approved = api_as(supervisor).post(_url(customer, f"{requested.json()['id']}/approve/"))

    assert approved.status_code == 200, approved.json()
    body = approved.json()
    assert (body["state"], body["requested_by"], body["decided_by"]) == (
        "approved",
        "teller",
        "supervisor",
    )
    assert _status(customer) == "closed"
    change = CustomerChange.objects.filter(customer=customer, action="updated").get()
    assert change.changed_by == supervisor
    assert change.changes["status"] == ["active", "closed"]
    assert change.changes["requested_by"] == [None, "teller"]


def test_the_requester_cannot_approve_their_own_change(supervisor, customer):
    change = services.status_change_request(
        customer=customer, to_status="closed", reason="Asked", requested_by=supervisor
    )

    with pytest.raises(services.SecondPersonRequired):
        services.status_change_approve(
            customer=customer, status_change_id=change.pk, approved_by=supervisor
        )

    assert _status(customer) == "active"


def test_a_supervisor_approving_their_own_request_through_the_api_gets_403(
    api_as, supervisor, customer
):
    client = api_as(supervisor)
    change = client.post(
        _url(customer), {"to_status": "closed", "reason": "Asked"}, format="json"
    ).json()

    response = client.post(_url(customer, f"{change['id']}/approve/"))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "second_person_required"
    assert _status(customer) == "active"


def test_the_database_refuses_a_decision_by_the_requester(supervisor, customer):
    change = services.status_change_request(
        customer=customer, to_status="closed", reason="Asked", requested_by=supervisor
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerStatusChange.objects.filter(pk=change.pk).update(
            state="approved", decided_by=supervisor, decided_at=timezone.now()
        )


def test_a_teller_cannot_approve(api_as, teller, make_user, customer):
    other_teller = make_user(Role.TELLER, "BJ01", username="teller2")
    change = services.status_change_request(
        customer=customer, to_status="closed", reason="Asked", requested_by=other_teller
    )

    response = api_as(teller).post(_url(customer, f"{change.pk}/approve/"))

    assert response.status_code == 403
    assert _status(customer) == "active"


def test_a_supervisor_of_another_branch_cannot_decide(api_as, make_user, teller, customer):
    shanghai = make_user(Role.BRANCH_SUPERVISOR, "SH01", username="sh_supervisor")
    change = services.status_change_request(
        customer=customer, to_status="closed", reason="Asked", requested_by=teller
    )

    response = api_as(shanghai).post(_url(customer, f"{change.pk}/approve/"))

    assert response.status_code == 404  # the customer is outside their branch
    with pytest.raises(services.StatusChangeNotAllowed):
        services.status_change_approve(
            customer=customer, status_change_id=change.pk, approved_by=shanghai
        )
    assert _status(customer) == "active"


def test_a_rejection_needs_a_reason_and_changes_nothing(api_as, teller, supervisor, customer):
    change = services.status_change_request(
        customer=customer, to_status="closed", reason="Asked", requested_by=teller
    )
    client = api_as(supervisor)

    without = client.post(_url(customer, f"{change.pk}/reject/"), {}, format="json")
    rejected = client.post(
        _url(customer, f"{change.pk}/reject/"), {"comment": "Loan outstanding"}, format="json"
    )

    assert without.status_code == 400 and "comment" in without.json()["error"]["fields"]
    assert rejected.status_code == 200
    assert rejected.json()["state"] == "rejected"
    assert rejected.json()["decision_comment"] == "Loan outstanding"
    assert _status(customer) == "active"


def test_only_one_change_waits_per_customer(api_as, teller, customer):
    client = api_as(teller)
    first = client.post(_url(customer), {"to_status": "closed", "reason": "A"}, format="json")

    second = client.post(_url(customer), {"to_status": "dormant", "reason": "B"}, format="json")

    assert first.status_code == 201 and second.status_code == 409


def test_a_decided_change_cannot_be_decided_again(teller, supervisor, make_user, customer):
    change = services.status_change_request(
        customer=customer, to_status="dormant", reason="Asked", requested_by=teller
    )
    services.status_change_approve(
        customer=customer, status_change_id=change.pk, approved_by=supervisor
    )
    second_supervisor = make_user(Role.BRANCH_SUPERVISOR, "BJ01", username="supervisor2")

    with pytest.raises(services.StatusChangeStateConflict):
        services.status_change_reject(
            customer=customer,
            status_change_id=change.pk,
            rejected_by=second_supervisor,
            comment="Too late",
        )


def test_reopening_a_closed_customer_goes_through_a_supervisor_on_the_pages(
    client, teller, supervisor, org
):
    closed = PersonalCustomerFactory(home_branch=org["BJ01"], status="closed")
    client.force_login(teller)

    response = client.post(
        reverse("customers:status-change-request", args=[closed.customer_no]),
        {"to_status": "active", "reason": "Customer returned"},
    )

    assert response.status_code == 302
    assert _status(closed) == "closed"
    page = client.get(reverse("customers:detail", args=[closed.customer_no])).content.decode()
    assert 'data-testid="status-change-pending"' in page
    assert 'data-testid="status-change-decision"' not in page  # tellers do not decide
    change = CustomerStatusChange.objects.get()

    client.force_login(supervisor)
    page = client.get(reverse("customers:detail", args=[closed.customer_no])).content.decode()
    assert 'data-testid="status-change-decision"' in page
    client.post(
        reverse("customers:status-change-decide", args=[closed.customer_no, change.pk]),
        {"decision": "approve"},
    )

    assert _status(closed) == "active"


def test_the_page_tells_the_requesting_supervisor_someone_else_decides(
    client, supervisor, customer
):
    services.status_change_request(
        customer=customer, to_status="closed", reason="Asked", requested_by=supervisor
    )
    client.force_login(supervisor)

    page = client.get(reverse("customers:detail", args=[customer.customer_no])).content.decode()

    assert 'data-testid="status-change-decision"' not in page
    assert "another supervisor decides it" in page
