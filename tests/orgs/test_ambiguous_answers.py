"""An ambiguous answer to a write is unknown, not refused: the service re-reads the target and
records what Dialpad actually has.

The simulator applies each write and then answers badly (`faults.garble_nth`): a 500 after
the change was made, or a 200 whose body is HTML, empty, an empty object or a JSON list.
Every push then finds its change by re-reading, succeeds with a note saying so, leaves a
mirror that a sync finds nothing to correct in, and makes the change exactly once.
"""

import pytest

from orgs import services
from orgs.exceptions import PushRefused
from orgs.models import (
    CallCenter,
    Department,
    DialpadUser,
    Office,
    PhoneNumber,
    Room,
)
from tests.orgs.helpers_push import a_free_number, journal, sync_changes, writes

pytestmark = pytest.mark.django_db

GARBLED = {
    "500 after applying": (500, "<html><body>Internal Server Error</body></html>",
                           "text/html"),
    "200 with HTML": (200, "<html><body>OK</body></html>", "text/html"),
    "200 with no body": (200, "", "application/json"),
    "200 with an empty object": (200, "{}", "application/json"),
    "200 with a JSON list": (200, "[]", "application/json"),
}

ADDRESS = {"address": "1 Main St", "address2": "", "city": "Austin", "state": "TX",
           "zip": "78701", "country": "us"}


def _office():
    return Office.objects.filter(country="us").first()


def _free_user(sim, group_kind, group):
    operators = {oid for _, oid, _ in sim.state.operators(group_kind, group.pk)}
    return DialpadUser.objects.filter(state="active").exclude(pk__in=operators).first()


def room_create(sim, actor):
    services.room_create(actor=actor, office=_office(), name="Garbled lobby")
    return [r["name"] for r in sim.state.rooms.values()].count("Garbled lobby") == 1


def room_rename(sim, actor):
    room = Room.objects.first()
    services.room_rename(actor=actor, room=room, name="Renamed lobby")
    return sim.state.rooms[room.pk]["name"] == "Renamed lobby"


def department_create(sim, actor):
    services.department_create(actor=actor, office=_office(), name="Garbled billing")
    return [d["name"] for d in sim.state.departments.values()].count("Garbled billing") == 1


def callcenter_update(sim, actor):
    group = CallCenter.objects.first()
    services.callcenter_update(actor=actor, callcenter=group, ring_seconds=33)
    return sim.state.callcenters[group.pk]["ring_seconds"] == 33


def number_assign(sim, actor):
    number, room = a_free_number(sim), Room.objects.first()
    services.number_assign(actor=actor, target=room, number=number)
    return sim.state.numbers[number].get("target_id") == room.pk


def number_assign_by_area_code(sim, actor):
    room = Room.objects.first()
    before = sum(1 for n in sim.state.numbers.values() if n.get("target_id") == room.pk)
    services.number_assign(actor=actor, target=room, area_code="415")
    after = sum(1 for n in sim.state.numbers.values() if n.get("target_id") == room.pk)
    return after == before + 1


def number_unassign(sim, actor):
    phone = PhoneNumber.objects.filter(assigned_user__isnull=False).first()
    services.number_unassign(actor=actor, number=phone)
    return not sim.state.numbers[phone.number].get("target_type")


def operator_add(sim, actor):
    group = Department.objects.first()
    user = _free_user(sim, "department", group)
    services.operator_add(actor=actor, group=group, member=user)
    return ("user", user.pk, "operator") in sim.state.operators("department", group.pk)


def user_e911_update(sim, actor):
    user = DialpadUser.objects.filter(state="active").first()
    services.user_e911_update(actor=actor, user=user, address=ADDRESS)
    return sim.state.user_e911[user.pk]["address"] == "1 Main St"


def user_move_office(sim, actor):
    user = DialpadUser.objects.filter(office__country="us", state="active").first()
    office = Office.objects.exclude(pk=user.office_id).filter(country="us").first()
    services.user_move_office(actor=actor, user=user, office=office)
    return str(sim.state.users[user.pk]["office_id"]) == str(office.pk)


def room_delete(sim, actor):
    room = Room.objects.filter(state="active").first()
    services.room_delete(actor=actor, room=room)
    return room.pk not in sim.state.rooms or sim.state.rooms[room.pk].get("state") == "deleted"


PUSHES = [room_create, room_rename, department_create, callcenter_update, number_assign,
          number_assign_by_area_code, number_unassign, operator_add, user_e911_update,
          user_move_office, room_delete]


@pytest.mark.parametrize("garbled", GARBLED.values(), ids=GARBLED.keys())
@pytest.mark.parametrize("push", PUSHES, ids=lambda p: p.__name__)
def test_a_write_applied_but_answered_badly_is_found_by_a_re_read(org, pusher, push, garbled):
    org.faults.garble_answer = garbled
    org.faults.garble_nth = {1}  # the write is the push's first request
    sent_before = len(writes(org))

    applied = push(org, pusher)

    assert applied
    assert len(writes(org)) == sent_before + 1  # sent once, never repeated
    [record] = journal()
    assert record.outcome == "succeeded", record.message
    assert sync_changes() == {}


@pytest.mark.parametrize("push", [room_create, department_create], ids=lambda p: p.__name__)
def test_a_create_answered_500_is_recorded_as_made_so_nobody_makes_it_again(org, pusher, push):
    org.faults.garble_answer = GARBLED["500 after applying"]
    org.faults.garble_nth = {1}

    push(org, pusher)

    [record] = journal()
    assert record.outcome == "succeeded"
    assert "Dialpad answered 500" in record.message
    assert "re-reading showed that creating" in record.message
    assert record.target_id  # the new object, found by its name and office


def test_a_500_that_was_not_applied_is_a_refusal_that_says_nothing_changed(org, pusher):
    room = Room.objects.first()
    org.faults.fail_nth = {1}  # the simulator answers 503 before applying

    with pytest.raises(PushRefused) as error:
        services.room_rename(actor=pusher, room=room, name="Not applied")

    assert "was not applied: nothing changed" in str(error.value)
    assert journal()[0].outcome == "refused"
    assert org.state.rooms[room.pk]["name"] == room.name
    assert Room.objects.get(pk=room.pk).name == room.name
