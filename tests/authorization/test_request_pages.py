"""The tellers', supervisors' and remote authorizers' pages: what each person sees and may do,
and a constant number of SQL queries whatever the queue length or number of images."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from authorization.models import RequestState, ReviewVerdict
from authorization.services.requests import request_claim_next, request_image_attach
from authorization.services.trail import Actor
from tests.authorization.request_fixtures import *  # noqa: F403
from tests.authorization.request_fixtures import WITHDRAWAL_IMAGES, jpeg

PICTURES = {code: jpeg(seed, 900, 600) for seed, code in enumerate(WITHDRAWAL_IMAGES, start=1)}


def picture(code: str) -> SimpleUploadedFile:
    # The same bytes for every request: imaging decodes them once (by content hash), so fifty
    # requests with their evidence are quick to make.
    return SimpleUploadedFile(f"{code}.jpg", PICTURES[code], content_type="image/jpeg")


@pytest.fixture
def queued_withdrawals(submit_withdrawal, teller1, django_capture_on_commit_callbacks):
    def make(count: int, amount: str = "60000.00"):
        made = []
        for _ in range(count):
            request = submit_withdrawal(teller1, amount)
            with django_capture_on_commit_callbacks(execute=True):
                for code in WITHDRAWAL_IMAGES:
                    request_image_attach(
                        reference=request.reference,
                        image_type_code=code,
                        upload=picture(code),
                        actor=Actor(user=teller1),
                    )
            request.refresh_from_db()
            assert request.state == RequestState.QUEUED
            made.append(request)
        return made

    return make


def _queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


# --- Constant queries ----------------------------------------------------------------------


def test_review_queue_page_runs_the_same_queries_for_1_and_50_requests(
    client, authorizer1, queued_withdrawals, django_assert_num_queries
):
    client.force_login(authorizer1)
    url = reverse("authorization:review-queue")
    queued_withdrawals(1)
    one, response = _queries(client, url)
    assert response.context["queue"].total == 1
    queued_withdrawals(49)
    with django_assert_num_queries(one):
        response = client.get(url)
    assert response.context["queue"].total == 50
    assert len(response.context["queue"].waiting) == 50


def test_queue_and_my_requests_name_the_transaction_branch_and_teller(
    client, authorizer1, teller1, queued_withdrawals, org
):
    [request] = queued_withdrawals(1)
    client.force_login(authorizer1)
    queue = client.get(reverse("authorization:review-queue")).content.decode()
    client.force_login(teller1)
    mine = client.get(reverse("authorization:requests-mine")).content.decode()

    assert teller1.get_full_name() not in ("", teller1.username)
    for shown in (
        '<span title="CASH_WITHDRAWAL">Cash withdrawal</span>',
        f'<span title="BJ01">{org["BJ01"].name}</span>',
        f'<span title="teller1">{teller1.get_full_name()}</span>',
    ):
        assert shown in queue
    assert '<td title="CASH_WITHDRAWAL">Cash withdrawal</td>' in mine
    assert request.reference in mine


def test_the_request_page_labels_its_elements_and_names_its_channel(
    client, teller1, submit_withdrawal, org
):
    from authorization.models import TriggerSystem
    from tests.customers.factories import PersonalCustomerFactory

    customer_no = PersonalCustomerFactory(home_branch=org["BJ01"]).customer_no
    request = submit_withdrawal(teller1, customer_no=customer_no)
    client.force_login(teller1)

    page = client.get(reverse("authorization:request", args=[request.reference]))

    html = page.content.decode()
    counter = TriggerSystem.objects.get(version_id=request.version_id, code="counter").name
    assert (
        '<dt class="col-5" title="customer_no" data-element="customer_no">Customer number' in html
    )
    assert f'<dd class="col-7" title="counter">{counter}</dd>' in html


def test_my_requests_runs_the_same_queries_for_1_and_50_requests(
    client, teller1, submit_withdrawal, django_assert_num_queries
):
    client.force_login(teller1)
    url = reverse("authorization:requests-mine")
    submit_withdrawal(teller1)
    one, response = _queries(client, url)
    assert len(response.context["rows"]) == 1
    for _ in range(49):
        submit_withdrawal(teller1)
    with django_assert_num_queries(one):
        response = client.get(url)
    rows = response.context["rows"]
    assert len(rows) == 50
    assert all(row.trail[0].kind == "submitted" for row in rows)


def test_task_screen_runs_the_same_queries_for_1_and_50_images(
    client,
    teller1,
    authorizer1,
    submit_withdrawal,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    request = submit_withdrawal(teller1)

    def attach(code):
        with django_capture_on_commit_callbacks(execute=True):
            request_image_attach(
                reference=request.reference,
                image_type_code=code,
                upload=picture(code),
                actor=Actor(user=teller1),
            )

    attach("WITHDRAWAL_SLIP")
    client.force_login(authorizer1)
    url = reverse("authorization:review-task", args=[request.reference])
    one, response = _queries(client, url)
    assert len(response.context["page"].images) == 1
    for index in range(49):
        attach(WITHDRAWAL_IMAGES[index % 2])  # the ID card pair, again and again
    with django_assert_num_queries(one):
        response = client.get(url)
    assert len(response.context["page"].images) == 50


# --- What people see and may do ----------------------------------------------------------


def test_role_homes_are_their_real_work(client, teller1, authorizer1, make_user):
    from bankcore.roles import Role

    supervisor = make_user(Role.BRANCH_SUPERVISOR, "BJ01", level=1, username="supervisor1")
    for user, url_name in (
        (teller1, "customers:search"),
        (authorizer1, "authorization:review-queue"),
        (supervisor, "authorization:review-queue"),
    ):
        client.force_login(user)
        response = client.get("/", follow=True)
        assert response.redirect_chain[-1][0] == reverse(url_name)
        assert b"being built" not in response.content
    # The teller's requests are one click away, with what waits on them counted.
    client.force_login(teller1)
    assert reverse("authorization:requests-mine").encode() in client.get("/", follow=True).content
    # The old placeholder addresses lead to the real work too.
    client.force_login(authorizer1)
    placeholder = reverse("workspace", kwargs={"role": Role.REMOTE_AUTHORIZER})
    assert client.get(placeholder)["Location"] == reverse("authorization:review-queue")


def test_teller_cannot_open_the_review_queue_or_claim(client, teller1):
    client.force_login(teller1)
    assert client.get(reverse("authorization:review-queue")).status_code == 403
    assert client.post(reverse("authorization:review-next")).status_code == 403


def test_authorizer_cannot_decide_a_request_they_do_not_hold(
    client, authorizer1, queued_withdrawals
):
    (request,) = queued_withdrawals(1)
    client.force_login(authorizer1)
    url = reverse("authorization:review-task", args=[request.reference])
    response = client.post(url, {"action": "approve"})
    assert response.status_code == 409
    request.refresh_from_db()
    assert request.state == RequestState.QUEUED


def test_approval_without_verdicts_is_refused_and_nothing_is_recorded(
    client, authorizer1, queued_withdrawals
):
    (request,) = queued_withdrawals(1)
    request_claim_next(actor=Actor(user=authorizer1))
    client.force_login(authorizer1)
    url = reverse("authorization:review-task", args=[request.reference])
    # One verdict given, three mandatory ones missing: refused as a whole, nothing kept.
    response = client.post(url, {"action": "approve", "verdict_ID_MATCHES": "pass"})
    assert response.status_code == 409
    assert "SLIP_SIGNED" in response.content.decode()
    request.refresh_from_db()
    assert request.state == RequestState.IN_REVIEW
    assert not ReviewVerdict.objects.filter(request=request).exists()


def test_return_needs_a_reason_of_the_return_kind_and_a_comment(
    client, authorizer1, queued_withdrawals
):
    (request,) = queued_withdrawals(1)
    request_claim_next(actor=Actor(user=authorizer1))
    client.force_login(authorizer1)
    url = reverse("authorization:review-task", args=[request.reference])
    response = client.post(url, {"action": "return", "reason_code": "IDENTITY_DOUBT"})
    assert response.status_code == 400
    form = response.context["form"]
    assert "reason_code" in form.errors and "comment" in form.errors
    request.refresh_from_db()
    assert request.state == RequestState.IN_REVIEW


def test_other_branch_teller_cannot_see_the_request_page(client, make_user, queued_withdrawals):
    from bankcore.roles import Role

    (request,) = queued_withdrawals(1)
    stranger = make_user(Role.TELLER, "SH01", username="shanghai_teller")
    client.force_login(stranger)
    response = client.get(reverse("authorization:request", args=[request.reference]))
    assert response.status_code == 404


def test_status_poll_answers_nothing_until_the_state_changes(
    client, teller1, authorizer1, queued_withdrawals
):
    (request,) = queued_withdrawals(1)
    client.force_login(teller1)
    page = client.get(reverse("authorization:request", args=[request.reference]))
    seen = page.context["status_key"]
    url = reverse("authorization:request-status", args=[request.reference])
    assert client.get(url, {"seen": seen}).status_code == 204
    request_claim_next(actor=Actor(user=authorizer1))
    response = client.get(url, {"seen": seen})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-state="in_review"' in html
    # The trail card follows in the same answer (out of band), ending with the claim.
    trail = html[html.index('id="request-trail" hx-swap-oob="true"') :]
    assert "Claimed" in trail and "authorizer1" in trail


def test_evidence_slots_poll_only_while_an_image_is_processing(client, teller1, submit_withdrawal):
    from imaging.services import image_process

    request = submit_withdrawal(teller1)
    facts = request_image_attach(
        reference=request.reference,
        image_type_code="WITHDRAWAL_SLIP",
        upload=picture("WITHDRAWAL_SLIP"),
        actor=Actor(user=teller1),
    )  # not processed: its commit callbacks are not run here
    client.force_login(teller1)
    url = reverse("authorization:request-evidence", args=[request.reference])
    waiting = client.get(url).content.decode()
    assert f'hx-get="{url}"' in waiting and "processing" in waiting
    image_process(image_id=facts.id)  # what the worker does
    done = client.get(url).content.decode()
    assert f'hx-get="{url}"' not in done


def test_quality_warning_comes_before_attaching_and_accepting_attaches(
    client, teller1, submit_withdrawal
):
    from PIL import ImageFilter

    from tests.imaging.corpus import jpeg as corpus_jpeg
    from tests.imaging.corpus import photo

    request = submit_withdrawal(teller1)
    client.force_login(teller1)
    url = reverse("authorization:request-image-attach", args=[request.reference])
    blurred = corpus_jpeg(photo(seed=5).filter(ImageFilter.GaussianBlur(6)))

    def post(**extra):
        upload = SimpleUploadedFile("slip.jpg", blurred, content_type="image/jpeg")
        return client.post(
            url,
            {"image_type": "WITHDRAWAL_SLIP", "file": upload, **extra},
            HTTP_HX_REQUEST="true",
        )

    warned = post()
    assert warned.status_code == 200 and warned["HX-Retarget"] == "#upload-feedback"
    assert "blurred" in warned.content.decode().lower()
    from imaging.selectors import images_for_owner

    assert images_for_owner(owner_ref=request.owner_ref) == []
    accepted = post(accept_warnings="on")
    assert accepted["HX-Retarget"] == "#evidence"
    (image,) = images_for_owner(owner_ref=request.owner_ref)
    assert image.image_type_code == "WITHDRAWAL_SLIP"


def test_account_lookup_suggests_accounts_of_the_tellers_branches_only(client, teller1, org):
    from tests.customers.factories import PersonalCustomerFactory
    from tests.products.factories import account_open_for_test, time_deposit_product_for_test

    customer = PersonalCustomerFactory(home_branch=org["BJ01"], name="Alice Wang")
    product = time_deposit_product_for_test(name="Certificate 1Y")
    ours = account_open_for_test(
        product=product, customer_no=customer.customer_no, branch=org["BJ01"]
    )
    theirs = account_open_for_test(
        product=product, customer_no=customer.customer_no, branch=org["SH01"]
    )
    client.force_login(teller1)
    url = reverse("authorization:account-pick")
    page = client.get(url, {"field": "el_account_no", "el_account_no": "Alice"}).content.decode()
    assert ours.account_no in page
    assert "Certificate 1Y" in page and "Active" in page  # its product and status in words
    assert theirs.account_no not in page  # another branch's account is not suggested
    assert "suggestion" not in client.get(url, {"field": "q", "q": "Al"}).content.decode()


def test_my_requests_badge_counts_what_waits_on_the_teller(
    client, teller1, submit_withdrawal, queued_withdrawals
):
    submit_withdrawal(teller1)  # waits for its images
    queued_withdrawals(1)  # in the queue: nothing for the teller to do
    client.force_login(teller1)
    badge = client.get(reverse("authorization:requests-mine-badge")).content.decode()
    assert 'data-testid="nav-queue-count"' in badge and ">1</span>" in badge


def _reversal_on_site(teller1, django_capture_on_commit_callbacks):
    from authorization.services import TransactionInput, evaluate
    from authorization.services.requests import request_submit

    evaluation = evaluate(
        transaction=TransactionInput(
            transaction_code="REVERSAL",
            channel="counter",
            branch_code="BJ01",
            teller="teller1",
            elements={"original_reference": "TX-1"},
        ),
        acted_by=teller1,
    )
    request = request_submit(evaluation_reference=evaluation.reference, actor=Actor(user=teller1))
    with django_capture_on_commit_callbacks(execute=True):
        for seed, code in enumerate(("REVERSAL_APPLICATION", "ORIGINAL_VOUCHER"), start=7):
            request_image_attach(
                reference=request.reference,
                image_type_code=code,
                upload=SimpleUploadedFile(f"{code}.jpg", jpeg(seed), content_type="image/jpeg"),
                actor=Actor(user=teller1),
            )
    request.refresh_from_db()
    assert request.state == RequestState.QUEUED and request.mode == "on_site"
    return request


def test_step_up_lockout_locks_the_supervisor_not_the_tellers_session(
    client,
    teller1,
    make_user,
    password,
    reversal_rules,
    django_capture_on_commit_callbacks,
    settings,
):
    from bankcore.roles import Role

    settings.AXES_FAILURE_LIMIT = 3
    supervisor = make_user(Role.BRANCH_SUPERVISOR, "BJ01", level=1, username="supervisor1")
    request = _reversal_on_site(teller1, django_capture_on_commit_callbacks)
    client.force_login(teller1)
    url = reverse("authorization:request-on-site", args=[request.reference])

    def step_up(secret):
        return client.post(
            url,
            {
                "supervisor_username": supervisor.username,
                "supervisor_password": secret,
                "action": "approve",
                "verdict_REASON_STATED": "pass",
            },
        )

    for _ in range(2):
        refused = step_up("wrong")
        assert refused.status_code == 403
        assert "wrong" in refused.context["on_site_form"].errors["supervisor_password"][0]
    assert step_up("wrong").status_code == 429  # the third failure locks the supervisor out
    locked = step_up(password)  # the right password, but the account is locked by now
    assert locked.status_code == 429
    assert "locked" in locked.context["on_site_form"].errors["supervisor_password"][0]
    assert locked.wsgi_request.user == teller1  # the teller's page, not a lockout page
    request.refresh_from_db()
    assert request.state == RequestState.QUEUED
    # The teller is still signed in and works on.
    page = client.get(reverse("authorization:request", args=[request.reference]))
    assert page.status_code == 200 and page.wsgi_request.user == teller1


def _claimed(queued_withdrawals, authorizer1):
    (request,) = queued_withdrawals(1)
    assert request_claim_next(actor=Actor(user=authorizer1)).pk == request.pk
    return request


def test_reject_from_the_task_screen_with_a_reason_and_a_comment(
    client, authorizer1, queued_withdrawals
):
    request = _claimed(queued_withdrawals, authorizer1)
    client.force_login(authorizer1)
    url = reverse("authorization:review-task", args=[request.reference])
    response = client.post(
        url,
        {
            "action": "reject",
            "reason_code": "IDENTITY_DOUBT",
            "comment": "The photo on the ID card is not the customer.",
            "verdict_ID_MATCHES": "fail",
            "note_ID_MATCHES": "Different person.",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.decided_by, request.decision_reason_code) == (
        RequestState.REJECTED,
        authorizer1,
        "IDENTITY_DOUBT",
    )
    verdict = ReviewVerdict.objects.get(request=request, review_point_code="ID_MATCHES")
    assert not verdict.passed and verdict.comment == "Different person."


def test_failed_point_without_a_comment_is_refused_next_to_the_point(
    client, authorizer1, queued_withdrawals
):
    request = _claimed(queued_withdrawals, authorizer1)
    client.force_login(authorizer1)
    url = reverse("authorization:review-task", args=[request.reference])
    response = client.post(url, {"action": "save", "verdict_SLIP_SIGNED": "fail"})
    assert response.status_code == 400
    assert "note_SLIP_SIGNED" in response.context["form"].errors
    assert not ReviewVerdict.objects.filter(request=request).exists()


def test_release_gives_the_request_back_to_the_queue(client, authorizer1, queued_withdrawals):
    request = _claimed(queued_withdrawals, authorizer1)
    client.force_login(authorizer1)
    client.post(reverse("authorization:review-release", args=[request.reference]))
    request.refresh_from_db()
    assert request.state == RequestState.QUEUED and request.claimed_by is None


def test_teller_cancels_before_a_claim_but_not_after(
    client, teller1, authorizer1, queued_withdrawals
):
    first, second = queued_withdrawals(2)
    client.force_login(teller1)
    client.post(reverse("authorization:request-cancel", args=[first.reference]))
    first.refresh_from_db()
    assert first.state == RequestState.CANCELLED
    request_claim_next(actor=Actor(user=authorizer1))  # takes the second
    response = client.post(
        reverse("authorization:request-cancel", args=[second.reference]), follow=True
    )
    second.refresh_from_db()
    assert second.state == RequestState.IN_REVIEW
    assert "Only a request nobody has claimed can be cancelled." in response.content.decode()


def test_task_screen_shows_the_customers_summary_with_a_link_to_360(
    client, teller1, authorizer1, org, submit_withdrawal, django_capture_on_commit_callbacks
):
    from tests.customers.factories import PersonalCustomerFactory

    customer = PersonalCustomerFactory(home_branch=org["BJ01"], name="Alice Wang")
    request = submit_withdrawal(teller1, customer_no=customer.customer_no)
    client.force_login(authorizer1)
    page = client.get(reverse("authorization:review-task", args=[request.reference]))
    html = page.content.decode()
    assert "Alice Wang" in html
    assert reverse("customers:detail", args=[customer.customer_no]) in html


def test_queue_poll_answers_nothing_until_the_queue_changes(
    client, authorizer1, queued_withdrawals
):
    queued_withdrawals(1)
    client.force_login(authorizer1)
    url = reverse("authorization:review-queue-live")
    first = client.get(url)
    version = first.context["version"]
    assert client.get(url, {"v": version}).status_code == 204
    queued_withdrawals(1)
    changed = client.get(url, {"v": version})
    assert changed.status_code == 200 and changed.context["queue"].total == 2


def test_supervisor_badge_counts_on_site_requests_at_their_tellers_terminals(
    client, teller1, make_user, reversal_rules, django_capture_on_commit_callbacks
):
    from bankcore.roles import Role

    supervisor = make_user(Role.BRANCH_SUPERVISOR, "BJ01", level=1, username="supervisor1")
    _reversal_on_site(teller1, django_capture_on_commit_callbacks)
    client.force_login(supervisor)
    badge = client.get(reverse("authorization:review-queue-badge")).content.decode()
    assert ">1</span>" in badge


def test_teller_corrects_the_amount_of_a_returned_request_and_resubmits(
    client, teller1, authorizer1, queued_withdrawals
):
    from decimal import Decimal

    from authorization.services.requests import request_return

    request = _claimed(queued_withdrawals, authorizer1)
    request_return(
        reference=request.reference,
        actor=Actor(user=authorizer1),
        reason_code="IMAGE_UNCLEAR",
        comment="The slip says 70,000.",
    )
    client.force_login(teller1)
    url = reverse("authorization:request-resubmit", args=[request.reference])
    bad = client.post(url, {"amount": "70,000"})
    assert bad.status_code == 400 and "amount" in bad.context["resubmit_form"].errors
    client.post(url, {"amount": "70000.00", "comment": "Amount corrected from the slip."})
    request.refresh_from_db()
    assert request.state == RequestState.QUEUED and request.round == 2
    assert request.amount == Decimal("70000.00")
