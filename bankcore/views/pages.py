from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from bankcore.errors import json_error_response
from bankcore.navigation import workspace_url, workspace_url_names
from bankcore.roles import Role, user_has_role

# What each workspace will hold, shown until the issue that builds it lands.
WORKSPACE_PLANS = {
    Role.TELLER: (
        _("Teller workspace"),
        [
            _("Find or create customers and see their 360° view."),
            _("Open accounts on the bank's products."),
            _(
                "Ask whether a transaction needs authorization, capture its images, submit it, "
                "and follow it to a decision."
            ),
        ],
    ),
    Role.BRANCH_SUPERVISOR: (
        _("Branch supervisor workspace"),
        [
            _("On-site and cross-terminal authorization requests waiting for you."),
            _("Your branch's requests and their outcomes."),
        ],
    ),
    Role.REMOTE_AUTHORIZER: (
        _("Remote authorization queue"),
        [
            _("Take the next task for your authorization level."),
            _("Review transaction elements and images against the scene's review points."),
            _("Approve, reject, or return for supplement."),
        ],
    ),
    Role.MANAGER: (
        _("Manager dashboards"),
        [
            _("Volumes, turnaround, approval and rejection rates, SLA breaches."),
            _("By branch, channel, scene, authorizer and time."),
        ],
    ),
    Role.PARAMETER_ADMIN: (
        _("Parameter administration"),
        [
            _(
                "Trigger rules, scenes, image catalogue and processing rules: draft, check, "
                "simulate, publish."
            ),
            _("The product factory: templates, products, parameters and versions."),
        ],
    ),
    Role.INTEGRATOR: (
        _("Integration"),
        [
            _("The REST API under /api/v1/, with its OpenAPI schema and interactive docs."),
            _("Get a token with POST /api/v1/auth/token/ and send it as a Bearer token."),
        ],
    ),
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(workspace_url(request.user))


@login_required
def workspace(request: HttpRequest, role: str) -> HttpResponse:
    if role not in WORKSPACE_PLANS:
        raise Http404
    if not (request.user.is_superuser or user_has_role(request.user, role)):
        return render(request, "403.html", status=403)
    real = workspace_url_names().get(role, "workspace")
    if real != "workspace":  # an app serves this role's real work: no placeholder
        return redirect(real)
    title, plans = WORKSPACE_PLANS[role]
    return render(
        request,
        "bankcore/workspace.html",
        {"title": title, "plans": plans, "role_label": Role(role).label},
    )


@login_required
def no_role(request: HttpRequest) -> HttpResponse:
    return render(request, "bankcore/no_role.html", status=403)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def handler404(request: HttpRequest, exception=None) -> HttpResponse:
    if _wants_json(request):
        return json_error_response("not_found", str(_("Not found.")), 404)
    return render(request, "404.html", status=404)


def handler403(request: HttpRequest, exception=None) -> HttpResponse:
    if _wants_json(request):
        return json_error_response("permission_denied", str(_("You may not do this.")), 403)
    return render(request, "403.html", status=403)


def handler400(request: HttpRequest, exception=None) -> HttpResponse:
    if _wants_json(request):
        return json_error_response("bad_request", str(_("The request is malformed.")), 400)
    return render(request, "400.html", status=400)


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """What django-axes answers once an account is locked: the API's error body on /api/,
    a page that says what happened everywhere else."""
    if _wants_json(request):
        message = _("Too many failed logins: this account is locked for now.")
        return json_error_response("locked_out", str(message), 429)
    return render(request, "registration/locked_out.html", status=429)


def handler500(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return json_error_response("server_error", str(_("Something went wrong on our side.")), 500)
    return render(request, "500.html", status=500)
