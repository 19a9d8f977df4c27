"""Request bodies: JSON only, and a deeply nested body is a 400 on every endpoint, never a
server error (issue 13, item 11)."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.harness import nothing_written

pytestmark = pytest.mark.django_db
DEEP = "[" * 2048 + "]" * 2048  # 4 KB of brackets; 1 KB was enough for a RecursionError


def body_endpoints() -> list[tuple[str, str]]:
    """Every (method, path) of the API that takes a body, from the OpenAPI schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, operations in schema["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        for method in operations:
            if method in ("post", "put", "patch"):
                found.append((method, concrete))
    return found


def test_the_token_endpoint_answers_a_deeply_nested_body_with_400():
    with nothing_written():
        response = APIClient().post("/api/v1/auth/token/", DEEP, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_no_endpoint_answers_a_deeply_nested_body_with_a_server_error(admin_user):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(admin_user)
    endpoints = body_endpoints()
    assert len(endpoints) > 10

    server_errors = []
    for method, path in endpoints:
        response = getattr(client, method)(path, DEEP, content_type="application/json")
        if response.status_code >= 500:
            server_errors.append((method, path, response.status_code))

    assert server_errors == []


def test_a_form_encoded_body_is_refused_where_json_is_expected(integrator, password):
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": integrator.username, "password": password},
        format="multipart",
    )

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
