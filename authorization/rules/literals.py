"""One parser for typed values: a rule's literal ("value" of a condition) and a transaction's
element (what a channel sends) are read by the same function, so "3" means the same whole
number, and a bad date the same translated message, on both sides.

Value kinds (authorization.rules.catalogue): decimal, integer, string, boolean, date. Money is
read by the callers (a rule's threshold may be written "50,000.00 CNY"; an amount a channel
sends goes through the strict amount parser of bankcore.money).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

from bankcore.money import InvalidMoney, to_decimal

from .catalogue import BOOLEAN, DATE, DECIMAL, INTEGER, STRING

_WHOLE_NUMBER = re.compile(r"-?[0-9]+")  # ASCII digits only (not full-width, not "1_000")


def parse_value(kind: str, raw: Any) -> Any:
    """The value of `kind` from its JSON form. Raises ValueError with a translated message that
    quotes the value:

    - decimal: a string of digits (optional sign and decimal part) or a whole JSON number;
      never a float, an exponent or digit separators;
    - integer: a whole JSON number or a string of ASCII digits ("3", "-2");
    - string: text; boolean: true or false (not "true", not 1);
    - date: "YYYY-MM-DD".
    """
    if kind == DECIMAL:
        if isinstance(raw, bool) or not isinstance(raw, (str, int)):
            raise ValueError(_decimal_error(raw))
        try:
            return to_decimal(raw)
        except InvalidMoney:
            raise ValueError(_decimal_error(raw)) from None
    if kind == INTEGER:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and _WHOLE_NUMBER.fullmatch(raw.strip()):
            return int(raw)
        raise ValueError(_("%(value)s is not a whole number") % {"value": repr(raw)})
    if kind == STRING:
        if not isinstance(raw, str):
            raise ValueError(_("%(value)s is not text") % {"value": repr(raw)})
        return raw
    if kind == BOOLEAN:
        if not isinstance(raw, bool):
            raise ValueError(_("%(value)s is not true or false") % {"value": repr(raw)})
        return raw
    if kind == DATE:
        if isinstance(raw, str):
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                pass  # Python's own message is neither translated nor about the format asked
        raise ValueError(_("%(value)s is not a date (YYYY-MM-DD)") % {"value": repr(raw)})
    raise ValueError(_("a %(kind)s field cannot be compared") % {"kind": kind})


def _decimal_error(raw: Any) -> str:
    return _("%(value)s is not a decimal number (write it as a string)") % {"value": repr(raw)}
