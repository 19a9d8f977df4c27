"""The condition language: a JSON condition tree, validated and rendered as readable text.

Grammar (a node is one of):
    {"all": [node, ...]}                    every child holds (an empty list always holds)
    {"any": [node, ...]}                    at least one child holds (at least one child)
    {"not": node}                           the child does not hold
    {"field": PATH, "op": OP, "value": V}   a comparison ("value" is omitted for is_set)

PATH is `elements.<name>` (an element the rule's transaction declares) or a fact of the
catalogue (authorization.rules.catalogue.FACTS: customer.*, account.*, product.*, teller.level,
time.*, transaction.*). Operators per value kind:
    money    eq ne gt gte lt lte is_set      value "50000.00 CNY" or {"amount": "50000", "currency": "CNY"}
    decimal  eq ne gt gte lt lte in not_in is_set   value "12.5" (a string or an integer, never a float)
    integer  eq ne gt gte lt lte in not_in is_set   value 3
    string   eq ne in not_in starts_with is_set     value "corporate"
    boolean  eq ne is_set                   value true / false
    date     eq ne gt gte lt lte is_set     value "2026-01-31"
    object   is_set
`in` / `not_in` take a non-empty list of values of the field's kind.

Semantics: a field the transaction did not carry (or a fact that could not be known) makes
every comparison on it false, except `is_set`, which is then false too (so `{"not": {...is_set}}`
tests absence). Money compares only with money of the same currency: a 60,000 USD withdrawal
does not meet a "≥ 50,000 CNY" threshold.

Conditions are data: they are parsed here and compiled to closures (compiler.py); nothing is
ever passed to eval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from bankcore.money import CURRENCY_MINOR_UNITS, InvalidMoney, Money, to_decimal

from .catalogue import (
    DECIMAL,
    ELEMENT_KINDS,
    FACTS,
    MONEY,
    OBJECT,
    OPERATORS_BY_KIND,
)
from .literals import parse_value


class ConditionInvalid(ValueError):
    """The condition breaks the grammar; `errors` are messages that name the place."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True, slots=True)
class Leaf:
    field: str
    kind: str
    op: str
    value: Any  # parsed: Money, Decimal, int, str, bool, date, frozenset for in/not_in, None


@dataclass(frozen=True, slots=True)
class AllOf:
    children: tuple


@dataclass(frozen=True, slots=True)
class AnyOf:
    children: tuple


@dataclass(frozen=True, slots=True)
class Not:
    child: Any


Node = Leaf | AllOf | AnyOf | Not

_MONEY_TEXT = re.compile(r"^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*([A-Z]{3})\s*$")


def parse_money(raw: Any) -> Money:
    """ "50,000.00 CNY" or {"amount": "50000", "currency": "CNY"} → Money. Raises InvalidMoney."""
    if isinstance(raw, dict) and set(raw) == {"amount", "currency"}:
        if not isinstance(raw["amount"], (str, int)) or isinstance(raw["amount"], bool):
            raise InvalidMoney(_('the amount must be a string such as "50000.00"'))
        try:
            return Money(parse_value(DECIMAL, raw["amount"]), str(raw["currency"]))
        except ValueError as exc:
            raise InvalidMoney(str(exc)) from None
    if isinstance(raw, str) and (match := _MONEY_TEXT.match(raw)):
        return Money(to_decimal(match.group(1).replace(",", "")), match.group(2))
    raise InvalidMoney(
        _(
            '%(value)s is not an amount with a currency (write "50000.00 CNY" or '
            '{"amount": "50000.00", "currency": "CNY"})'
        )
        % {"value": repr(raw)}
    )


def parse_literal(kind: str, raw: Any) -> Any:
    """A value of `kind` from its JSON form. Raises ValueError (or InvalidMoney) with a
    readable message. Everything but money is read as a transaction's elements are
    (literals.parse_value)."""
    if kind == MONEY:
        return parse_money(raw)
    return parse_value(kind, raw)


def field_kind(path: str, elements: dict[str, str] | None) -> str:
    """The value kind of `path` for a rule on a transaction declaring `elements`
    (name → element type; None for a rule on every transaction). Raises ValueError."""
    if not isinstance(path, str) or not path:
        raise ValueError(_('must be a field name such as "elements.amount"'))
    if path.startswith("elements."):
        name = path.removeprefix("elements.")
        if elements is None:
            raise ValueError(
                _(
                    "'%(field)s': a rule for every transaction cannot use elements; "
                    "pick a transaction or use facts"
                )
                % {"field": path}
            )
        if name not in elements:
            known = ", ".join(sorted(elements)) or _("none")
            raise ValueError(
                _("unknown element '%(name)s' (this transaction has: %(known)s)")
                % {"name": name, "known": known}
            )
        return ELEMENT_KINDS[elements[name]]
    if path not in FACTS:
        raise ValueError(_("unknown field '%(field)s'") % {"field": path})
    return FACTS[path].kind


def parse_condition(condition: Any, *, elements: dict[str, str] | None) -> Node:
    """Validate a condition tree and return it parsed. Raises ConditionInvalid naming each place
    (e.g. "all[1].field: unknown element 'amout'")."""
    errors: list[str] = []
    node = _parse(condition, elements, "", errors)
    if errors:
        raise ConditionInvalid(errors)
    return node


def _place(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _parse(raw: Any, elements, path: str, errors: list[str]) -> Node | None:
    where = path or _("condition")
    if not isinstance(raw, dict):
        errors.append(
            _('%(place)s: must be an object such as {"all": [...]} or {"field": ...}')
            % {"place": where}
        )
        return None
    for group, cls in (("all", AllOf), ("any", AnyOf)):
        if group in raw:
            if set(raw) != {group}:
                errors.append(
                    _('%(place)s: "%(key)s" cannot be combined with other keys')
                    % {"place": where, "key": group}
                )
                return None
            items = raw[group]
            if not isinstance(items, list):
                errors.append(
                    _("%(place)s: must be a list of conditions") % {"place": _place(path, group)}
                )
                return None
            if group == "any" and not items:
                errors.append(
                    _("%(place)s: needs at least one condition") % {"place": _place(path, group)}
                )
                return None
            children = tuple(
                _parse(item, elements, f"{_place(path, group)}[{index}]", errors)
                for index, item in enumerate(items)
            )
            return cls(children)
    if "not" in raw:
        if set(raw) != {"not"}:
            errors.append(
                _('%(place)s: "%(key)s" cannot be combined with other keys')
                % {"place": where, "key": "not"}
            )
            return None
        return Not(_parse(raw["not"], elements, _place(path, "not"), errors))
    if "field" not in raw:
        errors.append(_('%(place)s: expected "all", "any", "not" or "field"') % {"place": where})
        return None
    unknown_keys = set(raw) - {"field", "op", "value"}
    if unknown_keys:
        errors.append(
            _("%(place)s: unknown keys %(keys)s")
            % {"place": where, "keys": ", ".join(sorted(unknown_keys))}
        )
        return None
    try:
        kind = field_kind(raw["field"], elements)
    except ValueError as exc:
        errors.append(_("%(place)s: %(error)s") % {"place": _place(path, "field"), "error": exc})
        return None
    op = raw.get("op")
    if op not in OPERATORS_BY_KIND[kind]:
        allowed = ", ".join(OPERATORS_BY_KIND[kind])
        errors.append(
            _(
                "%(place)s: %(op)s cannot be used on %(kind)s field '%(field)s' (allowed: %(allowed)s)"
            )
            % {
                "place": _place(path, "op"),
                "op": repr(op),
                "kind": kind,
                "field": raw["field"],
                "allowed": allowed,
            }
        )
        return None
    if op == "is_set":
        if "value" in raw:
            errors.append(_("%(place)s: is_set takes no value") % {"place": _place(path, "value")})
            return None
        return Leaf(raw["field"], kind, op, None)
    if "value" not in raw:
        errors.append(_("%(place)s: missing") % {"place": _place(path, "value")})
        return None
    value = raw["value"]
    try:
        if op in ("in", "not_in"):
            if not isinstance(value, list) or not value:
                raise ValueError(_("must be a non-empty list"))
            parsed: Any = frozenset(parse_literal(kind, item) for item in value)
        elif kind == OBJECT:
            raise ValueError(_("cannot be compared"))
        else:
            parsed = parse_literal(kind, value)
    except (ValueError, InvalidMoney) as exc:
        errors.append(
            _("%(place)s: %(error)s for %(kind)s field '%(field)s'")
            % {"place": _place(path, "value"), "error": exc, "kind": kind, "field": raw["field"]}
        )
        return None
    return Leaf(raw["field"], kind, op, parsed)


# --- Technical form ---------------------------------------------------------------------------
# For integrators and logs: the condition with its field paths and the language's symbols, the
# same in every language. What people read is sentences.condition_text.

SYMBOLS = {
    "eq": "=",
    "ne": "≠",
    "gt": ">",
    "gte": "≥",
    "lt": "<",
    "lte": "≤",
    "in": "in",
    "not_in": "not in",
    "starts_with": "starts with",
}


def format_value(value: Any) -> str:
    if isinstance(value, Money):
        places = CURRENCY_MINOR_UNITS.get(value.currency, 2)
        return f"{value.amount:,.{places}f} {value.currency}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (frozenset, set, list, tuple)):
        return "[" + ", ".join(sorted(format_value(item) for item in value)) + "]"
    if value is None:
        return "null"
    return str(value)


def condition_expression(node: Node, *, top: bool = True) -> str:
    """The technical form: elements.amount ≥ 50,000.00 CNY AND customer.is_employee = true."""
    if isinstance(node, Leaf):
        if node.op == "is_set":
            return f"{node.field} is set"
        return f"{node.field} {SYMBOLS[node.op]} {format_value(node.value)}"
    if isinstance(node, Not):
        return f"NOT ({condition_expression(node.child)})"
    if not node.children:
        return "always"
    joiner = " AND " if isinstance(node, AllOf) else " OR "
    text = joiner.join(condition_expression(child, top=False) for child in node.children)
    return text if top or len(node.children) == 1 else f"({text})"


def condition_fields(node: Node) -> set[str]:
    if isinstance(node, Leaf):
        return {node.field}
    if isinstance(node, Not):
        return condition_fields(node.child)
    fields: set[str] = set()
    for child in node.children:
        fields |= condition_fields(child)
    return fields
