"""Settings, read from the environment (see .env.example for every variable).

Development is the default: run with no environment at all and you get SQLite under var/,
a broker that needs no server, and DEBUG on. Production is DJANGO_DEBUG=false, and then the
variables in REQUIRED_IN_PRODUCTION must be set or start-up fails naming the missing one.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # The sync and the web server write at the same time: wait for the lock instead of
    # failing with "database is locked", and let readers proceed during a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

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

# The sync (syncjobs): a run that would mark more than this share of an entity gone marks none
# and waits for an admin to confirm; desk phones cost one call per room, so they are opt-in.
DIALPAD_SYNC_MAX_GONE_SHARE = env.float("DIALPAD_SYNC_MAX_GONE_SHARE", default=0.10)
if not 0 <= DIALPAD_SYNC_MAX_GONE_SHARE <= 1:
    raise ImproperlyConfigured("DIALPAD_SYNC_MAX_GONE_SHARE must be between 0 and 1 (e.g. 0.1).")
DIALPAD_SYNC_DESKPHONES = env.bool("DIALPAD_SYNC_DESKPHONES", default=False)
DIALPAD_SYNC_STALE_AFTER = env.float("DIALPAD_SYNC_STALE_AFTER", default=120.0)  # syncjobs.claim

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
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
