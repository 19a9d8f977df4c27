"""Four-eyes on every path, dual approval, levels and limits: who may decide what."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from authorization.models import AuthorizationRequest, RequestState
from authorization.services.requests import (
    NotEligible,
    request_approve,
    request_claim_next,
    request_on_site_decide,
    request_verdicts_record,
)
from authorization.services.trail import Actor
from bankcore.roles import Role
from tests.authorization.request_fixtures import *  # noqa: F403
from tests.authorization.request_fixtures import all_points_pass, limit

API = "/api/v1/authorization"


@pytest.fixture
def teller_who_also_authorizes(make_user):
    """teller1 holding the remote authorizer role as well, level 3, a high limit: the only
    thing between them and their own request is four-eyes."""
    user = make_user(Role.TELLER, "BJ01", level=3, username="teller1")
    user.groups.add(*make_user(Role.REMOTE_AUTHORIZER, "RAC", username="x").groups.all())
    limit(user, "9000000.00")
    return user


@pytest.fixture
def own_queued_request(submit_withdrawal, with_evidence, teller_who_also_authorizes):
    return with_evidence(submit_withdrawal(teller_who_also_authorizes))


def test_teller_never_claims_own_request(own_queued_request, teller_who_also_authorizes):
    assert own_queued_request.state == RequestState.QUEUED
    assert request_claim_next(actor=Actor(user=teller_who_also_authorizes)) is None


def test_teller_cannot_approve_own_request_through_the_api(
    own_queued_request, teller_who_also_authorizes, api_client_for
):
    api = api_client_for(teller_who_also_authorizes)
    reference = own_queued_request.reference

    assert api.post(f"{API}/requests/claim-next").status_code == 204
    answer = api.post(f"{API}/requests/{reference}/approve", {}, format="json")

    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "not_eligible"
    assert "four-eyes" in answer.json()["error"]["message"]
    own_queued_request.refresh_from_db()
    assert own_queued_request.state == RequestState.QUEUED and own_queued_request.decided_by is None


def test_teller_cannot_approve_own_request_as_superuser(
    own_queued_request, teller_who_also_authorizes, api_client_for
):
    teller_who_also_authorizes.is_superuser = True
    teller_who_also_authorizes.save()
    api = api_client_for(teller_who_also_authorizes)

    assert api.post(f"{API}/requests/claim-next").status_code == 204
    answer = api.post(f"{API}/requests/{own_queued_request.reference}/approve", {}, format="json")

    assert answer.status_code == 403
    own_queued_request.refresh_from_db()
    assert own_queued_request.state == RequestState.QUEUED


def test_teller_cannot_approve_own_request_through_the_services(
    own_queued_request, teller_who_also_authorizes
):
    with pytest.raises(NotEligible):
        request_approve(
            reference=own_queued_request.reference, actor=Actor(user=teller_who_also_authorizes)
        )
    own_queued_request.refresh_from_db()
    assert own_queued_request.state == RequestState.QUEUED


def test_teller_cannot_authorize_on_site_with_own_credentials(
    own_queued_request, teller_who_also_authorizes, password, rf
):
    with pytest.raises(NotEligible):
        request_on_site_decide(
            reference=own_queued_request.reference,
            supervisor_username="teller1",
            supervisor_password=password,
            action="approve",
            actor=Actor(user=teller_who_also_authorizes),
            auth_request=rf.post("/"),
        )


def test_admin_shows_requests_read_only_even_to_the_superuser_who_submitted(
    own_queued_request, teller_who_also_authorizes, client
):
    teller_who_also_authorizes.is_superuser = teller_who_also_authorizes.is_staff = True
    teller_who_also_authorizes.save()
    client.force_login(teller_who_also_authorizes)
    url = reverse("admin:authorization_authorizationrequest_change", args=[own_queued_request.pk])

    assert client.get(url).status_code == 200
    client.post(url, {"state": "approved", "decided_by": teller_who_also_authorizes.pk})

    own_queued_request.refresh_from_db()
    assert own_queued_request.state == RequestState.QUEUED and own_queued_request.decided_by is None
    add = reverse("admin:authorization_authorizationrequest_add")
    assert client.get(add).status_code == 403
    delete = reverse(
        "admin:authorization_authorizationrequest_delete", args=[own_queued_request.pk]
    )
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuthorizationRequest.objects.filter(pk=own_queued_request.pk).exists()


def test_database_refuses_the_submitter_as_decider(own_queued_request):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorizationRequest.objects.filter(pk=own_queued_request.pk).update(
            state=RequestState.APPROVED, decided_by=own_queued_request.submitted_by
        )


def test_database_refuses_the_first_approver_as_second(own_queued_request, authorizer2):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorizationRequest.objects.filter(pk=own_queued_request.pk).update(
            authorizers_required=2,
            first_approver=authorizer2,
            decided_by=authorizer2,
            state=RequestState.APPROVED,
        )


def _review_and_approve(request, user):
    actor = Actor(user=user)
    claimed = request_claim_next(actor=actor)
    assert claimed is not None and claimed.pk == request.pk
    request_verdicts_record(reference=request.reference, verdicts=all_points_pass(), actor=actor)
    return request_approve(reference=request.reference, actor=actor)


def test_dual_request_needs_two_different_authorizers(
    submit_withdrawal, with_evidence, teller1, authorizer2, authorizer3
):
    request = with_evidence(submit_withdrawal(teller1, "250000.00"))
    assert request.authorizers_required == 2 and request.level == 2

    first = _review_and_approve(request, authorizer2)
    assert first.state == RequestState.QUEUED and first.first_approver == authorizer2
    assert request_claim_next(actor=Actor(user=authorizer2)) is None  # not twice

    second = _review_and_approve(request, authorizer3)
    assert second.state == RequestState.APPROVED
    assert (second.first_approver, second.decided_by) == (authorizer2, authorizer3)


def test_level_1_authorizer_never_receives_a_level_2_request(
    submit_withdrawal, with_evidence, teller1, authorizer1, authorizer2
):
    request = with_evidence(submit_withdrawal(teller1, "250000.00"))
    assert request.level == 2

    assert request_claim_next(actor=Actor(user=authorizer1)) is None
    assert request_claim_next(actor=Actor(user=authorizer2)).pk == request.pk


def test_amount_above_the_authorizers_limit_is_never_routed_to_them(
    submit_withdrawal, with_evidence, teller1, authorizer1, make_user
):
    request = with_evidence(submit_withdrawal(teller1, "120000.00"))  # level 1
    assert request.level == 1 and request.amount > 100000  # authorizer1's limit

    assert request_claim_next(actor=Actor(user=authorizer1)) is None
    colleague = make_user(Role.REMOTE_AUTHORIZER, "RAC", level=1, username="colleague")
    limit(colleague, "150000.00")
    assert request_claim_next(actor=Actor(user=colleague)).pk == request.pk


def test_claimable_queue_list_matches_what_claim_next_hands_out(
    submit_withdrawal, with_evidence, teller1, authorizer1, api_client_for
):
    within = with_evidence(submit_withdrawal(teller1, "60000.00"), seed=1)
    with_evidence(submit_withdrawal(teller1, "120000.00"), seed=2)  # above the limit
    with_evidence(submit_withdrawal(teller1, "250000.00"), seed=3)  # level 2

    listed = api_client_for(authorizer1).get(f"{API}/requests?claimable=true").json()
    assert [row["reference"] for row in listed["results"]] == [within.reference]
