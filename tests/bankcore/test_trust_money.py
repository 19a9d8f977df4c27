"""One strict parser for amounts of money (issue 13, item 8)."""

from decimal import Decimal

import pytest

from bankcore.money import InvalidMoney, parse_amount, to_decimal


@pytest.mark.parametrize(
    "raw",
    [
        "-1.00",  # negative
        "1_000",  # Python's digit separator, which Decimal() takes
        "\uff11\uff10\uff10\uff10",  # full-width digits, which Decimal() takes
        "1e3",  # exponent
        "1,000.00",  # thousands separator
        " 1000",  # spaces
        "1000\n",  # a trailing newline `$` would let through
        ".5",
        "5.",
        "NaN",
        "Infinity",
        "",
    ],
)
def test_amount_text_that_decimal_would_take_is_refused(raw):
    with pytest.raises(InvalidMoney):
        parse_amount(raw)


@pytest.mark.parametrize("raw", [1000, 1000.0, True, None, ["1000"]])
def test_a_bare_number_is_refused_the_amount_must_be_a_string(raw):
    with pytest.raises(InvalidMoney, match="string"):
        parse_amount(raw)


def test_zero_is_refused_where_an_amount_must_be_positive():
    with pytest.raises(InvalidMoney, match="greater than zero"):
        parse_amount("0.00")
    assert parse_amount("0.00", allow_zero=True) == Decimal("0.00")


def test_the_currencys_minor_units_are_respected():
    assert parse_amount("1000.50", currency="CNY") == Decimal("1000.50")
    with pytest.raises(InvalidMoney, match="at most 2 decimal places"):
        parse_amount("1000.505", currency="CNY")
    with pytest.raises(InvalidMoney, match="at most 0 decimal places"):
        parse_amount("1000.5", currency="JPY")
    assert parse_amount("1000", currency="JPY") == Decimal("1000")


def test_a_plain_amount_is_parsed_exactly():
    assert parse_amount("60000.00") == Decimal("60000.00")


@pytest.mark.parametrize("raw", ["1e3", "1_000", "\uff11\uff10\uff10\uff10", "--1"])
def test_decimal_numbers_refuse_exponents_separators_and_full_width_digits(raw):
    with pytest.raises(InvalidMoney):
        to_decimal(raw)
