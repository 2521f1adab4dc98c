"""/readyz: every check as JSON, 200 when the required ones pass, 503 otherwise."""

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from dialpad_console import health
from dialpad_console.health.heartbeats import SILENT_AFTER
from syncjobs.choices import Status
from syncjobs.models import SyncRun

pytestmark = pytest.mark.django_db


def readyz(client, **headers):
    response = client.get("/readyz", **headers)
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_it_is_ready_when_the_database_broker_worker_and_beat_answer(client, background_alive):
    status, body = readyz(client)

    assert status == 200
    assert body["status"] == "ok"
    checks = body["checks"]
    assert list(checks) == ["database", "broker", "worker", "beat", "last_sync", "last_event"]
    for name in ("database", "broker", "worker", "beat"):
        assert checks[name]["status"] == "ok", checks[name]
        assert checks[name]["required"] is True
    assert checks["worker"]["workers"] == 1


def test_it_answers_without_login_and_for_any_host_over_plain_http(client, settings,
                                                                   background_alive):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["console.example.com"]

    status, _ = readyz(client, HTTP_HOST="10.0.0.7:8000")

    assert status == 200


def test_no_worker_ever_makes_it_503_and_says_how_to_start_one(client, heartbeat):
    heartbeat("beat")

    status, body = readyz(client)

    assert status == 503
    assert body["status"] == "failing"
    assert body["checks"]["worker"]["status"] == "failing"
    assert "celery -A dialpad_console worker" in body["checks"]["worker"]["detail"]


def test_a_worker_silent_for_longer_than_the_limit_makes_it_503(client, heartbeat):
    heartbeat("beat")
    heartbeat("worker", "celery@host-1", seconds_ago=SILENT_AFTER + 30)

    status, body = readyz(client)

    assert status == 503
    worker = body["checks"]["worker"]
    assert worker["status"] == "failing"
    assert worker["last_heartbeat_seconds"] >= SILENT_AFTER + 30
    assert worker["detail"].startswith("No Celery worker process has reported for ")


def test_one_live_worker_among_silent_ones_is_enough(client, heartbeat):
    heartbeat("beat")
    heartbeat("worker", "celery@old", seconds_ago=3600)
    heartbeat("worker", "celery@new")

    status, body = readyz(client)

    assert status == 200
    assert body["checks"]["worker"]["workers"] == 1


def test_no_beat_makes_it_503(client, heartbeat):
    heartbeat("worker")

    status, body = readyz(client)

    assert status == 503
    assert body["checks"]["beat"]["status"] == "failing"


def test_two_live_beats_are_a_warning_that_keeps_it_ready(client, heartbeat):
    heartbeat("worker")
    heartbeat("beat", "host-1")
    heartbeat("beat", "host-2")

    status, body = readyz(client)

    assert status == 200
    assert body["checks"]["beat"]["status"] == "warning"
    assert "run no more than 1," in body["checks"]["beat"]["detail"]


def test_an_unreachable_redis_makes_it_503_without_showing_the_url(client, settings,
                                                                   background_alive):
    settings.REDIS_URL = f"redis://:hunter2-secret@127.0.0.1:{free_port()}/5"

    status, body = readyz(client)

    assert status == 503
    assert body["checks"]["broker"]["status"] == "failing"
    assert body["checks"]["broker"]["transport"] == "redis"
    assert "hunter2" not in str(body) and "127.0.0.1" not in str(body)


@pytest.mark.redis
def test_a_reachable_redis_is_ok(client, settings, background_alive):
    import os

    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set (make test starts a Redis and sets it)")
    settings.REDIS_URL = url

    status, body = readyz(client)

    assert status == 200
    assert body["checks"]["broker"]["transport"] == "redis"


def test_a_missing_embedded_broker_folder_makes_it_503(client, settings, tmp_path,
                                                       background_alive):
    settings.REDIS_URL = None
    settings.CELERY_BROKER_DIR = tmp_path / "no-such-folder"

    status, body = readyz(client)

    assert status == 503
    assert body["checks"]["broker"]["transport"] == "filesystem"


def test_the_last_sync_is_unknown_before_any_and_does_not_make_it_fail(client,
                                                                        background_alive):
    status, body = readyz(client)

    assert status == 200
    assert body["checks"]["last_sync"]["status"] == "unknown"
    assert body["checks"]["last_sync"]["required"] is False


def test_the_last_successful_sync_is_reported_with_its_age(client, background_alive):
    now = timezone.now()
    ok = SyncRun.objects.create(trigger="schedule", status=Status.SUCCEEDED,
                                started_at=now - timedelta(minutes=11),
                                finished_at=now - timedelta(minutes=10))
    SyncRun.objects.create(trigger="schedule", status=Status.FAILED, started_at=now,
                           finished_at=now)

    _, body = readyz(client)

    last_sync = body["checks"]["last_sync"]
    assert last_sync["status"] == "ok"
    assert last_sync["run_id"] == ok.pk
    assert 590 <= last_sync["age_seconds"] <= 660


def test_a_stale_sync_is_a_warning_and_it_stays_ready(client, settings, background_alive):
    settings.DIALPAD_SYNC_STALE_MINUTES = 60
    now = timezone.now()
    SyncRun.objects.create(trigger="schedule", status=Status.SUCCEEDED,
                           started_at=now - timedelta(hours=3),
                           finished_at=now - timedelta(hours=3))

    status, body = readyz(client)

    assert status == 200
    assert body["checks"]["last_sync"]["status"] == "warning"
    assert "180 minutes ago" in body["checks"]["last_sync"]["detail"]


def test_the_last_event_is_reported_as_not_configured(client, background_alive, settings):
    settings.DIALPAD_WEBHOOK_SECRET = ""

    _, body = readyz(client)

    assert body["checks"]["last_event"] == {
        "status": "unknown", "required": False, "configured": False, "age_seconds": None,
        "waiting": 0, "detail": "Not configured: set DIALPAD_WEBHOOK_SECRET, then run "
                                "manage.py dialpad_webhooks ensure.",
    }


def test_an_app_can_replace_the_last_event_check(client, background_alive):
    placeholder = health.CHECKS["last_event"]
    try:
        @health.register("last_event", required=False)
        def last_event():
            return health.Result(health.OK, "An event 5 s ago.", age_seconds=5)

        _, body = readyz(client)
    finally:
        health.CHECKS["last_event"] = placeholder

    assert body["checks"]["last_event"]["status"] == "ok"
    assert body["checks"]["last_event"]["age_seconds"] == 5


def test_a_check_that_crashes_is_failing_and_names_only_the_exception_type(client,
                                                                           background_alive):
    original = health.CHECKS["database"]
    try:
        @health.register("database", required=True)
        def database():
            raise RuntimeError("postgres://admin:s3cret@db/console is down")

        status, body = readyz(client)
    finally:
        health.CHECKS["database"] = original

    assert status == 503
    assert body["checks"]["database"]["detail"] == "The check failed: RuntimeError."
    assert "s3cret" not in str(body)


def test_it_holds_no_secret(client, settings, background_alive):
    settings.DIALPAD_API_KEY = "sk-live-ABCDEFGH12345678"

    response = client.get("/readyz")

    text = response.content.decode()
    assert settings.DIALPAD_API_KEY not in text
    assert settings.SECRET_KEY not in text
    assert settings.DATABASES["default"]["NAME"] not in text


def test_it_refuses_a_post(client):
    assert client.post("/readyz").status_code == 405


def test_it_is_never_cached(client, background_alive):
    assert "no-store" in client.get("/readyz")["Cache-Control"]
