"""Production posture: schema and docs behind authentication, JSON only, a
Content-Security-Policy, no backend names to anonymous callers, a home page for the
superuser (issue 13, item 14)."""

import re

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
PROJECT_APPS = ("bankcore", "customers", "products", "imaging", "authorization", "reports")


def test_the_schema_needs_authentication(integrator, api_client_for):
    assert APIClient().get("/api/schema/").status_code == 401
    assert api_client_for(integrator).get("/api/schema/").status_code == 200


def test_the_docs_send_a_signed_out_visitor_to_the_login_page(client):
    response = client.get("/api/docs/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_api_never_renders_the_browsable_html_api(client, integrator):
    client.force_login(integrator)

    response = client.get("/api/v1/auth/me/", HTTP_ACCEPT="text/html")

    assert "text/html" not in response["Content-Type"]
    assert b"<html" not in response.content.lower()


def test_pages_carry_a_content_security_policy(client, teller):
    client.force_login(teller)
    response = client.get("/", follow=True)

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


def test_an_inline_script_carries_the_policy_s_nonce(param_admin, client):
    """The product designer's zone tabs have our only inline script: it runs under the
    policy because it carries the request's nonce."""
    from tests.products.factories import time_deposit_product_for_test

    product = time_deposit_product_for_test(publish=False)
    client.force_login(param_admin)
    response = client.get(f"/products/{product.product_code}/")
    assert response.status_code == 200

    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert inline_scripts
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline_scripts)


def test_healthz_names_no_backend_to_anonymous_callers(client):
    body = client.get("/healthz").json()

    assert body["status"] == "ok"
    assert all(set(check) == {"ok"} for check in body["checks"].values())
    text = str(body).lower()
    for backend in ("sqlite", "postgresql", "locmem", "redis", "eager"):
        assert backend not in text


def test_healthz_gives_staff_the_detail(client, admin_user):
    client.force_login(admin_user)
    body = client.get("/healthz").json()
    assert all(check["detail"] for check in body["checks"].values())


def test_the_superusers_home_is_a_page_not_a_no_role_403(client, admin_user):
    client.force_login(admin_user)

    response = client.get("/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/admin/"


def test_no_template_has_an_inline_handler_or_a_script_without_the_nonce():
    """The policy runs neither: use data-confirm / data-autosubmit (static/js/behaviours.js),
    a static script, or `<script nonce="{{ request.csp_nonce }}">`."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    folders = [root / "templates", *(root / app / "templates" for app in PROJECT_APPS)]
    templates = [path for folder in folders for path in folder.glob("**/*.html")]
    assert len(templates) > 20  # the project's own templates were found
    offenders = []
    for template in templates:
        text = template.read_text(encoding="utf-8")
        if re.search(r"\son[a-z]+\s*=", text) or "javascript:" in text:
            offenders.append(f"{template.relative_to(root)}: inline handler")
        for attributes in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", text):
            if "csp_nonce" not in attributes:
                offenders.append(f"{template.relative_to(root)}: inline script without nonce")

    assert offenders == []
