"""What a resident ID number says about its holder (birth date, gender), checked against
what the customer record says."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from customers.models import Customer, Gender
from customers.services.errors import CustomerFieldsInvalid
from customers.validation import resident_id_birth_date, resident_id_gender

_UNKNOWN_GENDERS = ("", "0", "9")


def _refuse_disagreement(
    number: str,
    *,
    birth_date_agrees: Callable[[dt.date], bool],
    gender_agrees: Callable[[str], bool],
    field_prefix: str = "",
) -> tuple[dt.date, str]:
    """The birth date and gender the number carries; CustomerFieldsInvalid naming each field
    whose recorded value does not agree with them."""
    embedded_birth, embedded_gender = resident_id_birth_date(number), resident_id_gender(number)
    errors: dict[str, list[str]] = {}
    if not birth_date_agrees(embedded_birth):
        errors[f"{field_prefix}birth_date"] = [
            _("The resident ID number gives the birth date %(date)s.")
            % {"date": embedded_birth.isoformat()}
        ]
    if not gender_agrees(embedded_gender):
        errors[f"{field_prefix}gender"] = [
            _("The resident ID number gives the gender %(gender)s.")
            % {"gender": Gender(embedded_gender).label}
        ]
    if errors:
        raise CustomerFieldsInvalid(
            _("The birth date or gender does not agree with the resident ID number."),
            fields=errors,
        )
    return embedded_birth, embedded_gender


def resident_id_agreement(
    *, number: str, birth_date: dt.date | None, gender: str | None, field_prefix: str = ""
) -> dict[str, Any]:
    """The birth date and gender a resident ID number carries, where the person's entered
    ones are missing (None, unknown, not stated). Entered values that disagree with the
    number are refused, each on its field."""
    embedded_birth, embedded_gender = _refuse_disagreement(
        number,
        birth_date_agrees=lambda embedded: birth_date is None or birth_date == embedded,
        gender_agrees=lambda embedded: (gender or "") in _UNKNOWN_GENDERS or gender == embedded,
        field_prefix=field_prefix,
    )
    return {"birth_date": embedded_birth, "gender": embedded_gender}


def resident_id_fields_check(*, customer: Customer, basic, changed: set[str]) -> None:
    """A person holding a resident ID document has the birth date and gender its number
    carries: an update to others is refused on the field."""
    numbers = customer.documents.filter(document_type__validator="resident_id").values_list(
        "number", flat=True
    )
    for number in numbers:
        _refuse_disagreement(
            number,
            birth_date_agrees=lambda embedded: (
                "birth_date" not in changed or basic.birth_date == embedded
            ),
            gender_agrees=lambda embedded: "gender" not in changed or basic.gender == embedded,
        )
