"""Pure checks on identifiers and extension values (no database access).

Kept apart from services so that serializers and forms can run the same check on input
before the service runs it again inside its transaction.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankcore.codes import USCC_ALPHABET, iso7064_mod11_2_check_char, usc_code_check_char
from bankcore.errors import DomainError
from customers.models import (
    ContactChannelKind,
    DocumentValidator,
    ExtensionAttribute,
    ExtensionDataType,
    customer_no_is_well_formed,
)


class CustomerNoInvalid(DomainError):
    code = "customer_no_invalid"
    default_message = gettext_lazy(
        "This is not a valid customer number (12 digits with a check digit)."
    )


class DocumentNumberInvalid(DomainError):
    code = "document_number_invalid"
    default_message = gettext_lazy("The document number is not valid.")


class NameInvalid(DomainError):
    code = "name_invalid"
    default_message = gettext_lazy("The name is not valid.")


class ContactValueInvalid(DomainError):
    code = "contact_value_invalid"
    default_message = gettext_lazy("This phone number or email address is not valid.")


class ExtensionValueInvalid(DomainError):
    code = "extension_value_invalid"
    default_message = gettext_lazy("An extension value does not match its attribute's definition.")


def customer_no_check(value: str, *, field: str = "customer_no") -> str:
    """The customer number, stripped; raises CustomerNoInvalid (400) if malformed."""
    value = (value or "").strip()
    if not customer_no_is_well_formed(value):
        message = _("This is not a valid customer number (12 digits with a check digit).")
        raise CustomerNoInvalid(message, fields={field: [message]})
    return value


# GB/T 2260 province-level codes: the first two digits of every administrative division code
# (71 Taiwan, 81 Hong Kong, 82 Macau: the residence permits for their residents use them).
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)
# A USCC issued by a national-level registration authority carries this division code.
NATIONAL_DIVISION_CODE = "100000"


def identifier_normalise(text: str) -> str:
    """An identifier as typed, in canonical form: NFKC (full-width digits and letters become
    ASCII), Unicode format characters (zero-width spaces, joiners, bidirectional marks) and
    whitespace removed, upper-case. Two spellings of one number give one key."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(
        ch for ch in text if unicodedata.category(ch) != "Cf" and not ch.isspace()
    ).upper()


def resident_id_is_well_formed(number: str) -> bool:
    """18 characters: 17 ASCII digits and the right ISO 7064 MOD 11-2 check character."""
    return (
        len(number) == 18
        and number[:17].isascii()
        and number[:17].isdigit()
        and iso7064_mod11_2_check_char(number[:17]) == number[17]
    )


def document_identity_key(*, validator: str, document_type_code: str, number: str) -> str:
    """The key duplicate detection works on. A resident ID number identifies one person
    whatever document carries it (identity card, household register, residence permit, or
    "other" with the same number), so it is its own key; other numbers are keyed by type."""
    if validator == DocumentValidator.RESIDENT_ID or resident_id_is_well_formed(number):
        return f"RID:{number}"
    return f"{document_type_code}:{number}"


def division_code_is_known(code: str) -> bool:
    """Six digits opening with a province-level code (GB/T 2260)."""
    return len(code) == 6 and code.isascii() and code.isdigit() and code[:2] in PROVINCE_CODES


def resident_id_gender(number: str) -> str:
    """The gender (GB/T 2261.1 code) a resident ID number carries: its 17th digit is odd for
    a man ("1"), even for a woman ("2")."""
    return "1" if int(number[16]) % 2 else "2"


def name_check(name: str, *, field: str = "name") -> str:
    """A customer name without control (Cc) or format (Cf: zero-width, bidirectional
    override) characters, which would make two names look alike or one read backwards."""
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name or ""):
        message = _("The name contains invisible control or formatting characters.")
        raise NameInvalid(message, fields={field: [message]})
    return name


def resident_id_birth_date(number: str) -> date | None:
    """The birth date embedded in an 18-character resident ID number, or None if not a date."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def document_number_normalise(
    *, validator: str, number: str, today: date, field: str = "number"
) -> str:
    """The document number in canonical form, checked by the type's checksum standard.

    Resident IDs (GB 11643): 18 characters, 17 digits then the ISO 7064 MOD 11-2 check
    character (a lowercase x is accepted as X), the embedded birth date a real date not in
    the future. USCCs (GB 32100): 18 characters of the GB 32100 alphabet, MOD 31 check."""
    number = identifier_normalise(number)
    if not number:
        raise _invalid(field, _("Enter the document number."))
    if validator == DocumentValidator.RESIDENT_ID:
        if len(number) != 18 or not number[:17].isdigit() or not number[:17].isascii():
            raise _invalid(field, _("A resident ID number has 17 digits and a check character."))
        if iso7064_mod11_2_check_char(number[:17]) != number[17]:
            raise _invalid(field, _("The check character of this resident ID number is wrong."))
        if not division_code_is_known(number[:6]):
            raise _invalid(
                field,
                _(
                    "The administrative division code of this resident ID number (its first "
                    "6 digits, %(code)s) names no known province."
                )
                % {"code": number[:6]},
            )
        birth_date = resident_id_birth_date(number)
        if birth_date is None:
            raise _invalid(field, _("The birth date inside this resident ID number is not a date."))
        if birth_date > today:
            raise _invalid(
                field, _("The birth date inside this resident ID number is in the future.")
            )
    elif validator == DocumentValidator.USCC:
        if len(number) != 18 or any(ch not in USCC_ALPHABET for ch in number):
            raise _invalid(
                field,
                _(
                    "A unified social credit code has 18 digits or capital letters (no I, O, Z, S, V)."
                ),
            )
        if usc_code_check_char(number[:17]) != number[17]:
            raise _invalid(
                field, _("The check character of this unified social credit code is wrong.")
            )
        division = number[2:8]
        if division != NATIONAL_DIVISION_CODE and not division_code_is_known(division):
            raise _invalid(
                field,
                _(
                    "The administrative division code of this unified social credit code "
                    "(characters 3 to 8, %(code)s) is not 6 digits naming a known province."
                )
                % {"code": division},
            )
    elif len(number) > 40:
        raise _invalid(field, _("A document number has at most 40 characters."))
    return number


def _invalid(field: str, message: str) -> DocumentNumberInvalid:
    return DocumentNumberInvalid(message, fields={field: [message]})


# Mainland mobile numbers: 11 digits starting 13 to 19 (optionally written +86 …).
_CN_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9][0-9]{9})$")
# Other phone numbers (E.164-like): an optional +, then 7 to 15 digits; an extension after
# "ext" / "x" / "#" is allowed for landlines.
_PHONE = re.compile(r"^\+?[0-9]{7,15}$")
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
_EXTENSION = re.compile(r"^(?P<number>.+?)\s*(?:ext\.?|x|#)\s*(?P<ext>[0-9]{1,6})$", re.IGNORECASE)


def contact_value_normalise(*, kind: str, value: str, field: str = "value") -> str:
    """The contact value in canonical form, or ContactValueInvalid naming `field`.

    Mobile: a mainland number (11 digits, 13x to 19x; a +86 prefix is dropped) or an
    international number written with +. Landline and fax: 7 to 15 digits, optional + and
    extension (stored as `…#123`). Email: Django's email check, stored lower-case."""
    value = (value or "").strip()
    if not value:
        raise _contact_invalid(field, _("Enter the phone number or email address."))
    if kind == ContactChannelKind.EMAIL:
        value = value.lower()
        try:
            validate_email(value)
        except ValidationError:
            raise _contact_invalid(field, _("Enter a valid email address.")) from None
        return value
    if kind == ContactChannelKind.MOBILE:
        digits = _PHONE_SEPARATORS.sub("", value)
        mainland = _CN_MOBILE.match(digits)
        if mainland:
            return mainland.group(1)
        if digits.startswith("+") and _PHONE.match(digits):
            return digits
        raise _contact_invalid(
            field,
            _("Enter an 11-digit mobile number (e.g. 13800138000) or an international one with +."),
        )
    if kind in (ContactChannelKind.LANDLINE, ContactChannelKind.FAX):
        extension = ""
        match = _EXTENSION.match(value)
        if match:
            value, extension = match.group("number"), match.group("ext")
        digits = _PHONE_SEPARATORS.sub("", value)
        if not _PHONE.match(digits):
            raise _contact_invalid(
                field, _("Enter a phone number of 7 to 15 digits (area code included).")
            )
        return f"{digits}#{extension}" if extension else digits
    message = _("Unknown contact channel kind.")
    raise ContactValueInvalid(message, fields={"kind": [message]})


def _contact_invalid(field: str, message: str) -> ContactValueInvalid:
    return ContactValueInvalid(message, fields={field: [message]})


def extension_value_clean(attribute: ExtensionAttribute, raw: Any) -> str:
    """The canonical text form of `raw` for `attribute`; raises ExtensionValueInvalid naming
    the attribute's code when the value does not fit its data type, bounds or choices."""
    code = attribute.code

    def fail(message: str) -> ExtensionValueInvalid:
        return ExtensionValueInvalid(
            _("%(label)s: %(message)s") % {"label": attribute.label, "message": message},
            fields={code: [message]},
        )

    data_type = attribute.data_type
    if isinstance(raw, float):
        raise fail(_("Send numbers as strings or integers, not floating point."))
    if data_type == ExtensionDataType.BOOLEAN:
        if isinstance(raw, bool):
            return "true" if raw else "false"
        text = str(raw).strip().lower()
        if text in {"true", "1", "yes", "on"}:
            return "true"
        if text in {"false", "0", "no", "off"}:
            return "false"
        raise fail(_("Expected yes or no (true / false)."))
    if isinstance(raw, (bool, dict, list)):
        raise fail(_("Expected a value of type %(type)s.") % {"type": data_type})
    text = str(raw).strip()
    if data_type == ExtensionDataType.TEXT:
        _check_bounds(fail, Decimal(len(text)), attribute, of_length=True)
        return text
    if data_type == ExtensionDataType.INTEGER:
        try:
            number = int(text, 10)
        except ValueError:
            raise fail(_("Expected a whole number.")) from None
        _check_bounds(fail, Decimal(number), attribute, of_length=False)
        return str(number)
    if data_type == ExtensionDataType.DECIMAL:
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise fail(_("Expected a decimal number.")) from None
        if not number.is_finite():
            raise fail(_("Expected a decimal number."))
        _check_bounds(fail, number, attribute, of_length=False)
        return str(number)
    if data_type == ExtensionDataType.DATE:
        try:
            value = date.fromisoformat(text)
        except ValueError:
            raise fail(_("Expected a date (YYYY-MM-DD).")) from None
        if attribute.min_value and text < attribute.min_value:
            raise fail(_("Must be on or after %(min)s.") % {"min": attribute.min_value})
        if attribute.max_value and text > attribute.max_value:
            raise fail(_("Must be on or before %(max)s.") % {"max": attribute.max_value})
        return value.isoformat()
    if data_type == ExtensionDataType.CHOICE:
        allowed = [str(choice) for choice in attribute.choices]
        if text not in allowed:
            raise fail(_("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)})
        return text
    raise fail(_("Unknown data type."))


def _check_bounds(fail, number: Decimal, attribute: ExtensionAttribute, *, of_length: bool) -> None:
    if attribute.min_value and number < Decimal(attribute.min_value):
        if of_length:
            message = _("The length must be at least %(min)s.")
        else:
            message = _("The value must be at least %(min)s.")
        raise fail(message % {"min": attribute.min_value})
    if attribute.max_value and number > Decimal(attribute.max_value):
        if of_length:
            message = _("The length must be at most %(max)s.")
        else:
            message = _("The value must be at most %(max)s.")
        raise fail(message % {"max": attribute.max_value})


def extension_value_typed(attribute: ExtensionAttribute, stored: str) -> Any:
    """The stored canonical text as a JSON-friendly typed value (decimals stay strings)."""
    if attribute.data_type == ExtensionDataType.INTEGER:
        return int(stored)
    if attribute.data_type == ExtensionDataType.BOOLEAN:
        return stored == "true"
    return stored
