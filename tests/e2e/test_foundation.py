import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_teller_signs_in_and_sees_their_workspace(page, sign_in_through_form, teller):
    sign_in_through_form(teller)
    assert "/accounts/login/" not in page.url
    assert "Teller" in page.get_by_test_id("whoami").inner_text()
    # Styles and scripts come from our own static files (npm packages), not a CDN.
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") != "inline"


def test_wrong_password_keeps_the_person_on_the_form_with_a_message(page, teller):
    page.goto(f"{page.live_server_url}/accounts/login/")
    page.get_by_label("Username").fill(teller.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()
    assert "correct username and password" in page.get_by_role("alert").inner_text()


def test_sign_out_returns_to_the_login_page(page, sign_in, teller):
    sign_in(teller)
    page.get_by_test_id("account-menu").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


def test_navigation_collapses_into_a_menu_on_a_tablet(page, sign_in, teller):
    page.set_viewport_size({"width": 768, "height": 1024})
    sign_in(teller)
    toggler = page.get_by_role("button", name="Toggle navigation")
    assert toggler.is_visible()
    toggler.click()
    # The menu has finished opening (Bootstrap marks it "show" once its animation ends): a
    # click on the account menu while it still slides open can be lost on a busy machine.
    page.locator("#main-nav.show").wait_for(state="visible")
    page.get_by_test_id("account-menu").click()
    page.get_by_role("button", name="Sign out").wait_for(state="visible")
