"""Status changes on the staff pages: a teller (or anyone who edits customers) asks, a
branch supervisor other than the requester approves or rejects (customers.services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bankcore.errors import DomainError, form_add_domain_error
from customers import selectors, services
from customers.forms import StatusChangeDecisionForm, StatusChangeRequestForm


def _customer_or_404(request: HttpRequest, customer_no: str):
    try:
        return selectors.customer_for_user(user=request.user, customer_no=customer_no)
    except DomainError:
        raise Http404 from None


@login_required
@permission_required("customers.add_customerstatuschange", raise_exception=True)
def status_change_request(request: HttpRequest, customer_no: str) -> HttpResponse:
    customer = _customer_or_404(request, customer_no)
    form = StatusChangeRequestForm(request.POST or None, customer=customer)
    if request.method == "POST" and form.is_valid():
        try:
            services.status_change_request(
                customer=customer,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                requested_by=request.user,
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(
                request, _("Status change requested: it waits for a branch supervisor's approval.")
            )
            return redirect("customers:detail", customer_no=customer_no)
    return render(
        request,
        "customers/form.html",
        {"form": form, "title": _("Request a status change"), "customer": customer},
    )


@login_required
@permission_required("customers.approve_customerstatuschange", raise_exception=True)
@require_POST
def status_change_decide(request: HttpRequest, customer_no: str, change_id: int) -> HttpResponse:
    customer = _customer_or_404(request, customer_no)
    form = StatusChangeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or reject."))
        return redirect("customers:detail", customer_no=customer_no)
    decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
    try:
        if decision == "approve":
            services.status_change_approve(
                customer=customer,
                status_change_id=change_id,
                approved_by=request.user,
                comment=comment,
            )
            messages.success(request, _("Status change approved."))
        else:
            services.status_change_reject(
                customer=customer,
                status_change_id=change_id,
                rejected_by=request.user,
                comment=comment,
            )
            messages.success(request, _("Status change rejected."))
    except DomainError as error:
        details = [message for messages_ in error.fields.values() for message in messages_]
        messages.error(request, " ".join([str(error.message), *details]))
    return redirect("customers:detail", customer_no=customer_no)
