"""DJANGO_LOG_FORMAT=json: one JSON object per line; a line per sync run and per push, with
ids and figures, never the API key."""

import io
import json
import logging
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError

from dialpad_console.logs import RedactSecrets, make_formatter
from orgs import services
from orgs.models import Room
from tests import factories
from tests.orgs.helpers_push import mirror_org
from tests.syncjobs.filedb import BASE_DIR, console_env, migrate

API_KEY = "sk-live-JSONLOGS-0123456789abcdef"


def json_lines(text, event=None):
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [line for line in lines if event is None or line.get("event") == event]


@pytest.fixture
def captured():
    """The lines the console's JSON handler writes for the pushes' and sync runs' loggers."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(make_formatter("json"))
    handler.addFilter(RedactSecrets())
    loggers = [logging.getLogger(name) for name in ("orgs.pushes", "syncjobs.runs", "test")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield stream
    for logger in loggers:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)


@pytest.mark.slow
def test_a_sync_run_logs_one_json_line_with_its_figures_and_no_key(sim, tmp_path):
    sim.api_key = API_KEY
    env = console_env(tmp_path, sim, DJANGO_LOG_FORMAT="json", DJANGO_LOG_LEVEL="INFO")
    migrate(env)

    result = subprocess.run([sys.executable, "manage.py", "sync_org"], cwd=BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    lines = json_lines(result.stderr)  # every line parses: nothing but JSON on stderr
    [run] = [line for line in lines if line.get("event") == "sync_run"]
    assert run["logger"] == "syncjobs.runs" and run["level"] == "INFO"
    assert (run["run_id"], run["status"], run["trigger"]) == (1, "succeeded", "command")
    assert run["counts"]["users"]["created"] == len(sim.state.users)
    assert run["api_calls"] > 0 and run["duration_s"] > 0
    assert run["message"].startswith("Sync run #1 succeeded in ")
    assert "time" in run
    assert API_KEY not in result.stderr + result.stdout


@pytest.mark.django_db
def test_a_push_logs_one_json_line_with_its_ids_and_outcome(use_sim, captured, settings):
    use_sim.api_key = settings.DIALPAD_API_KEY = API_KEY
    mirror_org()
    room = Room.objects.first()

    renamed = services.room_rename(actor=factories.admin_who_may_push(), room=room,
                                   name="Front desk")

    [line] = json_lines(captured.getvalue(), "push")
    record = renamed.push_record
    assert line["event"] == "push"
    assert (line["push_id"], line["operation"], line["outcome"]) == (
        record.pk, "room_rename", "succeeded")
    assert (line["target_type"], line["target_id"]) == ("room", str(room.pk))
    assert line["actor"] == record.actor_username and line["duration_ms"] >= 0
    assert API_KEY not in captured.getvalue()


@pytest.mark.django_db
def test_a_push_that_was_not_sent_logs_its_reason(use_sim, captured):
    mirror_org()
    room = Room.objects.first()

    with pytest.raises(ValidationError):
        services.room_rename(actor=factories.admin_who_may_push(), room=room, name="   ")

    [line] = json_lines(captured.getvalue(), "push")
    assert (line["outcome"], line["level"]) == ("invalid", "INFO")
    assert "name" in line["reason"]


def test_a_secret_in_a_message_or_field_is_redacted(captured, settings):
    settings.DIALPAD_API_KEY = API_KEY

    logging.getLogger("test").warning("Calling with %s", API_KEY, extra={"header": API_KEY})

    [line] = json_lines(captured.getvalue())
    assert line["message"] == "Calling with [redacted]"
    assert line["header"] == "[redacted]"
    assert API_KEY not in captured.getvalue()
