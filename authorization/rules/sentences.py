"""Conditions and explanations in plain language, in the active language.

One sentence builder for everything a person reads about a condition: the "reads as" text of
the condition builder and the rule pages, the condition of each reason in an evaluate answer
and in a request's snapshot, and the explanation of why it held ("Amount is 60,000.00 CNY
(rule: is at least 50,000.00 CNY)"). Fields are named by their labels (the transaction's
element labels, the fact catalogue's labels), comparisons by the condition builder's words,
values of a catalogue by their names ("Branch equals Beijing Branch", not "BJ01"), true and
false as yes and no: no path or code of the condition language is shown. The technical form
(`elements.amount ≥ 50,000.00 CNY`) stays available to integrators as
`conditions.condition_expression`.

Fixed value sets are named here (catalogue.FIXED_VALUES). Values of catalogues kept in tables
(transactions, channels, branches, products, product lines) are named by a `ValueNames` the
caller passes (authorization.value_names reads them): this package never touches the
database. Their names can change at any time, so a sentence that names them is kept only as
long as the book of names it was written from is the one the caller still answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language, gettext, gettext_noop, pgettext, pgettext_lazy

from bankcore.money import CURRENCY_MINOR_UNITS, Money

from .catalogue import BOOLEAN, FACTS, FIXED_VALUES, value_catalogue
from .conditions import AllOf, Leaf, Node, Not, condition_fields

Facts = Mapping[str, Any]
Labels = Mapping[str, str]  # element name → label, in the language of the rule set
Elements = Mapping[str, str]  # element name → element type (which catalogue its values are from)
Explainer = Callable[[Facts, str], list[str]]  # (facts, language) → lines
# The names of table catalogues' values in one language: catalogue → {code: name} (an empty
# map for a catalogue it does not know).
NameBook = Mapping[str, Mapping[str, str]]
# language → its NameBook. The same book object is answered for as long as no name in it has
# changed: a sentence written from a book is kept until another book is answered.
ValueNames = Callable[[str], NameBook]

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


_FIXED_NAMES: dict[str, dict[str, Any]] = {
    key: dict(values) for key, values in FIXED_VALUES.items()
}


def _table_catalogue(path: str, elements: Elements | None) -> str:
    """The table catalogue naming the values of `path` ("" when none does)."""
    catalogue = value_catalogue(path, elements)
    return catalogue if catalogue and catalogue not in _FIXED_NAMES else ""


def _names_tables(node: Node, elements: Elements | None) -> bool:
    """Whether `node` compares a field whose values a table names."""
    return any(_table_catalogue(path, elements) for path in condition_fields(node))


def _value_names(
    path: str, elements: Elements | None = None, book: NameBook | None = None
) -> Mapping[str, Any] | None:
    """code → name for the values of `path` (None: shown as they are)."""
    catalogue = value_catalogue(path, elements)
    if not catalogue:
        return None
    fixed = _FIXED_NAMES.get(catalogue)
    if fixed is not None:
        return fixed
    return book[catalogue] if book is not None else None


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


def _leaf_sentence(
    leaf: Leaf, labels: Labels | None, elements: Elements | None, book: NameBook | None
) -> str:
    label = field_label(leaf.field, labels)
    if leaf.op == "is_set":
        return f"{label} {OPERATOR_PHRASES['is_set']}"
    if leaf.kind == BOOLEAN and leaf.op in ("eq", "ne"):
        holds = leaf.value if leaf.op == "eq" else not leaf.value
        return gettext(_FLAG) % {"field": label, "value": value_text(holds)}
    value = value_text(leaf.value, _value_names(leaf.field, elements, book))
    return f"{label} {OPERATOR_PHRASES[leaf.op]} {value}"


def condition_text(
    node: Node,
    labels: Labels | None = None,
    *,
    top: bool = True,
    elements: Elements | None = None,
    names: ValueNames | None = None,
) -> str:
    """The condition as a sentence, in the active language: "Amount is at least 50,000.00 CNY
    AND Branch equals Beijing Branch". `labels`: the transaction's element labels;
    `elements`: its element types; `names`: the names of table catalogues' values (without
    them such values read as their codes)."""
    book = names(get_language() or "en") if names is not None else None
    return _sentence(node, labels, elements, book, top=top)


def _sentence(
    node: Node,
    labels: Labels | None,
    elements: Elements | None,
    book: NameBook | None,
    *,
    top: bool = True,
) -> str:
    if isinstance(node, Leaf):
        return _leaf_sentence(node, labels, elements, book)
    if isinstance(node, Not):
        child = _sentence(node.child, labels, elements, book)
        return gettext("NOT (%(condition)s)") % {"condition": child}
    if not node.children:
        return pgettext("condition text", "always")
    joiner = pgettext("condition text", " AND " if isinstance(node, AllOf) else " OR ")
    text = joiner.join(
        _sentence(child, labels, elements, book, top=False) for child in node.children
    )
    return text if top or len(node.children) == 1 else f"({text})"


def compile_condition_text(
    node: Node,
    labels: Labels | None = None,
    *,
    elements: Elements | None = None,
    names: ValueNames | None = None,
) -> Callable[[str], str]:
    """`condition_text(node)` by language (run in that language), kept: once per language,
    and again when the names it shows have changed (the evaluate service asks for it on
    every evaluation that raises the rule's reason: then it costs a lookup)."""
    if names is None or not _names_tables(node, elements):
        return _per_language_of(lambda language: _sentence(node, labels, elements, None))
    text = _sentence_by_book(node, labels, elements)
    return lambda language: text(language, names(language))


def _sentence_by_book(
    node: Node, labels: Labels | None, elements: Elements | None
) -> Callable[[str, NameBook | None], str]:
    """The sentence kept per language for as long as the same book is passed."""
    kept: dict[str, tuple[NameBook | None, str]] = {}

    def get(language: str, book: NameBook | None) -> str:
        held = kept.get(language)
        if held is not None and held[0] is book:
            return held[1]
        text = _sentence(node, labels, elements, book)
        kept[language] = (book, text)
        return text

    return get


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
    return _per_language_of(lambda language: build())


def _per_language_of(build: Callable[[str], str]) -> Callable[[str], str]:
    """`build(language)` (run in that language, the active one) kept per language."""
    kept: dict[str, str] = {}

    def get(language: str) -> str:
        text = kept.get(language)
        if text is None:
            text = kept[language] = build(language)
        return text

    return get


def _per_names(
    build: Callable[[Mapping[str, Any] | None], str],
) -> Callable[[str, Mapping[str, Any] | None], str]:
    """`build(names)` kept per language for as long as the same `names` map is passed."""
    kept: dict[str, tuple[Mapping[str, Any] | None, str]] = {}

    def get(language: str, names: Mapping[str, Any] | None) -> str:
        held = kept.get(language)
        if held is not None and held[0] is names:
            return held[1]
        text = build(names)
        kept[language] = (names, text)
        return text

    return get


def compile_explainer(
    node: Node,
    labels: Labels | None = None,
    *,
    matcher: Callable[[Node], Any],
    elements: Elements | None = None,
    names: ValueNames | None = None,
) -> Explainer:
    """A closure listing, in the active language, the values that made `node` hold (called
    only for rules that fired; what does not depend on the facts is prepared once, or once
    per language and book of names). `matcher` compiles a node's test (for the branch of an
    "any" that held); `elements` and `names` as for `condition_text`."""
    if names is None or not _names_tables(node, elements):
        return _explainer(node, labels, elements, matcher)  # called with (facts, language)
    explain = _explainer(node, labels, elements, matcher)
    # The book is asked for once per explanation; each value it names is then a lookup.
    return lambda facts, language: explain(facts, language, names(language))


# (facts, language, book) → lines; the book is None where no table names a value.
_BookExplainer = Callable[..., list[str]]


def _explainer(
    node: Node, labels: Labels | None, elements: Elements | None, matcher: Callable[[Node], Any]
) -> _BookExplainer:
    if isinstance(node, Leaf):
        return _leaf_explainer(node, labels, elements)
    if isinstance(node, Not):
        return _negation_explainer(node.child, labels, elements)
    if isinstance(node, AllOf):
        if not node.children:
            return lambda facts, language, book=None: [pgettext("condition text", "always")]
        parts = tuple(_explainer(c, labels, elements, matcher) for c in node.children)
        return lambda facts, language, book=None: [
            line for part in parts for line in part(facts, language, book)
        ]
    pairs = tuple(
        (matcher(child), _explainer(child, labels, elements, matcher)) for child in node.children
    )

    def first_true(facts: Facts, language: str, book: NameBook | None = None) -> list[str]:
        for match, explain in pairs:
            if match(facts):
                return explain(facts, language, book)
        return []

    return first_true


def _negation_explainer(
    child: Node, labels: Labels | None, elements: Elements | None
) -> _BookExplainer:
    fields = sorted(condition_fields(child))
    text = _sentence_by_book(child, labels, elements)
    lines = [
        (
            _per_language(lambda p=p: field_label(p, labels)),
            p,
            _table_catalogue(p, elements),
            _value_names(p, elements),
        )
        for p in fields
    ]

    def negation(facts: Facts, language: str, book: NameBook | None = None) -> list[str]:
        values = ", ".join(
            _phrase(_IS, language)
            % {
                "field": label(language),
                "value": value_text(
                    facts.get(p), book[catalogue] if catalogue and book is not None else fixed
                ),
            }
            for label, p, catalogue, fixed in lines
        )
        return [_phrase(_NOT, language) % {"condition": text(language, book), "values": values}]

    return negation


def _leaf_explainer(node: Leaf, labels: Labels | None, elements: Elements | None) -> _BookExplainer:
    path = node.field
    label = _per_language(lambda: field_label(path, labels))
    if node.kind == BOOLEAN and node.op in ("eq", "ne"):
        return lambda facts, language, book=None: [
            _phrase(_FLAG, language)
            % {"field": label(language), "value": value_text(facts.get(path))}
        ]

    def rule_text(value_names: Mapping[str, Any] | None) -> str:
        if node.op == "is_set":
            return str(OPERATOR_PHRASES["is_set"])
        return f"{OPERATOR_PHRASES[node.op]} {value_text(node.value, value_names)}"

    catalogue = _table_catalogue(path, elements)
    if not catalogue:  # values shown as they are, or named by a fixed catalogue
        fixed = _value_names(path, elements)
        rule = _per_language(lambda: rule_text(fixed))
        return lambda facts, language, book=None: [
            _phrase(_COMPARED, language)
            % {
                "field": label(language),
                "value": value_text(facts.get(path), fixed),
                "rule": rule(language),
            }
        ]
    # Named by a table: the rule's side is written again when the names have changed.
    named_rule = _per_names(rule_text)

    def explain(facts: Facts, language: str, book: NameBook | None = None) -> list[str]:
        value_names = book[catalogue] if book is not None else None
        return [
            _phrase(_COMPARED, language)
            % {
                "field": label(language),
                "value": value_text(facts.get(path), value_names),
                "rule": named_rule(language, value_names),
            }
        ]

    return explain
