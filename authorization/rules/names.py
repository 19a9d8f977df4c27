"""Numbers a rule or reason name states, and whether its condition still uses them.

A name such as "Cash withdrawal from 50,000 CNY" is written by a person and does not follow
the condition when the threshold changes; the check warns when a number the name states is no
longer one the condition compares with (money amounts, decimals and whole numbers, lists
included).

Numbers are read as people write them in either language: "50,000", "50000.00", "50k",
"5万" (ten thousands), "level 3+". Digits inside a code ("CASH_50K") or a time ("18:30") are
not numbers of the name.
"""

from __future__ import annotations

import re
from decimal import Decimal

from bankcore.money import Money

from .conditions import AllOf, AnyOf, Leaf, Node, Not

_NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.:,])"
    r"(?P<digits>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<places>[0-9]+))?"
    r"(?![0-9]|:[0-9])"
    r"\s*(?P<unit>万|亿|[kK](?![A-Za-z])|[mM](?![A-Za-z]))?"
)
_UNITS = {"万": 10_000, "亿": 100_000_000, "k": 1_000, "m": 1_000_000}


def name_numbers(name: str) -> list[tuple[str, Decimal]]:
    """Each number `name` states: (as written, its value)."""
    found = []
    for match in _NUMBER.finditer(name or ""):
        value = Decimal(match["digits"].replace(",", ""))
        if match["places"]:
            value += Decimal(f"0.{match['places']}")
        if match["unit"]:
            value *= _UNITS[match["unit"].lower()]
        found.append((match.group(0).strip(), value))
    return found


def _value_numbers(value) -> set[Decimal]:
    if isinstance(value, Money):
        return {value.amount}
    if isinstance(value, bool):
        return set()
    if isinstance(value, (int, Decimal)):
        return {Decimal(value)}
    if isinstance(value, frozenset):
        numbers: set[Decimal] = set()
        for item in value:
            numbers |= _value_numbers(item)
        return numbers
    return set()


def condition_numbers(node: Node) -> set[Decimal]:
    """Every number a parsed condition compares with."""
    if isinstance(node, Leaf):
        return _value_numbers(node.value)
    if isinstance(node, Not):
        return condition_numbers(node.child)
    numbers: set[Decimal] = set()
    if isinstance(node, (AllOf, AnyOf)):
        for child in node.children:
            numbers |= condition_numbers(child)
    return numbers


def numbers_not_used(name: str, used: set[Decimal]) -> list[str]:
    """The numbers `name` states (as first written) that are not in `used`, each value once."""
    unused: dict[Decimal, str] = {}
    for written, value in name_numbers(name):
        if value not in used:
            unused.setdefault(value, written)
    return list(unused.values())
