"""python manage.py sync_org: the same sync, synchronously, with a one-object JSON summary."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from orgs.models import DialpadUser
from syncjobs.choices import Status, Trigger
from syncjobs.models import SyncRun

pytestmark = pytest.mark.django_db


def sync_org(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("sync_org", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_json_prints_exactly_one_object_with_the_counts(use_sim):
    output = sync_org("--json")

    summary = json.loads(output)  # one object, nothing else on stdout
    assert set(summary) == {"run_id", "status", "duration_s", "api_calls", "retries",
                            "rate_limited", "counts"}
    run = SyncRun.objects.get()
    assert summary["run_id"] == run.pk and run.trigger == Trigger.COMMAND
    assert summary["status"] == "succeeded"
    assert summary["api_calls"] == len(use_sim.requests)
    assert summary["counts"]["users"] == {"created": len(use_sim.state.users), "updated": 0,
                                          "unchanged": 0, "gone": 0}
    assert set(summary["counts"]) >= {"company", "offices", "departments", "callcenters",
                                      "rooms", "users", "numbers", "memberships"}


def test_it_exits_1_when_dialpad_refuses(use_sim, settings):
    settings.DIALPAD_API_KEY = "not-the-key"
    out = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("sync_org", "--json", stdout=out)

    assert raised.value.returncode == 1
    assert json.loads(out.getvalue())["status"] == Status.FAILED
    assert "not-the-key" not in str(raised.value)


def test_dry_run_compares_and_writes_nothing(use_sim):
    summary = json.loads(sync_org("--json", "--dry-run"))

    assert summary["counts"]["users"]["created"] == len(use_sim.state.users)
    assert DialpadUser.objects.count() == 0
    assert SyncRun.objects.get().dry_run


def test_dry_run_reports_what_a_sync_would_change(use_sim):
    sync_org()
    uid = next(iter(use_sim.state.users))
    use_sim.state.users[uid]["last_name"] = "Changed"

    summary = json.loads(sync_org("--json", "--dry-run"))

    assert summary["counts"]["users"]["updated"] == 1
    assert DialpadUser.objects.get(pk=uid).last_name != "Changed"


def test_without_json_it_prints_a_readable_table(use_sim):
    output = sync_org()

    assert "Succeeded" in output and "users" in output and "created" in output
