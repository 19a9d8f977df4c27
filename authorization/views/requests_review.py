"""The reviewers' workbench (remote authorizers; branch supervisors for their cross-terminal,
Pad and mobile requests): the live queue, Next, the task screen, decisions, release,
transfer; the queue count in the navigation."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bankcore.errors import DomainError, NotFound
from bankcore.roles import Role, user_has_role

from .. import request_page_selectors as selectors
from ..models import AuthorizationMode, RequestState
from ..request_forms import ReviewDecisionForm, TransferForm
from ..services import requests as request_services
from ..services.request_pages import request_review_conclude
from .requests_common import is_htmx, page_actor, reviewer_required


def _queue_context(request: HttpRequest) -> dict:
    queue = selectors.review_queue(user=request.user, now=timezone.now())
    return {
        "queue": queue,
        "version": _queue_version(queue),
        "is_supervisor": user_has_role(request.user, Role.BRANCH_SUPERVISOR),
    }


def _queue_version(queue) -> str:
    """What the live part shows, in a few characters: the poll answers 204 while it is the
    same, so nothing is redrawn (and keyboard focus stays where it is)."""
    rows = [
        (r.reference, r.state, r.level, r.first_approver_id, r.due_at and r.due_at <= queue.now)
        for r in (*queue.held, *queue.on_site, *queue.waiting)
    ]
    shown = (queue.counts, len(queue.held), len(queue.on_site), rows)
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:16]


@reviewer_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """The queue: counts by level and due time, what Next would give, what you hold; for a
    branch supervisor also the on-site requests waiting at their tellers' terminals. Live."""
    return render(request, "authorization/requests/queue.html", _queue_context(request))


@reviewer_required
def review_queue_live(request: HttpRequest) -> HttpResponse:
    """The queue's live part (polled by htmx): 204 while nothing changed."""
    context = _queue_context(request)
    if request.GET.get("v") == context["version"]:
        return HttpResponse(status=204)
    return render(request, "authorization/requests/_queue_live.html", context)


@login_required
def review_queue_badge(request: HttpRequest) -> HttpResponse:
    """The count next to the queue's entry in the navigation (polled)."""
    count = selectors.review_queue_count(user=request.user, now=timezone.now())
    return render(request, "authorization/requests/_queue_badge.html", {"count": count})


@reviewer_required
@require_POST
def review_next(request: HttpRequest) -> HttpResponse:
    """Claim the next request (highest priority, oldest) and open it."""
    try:
        claimed = request_services.request_claim_next(actor=page_actor(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("authorization:review-queue")
    if claimed is None:
        messages.info(request, _("Nothing is waiting for you right now."))
        return redirect("authorization:review-queue")
    return redirect("authorization:review-task", reference=claimed.reference)


def _task_context(request: HttpRequest, task, form=None) -> dict:
    req = task.request
    holding = req.state == RequestState.IN_REVIEW and req.claimed_by_id == request.user.pk
    if form is None:
        form = ReviewDecisionForm(
            points=task.points,
            return_reasons=task.page.return_reasons,
            reject_reasons=task.page.reject_reasons,
        )
    transfer_form = TransferForm(current_mode=req.mode)
    seconds_left = int((req.due_at - task.now).total_seconds()) if req.due_at is not None else None
    return {
        "task": task,
        "page": task.page,
        "req": req,
        "holding": holding,
        "form": form,
        "transfer_form": transfer_form,
        "can_transfer": holding and req.mode != AuthorizationMode.REMOTE_CENTRALIZED,
        "seconds_left": seconds_left,
        "lease_seconds_left": int((req.lease_expires_at - task.now).total_seconds())
        if holding and req.lease_expires_at
        else None,
        "first_verdicts": any(point["first"] for point in task.points),
    }


@reviewer_required
def review_task(request: HttpRequest, reference: str) -> HttpResponse:
    """The task screen; POST records the verdicts and the decision taken with them."""
    try:
        task = selectors.review_task(reference=reference, user=request.user, now=timezone.now())
    except NotFound:
        raise Http404 from None
    if request.method != "POST":
        return render(request, "authorization/requests/task.html", _task_context(request, task))
    form = ReviewDecisionForm(
        request.POST,
        points=task.points,
        return_reasons=task.page.return_reasons,
        reject_reasons=task.page.reject_reasons,
    )
    status = 400
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            decided = request_review_conclude(
                reference=reference,
                verdicts=form.verdicts(),
                action=action,
                actor=page_actor(request),
                reason_code=form.cleaned_data.get("reason_code") or "",
                comment=form.cleaned_data.get("comment") or "",
            )
        except DomainError as error:
            form.add_domain_error(error)
            status = error.http_status
        else:
            if action == "save":
                messages.success(request, _("Verdicts saved."))
                return redirect("authorization:review-task", reference=reference)
            if decided.state == RequestState.QUEUED:  # a dual request's first approval
                text = _("%(reference)s: first approval given; a second authorizer decides.")
            else:
                text = _("%(reference)s: %(state)s.")
            messages.success(
                request, text % {"reference": reference, "state": decided.get_state_display()}
            )
            return redirect("authorization:review-queue")
    from ..forms import form_mark_invalid

    form_mark_invalid(form)
    return render(
        request,
        "authorization/requests/task.html",
        _task_context(request, task, form),
        status=status,
    )


@reviewer_required
@require_POST
def review_release(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        request_services.request_release(reference=reference, actor=page_actor(request))
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("authorization:review-task", reference=reference)
    messages.info(request, _("%(reference)s released to the queue.") % {"reference": reference})
    return redirect("authorization:review-queue")


@reviewer_required
@require_POST
def review_transfer(request: HttpRequest, reference: str) -> HttpResponse:
    """The holder cannot attend: the request goes to another mode (e.g. remote centralized)."""
    form = TransferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose where to send the request."))
        return redirect("authorization:review-task", reference=reference)
    try:
        moved = request_services.request_transfer(
            reference=reference,
            mode=form.cleaned_data["mode"],
            actor=page_actor(request),
            comment=form.cleaned_data["comment"],
        )
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("authorization:review-task", reference=reference)
    messages.success(
        request,
        _("%(reference)s sent to %(mode)s.")
        % {"reference": reference, "mode": moved.get_mode_display()},
    )
    if is_htmx(request):
        return HttpResponse(status=204)
    return redirect("authorization:review-queue")
