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

from authorization.demo import demo_rule_set_publish
from authorization.models import AuthorizationRequest, AuthorizerLimit
from bankcore.roles import Role
from tests.e2e.conftest import RESULTS
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
def desk(browser, live_server, password, request):
    """A person at their own desk: a browser context of their own, signed in."""
    contexts = []

    def open_desk(user, *, viewport=PC, locale="en-US"):
        context = browser.new_context(viewport=viewport, locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("input[name=username]").fill(user.username)
        page.locator("input[name=password]").fill(password)
        page.locator("form button[type=submit]").click()
        page.wait_for_load_state("networkidle")
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


def teller_submits_withdrawal(page, amount: str) -> str:
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
    assert "/authorization/requests/" in teller.url  # the teller's home is their requests
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
