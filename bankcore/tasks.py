"""Kernel Celery tasks (thin: each calls one service)."""

from celery import shared_task

from bankcore.idempotency import idempotency_records_purge


@shared_task(acks_late=True, ignore_result=True)
def idempotency_records_purge_task() -> int:
    """Hourly (beat): forget Idempotency-Key records older than IDEMPOTENCY_KEY_TTL_HOURS."""
    return idempotency_records_purge()
