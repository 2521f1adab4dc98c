"""What changed in Dialpad shows up in the next sync, and in the History of what it changed."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgs.models import DialpadUser, OperatorMembership, PhoneNumber, Room
from syncjobs.choices import Status

pytestmark = pytest.mark.django_db


def test_a_change_in_dialpad_updates_the_row_and_its_history(sync, sim, sync_actor, history):
    sync()
    uid = next(iter(sim.state.users))
    old_name = sim.state.users[uid]["first_name"]
    sim.state.users[uid]["first_name"] = "Zebulon"

    run = sync()

    user = DialpadUser.objects.get(pk=uid)
    assert user.first_name == "Zebulon"
    assert user.payload["first_name"] == "Zebulon"
    assert run.counts["users"]["updated"] == 1
    entry = history(user)[-1]
    assert entry.action_flag == CHANGE
    assert entry.user == sync_actor
    assert entry.change_message == f"Sync run #{run.pk}: first name: {old_name} → Zebulon."


def test_an_addition_in_dialpad_creates_the_row_with_history(sync, sim, history):
    sync()
    state = sim.state
    template = next(iter(state.rooms.values()))
    new_id = state.new_id()
    state.rooms[new_id] = dict(template, id=new_id, name="Boathouse", phone_numbers=[])

    run = sync()

    room = Room.objects.get(pk=new_id)
    assert room.name == "Boathouse"
    assert run.counts["rooms"]["created"] == 1
    [entry] = history(room)
    assert entry.action_flag == ADDITION
    assert entry.change_message == f"Sync run #{run.pk}: created from Dialpad."


def test_a_removal_in_dialpad_marks_the_row_gone_with_history(sync, sim, history):
    sync()
    number = next(n for n, p in sim.state.numbers.items() if p["status"] == "available")
    sim.state.unassign_number(number, release=True)

    run = sync()

    row = PhoneNumber.objects.get(number=number)
    assert row.is_gone
    assert run.counts["numbers"]["gone"] == 1
    entry = history(row)[-1]
    assert entry.action_flag == CHANGE
    assert entry.change_message.startswith(f"Sync run #{run.pk}: gone from Dialpad")


def test_a_row_back_in_dialpad_is_no_longer_gone(sync, sim, history):
    sync()
    number = next(n for n, p in sim.state.numbers.items() if p["status"] == "available")
    saved = sim.state.numbers.pop(number)
    sync()
    sim.state.numbers[number] = saved

    run = sync()

    row = PhoneNumber.objects.get(number=number)
    assert not row.is_gone
    assert history(row)[-1].change_message.startswith(f"Sync run #{run.pk}: back in Dialpad")


def test_an_operator_role_change_and_removal_show_in_the_memberships(sync, sim, history):
    sync()
    state = sim.state
    (gtype, gid), members = next(
        (k, v) for k, v in state.memberships.items() if k[0] == "department" and
        any(otype == "user" and role == "operator" for (otype, _), role in v.items()))
    uid = next(oid for (otype, oid), role in members.items()
               if otype == "user" and role == "operator")
    state.set_operator_role(gtype, gid, "user", uid, "admin")
    (rgtype, rgid), rmembers = next(
        (k, v) for k, v in state.memberships.items() if any(o == "room" for o, _ in v))
    rid = next(oid for (otype, oid) in rmembers if otype == "room")
    state.remove_operator(rgtype, rgid, "room", rid)

    run = sync()

    promoted = OperatorMembership.objects.get(
        key=OperatorMembership.make_key(gtype, gid, "user", uid))
    assert promoted.role == "admin" and not promoted.is_gone
    assert "role: operator → admin" in history(promoted)[-1].change_message
    removed = OperatorMembership.objects.get(
        key=OperatorMembership.make_key(rgtype, rgid, "room", rid))
    assert removed.is_gone
    assert history(removed)[-1].change_message.startswith(f"Sync run #{run.pk}: gone")
    assert run.counts["memberships"]["updated"] == 1
    assert run.counts["memberships"]["gone"] == 1


def test_presence_changes_are_not_changes(sync, sim):
    sync()
    for user in sim.state.users.values():
        user["is_online"] = not user.get("is_online")
        user["do_not_disturb"] = True

    run = sync()

    assert run.counts["users"]["updated"] == 0
    assert "is_online" not in DialpadUser.objects.first().payload


def test_an_unchanged_org_writes_no_mirror_row_and_no_history(sync, sim):
    sync()
    entries = LogEntry.objects.count()

    with CaptureQueriesContext(connection) as queries:
        run = sync()

    assert run.status == Status.SUCCEEDED
    writes = [
        q["sql"] for q in queries.captured_queries
        if q["sql"].lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")
    ]
    # The run's own row and the claim are the only writes.
    assert writes and all(
        '"syncjobs_syncrun"' in sql or '"syncjobs_synclock"' in sql for sql in writes
    ), [sql[:80] for sql in writes if "syncjobs_" not in sql]
    assert LogEntry.objects.count() == entries
    assert all(c["created"] == c["updated"] == c["gone"] == 0 for c in run.counts.values())
