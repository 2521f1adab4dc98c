"""Settings, read from the environment (see .env.example for every variable).

Development is the default: run with no environment at all and you get SQLite under var/,
a broker that needs no server, and DEBUG on. Production is DJANGO_DEBUG=false, and then the
variables in REQUIRED_IN_PRODUCTION must be set or start-up fails naming the missing one.
"""

import zoneinfo
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from dialpad_console.logs import LOG_FORMATS, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("DIALPAD_CONSOLE_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env.smart_cast = False
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")


def _secret(name, default=None):
    """A secret from NAME, or from the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    file_path = env.str(f"{name}_FILE", default="")
    if file_path:
        return Path(file_path).read_text().strip()
    return env.str(name, default=default)


DEBUG = env.bool("DJANGO_DEBUG", default=True)

REQUIRED_IN_PRODUCTION = ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DIALPAD_API_KEY")
if not DEBUG:
    for _name in REQUIRED_IN_PRODUCTION:
        if not (env.str(_name, default="") or env.str(f"{_name}_FILE", default="")):
            raise ImproperlyConfigured(
                f"{_name} must be set when DJANGO_DEBUG is false (see .env.example)."
            )

SECRET_KEY = _secret("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "dialpad_console",
    "orgs",
    "syncjobs",
    "messaging",
    "events",
]

MIDDLEWARE = [
    # /healthz and /readyz, before the Host check and the HTTPS redirect (health.views).
    "dialpad_console.health.views.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the web process, before sessions and the rest (whitenoise).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "dialpad_console.urls"
WSGI_APPLICATION = "dialpad_console.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
_SQLITE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
# Keep a connection per process for this many seconds instead of one per request; checked
# before reuse, so a restarted database costs a reconnect, not a 500. Off under SQLite
# (a file open is cheap) and under runserver, whose thread per request would leak them.
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "DJANGO_CONN_MAX_AGE", default=0 if (DEBUG or _SQLITE) else 60
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails a request (and /readyz) in seconds, not minutes.
    # `?connect_timeout=N` in DATABASE_URL overrides it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
if _SQLITE:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # The sync and the web server write at the same time: wait for the lock instead of
    # failing with "database is locked", and let readers proceed during a write. A
    # transaction takes the write lock when it begins (IMMEDIATE): one that has only read so
    # far could not wait for it later (SQLite refuses that upgrade at once, whatever the
    # timeout), and the mirror writer's compare-then-write must not interleave with another.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 20, "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
if TIME_ZONE not in zoneinfo.available_timezones():
    raise ImproperlyConfigured(
        f"DJANGO_TIME_ZONE must be an IANA time zone such as Europe/Berlin (got {TIME_ZONE!r}).")
USE_I18N = True
USE_TZ = True
# One date and time format on every page (dialpad_console/formats/en/formats.py): Django 5
# always localizes, so DATETIME_FORMAT as a setting would be ignored.
FORMAT_MODULE_PATH = ["dialpad_console.formats"]

STATIC_URL = "static/"
# `manage.py collectstatic` writes here (make serve and the release step run it); whitenoise
# serves it. Production uses hashed, pre-compressed files named in a manifest; development
# and the tests serve the apps' files as they are, so neither needs collectstatic.
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
# Decided from DJANGO_DEBUG, not from the runtime DEBUG that pytest-django switches off.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "admin:login"

# --- Security (production). `manage.py check --deploy` passes with these. -------------------
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Dialpad ------------------------------------------------------------------------------
DIALPAD_API_KEY = _secret("DIALPAD_API_KEY", default="")
DIALPAD_SANDBOX = env.bool("DIALPAD_SANDBOX", default=False)
DIALPAD_BASE_URL = env.str(
    "DIALPAD_BASE_URL",
    default="https://sandbox.dialpad.com" if DIALPAD_SANDBOX else "https://dialpad.com",
).rstrip("/")
DIALPAD_RATE_LIMIT_PER_MINUTE = env.int("DIALPAD_RATE_LIMIT_PER_MINUTE", default=1200)
if DIALPAD_RATE_LIMIT_PER_MINUTE < 0:
    raise ImproperlyConfigured("DIALPAD_RATE_LIMIT_PER_MINUTE must be 0 (no pacing) or more.")
DIALPAD_TIMEOUT = (
    env.float("DIALPAD_CONNECT_TIMEOUT", default=5.0),
    env.float("DIALPAD_READ_TIMEOUT", default=30.0),
)

# Dialpad's webhook (events): each event is a JWT signed HS256 with this secret, which the
# console gives Dialpad when it sets the webhook up (manage.py dialpad_webhooks ensure).
# During a rotation the previous secret is accepted too, until Dialpad signs with the new.
DIALPAD_WEBHOOK_SECRET = _secret("DIALPAD_WEBHOOK_SECRET", default="")
DIALPAD_WEBHOOK_PREVIOUS_SECRET = _secret("DIALPAD_WEBHOOK_PREVIOUS_SECRET", default="")
for _name, _value in (("DIALPAD_WEBHOOK_SECRET", DIALPAD_WEBHOOK_SECRET),
                      ("DIALPAD_WEBHOOK_PREVIOUS_SECRET", DIALPAD_WEBHOOK_PREVIOUS_SECRET)):
    if _value and len(_value) < 32:  # RFC 7518: an HS256 key of at least 256 bits
        raise ImproperlyConfigured(f"{_name} must be at least 32 characters long.")

# The sync (syncjobs): a run that would mark more than this share of an entity gone, and at
# least this many of its objects, marks none and waits for an admin to confirm (1 of 6 rooms
# is no alarm); desk phones cost one call per room, so they are opt-in.
DIALPAD_SYNC_MAX_GONE_SHARE = env.float("DIALPAD_SYNC_MAX_GONE_SHARE", default=0.10)
if not 0 <= DIALPAD_SYNC_MAX_GONE_SHARE <= 1:
    raise ImproperlyConfigured("DIALPAD_SYNC_MAX_GONE_SHARE must be between 0 and 1 (e.g. 0.1).")
DIALPAD_SYNC_MIN_GONE_HELD = env.int("DIALPAD_SYNC_MIN_GONE_HELD", default=5)
if DIALPAD_SYNC_MIN_GONE_HELD < 1:
    raise ImproperlyConfigured("DIALPAD_SYNC_MIN_GONE_HELD must be 1 or more (e.g. 5).")
DIALPAD_SYNC_DESKPHONES = env.bool("DIALPAD_SYNC_DESKPHONES", default=False)
DIALPAD_SYNC_STALE_AFTER = env.float("DIALPAD_SYNC_STALE_AFTER", default=120.0)  # syncjobs.claim
# A bulk message job whose worker has not beaten for this many seconds is resumed by the next
# worker (messaging.claims); its batch in flight is read back from Dialpad before any re-send.
DIALPAD_BULK_STALE_AFTER = env.float("DIALPAD_BULK_STALE_AFTER", default=120.0)

# Processed change-log events are deleted this many days after they arrived (0: kept for
# ever); SMS events are the messages' history and are kept (events.services.prune).
DIALPAD_EVENT_RETENTION_DAYS = env.int("DIALPAD_EVENT_RETENTION_DAYS", default=30)

# --- Celery -------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="") or None
CELERY_BROKER_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A task not acknowledged within this many seconds is handed to another worker, so every
    # task's hard time limit must stay below it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # Embedded default: kombu's filesystem transport needs no server (development only).
    for _folder in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 1500
CELERY_TASK_TIME_LIMIT = 1800  # below the visibility timeout above
CELERY_TIMEZONE = TIME_ZONE
# django-celery-beat's database scheduler, recording that beat ticks (dialpad_console.health).
CELERY_BEAT_SCHEDULER = "dialpad_console.health.beat:BeatScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- Health (/readyz and the admin index) --------------------------------------------------
# The last successful sync is reported stale after this many minutes (a warning, never 503).
DIALPAD_SYNC_STALE_MINUTES = env.int("DIALPAD_SYNC_STALE_MINUTES", default=120)

# --- Logging ------------------------------------------------------------------------------
# "plain" text lines, or "json": one JSON object per line (dialpad_console.logs).
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="plain")
if LOG_FORMAT not in LOG_FORMATS:
    raise ImproperlyConfigured(
        f"DJANGO_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)} (got {LOG_FORMAT!r})."
    )
LOGGING = logging_config(LOG_FORMAT, env.str("DJANGO_LOG_LEVEL", default="INFO"))
