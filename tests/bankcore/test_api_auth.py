import pytest

from tests.harness import nothing_written

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/auth/me/"


def assert_error_body(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["message"]
    if code:
        assert error["code"] == code
    return error


@pytest.mark.django_db
def test_integrator_gets_a_token_and_uses_it_as_bearer(api_client, integrator, password):
    response = api_client.post(
        TOKEN_URL, {"username": integrator.username, "password": password}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["roles"] == ["integrator"] and body["org_unit"] == "HO"

    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    me = api_client.get(ME_URL)
    assert me.status_code == 200
    assert me.json()["username"] == integrator.username


@pytest.mark.django_db
def test_drf_token_keyword_is_accepted_too(api_client, integrator, password):
    token = api_client.post(
        TOKEN_URL, {"username": integrator.username, "password": password}, format="json"
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get(ME_URL).status_code == 200


@pytest.mark.django_db
def test_wrong_password_is_401_with_error_body(api_client, integrator):
    response = api_client.post(
        TOKEN_URL, {"username": integrator.username, "password": "wrong"}, format="json"
    )
    assert_error_body(response, 401, "authentication_failed")


@pytest.mark.django_db
def test_unknown_user_is_401_with_error_body(api_client):
    response = api_client.post(TOKEN_URL, {"username": "nobody", "password": "x"}, format="json")
    assert_error_body(response, 401, "authentication_failed")


@pytest.mark.django_db
def test_inactive_user_gets_no_token(api_client, integrator, password):
    integrator.is_active = False
    integrator.save()
    response = api_client.post(
        TOKEN_URL, {"username": integrator.username, "password": password}, format="json"
    )
    assert_error_body(response, 401)


@pytest.mark.django_db
def test_malformed_json_is_400_with_error_body(api_client):
    with nothing_written():
        response = api_client.post(TOKEN_URL, "{not json", content_type="application/json")
    assert_error_body(response, 400, "parse_error")


@pytest.mark.django_db
def test_unknown_field_is_400_naming_it(api_client, integrator, password):
    with nothing_written():  # no token issued
        response = api_client.post(
            TOKEN_URL,
            {"username": integrator.username, "password": password, "pasword": "typo"},
            format="json",
        )
    error = assert_error_body(response, 400, "invalid")
    assert "pasword" in error["fields"]


@pytest.mark.django_db
def test_missing_field_is_400_naming_it(api_client):
    with nothing_written():
        response = api_client.post(TOKEN_URL, {"username": "a"}, format="json")
    error = assert_error_body(response, 400)
    assert "password" in error["fields"]


@pytest.mark.django_db
def test_json_array_instead_of_object_is_400(api_client):
    with nothing_written():
        response = api_client.post(TOKEN_URL, [1, 2], format="json")
    assert_error_body(response, 400)


@pytest.mark.django_db
def test_protected_endpoint_without_credentials_is_401(api_client):
    assert_error_body(api_client.get(ME_URL), 401, "not_authenticated")


@pytest.mark.django_db
def test_bad_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer 0000000000000000000000000000000000000000")
    assert_error_body(api_client.get(ME_URL), 401, "authentication_failed")


@pytest.mark.django_db
def test_unknown_api_path_is_404_json(api_client):
    assert_error_body(api_client.get("/api/v1/no-such-thing/"), 404, "not_found")


@pytest.mark.django_db
def test_wrong_method_is_405_with_error_body(api_client):
    assert_error_body(api_client.get(TOKEN_URL), 405)


@pytest.mark.django_db
def test_token_login_locks_out_after_repeated_failures(api_client, integrator, password, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        api_client.post(
            TOKEN_URL, {"username": integrator.username, "password": "no"}, format="json"
        )
    response = api_client.post(
        TOKEN_URL, {"username": integrator.username, "password": password}, format="json"
    )
    assert_error_body(response, 429, "locked_out")


@pytest.mark.django_db
def test_nan_in_json_is_refused(api_client):
    with nothing_written():
        response = api_client.post(
            TOKEN_URL, '{"username": "a", "password": NaN}', content_type="application/json"
        )
    assert_error_body(response, 400, "parse_error")


@pytest.mark.django_db
def test_body_that_is_not_utf8_is_refused(api_client):
    with nothing_written():
        response = api_client.post(
            TOKEN_URL, b'{"username": "\xff"}', content_type="application/json"
        )
    assert_error_body(response, 400, "parse_error")


@pytest.mark.django_db
def test_empty_json_body_is_refused(api_client):
    with nothing_written():
        response = api_client.post(TOKEN_URL, "", content_type="application/json")
    assert_error_body(response, 400)
