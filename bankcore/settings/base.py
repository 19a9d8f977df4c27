"""Settings, 12-factor: everything that differs between machines comes from the environment.

Embedded default (nothing set): SQLite, local-memory cache, Celery tasks run eagerly in-process.
- DATABASE_URL=postgres://user@host:5432/name  switches to PostgreSQL (psycopg 3).
- REDIS_URL=redis://host:6379/0                switches Celery's broker and Django's cache to Redis.
- DEBUG=0 with SECRET_KEY and ALLOWED_HOSTS     production; passes `manage.py check --deploy`.
The full list is in README.md, "Configuration".
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE as _csp_nonce
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
NODE_MODULES = BASE_DIR / "node_modules"

env = environ.Env()
env.read_env(BASE_DIR / ".env")  # optional; real environment variables win

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Catalogue names in English and Simplified Chinese (each app's translation.py); it must
    # come before the admin so that its admin classes are patched.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",  # API tokens: hashed, expiring, one per client
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files, no CDN
    "django_htmx",
    "axes",
    # The kernel first, then the domain apps in dependency order (seed_demo follows this order).
    "bankcore",
    "customers",
    "products",
    "imaging",
    "authorization",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "bankcore.urls"
WSGI_APPLICATION = "bankcore.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bankcore.navigation.navigation_context",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so concurrent writers wait for
    # each other (up to `timeout` seconds) instead of failing with "database is locked".
    # WAL lets readers run beside the writer, and synchronous=NORMAL makes a commit one
    # write instead of several fsyncs (still safe against a crash of the process).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Reports may read from a replica: REPORTS_DATABASE_URL names it, and reports.routers sends
# the reports app's reads there (writes and ingestion stay on "default").
if env.str("REPORTS_DATABASE_URL", default=""):
    DATABASES["reports"] = env.db("REPORTS_DATABASE_URL")
DATABASE_ROUTERS = ["reports.routers.ReportsRouter"]

# --- Cache and Celery -------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE: dict = {}

# --- Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "bankcore.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with a user's permissions read in one prepared statement: the
    # evaluate endpoint asks on every request (see the module).
    "bankcore.auth_backends.PermissionsInOneQueryBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock an account after repeated failed logins (pages, admin and the token API).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
# Lock the account, as banks do. Not by IP: a branch's tellers share one NAT address, and an
# IP lock would shut the whole branch out (hence axes.W006 is silenced on purpose).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "bankcore.views.pages.lockout_response"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Catalogue and reference data (names, labels, help texts) are kept in both languages: one
# column per language beside the original (django-modeltranslation); English is the fallback.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "zh-hans")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_TZ = True

# Authorization engine: how often a process re-reads which rule-set version is in force
# (publishing reaches every process within this time). Each evaluation is recorded by one
# INSERT before the answer leaves (no buffer).
AUTHORIZATION_RULESET_CHECK_SECONDS = env.float("AUTHORIZATION_RULESET_CHECK_SECONDS", default=1.0)

# Idempotency-Key on state-changing API endpoints (bankcore/idempotency.py): how long a key and
# its stored answer are kept, and how long a request that never answered holds its key.
IDEMPOTENCY_KEY_TTL_HOURS = env.float("IDEMPOTENCY_KEY_TTL_HOURS", default=24.0)
IDEMPOTENCY_IN_FLIGHT_SECONDS = env.int("IDEMPOTENCY_IN_FLIGHT_SECONDS", default=120)
CELERY_BEAT_SCHEDULE["bankcore.idempotency-records-purge"] = {
    "task": "bankcore.tasks.idempotency_records_purge_task",
    "schedule": 3600.0,
}

# Webhooks to channel systems on each authorization request state change
# (authorization/webhooks.py): attempts per delivery, backoff between them, HTTP time-out.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=10.0)
WEBHOOK_RETRY_MAX_SECONDS = env.float("WEBHOOK_RETRY_MAX_SECONDS", default=3600.0)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
# Authorization requests past their time limit are escalated (or expired), and claims whose
# lease ran out return to the queue, checked every minute.
CELERY_BEAT_SCHEDULE["authorization.requests-escalate-due"] = {
    "task": "authorization.tasks.requests_escalate_due_task",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["authorization.requests-leases-expire"] = {
    "task": "authorization.tasks.requests_leases_expire_task",
    "schedule": 60.0,
}

# Money: amounts are Decimal with an ISO 4217 currency (bankcore.money); never float.
DEFAULT_CURRENCY = "CNY"

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_AUTOREFRESH = DEBUG
# Front-end packages come from npm (package.json + package-lock.json); nothing third-party is
# copied into the repo. Each is exposed under /static/vendor/<name>/.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded evidence is private: stored outside the static tree and never served from a
# public URL; views stream it after an object-level permission check.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media-is-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Imaging (evidence intake; README "Image storage") ---------------------------------------
# Private store for images: the filesystem under IMAGING_ROOT by default, or an S3-compatible
# bucket (IMAGING_STORAGE=s3, through django-storages). Never served from a public URL.
IMAGING_STORAGE = env.str("IMAGING_STORAGE", default="filesystem")
if IMAGING_STORAGE == "s3":
    STORAGES["imaging"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("IMAGING_S3_BUCKET"),
            "endpoint_url": env.str("IMAGING_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("IMAGING_S3_REGION", default=None),
            "access_key": env.str("IMAGING_S3_ACCESS_KEY", default=None),
            "secret_key": env.str("IMAGING_S3_SECRET_KEY", default=None),
            "location": env.str("IMAGING_S3_PREFIX", default="imaging"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": True,  # names are content-addressed: same name, same bytes
        },
    }
else:
    STORAGES["imaging"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(env.path("IMAGING_ROOT", default=Path(str(MEDIA_ROOT)) / "imaging")),
            "base_url": "/media-is-not-served/",
            "allow_overwrite": True,  # content-addressed: a name is always the same bytes
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    }
IMAGING_MAX_UPLOAD_BYTES = env.int("IMAGING_MAX_UPLOAD_MB", default=20) * 1024 * 1024
IMAGING_MAX_PIXELS = env.int("IMAGING_MAX_MEGAPIXELS", default=60) * 1_000_000
IMAGING_REVIEW_MAX_SIDE = 2000
IMAGING_THUMBNAIL_MAX_SIDE = 320
IMAGING_REUSE_MAX_DISTANCE = 3  # bits of the 64-bit difference hash
# The received bytes are kept (never served) only when the bank's retention policy says so.
IMAGING_KEEP_ORIGINALS = env.bool("IMAGING_KEEP_ORIGINALS", default=False)
IMAGING_RETENTION_DAYS = env.int("IMAGING_RETENTION_DAYS", default=3650)  # per type: admin
# Production behind nginx: the internal location that maps to IMAGING_ROOT, e.g.
# "/protected-images/" with `location /protected-images/ { internal; alias <IMAGING_ROOT>/; }`.
IMAGING_X_ACCEL_REDIRECT_PREFIX = env.str("IMAGING_X_ACCEL_REDIRECT_PREFIX", default="")
CELERY_BEAT_SCHEDULE["imaging.purge-expired-images"] = {
    "task": "imaging.purge_expired_images",
    "schedule": 3600.0,
}

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "bankcore.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "bankcore.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    # FilterSets per list; unknown or invalid query parameters are a 400 naming them.
    "DEFAULT_FILTER_BACKENDS": ["bankcore.api.filters.StrictFilterBackend"],
    # Every operation documents the standard error answers (bankcore/api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "bankcore.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "bankcore.errors.api_exception_handler",
    # JSON only: an upload endpoint opts in with bankcore.api.parsers.UPLOAD_PARSERS.
    "DEFAULT_PARSER_CLASSES": ["bankcore.api.parsers.JSONParser"],
    # JSON only, no browsable API (the interactive docs are at /api/docs/).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bank business authorization center API",
    "DESCRIPTION": (
        "Channel and integration API: authorization decisions and requests, customers, "
        "products and accounts. Authenticate with `POST /api/v1/auth/token/` and send "
        "`Authorization: Bearer <token>`. Every 4xx carries "
        '`{"error": {"code", "message", "fields"}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several apps have a "state" field with different choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "AuthorizationRequestStateEnum": "authorization.models.RequestState",
        "CustomerStatusEnum": "customers.models.CustomerStatus",
    },
    # The schema and the docs are for signed-in staff and token holders only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": [
        "bankcore.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
}
# API tokens (django-rest-knox): stored as SHA-512 digests, each client login its own token,
# expiring after API_TOKEN_TTL_HOURS; revoked by logout, a password change or deactivation.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.float("API_TOKEN_TTL_HOURS", default=10.0)),
    "AUTO_REFRESH": False,
}
API_TOKENS_PER_USER = env.int("API_TOKENS_PER_USER", default=10)
# Token requests per client address (beside django-axes' per-username lockout).
API_TOKEN_THROTTLE_RATE = env.str("API_TOKEN_THROTTLE_RATE", default="20/min")

# --- Security (production values when DEBUG is off; `check --deploy` is clean) --------------
# Content-Security-Policy (django-csp 4 format): scripts only from our own static files (an
# inline script carries the request's nonce), no plugins, no framing, forms post to us only.
# Inline style attributes stay allowed (bootstrap utility pages and htmx's indicator style).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", _csp_nonce],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)  # one working day
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Demo data and logging --------------------------------------------------------------------
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="Demo-Pass-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Reports (reports/): facts and rollups brought up to date every minute (a one-hour refresh
# takes well under that, bench/bench_reports.py), and the daily report mailed to managers.
REPORTS_REFRESH_SECONDS = env.float("REPORTS_REFRESH_SECONDS", default=60.0)
REPORTS_DAILY_EMAIL_HOUR = env.int("REPORTS_DAILY_EMAIL_HOUR", default=7)
CELERY_BEAT_SCHEDULE["reports.refresh"] = {
    "task": "reports.tasks.reports_refresh_task",
    "schedule": REPORTS_REFRESH_SECONDS,
}
CELERY_BEAT_SCHEDULE["reports.daily-email"] = {
    "task": "reports.tasks.reports_daily_email_task",
    "schedule": crontab(hour=REPORTS_DAILY_EMAIL_HOUR, minute=0),
}
