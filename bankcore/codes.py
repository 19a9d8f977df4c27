"""Check characters for the identifiers a bank handles.

- ISO 7064 MOD 11-2: resident identity numbers (GB 11643), check character 0-9 or X.
- GB 32100 MOD 31: unified social credit codes.
- Luhn (MOD 10): bank-internal numbers meant to be typed by people (customer and account
  numbers), so that one mistyped digit or a swap of neighbours is caught before any lookup.
"""

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, Z, S, V
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def iso7064_mod11_2_check_char(body: str) -> str:
    """Check character for a string of digits (the first 17 of a resident ID number)."""
    if not body.isdigit() or not body.isascii():
        raise ValueError("MOD 11-2 applies to digits only.")
    total = 0
    for digit in body:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def usc_code_check_char(body: str) -> str:
    """Check character for the first 17 characters of a unified social credit code."""
    if len(body) != 17:
        raise ValueError("A unified social credit code has 17 characters before its check.")
    try:
        total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(body, _USCC_WEIGHTS, strict=True))
    except ValueError as exc:
        raise ValueError("Not a unified social credit code character.") from exc
    return USCC_ALPHABET[(31 - total % 31) % 31]


def luhn_check_digit(body: str) -> str:
    if not body.isdigit() or not body.isascii():
        raise ValueError("Luhn applies to digits only.")
    total = 0
    for position, digit in enumerate(reversed(body)):
        value = int(digit)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def luhn_is_valid(number: str) -> bool:
    return len(number) > 1 and number.isdigit() and luhn_check_digit(number[:-1]) == number[-1]
