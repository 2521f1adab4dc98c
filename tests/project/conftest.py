"""Fixtures for the project-level tests: heartbeats written by the real writer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dialpad_console.health.heartbeats import beat
from dialpad_console.models import Heartbeat


@pytest.fixture
def heartbeat(db):
    """heartbeat(kind, name="host", seconds_ago=0): record a heartbeat as a process would."""

    def record(kind, name="host-1", seconds_ago=0):
        beat(kind, name, started_at=timezone.now())
        if seconds_ago:
            Heartbeat.objects.filter(kind=kind, name=name).update(
                seen_at=timezone.now() - timedelta(seconds=seconds_ago))

    return record


@pytest.fixture
def background_alive(heartbeat):
    """A worker and beat that reported just now."""
    heartbeat("worker", "celery@host-1")
    heartbeat("beat", "host-1")


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """The static files as the release step collects them, under production settings."""
    from tests.project.production import PRODUCTION, manage

    root = tmp_path_factory.mktemp("static")
    result = manage("collectstatic", "--no-input", "--verbosity", "0",
                    env_overrides={**PRODUCTION, "DJANGO_STATIC_ROOT": str(root)})
    assert result.returncode == 0, result.stderr
    return root
