"""Adding, editing and deleting the items of the draft version, one form per kind of item
(the kinds are declared in item_kinds.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bankcore.errors import DomainError, form_add_domain_error

from .. import forms as item_forms
from .. import models as m
from ..condition_builder import condition_builder_config
from ..item_kinds import KINDS_BY_SLUG, ItemKind
from ..page_selectors import rule_condition_render
from ..rules.catalogue import FACTS
from ..services import draft_item_delete, draft_item_save, trigger_rule_save
from ..value_names import value_names
from .access import rule_set_admin_required
from .versions import version_or_404


def _kind_or_404(slug: str) -> ItemKind:
    try:
        return KINDS_BY_SLUG[slug]
    except KeyError:
        raise Http404 from None


def _item_or_404(kind: ItemKind, version: m.RuleSetVersion, pk: int):
    item = kind.model.objects.filter(pk=pk, **{kind.version_path: version}).first()
    if item is None:
        raise Http404
    return item


def _back_url(version: m.RuleSetVersion, kind: ItemKind) -> str:
    return reverse("authorization:version", kwargs={"number": version.number}) + f"#{kind.anchor}"


def _rule_help(version: m.RuleSetVersion) -> dict:
    """What a condition may name: each transaction's elements, and the fact catalogue."""
    return {
        "transactions": m.TransactionType.objects.filter(version=version)
        .prefetch_related("elements")
        .order_by("code"),
        "facts": sorted(FACTS.values(), key=lambda fact: fact.path),
    }


def _condition_preview(form, version: m.RuleSetVersion) -> dict:
    """The text form of the condition in the form (submitted or saved), or its errors."""
    if form.is_bound:
        condition = form.cleaned_data.get("condition") if hasattr(form, "cleaned_data") else None
        transaction_type = (
            form.cleaned_data.get("transaction_type") if hasattr(form, "cleaned_data") else None
        )
        if condition is None:
            return {"text": "", "errors": ()}
    else:
        condition = form.instance.condition if form.instance.pk else None
        transaction_type = form.instance.transaction_type if form.instance.pk else None
        if condition is None:
            return {"text": "", "errors": ()}
    rows = list(transaction_type.elements.all()) if transaction_type else None
    elements = {el.name: el.element_type for el in rows} if rows is not None else None
    labels = {el.name: el.label or el.name for el in rows} if rows is not None else None
    text, errors = rule_condition_render(
        condition=condition, elements=elements, labels=labels, names=value_names(version=version)
    )
    return {"text": text, "errors": errors}


def _save(kind: ItemKind, form, version: m.RuleSetVersion):
    if kind.slug == "rules":
        return trigger_rule_save(
            rule=form.instance, trigger_systems=form.cleaned_data["trigger_systems"]
        )
    return draft_item_save(
        item=form.instance,
        version=version,
        m2m={name: form.cleaned_data[name] for name in kind.m2m},
    )


@rule_set_admin_required
def item_edit(request: HttpRequest, number: int, kind: str, pk: int | None = None) -> HttpResponse:
    """Add (pk None) or edit one item of the draft."""
    version = version_or_404(number)
    item_kind = _kind_or_404(kind)
    if not version.is_draft:
        messages.error(
            request,
            _(
                "v%(number)s is not a draft: published versions stay as they were. Create a draft to change rules."
            )
            % {"number": version.number},
        )
        return redirect("authorization:version", number=version.number)
    if pk is None:
        instance = item_kind.model()
        if any(f.name == "version" for f in item_kind.model._meta.fields):
            instance.version = version
    else:
        instance = _item_or_404(item_kind, version, pk)
    initial = {}
    if item_kind.prefill and request.GET.get(item_kind.prefill):
        initial[item_kind.prefill] = request.GET[item_kind.prefill]
    form = item_forms.DRAFT_ITEM_FORMS[item_kind.slug](
        request.POST if request.method == "POST" else None,
        instance=instance,
        initial=initial,
        version=version,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(item_kind, form, version)
        except DomainError as error:
            form_add_domain_error(form, error)
        except ValidationError as error:
            item_forms.form_add_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Saved %(kind)s %(item)s in draft v%(number)s.")
                % {"kind": item_kind.title, "item": saved, "number": version.number},
            )
            return redirect(_back_url(version, item_kind))
    context = {
        "version": version,
        "kind": item_kind,
        "form": form,
        "instance": instance,
        "is_new": pk is None,
        "back_url": _back_url(version, item_kind),
    }
    if item_kind.slug == "rules":
        # Typing in the condition shows its text form (or where it is wrong) as you go.
        form.fields["condition"].widget.attrs.update(
            {
                "hx-post": reverse("authorization:condition-preview", args=[version.number]),
                # preview-refresh: the builder asks again when the transaction changes.
                "hx-trigger": "input changed delay:400ms, preview-refresh",
                "hx-target": "#condition-preview",
                "hx-include": "[name=transaction_type],[name=condition],[name=reason]",
                # Rows, comparisons and values over this textarea (static/js/condition_builder.js).
                "data-condition-builder": "condition-builder-config",
            }
        )
        context["builder_config"] = condition_builder_config(version=version)
        context["preview"] = _condition_preview(form, version)
        context["preview_show_errors"] = not form.is_bound
        context.update(_rule_help(version))
    item_forms.form_mark_invalid(form)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "authorization/item_form.html", context, status=status)


@require_POST
@rule_set_admin_required
def item_delete(request: HttpRequest, number: int, kind: str, pk: int) -> HttpResponse:
    version = version_or_404(number)
    item_kind = _kind_or_404(kind)
    item = _item_or_404(item_kind, version, pk)
    label = str(item)
    try:
        draft_item_delete(item=item, version=version)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Deleted %(kind)s %(item)s from draft v%(number)s.")
            % {"kind": item_kind.title, "item": label, "number": version.number},
        )
    return redirect(_back_url(version, item_kind))


@require_POST
@rule_set_admin_required
def condition_preview(request: HttpRequest, number: int) -> HttpResponse:
    """htmx: the text form of the condition being typed, or where it is wrong."""
    version = version_or_404(number)
    form = item_forms.TriggerRuleForm(request.POST, version=version)
    form.is_valid()
    preview = _condition_preview(form, version)
    if "condition" in form.errors and not preview["errors"]:
        preview = {"text": "", "errors": tuple(form.errors["condition"])}
    return render(
        request,
        "authorization/_condition_preview.html",
        {"preview": preview, "show_errors": True},
    )
