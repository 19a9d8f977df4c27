"""Acceptance of issue 11: whole journeys across users, each in one run, in a real Chromium.

Every person has their own browser context (their own session), as at their own desk; the
pages update by themselves (htmx polling), so a person's page is never reloaded to see what
another did. Screenshots of each step are kept under test-results/ as artefacts."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import ImageFilter

from authorization.demo import DEMO_RULE_SET, demo_rule_set_publish
from authorization.models import AuthorizationRequest, AuthorizerLimit, ReasonCode
from bankcore.roles import Role
from tests.e2e.support import RESULTS, session_cookie_add
from tests.imaging.corpus import jpeg, photo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = RESULTS / "request-journeys"
PC = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}
LIVE = 15_000  # ms a live update may take (polling every 2-3 s)
WITHDRAWAL_MANDATORY = ("ID_MATCHES", "ID_VALID", "SLIP_AMOUNT", "SLIP_SIGNED")


def limit(user, amount: str) -> None:
    AuthorizerLimit.objects.update_or_create(
        user=user, currency="CNY", defaults={"max_amount": Decimal(amount)}
    )


@pytest.fixture
def rule_set(db, param_admin, second_param_admin):
    return demo_rule_set_publish(
        proposed_by=param_admin,
        approved_by=second_param_admin,
        now=timezone.now() - timedelta(minutes=1),
    )


@pytest.fixture(autouse=True)
def reason_catalogue(db):
    """The reason catalogue (seeded by a migration; browser tests start from an emptied
    database, so it is laid down again here)."""
    for position, (code, kind, name, name_zh) in enumerate(
        [
            ("IMAGE_MISSING", "return", "A required document is missing", "缺少必要的凭证或证件"),
            ("IMAGE_UNCLEAR", "return", "An image is unclear or incomplete", "影像不清晰或不完整"),
            (
                "IDENTITY_DOUBT",
                "reject",
                "The customer's identity could not be confirmed",
                "无法确认客户身份",
            ),
        ]
    ):
        ReasonCode.objects.get_or_create(
            code=code,
            defaults={"kind": kind, "name": name, "name_zh_hans": name_zh, "position": position},
        )


@pytest.fixture
def people(make_user):
    teller1 = make_user(Role.TELLER, "BJ01", username="teller1")
    supervisor1 = make_user(Role.BRANCH_SUPERVISOR, "BJ01", level=1, username="supervisor1")
    limit(supervisor1, "500000.00")
    authorizer1 = make_user(Role.REMOTE_AUTHORIZER, "RAC", level=2, username="authorizer1")
    limit(authorizer1, "1000000.00")
    authorizer2 = make_user(Role.REMOTE_AUTHORIZER, "RAC", level=2, username="authorizer2")
    limit(authorizer2, "1000000.00")
    return {
        "teller1": teller1,
        "supervisor1": supervisor1,
        "authorizer1": authorizer1,
        "authorizer2": authorizer2,
    }


@pytest.fixture
def pictures(tmp_path):
    """Pictures made with Pillow: sharp ones (distinct per name) and a blurred slip."""

    def make(name: str, *, blurred: bool = False, seed: int | None = None) -> Path:
        image = photo(seed=seed if seed is not None else abs(hash(name)) % 1000 + 10)
        if blurred:
            image = image.filter(ImageFilter.GaussianBlur(6))
        path = tmp_path / f"{name}.jpg"
        path.write_bytes(jpeg(image))
        return path

    return make


@pytest.fixture
def desk(browser, live_server, request):
    """A person at their own desk: a browser context of their own, signed in (a session
    cookie: the login form is not what these journeys are about), on the page the login form
    would have led to (their home)."""
    contexts = []

    def open_desk(user, *, viewport=PC, locale="en-US"):
        context = browser.new_context(viewport=viewport, locale=locale)
        contexts.append(context)
        session_cookie_add(context, user=user, url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/")
        page.base = live_server.url
        return page

    yield open_desk
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for index, context in enumerate(contexts):
        if failed:
            for page_index, page in enumerate(context.pages):
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(
                    path=str(SHOTS / f"{request.node.name}-failed-{index}-{page_index}.png"),
                    full_page=True,
                )
        context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def mark_no_reload(page) -> None:
    """A marker in the page's memory: it is gone if the page is reloaded or left."""
    page.evaluate("window.__sameDocument = true")


def same_document(page) -> bool:
    return page.evaluate("window.__sameDocument === true")


# --- Steps -----------------------------------------------------------------------------------


def open_my_requests(page) -> None:
    page.goto(f"{page.base}/authorization/requests/")


def teller_submits_withdrawal(page, amount: str) -> str:
    open_my_requests(page)
    page.get_by_test_id("new-transaction").click()
    page.locator("#transaction-code").select_option("CASH_WITHDRAWAL")
    page.wait_for_url("**transaction_code=CASH_WITHDRAWAL")
    form = page.get_by_test_id("transaction-form")
    form.locator("input[name=el_amount]").fill(amount)
    form.locator("select[name=el_amount__currency]").select_option("CNY")
    page.get_by_test_id("check").click()
    expect_text(page.get_by_test_id("decision-headline"), "Authorization required|需要授权")
    page.get_by_test_id("submit-for-authorization").click()
    page.wait_for_url(re.compile(r"/authorization/requests/AR[0-9A-F]+/$"))
    return page.get_by_test_id("request-reference").inner_text().strip()


def attach(page, image_type: str, path: Path) -> None:
    form = page.get_by_test_id("upload-form")
    form.locator("select[name=image_type]").select_option(image_type)
    form.locator("input[type=file]").set_input_files(str(path))
    form.get_by_test_id("attach").click()


def attach_and_wait(page, image_type: str, path: Path) -> None:
    attach(page, image_type, path)
    page.get_by_test_id(f"slot-{image_type}").get_by_test_id("slot-ready").wait_for()


def expect_text(locator, pattern: str, timeout: int = 10_000) -> None:
    from playwright.sync_api import expect

    expect(locator).to_have_text(re.compile(pattern), timeout=timeout)


def state_of(page) -> str:
    return page.get_by_test_id("request-state").locator("[data-state]").get_attribute("data-state")


def wait_state(page, state: str, timeout: int = LIVE) -> None:
    page.locator(f"[data-testid=request-state] [data-state={state}]").wait_for(timeout=timeout)


def give_all_verdicts_by_keyboard(page, mandatory: int) -> None:
    page.locator("body").press("j")  # first point
    page.locator("[data-testid^=point-]").first.focus()
    for _ in range(mandatory):
        page.keyboard.press("p")


# --- Journeys --------------------------------------------------------------------------------


def test_teller_submits_60000_withdrawal_and_authorizer_approves_it_live(
    rule_set, people, desk, pictures
):
    teller = desk(people["teller1"])
    reference = teller_submits_withdrawal(teller, "60000.00")
    assert state_of(teller) == "waiting_for_evidence"
    assert teller.get_by_test_id("missing-count").is_visible()
    shot(teller, "01-teller-submitted")

    # A blurred slip: a warning first, and nothing attached until the teller decides.
    attach(teller, "WITHDRAWAL_SLIP", pictures("slip-blurred", blurred=True))
    warning = teller.get_by_test_id("quality-warning")
    warning.wait_for()
    assert "blurred" in warning.inner_text().lower()
    assert (
        teller.get_by_test_id("slot-WITHDRAWAL_SLIP")
        .get_by_test_id("image-WITHDRAWAL_SLIP")
        .count()
        == 0
    )
    shot(teller, "02-teller-blurred-slip-warning")
    # A sharp slip taken again: attached at once, no warning.
    attach_and_wait(teller, "WITHDRAWAL_SLIP", pictures("slip-sharp", seed=21))
    attach_and_wait(teller, "ID_CARD_FRONT", pictures("id-front", seed=22))
    mark_no_reload(teller)
    attach_and_wait(teller, "ID_CARD_BACK", pictures("id-back", seed=23))
    wait_state(teller, "queued")
    shot(teller, "03-teller-evidence-complete")

    authorizer = desk(people["authorizer1"])
    assert "/authorization/review/" in authorizer.url
    expect_text(authorizer.get_by_test_id("queue-total"), r"^1$", timeout=LIVE)
    assert authorizer.get_by_test_id("nav-queue-count").inner_text().split() == ["waiting:", "1"]
    shot(authorizer, "04-authorizer-queue")
    authorizer.get_by_test_id("next").click()
    authorizer.wait_for_url(f"**/authorization/review/{reference}/")
    assert authorizer.get_by_test_id("task-amount").inner_text().startswith("60000.00 CNY")
    assert authorizer.get_by_test_id("time-left").is_visible()
    # The ID pair side by side, the review-size picture first; then zoom in.
    authorizer.get_by_test_id("viewer-pair").wait_for()
    assert authorizer.get_by_test_id("viewer-pair").locator("img").count() == 2
    authorizer.get_by_test_id("zoom-in").click()
    authorizer.get_by_test_id("zoom-in").click()
    zoom = float(authorizer.locator("[data-viewer-stage]").get_attribute("data-zoom"))
    assert zoom > 2
    assert "scale(2.25)" in authorizer.get_by_test_id("viewer-pair").locator(
        "img"
    ).first.get_attribute("style")
    shot(authorizer, "05-authorizer-zoomed")

    # Approving before the verdicts is refused, naming each mandatory point.
    authorizer.get_by_test_id("approve").click()
    errors = authorizer.get_by_test_id("decision-errors")
    errors.wait_for()
    for point in WITHDRAWAL_MANDATORY:
        assert point in errors.inner_text()
    # Every mandatory verdict, by keyboard, then approve with A.
    give_all_verdicts_by_keyboard(authorizer, len(WITHDRAWAL_MANDATORY))
    for point in WITHDRAWAL_MANDATORY:
        assert authorizer.locator(
            f"[data-testid=point-{point}] input[data-verdict=pass]"
        ).is_checked()
    shot(authorizer, "06-authorizer-verdicts")
    authorizer.locator("body").press("a")
    authorizer.wait_for_url("**/authorization/review/")
    assert reference in authorizer.locator(".alert-success").inner_text()

    # The teller's page shows "approved" by itself.
    wait_state(teller, "approved")
    assert same_document(teller)
    assert "authorizer1" in teller.get_by_test_id("status-explanation").inner_text()
    shot(teller, "07-teller-sees-approved")
    assert AuthorizationRequest.objects.get(reference=reference).decided_by == people["authorizer1"]


def authorizer_approves_next(page, reference: str, mandatory=WITHDRAWAL_MANDATORY) -> None:
    page.goto(f"{page.base}/authorization/review/")
    page.get_by_test_id("next").click()
    page.wait_for_url(f"**/authorization/review/{reference}/")
    for point in mandatory:
        page.locator(f"[data-testid=point-{point}] label.btn-outline-success").click()
    page.get_by_test_id("approve").click()
    page.wait_for_url("**/authorization/review/")


def withdrawal_with_evidence(teller, pictures, amount: str, seed: int) -> str:
    reference = teller_submits_withdrawal(teller, amount)
    attach_and_wait(teller, "WITHDRAWAL_SLIP", pictures(f"slip-{seed}", seed=seed))
    attach_and_wait(teller, "ID_CARD_FRONT", pictures(f"front-{seed}", seed=seed + 1))
    attach_and_wait(teller, "ID_CARD_BACK", pictures(f"back-{seed}", seed=seed + 2))
    wait_state(teller, "queued")
    return reference


def test_260000_withdrawal_needs_authorizer1_then_authorizer2(rule_set, people, desk, pictures):
    teller = desk(people["teller1"])
    reference = withdrawal_with_evidence(teller, pictures, "260000.00", 30)
    assert "dual" in teller.get_by_test_id("request-status").inner_text()
    mark_no_reload(teller)

    first = desk(people["authorizer1"])
    authorizer_approves_next(first, reference)
    assert "first approval" in first.locator(".alert-success").inner_text()
    # authorizer1 cannot take it a second time: Next has nothing for them.
    with first.expect_navigation():
        first.get_by_test_id("next").click()
    assert "Nothing is waiting" in first.locator(".alert-info").inner_text()
    expect_text(first.get_by_test_id("queue-total"), r"^0$")
    shot(first, "dual-01-authorizer1-cannot-take-it-twice")
    wait_state(teller, "queued")
    # The page may still show the "queued" it had before authorizer1 claimed: wait for the live
    # update that names the first approver.
    expect_text(teller.get_by_test_id("status-explanation"), r"authorizer1", timeout=LIVE)

    second = desk(people["authorizer2"])
    second.locator("body").press("n")  # Next, by keyboard
    second.wait_for_url(f"**/authorization/review/{reference}/")
    assert "authorizer1" in second.get_by_test_id("second-approval").inner_text()
    shown = second.get_by_test_id("first-verdict")
    assert shown.count() == len(WITHDRAWAL_MANDATORY)  # the first authorizer's verdicts
    shot(second, "dual-02-authorizer2-sees-first-verdicts")
    for point in WITHDRAWAL_MANDATORY:
        second.locator(f"[data-testid=point-{point}] label.btn-outline-success").click()
    second.get_by_test_id("approve").click()
    second.wait_for_url("**/authorization/review/")

    wait_state(teller, "approved")
    assert same_document(teller)
    decided = AuthorizationRequest.objects.get(reference=reference)
    assert (decided.first_approver, decided.decided_by) == (
        people["authorizer1"],
        people["authorizer2"],
    )


def test_return_for_a_missing_image_then_resubmit_and_approve(rule_set, people, desk, pictures):
    teller = desk(people["teller1"])
    reference = withdrawal_with_evidence(teller, pictures, "60000.00", 40)
    mark_no_reload(teller)

    authorizer = desk(people["authorizer1"])
    authorizer.get_by_test_id("next").click()
    authorizer.wait_for_url(f"**/authorization/review/{reference}/")
    authorizer.locator("select[name=reason_code]").select_option("IMAGE_MISSING")
    authorizer.locator("textarea[name=comment]").fill(
        "Please add the on-site photo of the customer."
    )
    authorizer.get_by_test_id("return").click()
    authorizer.wait_for_url("**/authorization/review/")

    # The teller's page turns to "returned" with the reason, and offers to resubmit.
    wait_state(teller, "returned")
    assert same_document(teller)
    assert "IMAGE_MISSING" in teller.get_by_test_id("decision-reason").inner_text()
    shot(teller, "return-01-teller-sees-return")
    attach_and_wait(teller, "ONSITE_PHOTO", pictures("onsite", seed=45))
    with teller.expect_navigation():  # the form's POST and its redirect: a new page
        teller.get_by_test_id("resubmit").click()
    wait_state(teller, "queued")
    mark_no_reload(teller)

    authorizer_approves_next(authorizer, reference)
    wait_state(teller, "approved")
    assert same_document(teller)
    trail = [e.kind for e in AuthorizationRequest.objects.get(reference=reference).events.all()]
    assert "returned" in trail and "resubmitted" in trail and trail[-1] == "approved"


def reversal_on_site(teller, pictures) -> str:
    open_my_requests(teller)
    teller.get_by_test_id("new-transaction").click()
    teller.locator("#transaction-code").select_option("REVERSAL")
    teller.wait_for_url("**transaction_code=REVERSAL")
    teller.locator("input[name=el_original_reference]").fill("TX-2026-000123")
    teller.get_by_test_id("check").click()
    teller.get_by_test_id("submit-for-authorization").click()
    teller.wait_for_url(re.compile(r"/authorization/requests/AR[0-9A-F]+/$"))
    reference = teller.get_by_test_id("request-reference").inner_text().strip()
    attach_and_wait(teller, "REVERSAL_APPLICATION", pictures("reversal-app", seed=51))
    attach_and_wait(teller, "ORIGINAL_VOUCHER", pictures("original-voucher", seed=52))
    wait_state(teller, "queued")
    return reference


def step_up(teller, username: str, password: str, *, verdict: bool = True) -> None:
    form = teller.get_by_test_id("on-site-form")
    if teller.locator("#on-site-dialog.show-on-load").count():
        form.wait_for()  # refused before: the dialog opens again by itself, with the reason
    else:
        teller.get_by_test_id("open-on-site").click()
        form.wait_for()
    # The dialog fades in; when it has (Bootstrap's "shown"), the page moves the focus to its
    # first field. Typing before that could end in the wrong field (a password typed into
    # the username, seen once on a loaded machine).
    form.locator(":focus").wait_for()
    form.locator("input[name=supervisor_username]").fill(username)
    form.locator("input[name=supervisor_password]").fill(password)
    if verdict:
        form.locator("[data-testid=point-REASON_STATED] label.btn-outline-success").click()
    with teller.expect_navigation():  # the form's POST: decided, or the form with the reason
        form.get_by_test_id("on-site-approve").click()


def test_on_site_step_up_by_supervisor1_at_teller1s_terminal(
    rule_set, people, desk, pictures, password
):
    from axes.models import AccessAttempt

    teller = desk(people["teller1"])
    reference = reversal_on_site(teller, pictures)
    assert teller.get_by_test_id("on-site-panel").is_visible()

    # teller1's own credentials are refused there.
    step_up(teller, "teller1", password)
    assert "own credentials" in teller.get_by_test_id("step-up-error").inner_text()
    # A wrong password is refused and counted towards supervisor1's lockout.
    step_up(teller, "supervisor1", "not-the-password")
    assert "wrong" in teller.get_by_test_id("step-up-error").inner_text()
    attempts = AccessAttempt.objects.filter(username="supervisor1")
    assert sum(a.failures_since_start for a in attempts) == 1
    shot(teller, "on-site-01-wrong-password")
    assert AuthorizationRequest.objects.get(reference=reference).state == "queued"

    step_up(teller, "supervisor1", password)
    wait_state(teller, "approved")
    shot(teller, "on-site-02-approved")
    # The teller's session is unchanged: still teller1 at this terminal.
    teller.get_by_test_id("account-menu").click()
    assert "(teller1)" in teller.get_by_test_id("whoami").inner_text()
    decided = AuthorizationRequest.objects.get(reference=reference)
    assert decided.decided_by == people["supervisor1"] and decided.submitted_by == people["teller1"]


def publish_with_cross_terminal_deposits(param_admin, second_param_admin):
    """The demo rule set, plus: cash deposits from 50,000 CNY are pushed to the branch
    supervisor's own terminal or Pad (cross-terminal)."""
    import copy

    from authorization.services import (
        rule_set_content_load,
        rule_set_draft_create,
        rule_set_proposal_approve,
        rule_set_publication_propose,
    )

    content = copy.deepcopy(DEMO_RULE_SET)
    content["reasons"].append(("LARGE_DEPOSIT", "Large cash deposit (≥ 50,000 CNY)"))
    content["rules"].append(
        {
            "code": "DEPOSIT_50K",
            "name": "Cash deposit from 50,000 CNY",
            "reason": "LARGE_DEPOSIT",
            "transaction": "CASH_DEPOSIT",
            "condition": {"field": "elements.amount", "op": "gte", "value": "50000.00 CNY"},
        }
    )
    content["processing"].append(
        {
            "code": "P_LARGE_DEPOSIT",
            "reason": "LARGE_DEPOSIT",
            "mode": "cross_terminal",
            "level": 1,
            "role": "branch_supervisor",
            "time_limit": 10,
        }
    )
    now = timezone.now() - timedelta(minutes=1)
    draft = rule_set_draft_create(created_by=param_admin, note="cross-terminal", now=now)
    rule_set_content_load(version=draft, content=content)
    proposal = rule_set_publication_propose(
        version=draft, proposed_by=param_admin, effective_at=now, now=now
    )
    rule_set_proposal_approve(proposal=proposal, approved_by=second_param_admin, now=now)


def test_cross_terminal_on_supervisor1s_tablet_in_chinese_then_transferred_to_remote(
    db, param_admin, second_param_admin, people, desk, pictures
):
    publish_with_cross_terminal_deposits(param_admin, second_param_admin)
    supervisor = desk(people["supervisor1"], viewport=TABLET, locale="zh-CN")
    assert "/authorization/review/" in supervisor.url
    assert supervisor.locator("html").get_attribute("lang") == "zh-hans"
    expect_text(supervisor.get_by_test_id("next"), "下一个")
    expect_text(supervisor.get_by_test_id("queue-total"), r"^0$")
    mark_no_reload(supervisor)

    teller = desk(people["teller1"], viewport=TABLET, locale="zh-CN")
    open_my_requests(teller)
    teller.get_by_test_id("new-transaction").click()
    teller.locator("#transaction-code").select_option("CASH_DEPOSIT")
    teller.wait_for_url("**transaction_code=CASH_DEPOSIT")
    teller.locator("input[name=el_amount]").fill("80000.00")
    teller.get_by_test_id("check").click()
    teller.get_by_test_id("submit-for-authorization").click()
    teller.wait_for_url(re.compile(r"/authorization/requests/AR[0-9A-F]+/$"))
    reference = teller.get_by_test_id("request-reference").inner_text().strip()
    attach_and_wait(teller, "DEPOSIT_SLIP", pictures("deposit-slip", seed=61))
    wait_state(teller, "queued")
    shot(teller, "cross-01-teller-tablet-zh")

    # The request appears on the supervisor's tablet by itself.
    supervisor.get_by_test_id(f"queue-row-{reference}").wait_for(timeout=LIVE)
    assert same_document(supervisor)
    shot(supervisor, "cross-02-supervisor-tablet-zh")
    supervisor.get_by_test_id("next").click()
    supervisor.wait_for_url(f"**/authorization/review/{reference}/")
    transfer = supervisor.get_by_test_id("transfer-form")
    transfer.locator("select[name=mode]").select_option("remote_centralized")
    supervisor.get_by_test_id("transfer").click()
    supervisor.wait_for_url("**/authorization/review/")
    shot(supervisor, "cross-03-transferred")

    authorizer = desk(people["authorizer1"])
    authorizer.get_by_test_id("next").click()
    authorizer.wait_for_url(f"**/authorization/review/{reference}/")
    assert "Remote centralized" in authorizer.locator("main").inner_text()
    moved = AuthorizationRequest.objects.get(reference=reference)
    assert moved.mode == "remote_centralized" and moved.claimed_by == people["authorizer1"]


PHONE = {"width": 390, "height": 844}


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_supervisor_decides_a_cross_terminal_request_on_a_phone(
    db, param_admin, second_param_admin, people, desk
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from authorization.services import TransactionInput, evaluate
    from authorization.services.requests import request_image_attach, request_submit
    from authorization.services.trail import Actor

    publish_with_cross_terminal_deposits(param_admin, second_param_admin)
    teller = people["teller1"]
    evaluation = evaluate(
        transaction=TransactionInput(
            transaction_code="CASH_DEPOSIT",
            channel="counter",
            branch_code="BJ01",
            teller="teller1",
            elements={"amount": {"amount": "70000.00", "currency": "CNY"}},
        ),
        acted_by=teller,
    )
    request = request_submit(evaluation_reference=evaluation.reference, actor=Actor(user=teller))
    request_image_attach(
        reference=request.reference,
        image_type_code="DEPOSIT_SLIP",
        upload=SimpleUploadedFile("slip.jpg", jpeg(photo(seed=71)), content_type="image/jpeg"),
        actor=Actor(user=teller),
    )
    request.refresh_from_db()
    assert request.state == "queued" and request.mode == "cross_terminal"

    phone = desk(people["supervisor1"], viewport=PHONE)
    phone.get_by_test_id(f"queue-row-{request.reference}").wait_for()
    assert no_horizontal_scroll(phone)
    shot(phone, "phone-01-supervisor-queue")
    phone.get_by_test_id("next").click()
    phone.wait_for_url(f"**/authorization/review/{request.reference}/")
    assert no_horizontal_scroll(phone)
    phone.locator("[data-testid=point-SLIP_AMOUNT] label.btn-outline-success").click()
    shot(phone, "phone-02-supervisor-task")
    phone.get_by_test_id("approve").click()
    phone.wait_for_url("**/authorization/review/")
    request.refresh_from_db()
    assert request.state == "approved" and request.decided_by == people["supervisor1"]
