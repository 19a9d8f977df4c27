"""Conditions and explanations in plain language, in the active language.

One sentence builder for everything a person reads about a condition: the "reads as" text of
the condition builder and the rule pages, the condition of each reason in an evaluate answer
and in a request's snapshot, and the explanation of why it held ("Amount is 60,000.00 CNY
(rule: is at least 50,000.00 CNY)"). Fields are named by their labels (the transaction's
element labels, the fact catalogue's labels), comparisons by the condition builder's words,
values of a fixed catalogue by their names, true and false as yes and no: no path or code of
the condition language is shown. The technical form (`elements.amount ≥ 50,000.00 CNY`) stays
available to integrators as `conditions.condition_expression`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, gettext_noop, pgettext, pgettext_lazy

from bankcore.money import CURRENCY_MINOR_UNITS, Money

from .catalogue import BOOLEAN, FACTS, FIXED_VALUES
from .conditions import AllOf, Leaf, Node, Not, condition_fields

Facts = Mapping[str, Any]
Labels = Mapping[str, str]  # element name → label, in the language of the rule set
Explainer = Callable[[Facts, str], list[str]]  # (facts, language) → lines

# The condition builder's words for each comparison (the same messages, so the same
# translations, as its operator menu).
OPERATOR_PHRASES = {
    "eq": pgettext_lazy("condition builder", "equals"),
    "ne": pgettext_lazy("condition builder", "does not equal"),
    "gt": pgettext_lazy("condition builder", "is more than"),
    "gte": pgettext_lazy("condition builder", "is at least"),
    "lt": pgettext_lazy("condition builder", "is less than"),
    "lte": pgettext_lazy("condition builder", "is at most"),
    "in": pgettext_lazy("condition builder", "is one of"),
    "not_in": pgettext_lazy("condition builder", "is none of"),
    "starts_with": pgettext_lazy("condition builder", "starts with"),
    "is_set": pgettext_lazy("condition builder", "is known"),
}

_NO_LABELS: Labels = {}


def field_label(path: str, labels: Labels | None = None) -> str:
    """What a person calls `path`: the element's label (its name when the transaction gives
    none) or the fact's label."""
    if path.startswith("elements."):
        name = path[9:]
        return (labels or _NO_LABELS).get(name) or name
    fact = FACTS.get(path)
    return str(fact.label) if fact is not None else path


def _value_names(path: str) -> dict[str, Any] | None:
    fact = FACTS.get(path)
    values = FIXED_VALUES.get(fact.choices) if fact is not None else None
    return dict(values) if values else None


def value_text(value: Any, names: Mapping[str, Any] | None = None) -> str:
    """A value as a person reads it: amounts with separators and currency, yes / no, the
    name of a catalogue value (`names`: code → name), lists joined."""
    if isinstance(value, Money):
        places = CURRENCY_MINOR_UNITS.get(value.currency, 2)
        return f"{value.amount:,.{places}f} {value.currency}"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, str):
        if names is not None and value in names:
            return str(names[value])
        return value
    if isinstance(value, (frozenset, set, list, tuple)):
        return ", ".join(sorted(value_text(item, names) for item in value))
    if value is None:
        return gettext("(missing)")
    return str(value)


def _leaf_sentence(leaf: Leaf, labels: Labels | None) -> str:
    label = field_label(leaf.field, labels)
    if leaf.op == "is_set":
        return f"{label} {OPERATOR_PHRASES['is_set']}"
    if leaf.kind == BOOLEAN and leaf.op in ("eq", "ne"):
        holds = leaf.value if leaf.op == "eq" else not leaf.value
        return gettext(_FLAG) % {"field": label, "value": value_text(holds)}
    value = value_text(leaf.value, _value_names(leaf.field))
    return f"{label} {OPERATOR_PHRASES[leaf.op]} {value}"


def condition_text(node: Node, labels: Labels | None = None, *, top: bool = True) -> str:
    """The condition as a sentence, in the active language: "Amount is at least 50,000.00 CNY
    AND Internal employee: Yes". `labels`: the transaction's element labels."""
    if isinstance(node, Leaf):
        return _leaf_sentence(node, labels)
    if isinstance(node, Not):
        return gettext("NOT (%(condition)s)") % {"condition": condition_text(node.child, labels)}
    if not node.children:
        return pgettext("condition text", "always")
    joiner = pgettext("condition text", " AND " if isinstance(node, AllOf) else " OR ")
    text = joiner.join(condition_text(child, labels, top=False) for child in node.children)
    return text if top or len(node.children) == 1 else f"({text})"


# --- Explanations: the values that made a condition hold ------------------------------------
# Explanations are written in the request's language, while a compiled rule set is shared by
# requests in every language. Looking each phrase up through gettext on every evaluation costs
# more than the matching, so each phrase is translated once per language and kept.
_COMPARED = gettext_noop("%(field)s is %(value)s (rule: %(rule)s)")
_FLAG = gettext_noop("%(field)s: %(value)s")  # a yes / no fact
_IS = gettext_noop("%(field)s is %(value)s")
_NOT = gettext_noop("not (%(condition)s): %(values)s")
_translated: dict[tuple[str, str], str] = {}


def _phrase(message: str, language: str) -> str:
    """`message` in `language`, the active one (gettext once per language and phrase)."""
    text = _translated.get((language, message))
    if text is None:
        text = _translated[(language, message)] = gettext(message)
    return text


def _per_language(build: Callable[[], str]) -> Callable[[str], str]:
    """`build()` (run in the active language) kept per language."""
    kept: dict[str, str] = {}

    def get(language: str) -> str:
        text = kept.get(language)
        if text is None:
            text = kept[language] = build()
        return text

    return get


def compile_explainer(
    node: Node, labels: Labels | None = None, *, matcher: Callable[[Node], Any]
) -> Explainer:
    """A closure listing, in the active language, the values that made `node` hold (called
    only for rules that fired; what does not depend on the facts is prepared once, or once
    per language). `matcher` compiles a node's test (for the branch of an "any" that held)."""
    if isinstance(node, Leaf):
        path = node.field
        label = _per_language(lambda: field_label(path, labels))
        names = _value_names(path)
        if node.kind == BOOLEAN and node.op in ("eq", "ne"):
            return lambda facts, language: [
                _phrase(_FLAG, language)
                % {"field": label(language), "value": value_text(facts.get(path), names)}
            ]
        rule = _per_language(
            lambda: (
                f"{OPERATOR_PHRASES[node.op]} {value_text(node.value, names)}"
                if node.op != "is_set"
                else str(OPERATOR_PHRASES["is_set"])
            )
        )
        return lambda facts, language: [
            _phrase(_COMPARED, language)
            % {
                "field": label(language),
                "value": value_text(facts.get(path), names),
                "rule": rule(language),
            }
        ]
    if isinstance(node, Not):
        child = node.child
        fields = sorted(condition_fields(child))
        text = _per_language(lambda: condition_text(child, labels))
        lines = [(_per_language(lambda p=p: field_label(p, labels)), p) for p in fields]
        names = {p: _value_names(p) for p in fields}

        def negation(facts: Facts, language: str) -> list[str]:
            values = ", ".join(
                _phrase(_IS, language)
                % {"field": label(language), "value": value_text(facts.get(p), names[p])}
                for label, p in lines
            )
            return [_phrase(_NOT, language) % {"condition": text(language), "values": values}]

        return negation
    if isinstance(node, AllOf):
        if not node.children:
            return lambda facts, language: [pgettext("condition text", "always")]
        parts = tuple(compile_explainer(c, labels, matcher=matcher) for c in node.children)
        return lambda facts, language: [line for part in parts for line in part(facts, language)]
    pairs = tuple(
        (matcher(child), compile_explainer(child, labels, matcher=matcher))
        for child in node.children
    )

    def first_true(facts: Facts, language: str) -> list[str]:
        for match, explain in pairs:
            if match(facts):
                return explain(facts, language)
        return []

    return first_true
