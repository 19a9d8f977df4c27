"""What the browser test modules share besides fixtures: where their screenshots go, and a
signed-in session for a browser context. (Fixtures and hooks stay in conftest.py, which test
modules do not import.)"""

from pathlib import Path

RESULTS = Path(__file__).resolve().parents[2] / "test-results"


def session_cookie_add(context, *, user, url: str) -> None:
    """Give a browser context the session of `user` signed in, as the login form would leave
    it (Django's test client signs in the way the form does: same session, same signal).

    For journeys whose subject is not the login form: it spares each of them the login page,
    the form's POST and its redirect (page loads that cost Chromium and the live server CPU
    beside the test, which a parallel run pays on the other worker's core). The form itself
    is covered by the tests that use `sign_in_through_form`."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
