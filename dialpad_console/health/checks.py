"""The console's checks, in the order /readyz and the admin index list them."""

import os
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from . import FAILING, OK, UNKNOWN, WARNING, Result, register
from .heartbeats import SILENT_AFTER


def _ms(started):
    return round((time.monotonic() - started) * 1000, 1)


@register("database", required=True)
def database_check():
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return Result(FAILING, f"The database did not answer ({type(exc).__name__}).",
                      vendor=connection.vendor)
    latency = _ms(started)
    return Result(OK, f"{connection.display_name} answered in {latency} ms.",
                  vendor=connection.vendor, latency_ms=latency)


@register("broker", required=True)
def broker_check():
    if settings.REDIS_URL:
        import redis

        started = time.monotonic()
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1,
                                      socket_timeout=1)
        try:
            client.ping()
        except redis.RedisError as exc:
            return Result(FAILING, f"Redis did not answer ({type(exc).__name__}).",
                          transport="redis")
        finally:
            client.close()
        latency = _ms(started)
        return Result(OK, f"Redis answered in {latency} ms.", transport="redis",
                      latency_ms=latency)
    folder = settings.CELERY_BROKER_DIR / "queue"
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        return Result(FAILING, "The embedded broker's queue folder is missing or read-only.",
                      transport="filesystem")
    return Result(OK, "The embedded broker (development only: set REDIS_URL in production).",
                  transport="filesystem")


def _heartbeats(kind):
    """(how many processes of `kind` beat within SILENT_AFTER, age in s of the latest beat)."""
    from dialpad_console.models import Heartbeat

    now = timezone.now()
    seen = list(Heartbeat.objects.filter(kind=kind).order_by("-seen_at")
                .values_list("seen_at", flat=True)[:50])
    alive = sum(1 for at in seen if now - at <= timedelta(seconds=SILENT_AFTER))
    age = round((now - seen[0]).total_seconds(), 1) if seen else None
    return alive, age


def _process_check(kind, label, command, *, at_most=None):
    """OK when a process of `kind` reported within SILENT_AFTER (a warning past `at_most`)."""
    alive, age = _heartbeats(kind)
    figures = {f"{kind}s": alive, "last_heartbeat_seconds": age}
    if alive and at_most and alive > at_most:
        return Result(WARNING, f"{alive} {label} processes are reporting: run no more than "
                               f"{at_most}, or every scheduled sync is sent {alive} times.",
                      **figures)
    if alive:
        return Result(OK, f"{alive} {label} process{'es' if alive > 1 else ''} reporting; the "
                          f"last heartbeat came {age:.0f} s ago.", **figures)
    if age is None:
        return Result(FAILING, f"No {label} process has ever reported: start one ({command}).",
                      **figures)
    return Result(FAILING, f"No {label} process has reported for {age:.0f} s.", **figures)


@register("worker", required=True)
def worker_check():
    return _process_check("worker", "Celery worker", "celery -A dialpad_console worker")


@register("beat", required=True)
def beat_check():
    return _process_check("beat", "Celery beat", "celery -A dialpad_console beat", at_most=1)


@register("last_sync", required=False)
def last_sync_check():
    from syncjobs.choices import Status
    from syncjobs.models import SyncRun

    last = (SyncRun.objects.filter(status=Status.SUCCEEDED, dry_run=False)
            .order_by("-finished_at").values("pk", "finished_at").first())
    if last is None or last["finished_at"] is None:
        return Result(UNKNOWN, "No sync has succeeded yet.")
    age = (timezone.now() - last["finished_at"]).total_seconds()
    stale_after = settings.DIALPAD_SYNC_STALE_MINUTES * 60
    fields = {"run_id": last["pk"], "age_seconds": round(age), "stale_after_seconds": stale_after}
    if age > stale_after:
        return Result(WARNING, f"The last successful sync finished {age / 60:.0f} minutes ago.",
                      **fields)
    return Result(OK, f"Sync run #{last['pk']} succeeded {age / 60:.0f} minutes ago.", **fields)


@register("last_event", required=False)
def last_event_check():
    # The placeholder until an events app (Dialpad's change-log webhooks) registers its own
    # "last_event" check; see this package's docstring.
    return Result(UNKNOWN, "Not configured: the console does not receive Dialpad events yet.",
                  configured=False)
