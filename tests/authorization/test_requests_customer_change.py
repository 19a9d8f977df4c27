"""Issue 9 item 13: a customer-information change submitted for authorization carries the
old and new values; approval applies them through customers' services."""

from __future__ import annotations

import pytest

from authorization.models import RequestState
from authorization.services import TransactionInput, evaluate
from authorization.services.requests import (
    VerdictInput,
    request_approve,
    request_claim_next,
    request_image_attach,
    request_submit,
    request_verdicts_record,
)
from authorization.services.subjects import CustomerChangedMeanwhile, CustomerChangeInvalid
from authorization.services.trail import Actor
from customers import selectors as customer_selectors
from customers import services as customer_services
from tests.authorization.factories import (
    ID_CARD_PAIR,
    ID_CARD_TYPES,
    processing,
    rule,
    rule_set,
    scene,
    transaction,
)
from tests.authorization.request_fixtures import *  # noqa: F403
from tests.authorization.request_fixtures import upload
from tests.customers.factories import PersonalCustomerFactory

API = "/api/v1/authorization"


@pytest.fixture
def change_rules(param_admin, second_param_admin):
    """Any transaction for an employee needs a remote level-1 authorizer; a change of customer
    information asks for the ID card pair and the change application, and one mandatory point."""
    return rule_set(
        (param_admin, second_param_admin),
        transactions=[
            transaction(
                "CUSTOMER_INFO_CHANGE",
                ("customer_no", "Customer number", "customer_no", True),
                business_type="customer",
            )
        ],
        rules=[
            rule(
                "EMPLOYEE",
                reason="EMPLOYEE_CUSTOMER",
                transaction=None,
                condition={"field": "customer.is_employee", "op": "eq", "value": True},
            )
        ],
        processing=[processing("P_EMPLOYEE", reason="EMPLOYEE_CUSTOMER", level=1)],
        image_types=[
            *ID_CARD_TYPES,
            ("CHANGE_APPLICATION", "Information change application", "application_voucher"),
        ],
        image_combinations=[ID_CARD_PAIR],
        scenes=[
            scene(
                "INFO_CHANGE",
                transaction="CUSTOMER_INFO_CHANGE",
                classification="customer",
                business_type="customer",
                images=[("ID_CARD_PAIR", "required", 1), ("CHANGE_APPLICATION", "required", 1)],
                review=[
                    (
                        "IDENTITY",
                        "Identity",
                        [("ID_MATCHES", "The ID card matches the customer", "mandatory")],
                    )
                ],
            )
        ],
    )


@pytest.fixture
def employee(org):
    """An employee of the bank as customer: every transaction for them needs authorization."""
    return PersonalCustomerFactory(home_branch=org["BJ01"], is_employee=True, vip_level=1)


def _evaluate_change(teller, customer_no):
    return evaluate(
        transaction=TransactionInput(
            transaction_code="CUSTOMER_INFO_CHANGE",
            channel="counter",
            branch_code="BJ01",
            teller=teller.username,
            elements={"customer_no": customer_no},
        ),
        acted_by=teller,
    ).reference


def test_change_request_shows_old_and_new_values(
    change_rules, reason_catalogue, teller1, employee, api_client_for
):
    reference = _evaluate_change(teller1, employee.customer_no)
    answer = api_client_for(teller1).post(
        f"{API}/requests",
        {"evaluation_reference": str(reference), "changes": {"vip_level": 3}},
        format="json",
    )

    assert answer.status_code == 201, answer.json()
    request = answer.json()
    assert request["subject_ref"] == f"customer:{employee.customer_no}"
    assert request["changes"] == {"vip_level": {"old": 1, "new": 3}}
    assert (
        customer_selectors.customer_profile(
            customer_no=employee.customer_no, on_date=employee.created_at.date()
        ).vip_level
        == 1
    )  # nothing applied before approval


def test_an_invalid_change_is_refused_at_submission_naming_the_field(
    change_rules, reason_catalogue, teller1, employee, api_client_for
):
    reference = _evaluate_change(teller1, employee.customer_no)
    answer = api_client_for(teller1).post(
        f"{API}/requests",
        {"evaluation_reference": str(reference), "changes": {"shoe_size": "42"}},
        format="json",
    )

    assert answer.status_code == 400
    assert "changes.shoe_size" in answer.json()["error"]["fields"]


def _approvable(teller, customer, authorizer, capture, **changes):
    request = request_submit(
        evaluation_reference=_evaluate_change(teller, customer.customer_no),
        actor=Actor(user=teller),
        customer_changes=changes,
    )
    with capture(execute=True):
        for seed, image in enumerate(request.decision["required_image_types"]):
            request_image_attach(
                reference=request.reference,
                image_type_code=image["code"],
                upload=upload(80 + seed),
                actor=Actor(user=teller),
            )
    actor = Actor(user=authorizer)
    assert request_claim_next(actor=actor).pk == request.pk
    request_verdicts_record(
        reference=request.reference,
        verdicts=[VerdictInput(p["code"], True) for p in request.decision["review_points"]],
        actor=actor,
    )
    return request, actor


def test_approval_applies_the_new_values(
    change_rules,
    reason_catalogue,
    teller1,
    employee,
    authorizer1,
    django_capture_on_commit_callbacks,
):
    request, actor = _approvable(
        teller1, employee, authorizer1, django_capture_on_commit_callbacks, vip_level=3
    )

    approved = request_approve(reference=request.reference, actor=actor)

    assert approved.state == RequestState.APPROVED
    profile = customer_selectors.customer_profile(
        customer_no=employee.customer_no, on_date=employee.created_at.date()
    )
    assert profile.vip_level == 3


def test_a_customer_changed_meanwhile_is_not_overwritten(
    change_rules,
    reason_catalogue,
    teller1,
    employee,
    authorizer1,
    django_capture_on_commit_callbacks,
):
    request, actor = _approvable(
        teller1, employee, authorizer1, django_capture_on_commit_callbacks, vip_level=3
    )
    customer_services.customer_update(customer=employee, changes={"vip_level": 2}, changed_by=None)

    with pytest.raises(CustomerChangedMeanwhile):
        request_approve(reference=request.reference, actor=actor)
    request.refresh_from_db()
    assert request.state == RequestState.IN_REVIEW


def test_a_change_that_changes_nothing_is_refused(change_rules, teller1, employee):
    with pytest.raises(CustomerChangeInvalid):
        request_submit(
            evaluation_reference=_evaluate_change(teller1, employee.customer_no),
            actor=Actor(user=teller1),
            customer_changes={"vip_level": 1},
        )
