"""Test settings: the same as the running system, except what only makes tests slow."""

import os

os.environ.setdefault("DEBUG", "1")

from bankcore.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run in-process in tests even when REDIS_URL points at a real Redis (which then still
# backs the cache, and the broker health check).
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# pytest-xdist runs the suite in several processes (PYTEST_XDIST_WORKER=gw0, gw1, ...): each
# has its own media directory and cache keys, so no worker reads or removes another's.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / _WORKER  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = f"test-{_WORKER}"  # noqa: F405
# ... and its own broker keys (Redis lists and the unacked hash), so that the real-Celery tests
# (tests/harness.py) of two workers never take or restore each other's messages.
CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"test-{_WORKER}:"}
_IMAGING = STORAGES["imaging"]  # noqa: F405
if _IMAGING["BACKEND"].endswith("FileSystemStorage") and "IMAGING_ROOT" not in os.environ:
    _IMAGING["OPTIONS"]["location"] = str(MEDIA_ROOT / "imaging")  # images too, per worker
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic in tests
# Tests ask for many tokens from one address; the throttle's own test sets a low rate.
API_TOKEN_THROTTLE_RATE = "100000/min"  # noqa: S105 - a rate, not a password
