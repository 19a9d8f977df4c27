"""schemathesis hooks for .ci/schemathesis (loaded through SCHEMATHESIS_HOOKS).

`business_refusals_only`: a request the schema calls valid may be refused with a 400 only by a
business rule: a customer number whose check digit is wrong, an unknown branch or transaction
code, an ID number that disagrees with the person, a state that does not allow it... (the 400
of every operation documents them; `error.code` or the field's message says which). A 400 whose
messages are those of malformed input (a required field missing, a wrong type, too long, not a
choice, an empty list, an unknown field or query parameter, a body that is not JSON) means the
schema let through what the API refuses: the schema lies, and the check fails.

`map_headers`: an Idempotency-Key is fresh for each generated request, as a client's would be
(the same key with a different body is a documented 422, tested in tests/bankcore).
"""

from __future__ import annotations

import re
import uuid

import schemathesis

# Messages of DRF, django-filter and the API's own shape checks (English: no Accept-Language).
SHAPE_MESSAGES = re.compile(
    "|".join(
        (
            r"^This field is required\.$",
            r"^This field may not be (null|blank)\.$",
            r"^This list may not be empty\.$",
            r"^Not a valid string\.$",
            r"^A valid (integer|number) is required\.$",
            r"^Must be a valid (boolean|UUID)\.$",
            r"^Ensure this (field|value) has (no more|at least)",
            r"^Ensure this value is (less|greater) than",
            r"^Ensure that there are no more than",
            r"is not a valid choice\.$",
            r"^Select a valid choice",
            r"^(Date|Datetime|Time) has wrong format",
            r"^Expected a (list|dictionary)",
            r"^Invalid data\. Expected",
            r"^Enter a (valid|number|whole number)",
            r"^Unknown field\.$",
            r"^Unknown query parameter",
            r"^A page number from 1\.$",
            r"^A whole number from 1 to",
            r"^Incorrect type\.",
            r"^No file was submitted",
            r"^The submitted (data|file)",
        )
    )
)
SHAPE_CODES = frozenset({"parse_error", "bad_request", "unsupported_media_type"})


def _messages(fields):
    if isinstance(fields, dict):
        for value in fields.values():
            yield from _messages(value)
    elif isinstance(fields, list):
        for value in fields:
            yield from _messages(value)
    elif isinstance(fields, str):
        yield fields


@schemathesis.check
def business_refusals_only(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 400:
        return None
    try:
        error = response.json()["error"]
        code, message, fields = error["code"], error["message"], error["fields"]
    except (ValueError, KeyError, TypeError):
        raise AssertionError("A 400 without the standard error body") from None
    shape = [text for text in (message, *_messages(fields)) if SHAPE_MESSAGES.search(text)]
    if code in SHAPE_CODES or shape:
        raise AssertionError(
            "A request the schema calls valid was refused as malformed "
            f"({code}: {'; '.join(shape) or message}): the schema must say what the API refuses"
        )
    return None


@schemathesis.hook
def map_headers(ctx, headers):
    # Only a well-formed key is replaced: a malformed one is a negative case to keep.
    key = (headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and re.fullmatch(r"[\x21-\x7e]{1,255}", key):
        headers["Idempotency-Key"] = str(uuid.uuid4())
    return headers
