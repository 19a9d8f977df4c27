"""Rule-set proposals: the list, and approve / reject / withdraw for the administrators."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bankcore.errors import DomainError

from .. import page_selectors
from ..forms import ProposalRejectForm
from ..page_selectors import RuleSetProposalNotFound
from ..services import (
    rule_set_proposal_approve,
    rule_set_proposal_reject,
    rule_set_proposal_withdraw,
)
from .access import rule_set_admin_required, rule_set_reader_required, user_can_manage_rule_set


def _proposal_or_404(proposal_id: int):
    try:
        return page_selectors.rule_set_proposal_get(proposal_id=proposal_id)
    except RuleSetProposalNotFound as exc:
        raise Http404 from exc


def _render_list(request: HttpRequest, *, reject_forms=None, status: int = 200) -> HttpResponse:
    rows = page_selectors.rule_set_proposal_rows()
    reject_forms = reject_forms or {}
    return render(
        request,
        "authorization/proposal_list.html",
        {
            "rows": [
                (
                    row,
                    reject_forms.get(row.proposal.pk)
                    or ProposalRejectForm(prefix=f"p{row.proposal.pk}"),
                )
                for row in rows
            ],
            "can_manage": user_can_manage_rule_set(request.user),
        },
        status=status,
    )


@rule_set_reader_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request)


@require_POST
@rule_set_admin_required
def proposal_approve(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(proposal_id)
    try:
        publication = rule_set_proposal_approve(
            proposal=proposal, approved_by=request.user, now=timezone.now()
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("authorization:proposals")
    messages.success(
        request,
        _("Approved: v%(number)s is published, in force from %(at)s.")
        % {
            "number": proposal.version.number,
            "at": timezone.localtime(publication.effective_at).strftime("%Y-%m-%d %H:%M"),
        },
    )
    return redirect("authorization:version", number=proposal.version.number)


@require_POST
@rule_set_admin_required
def proposal_reject(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(proposal_id)
    form = ProposalRejectForm(request.POST, prefix=f"p{proposal.pk}")
    if form.is_valid():
        try:
            rule_set_proposal_reject(
                proposal=proposal,
                rejected_by=request.user,
                comment=form.cleaned_data["comment"],
                now=timezone.now(),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Rejected: v%(number)s is not published.") % {"number": proposal.version.number},
            )
        return redirect("authorization:proposals")
    return _render_list(request, reject_forms={proposal.pk: form}, status=400)


@require_POST
@rule_set_admin_required
def proposal_withdraw(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(proposal_id)
    try:
        rule_set_proposal_withdraw(proposal=proposal, withdrawn_by=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("authorization:proposals")
    messages.success(request, _("Proposal withdrawn."))
    return redirect("authorization:version", number=proposal.version.number)
