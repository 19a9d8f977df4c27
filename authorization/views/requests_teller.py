"""The teller's pages: start a transaction, see the decision, submit it, attach the images,
follow it live, act on a return, cancel; the on-site step-up dialog on the teller's screen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bankcore.errors import DomainError, NotFound

from .. import request_page_selectors as selectors
from ..models import AuthorizationMode, AuthorizerRole, RequestState
from ..request_forms import (
    CommentForm,
    ImageAttachForm,
    OnSiteDecisionForm,
    ResubmitForm,
    TellerTransactionForm,
    TransferForm,
)
from ..services import TransactionInput, evaluate
from ..services import requests as request_services
from ..services.request_pages import request_image_attach_checked
from .requests_common import is_htmx, page_actor, submitter_required

ATTACHABLE = (RequestState.WAITING_FOR_EVIDENCE, RequestState.QUEUED, RequestState.RETURNED)
CANCELLABLE = ATTACHABLE


def _request_page_or_404(reference: str, user, **kwargs):
    try:
        return selectors.request_page(reference=reference, user=user, **kwargs)
    except NotFound:
        raise Http404 from None


@submitter_required
def request_new(request: HttpRequest) -> HttpResponse:
    """Start a transaction from the catalogue and see whether (and how) it needs
    authorization; the decision offers "Submit for authorization"."""
    catalogue = selectors.teller_catalogue(now=timezone.now())
    by_code = {tx.code: tx for tx in catalogue.transaction_types}
    wanted = request.POST.get("transaction_code") or request.GET.get("transaction_code")
    transaction = by_code.get(wanted) or next(iter(by_code.values()), None)
    channels = catalogue.channels
    default_channel = "counter" if any(c.code == "counter" for c in channels) else ""
    form = TellerTransactionForm(
        request.POST if request.method == "POST" else None,
        initial={
            # Elements given in the address (el_<name>) come filled in, e.g. the customer
            # from the customer's 360 page.
            **{key: value for key, value in request.GET.items() if key.startswith("el_")},
            "transaction_code": transaction.code if transaction else "",
            "channel": request.GET.get("channel") or default_channel,
        },
        transaction_types=catalogue.transaction_types,
        channels=channels,
        transaction=transaction,
    )
    evaluation = None
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            evaluation = evaluate(
                transaction=TransactionInput(
                    transaction_code=form.cleaned_data["transaction_code"],
                    channel=form.cleaned_data["channel"],
                    elements=form.elements(),
                    branch_code=user.org_unit.code if user.org_unit_id else "",
                    teller=user.username,
                ),
                acted_by=user,
            )
        except DomainError as error:
            form.add_domain_error(error)
    from ..forms import form_mark_invalid

    form_mark_invalid(form)
    decision = evaluation.decision if evaluation else None
    modes = dict(AuthorizationMode.choices)
    context = {
        "catalogue": catalogue,
        "form": form,
        "transaction": transaction,
        "evaluation": evaluation,
        "decision": decision,
        "reason_rows": [(r, modes.get(r.mode, r.mode)) for r in decision.reasons]
        if decision
        else [],
        "mode_label": modes.get(decision.mode) if decision else None,
        "role_label": dict(AuthorizerRole.choices).get(decision.authorizer_role)
        if decision
        else None,
    }
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "authorization/requests/new.html", context, status=status)


@submitter_required
@require_POST
def request_submit(request: HttpRequest) -> HttpResponse:
    try:
        submitted = request_services.request_submit(
            evaluation_reference=request.POST.get("evaluation_reference", ""),
            actor=page_actor(request),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("authorization:request-new")
    messages.success(
        request,
        _("Submitted as %(reference)s. Attach the images the authorizer needs.")
        % {"reference": submitted.reference},
    )
    return redirect("authorization:request", reference=submitted.reference)


@submitter_required
def my_requests(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "all")
    if show not in (*selectors.MY_REQUEST_FILTERS, "all"):
        show = "all"
    rows = selectors.my_requests(user=request.user, show=show)
    return render(
        request,
        "authorization/requests/mine.html",
        {"rows": rows, "show": show, "filters": _my_filters()},
    )


@submitter_required
def account_pick(request: HttpRequest) -> HttpResponse:
    """Suggestions for an account-number element as the teller types (LookupInput)."""
    field = request.GET.get("field", "q")
    text = request.GET.get(field, "")
    accounts = selectors.account_suggestions(user=request.user, text=text)
    return render(
        request,
        "authorization/requests/_account_suggestions.html",
        {
            "accounts": accounts[: selectors.ACCOUNT_SUGGESTIONS],
            "more": len(accounts) > selectors.ACCOUNT_SUGGESTIONS,
            "searched": len(text.strip()) >= 3,
        },
    )


@login_required
def my_requests_badge(request: HttpRequest) -> HttpResponse:
    """The count next to "My requests" in the navigation: requests waiting on the teller."""
    count = selectors.my_requests_needing_action_count(user=request.user)
    return render(request, "authorization/requests/_queue_badge.html", {"count": count})


def _my_filters():
    return [
        ("all", _("All")),
        ("open", _("Open")),
        ("returned", _("Returned to me")),
        ("decided", _("Decided")),
    ]


def _detail_context(request: HttpRequest, page, **extra) -> dict:
    req = page.request
    user = request.user
    is_submitter = req.submitted_by_id == user.pk
    context = {
        "page": page,
        "req": req,
        "is_submitter": is_submitter,
        "can_attach": is_submitter and req.state in ATTACHABLE,
        "attach_form": ImageAttachForm(slots=page.slots),
        "resubmit_form": ResubmitForm(request=req),
        # The step-up dialog is on the page whenever the request may come to it (the status
        # block, live, offers it once the request is queued).
        "on_site_possible": is_submitter
        and req.mode == AuthorizationMode.ON_SITE
        and req.state not in _final_states(),
        "on_site_form": OnSiteDecisionForm(
            points=req.decision_shown.get("review_points", []),
            return_reasons=page.return_reasons,
            reject_reasons=page.reject_reasons,
        ),
        "transfer_form": TransferForm(current_mode=req.mode),
        "can_transfer": is_submitter
        and req.state in (RequestState.WAITING_FOR_EVIDENCE, RequestState.QUEUED)
        and req.mode != AuthorizationMode.REMOTE_CENTRALIZED,
        "live_mode": req.state not in _final_states(),
        **_status_context(req, page.decision_reason_label, user),
    }
    context.update(extra)
    return context


def _final_states():
    return (
        RequestState.APPROVED,
        RequestState.REJECTED,
        RequestState.CANCELLED,
        RequestState.EXPIRED,
    )


def _status_key(req) -> str:
    """What the status block shows, in short: the poll answers 204 while it is the same."""
    return ":".join(
        str(part)
        for part in (
            req.state,
            req.round,
            req.mode,
            req.claimed_by_id or "",
            req.first_approver_id or "",
            req.decision_reason_code,
        )
    )


def _status_context(req, reason_label: str, user) -> dict:
    return {
        "status_key": _status_key(req),
        "req": req,
        "reason_label": reason_label,
        "is_submitter": req.submitted_by_id == user.pk,
        "can_cancel": req.submitted_by_id == user.pk and req.state in CANCELLABLE,
        "is_final": req.state in _final_states(),
        "resubmit_form": ResubmitForm(request=req),
        "on_site_open": req.submitted_by_id == user.pk
        and req.mode == AuthorizationMode.ON_SITE
        and req.state == RequestState.QUEUED,
    }


@login_required
def request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The teller's request: status (live), decision and reasons, images, actions, trail."""
    page = _request_page_or_404(reference, request.user)
    return render(request, "authorization/requests/detail.html", _detail_context(request, page))


@login_required
def request_status(request: HttpRequest, reference: str) -> HttpResponse:
    """Polled by the request page: nothing (204) while the state is the one the page shows,
    the new status block (with its actions) once it changed."""
    try:
        status = selectors.request_status(reference=reference, user=request.user)
    except NotFound:
        raise Http404 from None
    req = status.request
    if request.GET.get("seen", "") == _status_key(req):
        return HttpResponse(status=204)
    context = _status_context(req, status.decision_reason_label, request.user)
    context["trail_update"] = status.trail  # the trail card follows (htmx out-of-band swap)
    return render(request, "authorization/requests/_status.html", context)


@login_required
def request_evidence(request: HttpRequest, reference: str) -> HttpResponse:
    """The images by type, polled while some image is still being processed."""
    page = _request_page_or_404(reference, request.user, with_names=False)
    return render(
        request,
        "authorization/requests/_evidence_slots.html",
        {"page": page, "req": page.request},
    )


@submitter_required
@require_POST
def request_image_attach(request: HttpRequest, reference: str) -> HttpResponse:
    """Attach an image (htmx: the evidence panel comes back; quality warnings are shown in the
    form first and the image is attached only once the teller accepts them)."""
    page = _request_page_or_404(reference, request.user)
    form = ImageAttachForm(request.POST, request.FILES, slots=page.slots)
    warnings = ()
    if form.is_valid():
        try:
            facts, warnings = request_image_attach_checked(
                reference=reference,
                image_type_code=form.cleaned_data["image_type"],
                upload=form.cleaned_data["file"],
                actor=page_actor(request),
                accept_warnings=form.cleaned_data["accept_warnings"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if facts is not None:
                if not is_htmx(request):
                    messages.success(request, _("Image attached."))
                    return redirect("authorization:request", reference=reference)
                page = _request_page_or_404(reference, request.user)
                response = render(
                    request,
                    "authorization/requests/_evidence.html",
                    _detail_context(request, page, attached=facts),
                )
                response["HX-Retarget"] = "#evidence"
                response["HX-Reswap"] = "outerHTML"
                return response
    if not is_htmx(request):
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        for _code, message, _value in warnings:
            messages.warning(request, message)
        return redirect("authorization:request", reference=reference)
    response = render(
        request,
        "authorization/requests/_upload_feedback.html",
        {"form": form, "warnings": warnings},
    )
    response["HX-Retarget"] = "#upload-feedback"
    response["HX-Reswap"] = "innerHTML"
    return response


@submitter_required
@require_POST
def request_cancel(request: HttpRequest, reference: str) -> HttpResponse:
    form = CommentForm(request.POST)
    form.is_valid()
    try:
        request_services.request_cancel(
            reference=reference,
            actor=page_actor(request),
            comment=form.cleaned_data.get("comment", ""),
        )
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Request %(reference)s cancelled.") % {"reference": reference})
    return redirect("authorization:request", reference=reference)


@submitter_required
@require_POST
def request_resubmit(request: HttpRequest, reference: str) -> HttpResponse:
    page = _request_page_or_404(reference, request.user)
    form = ResubmitForm(request.POST, request=page.request)
    if form.is_valid():
        try:
            request_services.request_resubmit(
                reference=reference,
                actor=page_actor(request),
                comment=form.cleaned_data.get("comment", ""),
                corrected_elements=form.corrected_elements(page.request),
            )
        except DomainError as error:
            for name, errors in error.fields.items():
                target = (
                    "amount" if name.startswith("elements") and "amount" in form.fields else None
                )
                for message in errors:
                    form.add_error(target, message)
            if not error.fields:
                form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Resubmitted: %(reference)s is back in the queue.") % {"reference": reference},
            )
            return redirect("authorization:request", reference=reference)
    context = _detail_context(request, page)
    context["resubmit_form"] = form
    return render(request, "authorization/requests/detail.html", context, status=400)


@submitter_required
@require_POST
def request_transfer_by_submitter(request: HttpRequest, reference: str) -> HttpResponse:
    """No supervisor can come: the teller sends the waiting request to the remote centre."""
    form = TransferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose where to send the request."))
        return redirect("authorization:request", reference=reference)
    try:
        request_services.request_transfer(
            reference=reference,
            mode=form.cleaned_data["mode"],
            actor=page_actor(request),
            comment=form.cleaned_data["comment"],
        )
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Request transferred."))
    return redirect("authorization:request", reference=reference)


@submitter_required
@require_POST
def request_on_site(request: HttpRequest, reference: str) -> HttpResponse:
    """The step-up dialog: a supervisor decides at this terminal with their own credentials;
    the teller's session is left as it is. Failed passwords count towards the supervisor's
    lockout."""
    page = _request_page_or_404(reference, request.user)
    req = page.request
    form = OnSiteDecisionForm(
        request.POST,
        points=req.decision_shown.get("review_points", []),
        return_reasons=page.return_reasons,
        reject_reasons=page.reject_reasons,
    )
    status = 400
    if form.is_valid():
        try:
            decided = request_services.request_on_site_decide(
                reference=reference,
                supervisor_username=form.cleaned_data["supervisor_username"],
                supervisor_password=form.cleaned_data["supervisor_password"],
                action=form.cleaned_data["action"],
                actor=page_actor(request),
                auth_request=request,
                verdicts=form.verdicts(),
                reason_code=form.cleaned_data.get("reason_code") or "",
                comment=form.cleaned_data.get("comment") or "",
            )
        except DomainError as error:
            form.add_domain_error(error)
            status = error.http_status
            if error.code == "locked_out":
                # The supervisor's account is locked (recorded by django-axes); the teller's
                # page stays, saying so, instead of axes' own lockout page for the session.
                request.axes_locked_out = False
        else:
            messages.success(
                request,
                _("%(reference)s: %(state)s by %(supervisor)s.")
                % {
                    "reference": reference,
                    "state": decided.get_state_display(),
                    "supervisor": form.cleaned_data["supervisor_username"],
                },
            )
            return redirect("authorization:request", reference=reference)
    context = _detail_context(request, page, on_site_form=form, on_site_show=True)
    return render(request, "authorization/requests/detail.html", context, status=status)
