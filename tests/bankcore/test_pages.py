import pytest
from django.urls import reverse

from bankcore.navigation import workspace_url_names
from bankcore.roles import Role
from tests.harness import nothing_written

LOGIN_URL = "/accounts/login/"


def sign_in(client, username: str, password: str):
    return client.post(LOGIN_URL, {"username": username, "password": password}, follow=True)


def expected_workspace(role: str) -> str:
    name = workspace_url_names()[role]
    return reverse(name, kwargs={"role": role}) if name == "workspace" else reverse(name)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role.values))
def test_each_role_lands_on_its_own_workspace_after_login(client, make_user, password, role):
    user = make_user(role, "HO" if role != Role.TELLER else "BJ01")
    response = sign_in(client, user.username, password)
    assert response.status_code == 200
    final_url = response.redirect_chain[-1][0]
    assert final_url == expected_workspace(role)


@pytest.mark.django_db
def test_roles_have_different_workspaces(client):
    assert (
        len(
            {
                expected_workspace(role)
                for role in (Role.TELLER, Role.REMOTE_AUTHORIZER, Role.MANAGER)
            }
        )
        == 3
    )


@pytest.mark.django_db
def test_teller_cannot_open_the_authorizer_workspace(client, teller):
    client.force_login(teller)
    response = client.get(reverse("workspace", kwargs={"role": Role.REMOTE_AUTHORIZER}))
    assert response.status_code == 403


@pytest.mark.django_db
def test_user_without_role_is_told_so(client, make_user, password):
    user = make_user(None, "BJ01")
    response = sign_in(client, user.username, password)
    assert response.status_code == 403
    assert b"no role" in response.content


@pytest.mark.django_db
def test_pages_require_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


@pytest.mark.django_db
def test_wrong_password_shows_message_on_the_form(client, teller):
    response = sign_in(client, teller.username, "wrong")
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


@pytest.mark.django_db
def test_login_locks_out_after_repeated_failures(client, teller, password, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, teller.username, "wrong")
    response = sign_in(client, teller.username, password)  # right password, too late
    assert response.status_code == 429
    assert b"Account locked" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_successful_login_resets_the_failure_count(client, teller, password, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, teller.username, "wrong")
    sign_in(client, teller.username, password)
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, teller.username, "wrong")
    assert sign_in(client, teller.username, password).status_code == 200


@pytest.mark.django_db
def test_navigation_shows_only_what_the_role_may_use(client, teller, integrator):
    client.force_login(integrator)
    assert b"API docs" in client.get("/", follow=True).content
    client.force_login(teller)
    assert b"API docs" not in client.get("/", follow=True).content


@pytest.mark.django_db
def test_pages_carry_csrf_protection(client, teller, password):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    with nothing_written():  # no session, no login record
        response = csrf_client.post(LOGIN_URL, {"username": teller.username, "password": password})
    assert response.status_code == 403


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client, teller):
    client.force_login(teller)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"This page does not exist" in response.content


@pytest.mark.django_db
def test_public_pages_answer(client):
    for url in ("/healthz", LOGIN_URL):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_api_docs_and_schema_answer_signed_in_users(client, integrator):
    client.force_login(integrator)
    for url in ("/api/schema/", "/api/docs/"):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_api_docs_load_their_assets_from_our_own_server(client, integrator):
    client.force_login(integrator)
    html = client.get("/api/docs/").content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html
