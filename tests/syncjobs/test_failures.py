"""A sync that fails part-way keeps every row, marks nothing gone, and says why."""

import pytest
from django.contrib.admin.models import LogEntry

from orgs.models import Department, DialpadUser, OperatorMembership, PhoneNumber, Room
from syncjobs.choices import Status
from syncjobs.engine import applier as applier_module
from tests.syncjobs.conftest import make_client

pytestmark = pytest.mark.django_db

# With 5 items a page, the demo org's company, offices, departments (2 pages), call centers
# and rooms take the first 6 requests; users (8 pages) and the rest come after.
SMALL_PAGES = 5
FIRST_USERS_PAGES = 8


def remove_a_user_and_a_number(sim):
    uid = next(iter(sim.state.users))
    for gtype, gid, _role in sim.state.groups_of("user", uid):
        sim.state.remove_operator(gtype, gid, "user", uid)
    del sim.state.users[uid]
    number = next(n for n, p in sim.state.numbers.items() if p["status"] == "available")
    del sim.state.numbers[number]
    return uid, number


@pytest.mark.parametrize("fault", ["fail_nth", "drop_nth"], ids=["5xx storm", "dropped"])
def test_a_failure_part_way_marks_nothing_gone(sync, sim, fault):
    sync()
    rows_before = (DialpadUser.objects.count(), PhoneNumber.objects.count(),
                   OperatorMembership.objects.count())
    uid, number = remove_a_user_and_a_number(sim)
    sim.page_size = SMALL_PAGES
    # Every request from the middle of the users listing on fails (retries included).
    setattr(sim.faults, fault, set(range(FIRST_USERS_PAGES, 10_000)))

    run = sync()

    assert run.status == Status.PARTIAL
    assert run.error.startswith(("users:", "numbers:", "room_operators:"))
    assert "rooms" in run.timings  # synced completely before the fault
    assert (DialpadUser.objects.count(), PhoneNumber.objects.count(),
            OperatorMembership.objects.count()) == rows_before
    assert not DialpadUser.objects.filter(gone_at__isnull=False).exists()
    assert not PhoneNumber.objects.filter(gone_at__isnull=False).exists()
    assert not OperatorMembership.objects.filter(gone_at__isnull=False).exists()
    assert run.retries > 0
    assert "Nothing of" in run.log


def test_a_storm_from_the_first_request_fails_the_run(sync, sim):
    sync()
    rooms = Room.objects.count()
    sim.faults.error_rate = 1.0

    run = sync()

    assert run.status == Status.FAILED
    assert "503" in run.error
    assert Room.objects.count() == rooms
    assert run.finished_at is not None and run.api_calls == 3  # one call, two retries


def test_a_wrong_key_never_wipes_the_mirror(sync, sim):
    sync()
    entries = LogEntry.objects.count()
    users = DialpadUser.objects.count()

    run = sync(client=make_client(sim, api_key="a-wrong-key-1234"))

    assert run.status == Status.FAILED
    assert "401" in run.error
    assert "a-wrong-key-1234" not in run.error + run.log
    assert DialpadUser.objects.filter(gone_at__isnull=True).count() == users
    assert LogEntry.objects.count() == entries


def test_an_empty_answer_is_held_for_review_not_applied(sync, sim):
    sync()
    sim.state.users.clear()

    run = sync()

    assert run.status == Status.NEEDS_REVIEW
    assert not DialpadUser.objects.filter(gone_at__isnull=False).exists()
    assert not OperatorMembership.objects.filter(gone_at__isnull=False).exists()
    assert len(run.pending_gone["users"]) == DialpadUser.objects.count()
    assert "Safety valve: users" in run.log


def test_an_unreadable_object_is_skipped_and_named_but_never_marked_gone(sync, sim):
    sync()
    uid = next(uid for uid, u in sim.state.users.items() if u["group_details"])
    sim.state.users[uid]["office_id"] = "not-an-id"

    run = sync()

    assert run.status == Status.SUCCEEDED
    [outcome] = run.outcomes
    assert (outcome["entity"], outcome["id"], outcome["outcome"]) == ("users", str(uid),
                                                                      "skipped")
    assert "not-an-id" in outcome["reason"]
    assert not DialpadUser.objects.get(pk=uid).is_gone
    assert not OperatorMembership.objects.filter(operator_id=uid, gone_at__isnull=False).exists()


def test_a_crash_is_recorded_as_errored_with_the_traceback(sync, sim, monkeypatch):
    sync()
    did = next(iter(sim.state.departments))
    old_name = sim.state.departments[did]["name"]
    sim.state.departments[did].update(name="Renamed")
    real_log_entries = applier_module.log_entries

    def crash_on_departments(*, actor, entries, action_flag):
        # Our own bug while writing the departments' page: after its rows, before its History.
        if any(getattr(obj._meta, "model_name", "") == "department" for obj, _ in entries):
            raise RuntimeError("a bug of ours")
        return real_log_entries(actor=actor, entries=entries, action_flag=action_flag)

    monkeypatch.setattr(applier_module, "log_entries", crash_on_departments)

    run = sync()

    assert run.status == Status.ERRORED
    assert "RuntimeError" in run.error and "RuntimeError" in run.traceback
    assert run.finished_at is not None
    # The page being written was rolled back whole.
    assert Department.objects.get(pk=did).name == old_name
    assert not Department.objects.filter(gone_at__isnull=False).exists()


def test_a_value_the_console_cannot_store_is_a_warning_and_the_run_goes_on(sync, sim):
    sync()
    did, other = list(sim.state.departments)[:2]
    sim.state.departments[did].update(name="Renamed", ring_seconds=-1)  # a DB CHECK refuses
    sim.state.departments[other].update(name="Also renamed")

    run = sync()

    assert run.status == Status.SUCCEEDED, run.error
    [warning] = [o for o in run.outcomes if o["outcome"] == "warning"]
    assert (warning["entity"], warning["id"]) == ("departments", str(did))
    assert "ring_seconds" in warning["reason"] and "-1" in warning["reason"]
    stored = Department.objects.get(pk=did)
    assert (stored.name, stored.ring_seconds) == ("Renamed", None)
    assert stored.payload["ring_seconds"] in (-1, "-1")  # the raw value is kept
    assert Department.objects.get(pk=other).name == "Also renamed"
    assert run.counts["users"]["created"] == 0 and "users" in run.timings  # and on it went


def test_an_id_beyond_int64_skips_its_row_and_names_it_and_the_run_goes_on(sync, sim):
    sync()
    number = next(n for n, p in sim.state.numbers.items() if p.get("office_id"))
    sim.state.numbers[number]["office_id"] = 10 ** 25

    run = sync()

    assert run.status == Status.SUCCEEDED, run.error
    [skipped] = [o for o in run.outcomes if o["outcome"] == "skipped"]
    assert skipped["id"] == number and "out of range" in skipped["reason"]
    assert not PhoneNumber.objects.get(number=number).is_gone
