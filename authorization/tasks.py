"""Celery tasks of the authorization app (thin: fetch by id, call a service)."""

from celery import shared_task

from authorization.webhooks import webhook_delivery_attempt


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=None)
def webhook_deliver_task(self, *, delivery_id: int):
    """One attempt at a webhook delivery; failures come back with exponential backoff until
    WEBHOOK_MAX_ATTEMPTS (counted on the delivery row, not by Celery)."""
    attempt = webhook_delivery_attempt(delivery_id=delivery_id)
    if attempt is not None and attempt.retry_in is not None:
        # Returned, not raised: a worker has already published the delayed retry and acks this
        # message; run eagerly (the embedded default), Celery applies the retry at once.
        return self.retry(countdown=attempt.retry_in, throw=False)
    return None
