"""Issue 9 item 12: an account opened with a negotiated parameter waits for authorization;
the request's approval activates it, a rejection refuses it (through products' services)."""

from __future__ import annotations

import pytest

from bankcore.roles import Role
from tests.authorization.factories import ACCOUNT_OPENING, processing, rule, rule_set, scene
from tests.authorization.request_fixtures import *  # noqa: F403
from tests.authorization.request_fixtures import upload
from tests.customers.factories import CorporateCustomerFactory

API = "/api/v1"
CERTIFICATE = {
    "template": "time_deposit",
    "name": "Interbank time-deposit certificate 21 days",
    "customer_group": "corporate",
    "parameters": {
        "term": {"value": "21D", "principle_level": "product"},
        "min_opening_amount": "80000.00 CNY",
        "early_withdrawals_allowed": {
            "value": "3",
            "principle_level": "default",
            "free_min": "0",
            "free_max": "3",
            "negotiable_max": "5",
        },
        "allowed_customer_types": ["corporate"],
        "interbank_only": "true",
        "allowed_media": ["certificate"],
    },
}


@pytest.fixture
def certificate(param_admin, make_user, api_client_for):
    admin = api_client_for(param_admin)
    created = admin.post(f"{API}/products/products/", CERTIFICATE, format="json")
    assert created.status_code == 201, created.json()
    code = created.json()["product_code"]
    published = admin.post(f"{API}/products/products/{code}/publish/")
    if published.status_code == 202:  # a proposal: a second administrator approves it
        second = api_client_for(make_user(Role.PARAMETER_ADMIN, "HO", username="products_approver"))
        proposal = published.json()["id"]
        published = second.post(f"{API}/products/proposals/{proposal}/approve/")
    assert published.status_code == 200, published.json()
    return code


@pytest.fixture
def opening_rules(param_admin, second_param_admin):
    """An opening with negotiated product parameters needs a remote level-2 authorizer, who
    checks the application and one mandatory point."""
    return rule_set(
        (param_admin, second_param_admin),
        transactions=[ACCOUNT_OPENING],
        rules=[
            rule(
                "NEGOTIATED",
                reason="NEGOTIATED_PARAMETERS",
                transaction="ACCOUNT_OPENING",
                condition={
                    "field": "product.has_negotiated_parameters",
                    "op": "eq",
                    "value": True,
                },
            )
        ],
        processing=[processing("P_NEGOTIATED", reason="NEGOTIATED_PARAMETERS", level=2)],
        image_types=[("OPENING_APPLICATION", "Account opening application", "application_voucher")],
        scenes=[
            scene(
                "OPENING",
                transaction="ACCOUNT_OPENING",
                classification="account",
                business_type="account",
                images=[("OPENING_APPLICATION", "required", 1)],
                review=[
                    (
                        "PRODUCT",
                        "Product",
                        [("PARAMETERS", "Negotiated parameters are approved", "mandatory")],
                    )
                ],
            )
        ],
    )


@pytest.fixture
def pending_opening(opening_rules, reason_catalogue, certificate, org, teller1, api_client_for):
    """teller1 opens a certificate with 5 early withdrawals (negotiable range) and submits
    the opening for authorization with its images."""
    teller_api = api_client_for(teller1)
    company = CorporateCustomerFactory(home_branch=org["BJ01"], is_interbank=True)
    opened = teller_api.post(
        f"{API}/products/accounts/",
        {
            "product_code": certificate,
            "customer_no": company.customer_no,
            "currency": "CNY",
            "opening_amount": "80000.00",
            "channel": "counter",
            "parameters": {"early_withdrawals_allowed": "5"},
        },
        format="json",
    )
    assert opened.status_code == 201, opened.json()
    account = opened.json()
    assert account["status"] == "pending_authorization"
    submitted = teller_api.post(
        f"{API}/authorization/requests",
        {"evaluation_reference": account["decision"]["reference"]},
        format="json",
    )
    assert submitted.status_code == 201, submitted.json()
    request = submitted.json()
    assert request["subject_ref"] == f"account:{account['account_no']}"
    assert "NEGOTIATED_PARAMETERS" in request["reason_codes"]
    return teller_api, account["account_no"], request


def _attach_all(teller_api, request, capture):
    with capture(execute=True):
        for seed, image in enumerate(request["decision"]["required_image_types"]):
            answer = teller_api.post(
                f"{API}/authorization/requests/{request['reference']}/images",
                {"image_type": image["code"], "file": upload(70 + seed)},
                format="multipart",
            )
            assert answer.status_code == 201, answer.json()


def _claim_and_review(authorizer_api, request):
    reference = request["reference"]
    assert (
        authorizer_api.post(f"{API}/authorization/requests/claim-next").json()["reference"]
        == reference
    )
    points = [
        {"review_point": p["code"], "passed": True} for p in request["decision"]["review_points"]
    ]
    answer = authorizer_api.post(
        f"{API}/authorization/requests/{reference}/verdicts", {"verdicts": points}, format="json"
    )
    assert answer.status_code == 200, answer.json()


def test_negotiated_opening_becomes_active_after_approval_through_the_api(
    pending_opening, authorizer2, api_client_for, django_capture_on_commit_callbacks
):
    teller_api, account_no, request = pending_opening
    _attach_all(teller_api, request, django_capture_on_commit_callbacks)
    authorizer_api = api_client_for(authorizer2)
    _claim_and_review(authorizer_api, request)

    approved = authorizer_api.post(
        f"{API}/authorization/requests/{request['reference']}/approve", {}, format="json"
    )

    assert approved.status_code == 200, approved.json()
    account = teller_api.get(f"{API}/products/accounts/{account_no}/").json()
    assert account["status"] == "active"
    found = teller_api.get(f"{API}/authorization/requests?subject=account:{account_no}").json()
    assert [row["reference"] for row in found["results"]] == [request["reference"]]


def test_negotiated_opening_is_refused_when_the_request_is_rejected(
    pending_opening, authorizer2, api_client_for, django_capture_on_commit_callbacks
):
    teller_api, account_no, request = pending_opening
    _attach_all(teller_api, request, django_capture_on_commit_callbacks)
    authorizer_api = api_client_for(authorizer2)
    _claim_and_review(authorizer_api, request)

    rejected = authorizer_api.post(
        f"{API}/authorization/requests/{request['reference']}/reject",
        {"reason_code": "IDENTITY_DOUBT", "comment": "Licence does not match the company"},
        format="json",
    )

    assert rejected.status_code == 200, rejected.json()
    account = teller_api.get(f"{API}/products/accounts/{account_no}/").json()
    assert account["status"] == "refused"
