"""The bank-wide unified product code and account numbers.

Product code: eight digits ``LL G N SSS C``

- ``LL``  product line code (``ProductLine.line_code``: 10 demand deposit, 20 time deposit,
  30 loan, 90 internal account; new lines take new codes);
- ``G``   customer group: 1 personal, 2 corporate, 3 third-party institution, 4 internal;
- ``N``   business nature: 1 asset, 2 liability, 3 intermediary;
- ``SSS`` serial within ``LLGN`` (001-999);
- ``C``   Luhn check digit over the first seven digits (catches one wrong digit and most
  swaps of neighbouring digits when a code is keyed in).

Example: ``20221001`` + check = the first corporate liability time-deposit product.

Account number: fifteen digits ``LL SSSSSSSSSSSS C``: the product line code, a bank-wide
serial, and a Luhn check digit.
"""

from __future__ import annotations

from bankcore.codes import luhn_check_digit, luhn_is_valid

CUSTOMER_GROUP_DIGITS = {"personal": "1", "corporate": "2", "institution": "3", "internal": "4"}
BUSINESS_NATURE_DIGITS = {"asset": "1", "liability": "2", "intermediary": "3"}
MAX_PRODUCT_SERIAL = 999


def product_code_prefix(*, line_code: str, customer_group: str, business_nature: str) -> str:
    return f"{line_code}{CUSTOMER_GROUP_DIGITS[customer_group]}{BUSINESS_NATURE_DIGITS[business_nature]}"


def product_code_build(*, prefix: str, serial: int) -> str:
    body = f"{prefix}{serial:03d}"
    return body + luhn_check_digit(body)


def product_code_is_valid(code: str) -> bool:
    return len(code) == 8 and luhn_is_valid(code)


def account_no_build(*, line_code: str, serial: int) -> str:
    body = f"{line_code}{serial:012d}"
    return body + luhn_check_digit(body)
