"""Health of the parts the system runs on: database, cache and Celery broker."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections

BROKER_TIMEOUT_SECONDS = 2


@dataclass(frozen=True, slots=True)
class HealthCheck:
    ok: bool
    detail: str


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".strip(": ")


def check_database() -> HealthCheck:
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; report it, never raise
        connection.close_if_unusable_or_obsolete()
        return HealthCheck(False, _describe(exc))
    return HealthCheck(True, connection.vendor)


def check_cache() -> HealthCheck:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=5)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:
        return HealthCheck(False, _describe(exc))
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return HealthCheck(ok, backend if ok else f"{backend}: value not read back")


def check_broker() -> HealthCheck:
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.CELERY_BROKER_URL.startswith("redis"):
        return HealthCheck(True, "eager: tasks run in-process")
    from bankcore.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
            transport = conn.transport_cls
    except Exception as exc:
        return HealthCheck(False, _describe(exc))
    return HealthCheck(True, str(transport))


def system_health() -> dict[str, HealthCheck]:
    return {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
