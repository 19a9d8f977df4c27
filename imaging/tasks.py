"""Celery tasks of the imaging app (queue `images`): thin, each calls a service."""

from celery import shared_task

from . import services


@shared_task(
    name="imaging.process_image",
    queue="images",
    acks_late=True,  # the message is acknowledged after the work: a killed worker loses nothing
    reject_on_worker_lost=True,  # ... and the message goes back to the queue at once
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def image_process_task(*, image_id: int) -> str:
    return services.image_process(image_id=image_id)


@shared_task(name="imaging.purge_expired_images", queue="images", acks_late=True)
def images_purge_expired_task() -> int:
    return services.images_purge_expired()
