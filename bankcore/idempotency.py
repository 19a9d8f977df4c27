"""Idempotency keys for state-changing API endpoints (`Idempotency-Key` header).

A client that may retry (a timeout, a dropped connection) sends a key it made up, unique per
operation (a UUID). For each user and key:

- the first request runs; its successful (2xx) answer is stored in the same transaction as the
  endpoint's own writes, so either both are kept or neither;
- a retry with the same key, method, path and body gets the stored answer again (same status
  and body) with the header `Idempotent-Replayed: true`, and changes nothing;
- the same key with a different body (or on another endpoint) → 422 `idempotency_key_reused`;
- a duplicate that arrives while the first is still running → 409 `idempotency_in_flight`;
- an answer that is not a success (4xx, 5xx) is not stored: the key is free again, so the
  client can correct the request and retry with the same key.

A request that died without answering (a killed process) holds its key only for
`IDEMPOTENCY_IN_FLIGHT_SECONDS`; then a retry takes the key over. If the first one still
finishes after that, its writes are rolled back (its lease is gone), so the operation
still happens once. Records are kept `IDEMPOTENCY_KEY_TTL_HOURS` (24 h by default), then
purged by `idempotency_records_purge` (Celery beat, hourly). Without the header an endpoint
behaves as before.

Use on an APIView method (under drf-spectacular's `extend_schema`, adding
`IDEMPOTENCY_KEY_PARAMETER` to its parameters):

    @extend_schema(parameters=[IDEMPOTENCY_KEY_PARAMETER], ...)
    @idempotent
    def post(self, request): ...
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import uuid
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from bankcore.errors import Conflict, DomainError
from bankcore.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
_KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, no spaces

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    pattern=_KEY_PATTERN.pattern,
    description=_(
        "Optional, 1-255 printable ASCII characters, unique per operation (e.g. a UUID). "
        "Retrying with the same key and body returns the stored answer with "
        "`Idempotent-Replayed: true`; the same key with a different body answers 422; a "
        "duplicate while the first is running answers 409. Keys are per user and kept 24 h."
    ),
)


class IdempotencyKeyInvalid(DomainError):
    code = "idempotency_key_invalid"
    default_message = _("The Idempotency-Key header must be 1 to 255 printable ASCII characters.")


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    http_status = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_message = _(
        "This Idempotency-Key was already used for a different request. Use a new key for a "
        "new operation."
    )


class IdempotencyRequestInFlight(Conflict):
    code = "idempotency_in_flight"
    default_message = _(
        "A request with this Idempotency-Key is still being processed. Retry later to get its "
        "answer."
    )


def _ttl() -> dt.timedelta:
    return dt.timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.IDEMPOTENCY_IN_FLIGHT_SECONDS)


def _canonical(value: Any) -> Any:
    """Request data as plain JSON-able values, the same for the same request however it was
    encoded (key order, whitespace; uploaded files by their content)."""
    if hasattr(value, "lists"):  # QueryDict (form and multipart bodies, query strings)
        return {key: [_canonical(item) for item in items] for key, items in sorted(value.lists())}
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    if hasattr(value, "chunks") and hasattr(value, "name"):  # an uploaded file
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "sha256": digest.hexdigest()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def request_fingerprint(request) -> str:
    """SHA-256 of what makes two requests the same operation: the query string and the body."""
    payload = {"query": _canonical(request.query_params), "body": _canonical(request.data)}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(record: IdempotencyRecord) -> Response:
    response = Response(record.response_body, status=record.response_status)
    response[REPLAY_HEADER] = "true"
    return response


def _claim(*, user, key: str, method: str, endpoint: str, request_hash: str, now: dt.datetime):
    """Take the key for this request (→ its lease token) or answer from the existing record
    (→ a replayed Response). Raises 422/409 as the module docstring says. Commits at once
    (outside any transaction the caller holds open, as far as the database allows), so a
    concurrent duplicate sees the key taken."""
    token = uuid.uuid4()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.create(
                    user=user,
                    key=key,
                    method=method,
                    endpoint=endpoint,
                    request_hash=request_hash,
                    lease_token=token,
                    started_at=now,
                    created_at=now,
                )
            return token
        except IntegrityError:
            pass
        record = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if record is None:
            continue  # purged in between: try again
        if record.created_at <= now - _ttl():
            IdempotencyRecord.objects.filter(pk=record.pk, created_at=record.created_at).delete()
            continue  # expired: the key is new again
        if (record.method, record.endpoint, record.request_hash) != (
            method,
            endpoint,
            request_hash,
        ):
            raise IdempotencyKeyReused()
        if record.completed:
            return _replay(record)
        # In flight. A lease that ran out belongs to a request that died: take it over.
        taken = IdempotencyRecord.objects.filter(
            pk=record.pk, completed=False, lease_token=record.lease_token
        ).filter(started_at__lte=now - _lease())
        if taken.update(lease_token=token, started_at=now):
            return token
        raise IdempotencyRequestInFlight()
    raise IdempotencyRequestInFlight()


def _release(*, user, key: str, token: uuid.UUID) -> None:
    IdempotencyRecord.objects.filter(
        user=user, key=key, lease_token=token, completed=False
    ).delete()


class _LeaseLost(Exception):
    """The request outlived its lease and another took the key over: undo this one."""


def idempotent(handler):
    """Decorate an APIView method (post, put, patch, delete) to honour `Idempotency-Key`."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        if not _KEY_PATTERN.match(key):
            raise IdempotencyKeyInvalid(
                fields={HEADER: [str(IdempotencyKeyInvalid.default_message)]}
            )
        user, method, endpoint = request.user, request.method, request.path[:255]
        claimed = _claim(
            user=user,
            key=key,
            method=method,
            endpoint=endpoint,
            request_hash=request_fingerprint(request),
            now=timezone.now(),
        )
        if isinstance(claimed, Response):
            return claimed
        token = claimed
        try:
            with transaction.atomic():
                response = handler(view, request, *args, **kwargs)
                if not status.is_success(response.status_code):
                    raise _NotStored(response)
                # The answer as the client receives it (Decimal, dates, lazy text → JSON).
                body = json.loads(JSONRenderer().render(response.data) or b"null")
                stored = IdempotencyRecord.objects.filter(
                    user=user, key=key, lease_token=token, completed=False
                ).update(
                    completed=True,
                    response_status=response.status_code,
                    response_body=body,
                    completed_at=timezone.now(),
                )
                if not stored:
                    raise _LeaseLost()
        except _NotStored as not_stored:
            _release(user=user, key=key, token=token)
            return not_stored.response
        except _LeaseLost:
            raise IdempotencyRequestInFlight() from None
        except BaseException:
            _release(user=user, key=key, token=token)
            raise
        return response

    return wrapper


class _NotStored(Exception):
    """A non-success answer: its writes (if any) are rolled back and the key is freed."""

    def __init__(self, response: Response):
        self.response = response
        super().__init__(response.status_code)


def idempotency_records_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the records older than `IDEMPOTENCY_KEY_TTL_HOURS`; returns how many."""
    cutoff = (now or timezone.now()) - _ttl()
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lte=cutoff).delete()
    return deleted
