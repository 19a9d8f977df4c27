"""The "try it" form: evaluate a transaction against the draft or a published version and see
the decision with its explanation. Nothing is recorded."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from bankcore.errors import DomainError

from .. import page_selectors
from ..forms import TryItForm, form_mark_invalid
from ..models import AuthorizationMode, AuthorizerRole
from ..selectors import rule_set_version_in_force_id
from ..services import TransactionInput, evaluate
from .access import rule_set_admin_required


def _pick_version(request: HttpRequest, versions):
    wanted = request.GET.get("version")
    by_number = {str(v.number): v for v in versions}
    if wanted in by_number:
        return by_number[wanted]
    in_force_id = rule_set_version_in_force_id(now=timezone.now())
    return next((v for v in versions if v.pk == in_force_id), versions[0] if versions else None)


@rule_set_admin_required
def try_it(request: HttpRequest) -> HttpResponse:
    versions = page_selectors.rule_set_versions_for_choice(now=timezone.now())
    version = _pick_version(request, versions)
    if version is None:
        return render(request, "authorization/try_it.html", {"form": None})
    transaction_types = page_selectors.transaction_types_of(version=version)
    by_code = {tx.code: tx for tx in transaction_types}
    transaction = by_code.get(request.GET.get("transaction_code")) or (
        transaction_types[0] if transaction_types else None
    )
    channels = list(version.trigger_systems.order_by("code"))
    evaluating = "evaluate" in request.GET
    data = None
    if request.GET:
        data = request.GET.copy()
        data["version"] = str(version.number)
        if transaction is not None:
            data["transaction_code"] = transaction.code
    form = TryItForm(
        data if evaluating else None,
        initial={
            **(data.dict() if data else {}),
            "version": version.number,
            "transaction_code": transaction.code if transaction else "",
            "channel": "counter" if any(c.code == "counter" for c in channels) else "",
        },
        versions=versions,
        transaction_types=transaction_types,
        channels=channels,
        transaction=transaction,
    )
    decision = None
    if evaluating and form.is_valid():
        try:
            decision = evaluate(
                transaction=TransactionInput(
                    transaction_code=form.cleaned_data["transaction_code"],
                    channel=form.cleaned_data["channel"],
                    elements=form.elements(),
                    branch_code=form.cleaned_data["branch_code"],
                    teller=form.cleaned_data["teller"],
                ),
                rule_set=page_selectors.rule_set_for_trial(version=version),
                record=False,
            ).decision
        except DomainError as error:
            form.add_domain_error(error)
    form_mark_invalid(form)
    modes = dict(AuthorizationMode.choices)
    context = {
        "reason_rows": [(r, modes.get(r.mode, r.mode)) for r in decision.reasons]
        if decision
        else [],
        "form": form,
        "version": version,
        "transaction": transaction,
        "decision": decision,
        "mode_label": modes.get(decision.mode) if decision else None,
        "role_label": dict(AuthorizerRole.choices).get(decision.authorizer_role)
        if decision
        else None,
    }
    return render(request, "authorization/try_it.html", context)
