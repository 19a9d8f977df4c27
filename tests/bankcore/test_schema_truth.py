"""The schema tells the truth (issue 13, item 13): what /api/schema/ documents is what the API
answers. schemathesis checks it against a live server in CI (.ci/schemathesis); these tests
pin the defects it found, each against the schema and the API's real answer."""

from __future__ import annotations

import re

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from tests.customers.factories import PersonalCustomerFactory
from tests.harness import nothing_written

pytestmark = pytest.mark.django_db

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def error_body_ref(response) -> str | None:
    return response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")


def test_the_schema_is_generated_without_warnings():
    """The ToStatusEnum warning (two names for the customer status choices) made the deploy
    check fail; any new warning would hide a wrong schema."""
    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache, dict(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, dict(GENERATOR_STATS._error_cache)


def test_every_error_answer_is_documented_with_the_error_body(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        label = f"{method.upper()} {path}"
        if {} not in operation.get("security", [{}]):  # a sign-in is needed
            assert {"401", "403"} <= set(responses), label
        if "{" in path:
            assert "404" in responses, label
        if "requestBody" in operation:
            assert {"400", "415"} <= set(responses), label
        if method in WRITES and "/auth/" not in path:
            assert "409" in responses, label
        for code, response in responses.items():
            if code.startswith("4"):
                assert error_body_ref(response) == "#/components/schemas/ErrorResponse", (
                    label,
                    code,
                )
                assert response["description"], (label, code)


def test_evaluate_documents_its_400_and_answers_it(schema, integrator, api_client_for):
    operation = schema["paths"]["/api/v1/authorization/evaluate"]["post"]
    assert "400" in operation["responses"]
    client = api_client_for(integrator)
    with nothing_written():  # no flow record of a request that was not understood
        response = client.post(
            "/api/v1/authorization/evaluate", {"channel": "counter"}, format="json"
        )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["transaction_code"]


def test_a_list_documents_its_404_for_a_page_past_the_last(schema, integrator, api_client_for):
    assert "404" in schema["paths"]["/api/v1/customers/"]["get"]["responses"]
    response = api_client_for(integrator).get("/api/v1/customers/", {"page": 999})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_customer_number_in_a_path_has_its_pattern(schema, org):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    for path, _method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["name"] == "customer_no":
                pattern = parameter["schema"]["pattern"]
                assert re.search(pattern, customer.customer_no), path
                assert not re.search(pattern, "0"), path


def test_the_idempotency_key_header_has_its_pattern(schema):
    headers = [
        parameter
        for _path, _method, operation in operations(schema)
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "Idempotency-Key"
    ]
    assert headers
    for header in headers:
        assert not re.search(header["schema"]["pattern"], "has a space")
        assert re.search(header["schema"]["pattern"], "0b5c9f3e-3c1d-4c1e-9a51-3b0d3f7e2a10")


def test_a_strict_body_says_it_takes_no_other_fields(schema, api_client):
    token_request = schema["components"]["schemas"]["TokenRequestRequest"]
    assert token_request["additionalProperties"] is False
    with nothing_written():
        response = api_client.post(
            "/api/v1/auth/token/", {"username": "a", "password": "b", "otp": "1"}, format="json"
        )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"otp": ["Unknown field."]}


def test_a_text_field_takes_a_string_only(schema, api_client):
    """DRF turned the number 12 into "12": the schema says string, so a number is refused."""
    assert schema["components"]["schemas"]["TokenRequestRequest"]["properties"]["username"][
        "type"
    ] == ("string")
    with nothing_written():
        response = api_client.post(
            "/api/v1/auth/token/", {"username": 12, "password": "x"}, format="json"
        )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"username": ["Not a valid string."]}


def test_a_text_field_that_may_not_be_blank_needs_a_character_that_is_no_space(schema, api_client):
    username = schema["components"]["schemas"]["TokenRequestRequest"]["properties"]["username"]
    assert not re.search(username["pattern"], "   ")
    with nothing_written():
        response = api_client.post(
            "/api/v1/auth/token/", {"username": "   ", "password": "x"}, format="json"
        )
    assert response.status_code == 400
    assert "username" in response.json()["error"]["fields"]


def test_an_on_site_decision_documents_the_supervisor_lockout(schema):
    """The supervisor's password counts towards their lockout: 429 when locked."""
    operation = schema["paths"]["/api/v1/authorization/requests/{reference}/on-site-decision"]
    assert "429" in operation["post"]["responses"]
    assert "429" in schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]


def test_the_images_list_is_documented_as_it_answers(schema):
    ok = schema["paths"]["/api/v1/imaging/images/"]["get"]["responses"]["200"]
    body = ok["content"]["application/json"]["schema"]
    assert body["$ref"] == "#/components/schemas/ImageList"
    assert "results" in schema["components"]["schemas"]["ImageList"]["properties"]
    assert "404" in schema["paths"]["/api/v1/imaging/images/"]["get"]["responses"]
