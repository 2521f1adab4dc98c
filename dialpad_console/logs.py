"""Log lines: plain text, or one JSON object per line when DJANGO_LOG_FORMAT=json.

- `logging_config(fmt, level)` is settings.LOGGING; gunicorn's config file uses it too
  (`gunicorn=True`), so the web server's own lines, access log included, share the format.
- Celery replaces the root handlers in the worker and in beat; `celery_handlers_setup` (wired
  to its after_setup_*logger signals in dialpad_console.celery) gives them the same format.
- `RedactSecrets` sits on every handler: a secret of the settings (the Dialpad API key, the
  secret key) that slipped into a message is replaced before the line is written.
- `log_sync_run(run)` and `log_push(record)`: one line per finished sync run and per push,
  with ids and figures as fields (keys of the JSON object), never a secret.

Not named logging.py: `from dialpad_console import logging` would read as the stdlib's.
"""

import logging

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

LOG_FORMATS = ("plain", "json")
PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "[redacted]"

sync_logger = logging.getLogger("syncjobs.runs")
push_logger = logging.getLogger("orgs.pushes")


class JsonFormatter(_JsonFormatter):
    """time, level, logger, message, then the record's extra fields; in a Celery task, also
    the task's name and id."""

    def __init__(self, **kwargs):
        kwargs.setdefault("fmt", ["levelname", "name", "message"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")
        super().__init__(**kwargs)

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        from celery import current_task

        if current_task and current_task.request.id:
            log_record.setdefault("task", current_task.name)
            log_record.setdefault("task_id", current_task.request.id)


def make_formatter(fmt="plain"):
    """A formatter instance for `fmt` ("plain" or "json")."""
    if fmt == "json":
        return JsonFormatter()
    return logging.Formatter(PLAIN_FORMAT)


class RedactSecrets(logging.Filter):
    """Replace the settings' secret values in a record's message and string fields.

    Reads the secrets from Django's settings once they are configured (never configures them
    itself: gunicorn's master logs before Django is loaded).
    """

    @staticmethod
    def secrets():
        from django.conf import settings

        if not settings.configured:
            return ()
        values = (getattr(settings, "DIALPAD_API_KEY", ""), settings.SECRET_KEY,
                  getattr(settings, "DIALPAD_WEBHOOK_SECRET", ""),
                  getattr(settings, "DIALPAD_WEBHOOK_PREVIOUS_SECRET", ""))
        # Short values would redact ordinary words; real keys are long.
        return tuple(v for v in values if v and len(v) >= 8)

    def filter(self, record):
        secrets = self.secrets()
        if not secrets:
            return True
        message = record.getMessage()
        if any(s in message for s in secrets):
            record.msg, record.args = redact(message, secrets), None
        for key, value in vars(record).items():
            if isinstance(value, str) and key not in ("msg", "message") and any(
                    s in value for s in secrets):
                setattr(record, key, redact(value, secrets))
        return True


class ForbiddenWithoutTraceback(logging.Filter):
    """django.request logs a 403 as a warning with the PermissionDenied's traceback: a
    denial is an everyday answer, not a failure, so keep the line and drop the traceback."""

    def filter(self, record):
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            reason = record.exc_info[1]
            record.exc_info, record.exc_text = None, None
            if str(reason or ""):
                record.msg = f"{record.msg} (%s)"
                record.args = (*(record.args or ()), str(reason))
        return True


def redact(text, secrets=None):
    for secret in RedactSecrets.secrets() if secrets is None else secrets:
        text = text.replace(secret, REDACTED)
    return text


def logging_config(fmt, level, *, gunicorn=False):
    """The dictConfig for `fmt` ("plain" or "json") at `level`, everything to stderr."""
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": RedactSecrets},
                    "forbidden": {"()": ForbiddenWithoutTraceback}},
        "formatters": {"console": {"()": make_formatter, "fmt": fmt}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler", "formatter": "console", "filters": ["redact"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        # A 403 is logged as one line, without the PermissionDenied's traceback.
        "loggers": {"django.request": {"filters": ["forbidden"]}},
    }
    if gunicorn:
        config["loggers"].update({
            name: {"handlers": ["console"], "level": "INFO", "propagate": False}
            for name in ("gunicorn.error", "gunicorn.access")
        })
    return config


def celery_handlers_setup(logger, fmt):
    """Give the handlers Celery installed on `logger` our format and the redaction filter."""
    for handler in logger.handlers:
        if fmt == "json":
            handler.setFormatter(make_formatter("json"))
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets())


# --- one line per sync run and per push --------------------------------------------------------


def log_sync_run(run):
    """One line for a finished SyncRun: status, duration, counts, API figures."""
    level = {"succeeded": logging.INFO, "errored": logging.ERROR}.get(run.status,
                                                                    logging.WARNING)
    duration = run.duration or 0.0
    fields = {
        "event": "sync_run",
        "run_id": run.pk,
        "trigger": run.trigger,
        "status": run.status,
        "dry_run": run.dry_run,
        "duration_s": round(duration, 3),
        "counts": run.counts or {},
        "api_calls": run.api_calls,
        "retries": run.retries,
        "rate_limited": run.rate_limited,
        "outcomes": len(run.outcomes or ()),
        "error": redact(run.error or "")[:300],
    }
    sync_logger.log(
        level,
        "Sync run #%s %s in %.1f s%s: %s; %s API calls, %s retries, %s answered 429",
        run.pk, run.status, duration, " (dry run)" if run.dry_run else "",
        run.counts_summary(), run.api_calls, run.retries, run.rate_limited,
        extra=fields,
    )


def log_push(record):
    """One line for a journaled push (a PushRecord): operation, target, outcome, timing."""
    if record is None:
        return
    level = logging.INFO if record.outcome in ("succeeded", "invalid") else logging.WARNING
    fields = {
        "event": "push",
        "push_id": record.pk,
        "operation": record.operation,
        "outcome": record.outcome,
        "target_type": record.target_type,
        "target_id": record.target_id,
        "actor": record.actor_username,
        "dialpad_status": record.dialpad_status,
        "duration_ms": record.duration_ms,
    }
    if record.outcome != "succeeded":
        fields["reason"] = redact(record.message or "")[:300]
    push_logger.log(
        level, "Push #%s %s %s %s by %s: %s (%s ms)",
        record.pk, record.operation, record.target_type or "-", record.target_id or "-",
        record.actor_username or "-", record.outcome, record.duration_ms,
        extra=fields,
    )
