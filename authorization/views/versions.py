"""Rule-set versions: list, detail (the draft's editing page), check, simulate, publish,
roll back, compare."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bankcore.errors import DomainError, form_add_domain_error

from .. import page_selectors
from ..forms import CompareForm, DraftCreateForm, PublishForm
from ..models import RuleSetVersion
from ..selectors import RuleSetVersionNotFound
from ..services import (
    VersionNotPublishable,
    rule_set_check,
    rule_set_diff,
    rule_set_draft_create,
    rule_set_publication_propose,
    rule_set_simulate,
)
from .access import (
    rule_set_admin_required,
    rule_set_reader_required,
    user_can_manage_rule_set,
)


def version_or_404(number: int) -> RuleSetVersion:
    try:
        return page_selectors.rule_set_version_with_parents(number=number)
    except RuleSetVersionNotFound as exc:
        raise Http404 from exc


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@rule_set_reader_required
def version_list(request: HttpRequest) -> HttpResponse:
    rows = page_selectors.rule_set_version_rows(now=timezone.now())
    versions = [row.version for row in rows]
    draft = next((v for v in versions if v.is_draft), None)
    in_force = next((row.version for row in rows if row.in_force), None)
    compare_form = None
    if len(versions) >= 2:
        compare_form = CompareForm(
            versions=versions,
            initial={"base": versions[1].number, "other": versions[0].number},
        )
    return render(
        request,
        "authorization/version_list.html",
        {
            "rows": rows,
            "draft": draft,
            "in_force": in_force,
            "pending": any(row.pending_proposal for row in rows),
            "compare_form": compare_form,
            "draft_form": DraftCreateForm(),
            "can_manage": user_can_manage_rule_set(request.user),
        },
    )


def _detail_context(request: HttpRequest, version: RuleSetVersion, **extra) -> dict:
    state = page_selectors.rule_set_version_state(version=version, now=timezone.now())
    row = state.row
    can_manage = user_can_manage_rule_set(request.user)
    latest_publication = state.latest_publication_version_id
    return {
        "version": version,
        "row": row,
        "publications": state.publications,
        "content": page_selectors.rule_set_version_content(version=version),
        "in_force": row.in_force,
        "can_manage": can_manage,
        "can_edit": can_manage and version.is_draft and row.pending_proposal is None,
        "can_publish": can_manage
        and row.pending_proposal is None
        and (version.is_draft or version.pk != latest_publication),
        "publish_form": extra.pop("publish_form", None) or PublishForm(),
        "draft_form": DraftCreateForm(),
        **extra,
    }


@rule_set_reader_required
def version_detail(request: HttpRequest, number: int) -> HttpResponse:
    version = version_or_404(number)
    return render(request, "authorization/version_detail.html", _detail_context(request, version))


@require_POST
@rule_set_admin_required
def draft_create(request: HttpRequest) -> HttpResponse:
    form = DraftCreateForm(request.POST)
    based_on = None
    if request.POST.get("based_on"):
        based_on = version_or_404(int(request.POST["based_on"]))
    if not form.is_valid():
        messages.error(request, _("The note is too long."))
        return redirect("authorization:versions")
    try:
        draft = rule_set_draft_create(
            created_by=request.user,
            based_on=based_on,
            note=form.cleaned_data["note"],
            now=timezone.now(),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("authorization:versions")
    if draft.based_on_id:
        messages.success(
            request,
            _(
                "Draft v%(number)s created as a copy of v%(base)s. Nothing changes for channels until you publish it."
            )
            % {"number": draft.number, "base": draft.based_on.number},
        )
    else:
        messages.success(request, _("Empty draft v%(number)s created.") % {"number": draft.number})
    return redirect("authorization:version", number=draft.number)


CHECK_ANCHORS = {"trigger_rule": "rule", "reason": "reason", "scene": "scene"}


def check_issue_rows(version: RuleSetVersion, issues) -> list[dict]:
    """Each issue with a link to the item it is about: a draft's trigger rule opens its form,
    anything else its place on the version page."""
    detail = reverse("authorization:version", kwargs={"number": version.number})
    rows = []
    for issue in issues:
        if issue.kind == "trigger_rule" and version.is_draft and issue.item_id:
            url = reverse(
                "authorization:item-edit",
                kwargs={"number": version.number, "kind": "rules", "pk": issue.item_id},
            )
        else:
            url = f"{detail}#{CHECK_ANCHORS[issue.kind]}-{issue.code}"
        rows.append({"place": issue.place, "message": issue.message, "url": url})
    return rows


@rule_set_reader_required
def version_check(request: HttpRequest, number: int) -> HttpResponse:
    version = version_or_404(number)
    report = rule_set_check(version=version)
    context = {
        "version": version,
        "report": report,
        "errors": check_issue_rows(version, report.errors),
        "warnings": check_issue_rows(version, report.warnings),
    }
    if is_htmx(request):
        return render(request, "authorization/_check.html", context)
    return render(request, "authorization/version_check.html", context)


def _element_summary(elements: dict) -> str:
    parts = []
    for name, value in sorted(elements.items()):
        if isinstance(value, dict) and set(value) == {"amount", "currency"}:
            value = f"{value['amount']} {value['currency']}"
        parts.append(f"{name}: {value}")
    return ", ".join(parts)


@rule_set_admin_required
def version_simulate(request: HttpRequest, number: int) -> HttpResponse:
    version = version_or_404(number)
    report = rule_set_simulate(version=version)
    for line in (*report.by_reason, *report.by_branch):
        for example in line.examples:
            example["summary"] = _element_summary(example["elements"])
    context = {"version": version, "report": report}
    if is_htmx(request):
        return render(request, "authorization/_simulation.html", context)
    return render(request, "authorization/version_simulation.html", context)


@require_POST
@rule_set_admin_required
def version_publish(request: HttpRequest, number: int) -> HttpResponse:
    """Propose publishing the draft (or publishing an earlier version again); a second
    parameter administrator approves it on the proposals page."""
    version = version_or_404(number)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            rule_set_publication_propose(
                version=version,
                proposed_by=request.user,
                effective_at=form.cleaned_data["effective_at"],
                now=timezone.now(),
            )
        except VersionNotPublishable as error:
            for message in error.fields.get("version", [error.message]):
                form.add_error(None, message)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            text = (
                _(
                    "Roll back to v%(number)s proposed; it takes effect when another parameter administrator approves it."
                )
                if not version.is_draft
                else _(
                    "Publication of v%(number)s proposed; it takes effect when another parameter administrator approves it."
                )
            )
            messages.success(request, text % {"number": version.number})
            return redirect("authorization:proposals")
    context = _detail_context(request, version, publish_form=form, publish_refused=True)
    return render(request, "authorization/version_detail.html", context, status=400)


@rule_set_reader_required
def version_compare(request: HttpRequest) -> HttpResponse:
    versions = page_selectors.rule_set_versions_for_choice(now=timezone.now())
    form = CompareForm(request.GET or None, versions=versions)
    diff = None
    if form.is_valid():
        by_number = {v.number: v for v in versions}
        diff = rule_set_diff(
            base=by_number[form.cleaned_data["base"]],
            other=by_number[form.cleaned_data["other"]],
        )
    return render(
        request,
        "authorization/version_compare.html",
        {"form": form, "diff": diff, "condition_label": _("Condition")},
    )
