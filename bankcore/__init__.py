"""Project package and shared kernel: organisation, users and roles, money, codes, errors."""

from bankcore.celery import app as celery_app

__all__ = ("celery_app",)
