from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bankcore.codes import (
    iso7064_mod11_2_check_char,
    luhn_check_digit,
    luhn_is_valid,
    usc_code_check_char,
)
from bankcore.money import InvalidMoney, Money, validate_currency


def test_money_refuses_float():
    with pytest.raises(InvalidMoney):
        Money.of(0.1, "CNY")


def test_money_keeps_exact_decimals():
    total = Money.of("0.10", "CNY") + Money.of("0.20", "CNY")
    assert total == Money(Decimal("0.30"), "CNY")


def test_money_refuses_unknown_currency_and_too_many_places():
    with pytest.raises(InvalidMoney):
        Money.of("1", "XXX")
    with pytest.raises(InvalidMoney):
        Money.of("1.5", "JPY")  # yen has no minor unit


def test_money_cannot_mix_currencies():
    with pytest.raises(InvalidMoney):
        Money.of("1", "CNY") + Money.of("1", "USD")


def test_currency_validator_names_the_code():
    with pytest.raises(ValidationError, match="ABC"):
        validate_currency("ABC")


@pytest.mark.parametrize(
    ("body", "check"),
    [("11010519491231002", "X"), ("44052418800101001", "4")],
)
def test_resident_id_check_character(body, check):
    assert iso7064_mod11_2_check_char(body) == check


def test_unified_social_credit_code_check_character():
    assert usc_code_check_char("91350100M000100Y4") == "3"


def test_unified_social_credit_code_refuses_letters_outside_the_alphabet():
    with pytest.raises(ValueError):
        usc_code_check_char("91350100M000100I4")  # I is not used by GB 32100


def test_luhn_catches_a_single_mistyped_digit_and_a_swap():
    number = "7992739871" + luhn_check_digit("7992739871")
    assert number == "79927398713"
    assert luhn_is_valid(number)
    assert not luhn_is_valid("79927398714")
    assert not luhn_is_valid("79927389713")
