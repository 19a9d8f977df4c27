"""What the condition builder on a draft's trigger-rule form offers: the fields (each
transaction's declared elements and the fact catalogue) with their value kinds, the operators
per kind, the values of the fields that come from a catalogue, and the builder's own labels in
the language of the request.

The builder (static/js/condition_builder.js) only writes the condition's JSON into the form's
textarea; validation, the "reads as" text and saving stay on the one server path.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bankcore.money import CURRENCY_MINOR_UNITS

from .models import RuleSetVersion, TransactionElement, TransactionType
from .rules.catalogue import (
    ELEMENT_CHOICES,
    ELEMENT_KINDS,
    FACTS,
    FIXED_VALUES,
    OPERATORS_BY_KIND,
)
from .rules.sentences import OPERATOR_PHRASES
from .value_names import catalogue_value_choices


def _source_labels() -> dict[str, str]:
    return {
        "transaction": _("Transaction"),
        "customer": _("Customer"),
        "account": _("Account"),
        "product": _("Product"),
        "teller": _("Teller"),
        "time": pgettext("condition builder", "Time"),
    }


def _operator_labels() -> dict[str, str]:
    # The same words as the sentences that read a condition back ("reads as", explanations).
    return {op: str(phrase) for op, phrase in OPERATOR_PHRASES.items()}


def _builder_labels() -> dict[str, str]:
    return {
        "builder": _("Condition"),
        "builder_help": _(
            "Build the condition from rows; the JSON below follows every change. "
            "A rule with no rows always applies."
        ),
        "all": _("all of these hold"),
        "any": _("any of these holds"),
        "match": _("Applies when"),
        "negate": _("not"),
        "negate_hint": _("Turns the row or group around: it holds when it would not."),
        "field": _("Field"),
        "operator": _("Comparison"),
        "value": _("Value"),
        "amount": _("Amount"),
        "currency": _("Currency"),
        "list_hint": _("Several values: separate them with commas."),
        "add_row": _("Add a condition"),
        "add_group": _("Add a group"),
        "remove_row": _("Remove this condition"),
        "remove_group": _("Remove this group"),
        "row": _("Condition %(number)s"),
        "group": _("Group %(number)s"),
        "pick": _("— choose —"),
        "yes": _("Yes"),
        "no": _("No"),
        "unknown_field": _("%(field)s (not known here)"),
        "show_json": _("Show the JSON (advanced)"),
        "hide_json": _("Hide the JSON"),
        "json_only": _(
            "This condition cannot be shown as rows (the JSON is not valid or uses a form the "
            "builder does not offer). Edit it as JSON, or clear the JSON to start again."
        ),
        "elements_of": _("Elements of %(transaction)s"),
    }


def condition_builder_config(*, version: RuleSetVersion) -> dict:
    """Everything the builder needs for rules of the draft `version` (JSON-ready; a fixed
    number of queries)."""
    elements_by_type: dict[int, list[dict]] = {}
    for element in TransactionElement.objects.filter(transaction_type__version=version).order_by(
        "transaction_type_id", "id"
    ):
        elements_by_type.setdefault(element.transaction_type_id, []).append(
            {
                "path": f"elements.{element.name}",
                "label": element.label or element.name,
                "kind": ELEMENT_KINDS[element.element_type],
                "choices": ELEMENT_CHOICES.get(element.element_type, ""),
            }
        )
    transaction_types = list(TransactionType.objects.filter(version=version).order_by("code"))
    catalogues: dict[str, list[list[str]]] = {
        key: [[code, str(label)] for code, label in values] for key, values in FIXED_VALUES.items()
    }
    catalogues["currency"] = [[code, code] for code in sorted(CURRENCY_MINOR_UNITS)]
    catalogues["transaction"] = [[tx.code, f"{tx.code} · {tx.name}"] for tx in transaction_types]
    # The same lookup as the sentences that name these values (value_names).
    for catalogue in ("channel", "branch", "product", "product_line"):
        catalogues[catalogue] = [
            [code, f"{code} · {name}"]
            for code, name in catalogue_value_choices(catalogue, version=version)
        ]
    sources = _source_labels()
    return {
        "transactions": {
            str(tx.pk): {"name": tx.name, "elements": elements_by_type.get(tx.pk, [])}
            for tx in transaction_types
        },
        "facts": [
            {
                "path": fact.path,
                "label": str(fact.label),
                "kind": fact.kind,
                "source": fact.source,
                "choices": fact.choices,
            }
            for fact in sorted(
                FACTS.values(), key=lambda fact: (list(sources).index(fact.source), fact.path)
            )
        ],
        "sources": sources,
        "operators": {kind: list(ops) for kind, ops in OPERATORS_BY_KIND.items()},
        "operator_labels": _operator_labels(),
        "catalogues": catalogues,
        "labels": _builder_labels(),
    }
