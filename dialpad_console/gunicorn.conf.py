"""gunicorn's settings for the console: `gunicorn -c dialpad_console/gunicorn.conf.py`.

Read from the environment, like the Django settings (docs/deploy.md lists every variable).
"""

import multiprocessing
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dialpad_console.logs import LOG_FORMATS, logging_config  # noqa: E402 -- needs ROOT


def _int(name, default):
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise SystemExit(f"{name} must be a whole number (got {value!r}).") from None


wsgi_app = "dialpad_console.wsgi:application"
chdir = str(ROOT)

# Behind the TLS proxy, on the address the proxy forwards to (`make run` uses the same name).
bind = os.environ.get("CONSOLE_ADDR", "127.0.0.1:8000")
# Sync workers: an admin page that pushes waits on Dialpad, so a few processes keep the
# others answering meanwhile. gunicorn's usual rule of thumb, 2 x cores + 1.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
# Longer than the slowest page: a bulk push of BULK_INLINE_MAX items, each bounded by
# DIALPAD_READ_TIMEOUT and its retries. Past it, the worker is killed and restarted.
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = 30
keepalive = 5
# Recycle each worker now and then: memory stays flat whatever a library leaks.
max_requests = 2000
max_requests_jitter = 200
# Let gunicorn read X-Forwarded-* only from the proxy on this host (its own default,
# FORWARDED_ALLOW_IPS widens it); Django decides about https (DJANGO_BEHIND_TLS_PROXY).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn's own lines and the access log go through the console's logging (stderr, in
# DJANGO_LOG_FORMAT). One access line per request: method, path without the query string (it
# may carry search terms or tokens), status, size, milliseconds; no referrer, for the same
# reason.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
_log_format = os.environ.get("DJANGO_LOG_FORMAT", "plain")
if _log_format not in LOG_FORMATS:
    raise SystemExit(f"DJANGO_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}.")
logconfig_dict = logging_config(_log_format, os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
                                gunicorn=True)

# gunicorn's runtime control socket (gunicornc) is not used; several consoles on one host
# would otherwise share its default path.
control_socket_disable = True
