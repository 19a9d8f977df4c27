"""Parameter values: the ONE place a value is checked against its definition.

Every value is kept as canonical text, whatever its data type:

| data type    | canonical text            | accepted input                              |
|--------------|---------------------------|---------------------------------------------|
| integer      | ``"3"``                   | int or digits                               |
| decimal      | ``"1.75"``                | Decimal or numeric string (never float)     |
| money        | ``"80000.00 CNY"``        | ``"80000 CNY"``, ``{"amount", "currency"}`` |
| boolean      | ``"true"`` / ``"false"``  | bool, true/false/yes/no/1/0                 |
| choice       | ``"credit"``              | one of the definition's choice codes        |
| choice_list  | ``"corporate,internal"``  | list of codes or comma-separated codes      |
| term         | ``"21D"``/``"6M"``/``"1Y"`` | number + D/M/Y (days, months, years)      |
| text         | the text                  | any string up to 500 characters             |

Integer, decimal, money and term values are ordered, so they have bounds (definition
bounds, a product's free bounds and negotiable range). Terms are compared on days with the
30/360 convention (1 month = 30 days, 1 year = 360 days). Money compares within one currency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankcore.errors import DomainError
from bankcore.money import CURRENCY_MINOR_UNITS, InvalidMoney, Money, parse_amount, to_decimal
from products.choice_labels import CHOICE_LABELS
from products.models import DataType

ORDERED_TYPES = frozenset({DataType.INTEGER, DataType.DECIMAL, DataType.MONEY, DataType.TERM})
TERM_DAYS = {"D": 1, "M": 30, "Y": 360}
_TERM_RE = re.compile(r"^\s*(\d{1,4})\s*([DMYdmy])\s*$")
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n"}


class ParameterValueInvalid(DomainError):
    code = "parameter_value_invalid"
    default_message = gettext_lazy("A parameter value does not fit its definition.")


@dataclass(frozen=True, slots=True)
class DefinitionShape:
    """What checking a value needs to know about its definition (a model row fits too)."""

    code: str
    label: str
    data_type: str
    choices: list
    min_value: str
    max_value: str


def choice_codes(definition) -> list[str]:
    codes = []
    for choice in definition.choices or []:
        codes.append(choice["code"] if isinstance(choice, dict) else str(choice))
    return codes


def choice_labels(definition) -> dict[str, str]:
    """code → label of a choice parameter's choices, in the active language where the label
    is one of the shipped usage-control lists (products.choice_labels)."""
    translated = CHOICE_LABELS.get(definition.code, {})
    labels = {}
    for choice in definition.choices or []:
        if isinstance(choice, dict):
            code = choice["code"]
            label = translated.get(code)
            labels[code] = str(label) if label is not None else (choice.get("label") or code)
        else:
            labels[str(choice)] = str(choice)
    return labels


def _fail(definition, message: str) -> ParameterValueInvalid:
    return ParameterValueInvalid(
        _("%(label)s: %(message)s") % {"label": definition.label, "message": message},
        fields={definition.code: [message]},
    )


def _canonical(definition, raw) -> str:
    """Parse `raw` into canonical text; raise ValueError with a user-facing message."""
    data_type = definition.data_type
    if isinstance(raw, float):
        raise ValueError(_("give numbers as strings, never as floating point"))
    if data_type == DataType.INTEGER:
        text = str(raw).strip()
        if isinstance(raw, bool) or not re.fullmatch(r"-?\d+", text):
            raise ValueError(_("enter a whole number"))
        return str(int(text))
    if data_type == DataType.DECIMAL:
        try:
            number = to_decimal(raw)
        except InvalidMoney as exc:
            raise ValueError(_("enter a number")) from exc
        return format(number.normalize(), "f") if number != 0 else "0"
    if data_type == DataType.MONEY:
        if isinstance(raw, dict):
            amount, currency = raw.get("amount"), raw.get("currency")
        else:
            parts = str(raw).split()
            if len(parts) != 2:
                raise ValueError(_("enter an amount and a currency, e.g. 80000.00 CNY"))
            amount, currency = parts
        currency = str(currency or "").upper()
        if currency not in CURRENCY_MINOR_UNITS:
            raise ValueError(_("%(currency)s is not a supported currency") % {"currency": currency})
        try:
            # The one strict amount parser: "80000.00", not -1, 1e5 or 80000.005 (rounded
            # silently before); zero is a meaningful bound.
            money = Money(
                parse_amount(amount, currency=currency, allow_zero=True), currency
            ).quantized()
        except InvalidMoney as exc:
            example = _("enter an amount and a currency, e.g. 80000.00 CNY")
            raise ValueError(f"{example} ({exc})") from exc
        return f"{money.amount} {money.currency}"
    if data_type == DataType.BOOLEAN:
        if isinstance(raw, bool):
            return "true" if raw else "false"
        text = str(raw).strip().lower()
        if text in _TRUE:
            return "true"
        if text in _FALSE:
            return "false"
        raise ValueError(_("enter true or false"))
    if data_type == DataType.CHOICE:
        text = str(raw).strip()
        if text not in choice_codes(definition):
            raise ValueError(
                _("%(value)s is not one of %(choices)s")
                % {"value": text, "choices": ", ".join(choice_codes(definition))}
            )
        return text
    if data_type == DataType.CHOICE_LIST:
        items = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
        wanted = {str(item).strip() for item in items if str(item).strip()}
        allowed = choice_codes(definition)
        unknown = sorted(wanted - set(allowed))
        if unknown:
            raise ValueError(
                _("%(value)s is not one of %(choices)s")
                % {"value": ", ".join(unknown), "choices": ", ".join(allowed)}
            )
        return ",".join(code for code in allowed if code in wanted)
    if data_type == DataType.TERM:
        match = _TERM_RE.match(str(raw))
        if not match or int(match.group(1)) == 0:
            raise ValueError(_("enter a term such as 21D, 6M or 1Y"))
        return f"{int(match.group(1))}{match.group(2).upper()}"
    if data_type == DataType.TEXT:
        text = str(raw).strip()
        if len(text) > 500:
            raise ValueError(_("use at most 500 characters"))
        return text
    raise ValueError(_("unknown data type %(type)s") % {"type": data_type})


def order_key(definition, canonical: str) -> tuple[str, Decimal]:
    """A comparable key of an ordered value: (currency or "", number)."""
    data_type = definition.data_type
    if data_type == DataType.MONEY:
        amount, currency = canonical.split()
        return (currency, Decimal(amount))
    if data_type == DataType.TERM:
        return ("", Decimal(int(canonical[:-1]) * TERM_DAYS[canonical[-1]]))
    return ("", Decimal(canonical))


def display(definition, canonical: str) -> str:
    """Human text of a canonical value (used in messages and pages)."""
    if canonical == "":
        return "—"
    if definition.data_type == DataType.MONEY:
        amount, currency = canonical.split()
        return f"{Decimal(amount):,} {currency}"
    if definition.data_type == DataType.TERM:
        number, unit = canonical[:-1], canonical[-1]
        units = {"D": _("days"), "M": _("months"), "Y": _("years")}
        return f"{number} {units[unit]}"
    if definition.data_type == DataType.BOOLEAN:
        return _("yes") if canonical == "true" else _("no")
    if definition.data_type in (DataType.CHOICE, DataType.CHOICE_LIST):
        labels = choice_labels(definition)
        return ", ".join(labels.get(code, code) for code in canonical.split(",") if code)
    return canonical


def compare(definition, left: str, right: str) -> int | None:
    """-1/0/1 for ordered values; None when they cannot be compared (other currency)."""
    left_key, right_key = order_key(definition, left), order_key(definition, right)
    if left_key[0] != right_key[0]:
        return None
    return (left_key[1] > right_key[1]) - (left_key[1] < right_key[1])


def within(definition, value: str, low: str, high: str) -> bool:
    """True when `value` lies in [low, high] (blank = unbounded on that side)."""
    if low:
        result = compare(definition, value, low)
        if result is None or result < 0:
            return False
    if high:
        result = compare(definition, value, high)
        if result is None or result > 0:
            return False
    return True


def bounds_text(definition, low: str, high: str) -> str:
    if low and high:
        return _("from %(low)s to %(high)s") % {
            "low": display(definition, low),
            "high": display(definition, high),
        }
    if low:
        return _("at least %(low)s") % {"low": display(definition, low)}
    if high:
        return _("at most %(high)s") % {"high": display(definition, high)}
    return _("unbounded")


def parameter_value_clean(*, definition, raw, allow_blank: bool = False) -> str:
    """Check `raw` against `definition` (type, choices, definition bounds) and return its
    canonical text. Raises ParameterValueInvalid naming the parameter."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        if allow_blank or definition.data_type in (DataType.CHOICE_LIST, DataType.TEXT):
            return ""
        raise _fail(definition, _("a value is required"))
    try:
        canonical = _canonical(definition, raw)
    except (ValueError, InvalidOperation) as exc:
        raise _fail(definition, str(exc)) from exc
    if definition.data_type in ORDERED_TYPES and canonical:
        low, high = definition.min_value, definition.max_value
        if not within(definition, canonical, low, high):
            raise _fail(
                definition,
                _("%(value)s is outside the allowed range (%(bounds)s)")
                % {
                    "value": display(definition, canonical),
                    "bounds": bounds_text(definition, low, high),
                },
            )
    return canonical


def bound_clean(*, definition, raw) -> str:
    """A bound (min/max) of an ordered parameter: blank or a canonical value of its type.
    Definition bounds are not applied to bounds themselves."""
    if raw is None or str(raw).strip() == "":
        return ""
    if definition.data_type not in ORDERED_TYPES:
        raise _fail(definition, _("only numbers, amounts and terms take bounds"))
    try:
        return _canonical(definition, raw)
    except (ValueError, InvalidOperation) as exc:
        raise _fail(definition, str(exc)) from exc
