"""A change-log event re-reads its target from Dialpad (the simulator) and writes it through
the mirror writer, with a History entry naming the action and who made it."""

import pytest

from events.choices import EventStatus
from events.models import Event, RefreshTarget
from events.services import event_process
from orgs.models import DialpadUser, OperatorMembership, PhoneNumber, Room

from .helpers import changelog

pytestmark = pytest.mark.django_db


def an_active_user(sim):
    return next(u for u in sim.state.users.values() if u["state"] == "active")


def test_an_outside_rename_reaches_the_mirror_and_its_history(synced, receive, process,
                                                              history):
    user = an_active_user(synced)
    synced.outside.rename_user(user["id"], "Ada", "Lovelace")

    event = process(receive(changelog(target_id=user["id"])))

    row = DialpadUser.objects.get(pk=user["id"])
    assert (row.first_name, row.last_name, row.display_name) == ("Ada", "Lovelace",
                                                                 "Ada Lovelace")
    assert history(row)[-1].startswith(
        "Dialpad change log: updated_user by Jane Doe (admin portal): first name: ")
    assert "; last name: " in history(row)[-1]
    assert event.status == EventStatus.DONE
    assert "Re-read user Ada Lovelace" in event.outcome
    assert not RefreshTarget.objects.exists()


def test_a_re_read_that_finds_nothing_new_writes_no_history(synced, receive, process, history):
    user = an_active_user(synced)
    before = history(DialpadUser.objects.get(pk=user["id"]))

    event = process(receive(changelog(target_id=user["id"])))

    assert history(DialpadUser.objects.get(pk=user["id"])) == before
    assert event.outcome.endswith("already up to date.")


def test_an_unknown_action_still_re_reads_its_target(synced, receive, process):
    room_id = next(iter(synced.state.rooms))
    synced.state.rooms[room_id]["name"] = "Quiet Room"

    event = process(receive(changelog("room", room_id, action="reticulated_splines_v2")))

    assert Room.objects.get(pk=room_id).name == "Quiet Room"
    assert event.status == EventStatus.DONE


@pytest.mark.parametrize("target, why", [
    ({"type": "ivr", "id": "5"}, "target type 'ivr' is not one the console mirrors"),
    ({"type": "user", "id": "not-an-id"}, "is not an id"),
    ({"type": "number", "id": "555"}, "is not an E.164 number"),
])
def test_an_unknown_target_is_stored_and_shown(synced, receive, process, target, why):
    event = process(receive({**changelog(), "target": target}))

    assert event.status == EventStatus.UNHANDLED
    assert why in event.outcome
    assert not RefreshTarget.objects.exists()
    assert len(synced.requests.for_path("/api/v2/users/not-an-id")) == 0


def test_an_event_without_target_is_unhandled(synced, receive, process):
    claims = changelog()
    del claims["target"]

    event = process(receive(claims))

    assert event.status == EventStatus.UNHANDLED


def test_an_event_is_processed_once(synced, receive):
    event = receive(changelog(target_id=an_active_user(synced)["id"]))

    first = event_process(event_id=event.pk)
    second = event_process(event_id=event.pk)

    assert first.event is not None and second.event is None
    event.refresh_from_db()
    assert event.attempts == 1


def test_a_deleted_object_is_marked_gone(synced, receive, process, history):
    room_id = next(iter(synced.state.rooms))
    synced.state.delete_room(room_id)

    event = process(receive(changelog("room", room_id, action="deleted_room")))

    room = Room.objects.get(pk=room_id)
    assert room.gone_at is not None
    assert history(room)[-1] == ("Dialpad change log: deleted_room by Jane Doe (admin portal): "
                                 "gone (Dialpad answers 404 for it).")
    assert "marked gone" in event.outcome


def test_a_new_object_is_created(synced, receive, process, history):
    office_id = next(iter(synced.state.offices))
    synced.state.rooms[4_999] = {**next(iter(synced.state.rooms.values())), "id": 4_999,
                                 "name": "Annex", "office_id": office_id, "phone_numbers": []}

    process(receive(changelog("room", 4_999, action="created_room")))

    assert Room.objects.get(pk=4_999).name == "Annex"
    assert history(Room.objects.get(pk=4_999)) == [
        "Dialpad change log: created_room by Jane Doe (admin portal): created from Dialpad."]


def test_an_operator_added_outside_shows_on_the_group_and_the_user(synced, receive, process,
                                                                  history):
    dept_id = next(iter(synced.state.departments))
    members = synced.state.memberships.get(("department", dept_id), {})
    user = next(u for u in synced.state.users.values()
                if u["state"] == "active" and ("user", u["id"]) not in members)
    synced.outside.add_operator("department", dept_id, "user", user["id"], "admin")

    process(receive(changelog("department", dept_id, action="added_operator")))

    row = OperatorMembership.objects.get(key=f"department:{dept_id}:user:{user['id']}")
    assert (row.role, row.gone_at) == ("admin", None)
    assert history(row.department)[-1].endswith(f"operator user {user['display_name']} "
                                                "added as admin.")
    assert history(row.user)[-1].endswith(f"operator of department {row.department} added "
                                          "as admin.")


def test_an_operator_removed_outside_is_marked_gone(synced, receive, process):
    (group_type, group_id), members = next(
        (key, m) for key, m in synced.state.memberships.items()
        if key[0] == "department" and any(t == "user" for t, _ in m))
    user_id = next(oid for otype, oid in members if otype == "user")
    synced.outside.remove_operator(group_type, group_id, "user", user_id)

    process(receive(changelog(group_type, group_id, action="removed_operator")))

    row = OperatorMembership.objects.get(key=f"{group_type}:{group_id}:user:{user_id}")
    assert row.gone_at is not None


def test_a_room_removed_from_a_group_is_seen_from_the_room(synced, receive, process):
    (group_type, group_id), _ = next(
        (key, m) for key, m in synced.state.memberships.items()
        if any(t == "room" for t, _ in m))
    room_id = next(oid for otype, oid in synced.state.memberships[(group_type, group_id)]
                   if otype == "room")
    synced.state.remove_operator(group_type, group_id, "room", room_id)

    process(receive(changelog("room", room_id, action="removed_operator")))

    row = OperatorMembership.objects.get(key=f"{group_type}:{group_id}:room:{room_id}")
    assert row.gone_at is not None


def test_a_number_assigned_elsewhere_is_re_read_and_so_are_its_owners(synced, receive,
                                                                      process):
    number, owner = next((n, r["target_id"]) for n, r in synced.state.numbers.items()
                         if r["target_type"] == "user")
    other = next(u for u in synced.state.users.values()
                 if u["state"] == "active" and u["id"] != owner)
    synced.state.assign_number("user", other["id"], number, allow_reassign=True)

    event = process(receive(changelog("number", number, action="assigned_number")))
    follow_ups = list(RefreshTarget.objects.values_list("key", flat=True))

    assert PhoneNumber.objects.get(number=number).assigned_user_id == other["id"]
    assert sorted(follow_ups) == sorted([f"user:{owner}", f"user:{other['id']}"])
    assert "Re-reading 2 related object(s) next." in event.outcome


def test_a_user_whose_numbers_changed_has_them_re_read(synced, receive, process):
    number = next(n for n, r in synced.state.numbers.items() if r["status"] == "available")
    user = an_active_user(synced)
    synced.state.assign_number("user", user["id"], number)

    process(receive(changelog("user", user["id"], action="assigned_number")))

    assert list(RefreshTarget.objects.values_list("key", flat=True)) == [f"number:{number}"]


def test_an_e911_action_re_reads_the_address(synced, receive, process):
    user = an_active_user(synced)
    synced.state.set_user_e911(user["id"], {"address": "1 New St", "address2": "",
                                            "city": "Austin", "state": "TX", "zip": "78701",
                                            "country": "us"})

    process(receive(changelog("user", user["id"], action="updated_e911_address")))

    assert DialpadUser.objects.get(pk=user["id"]).e911_address.address == "1 New St"


def test_the_company_can_be_the_target(synced, receive, process):
    synced.state.company["name"] = "Southwind Logistics"

    event = process(receive(changelog("company", synced.state.company["id"],
                                      action="updated_company")))

    assert event.status == EventStatus.DONE
    assert "Re-read the company" in event.outcome


def test_nothing_is_half_applied_when_the_write_fails(synced, receive, monkeypatch):
    from events.services import refresh as refresh_module
    from tests.events.conftest import make_client

    user = an_active_user(synced)
    synced.outside.rename_user(user["id"], "Half", "Done")
    event = receive(changelog(target_id=user["id"]))
    processed = event_process(event_id=event.pk)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")
    monkeypatch.setattr(refresh_module.reread, "_log", broken)  # after the mirror write
    with make_client(synced) as client, pytest.raises(RuntimeError):
        refresh_module.refresh_run(refresh_id=processed.refresh_id, client=client)

    assert DialpadUser.objects.get(pk=user["id"]).first_name != "Half"
    event.refresh_from_db()
    assert event.status == EventStatus.REFRESHING
    target = RefreshTarget.objects.get()
    assert (target.claimed_at, target.last_error) == (None, "RuntimeError")
    assert Event.objects.count() == 1
