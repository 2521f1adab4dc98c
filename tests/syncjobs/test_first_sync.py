"""A first sync mirrors the whole org: every entity and every operator membership."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry

from orgs.models import (
    CallCenter,
    Company,
    Department,
    Deskphone,
    DialpadUser,
    E911Address,
    Office,
    OperatorMembership,
    PhoneNumber,
    Room,
)
from syncjobs.choices import Status

pytestmark = pytest.mark.django_db


def sim_memberships(state):
    return {
        (gtype, gid, otype, oid): role
        for (gtype, gid), members in state.memberships.items()
        for (otype, oid), role in members.items()
    }


def test_it_mirrors_every_entity(sync, sim):
    run = sync()

    assert run.status == Status.SUCCEEDED, run.error
    state = sim.state
    assert list(Company.objects.values_list("pk", flat=True)) == [state.company["id"]]
    for model, table in (
        (Office, state.offices), (Department, state.departments),
        (CallCenter, state.callcenters), (Room, state.rooms), (DialpadUser, state.users),
    ):
        assert set(model.objects.values_list("pk", flat=True)) == set(table), model.__name__
    assert set(PhoneNumber.objects.values_list("number", flat=True)) == set(state.numbers)
    assert run.counts["users"] == {"created": len(state.users), "updated": 0, "unchanged": 0,
                                   "gone": 0}
    assert not run.outcomes


def test_it_mirrors_every_operator_membership_of_users_and_rooms(sync, sim):
    sync()

    mirrored = {
        (m.group_type, m.group_id, m.operator_type, m.operator_id): m.role
        for m in OperatorMembership.objects.all()
    }
    expected = sim_memberships(sim.state)
    assert mirrored == expected
    assert any(key[2] == "room" for key in expected)  # the demo org has room operators


def test_it_copies_the_fields_admins_search_on(sync, sim):
    sync()
    state = sim.state

    uid, payload = next(iter(state.users.items()))
    user = DialpadUser.objects.get(pk=uid)
    assert (user.first_name, user.last_name, user.email, user.extension, user.state) == (
        payload["first_name"], payload["last_name"], payload["emails"][0],
        payload["extension"], payload["state"],
    )
    assert user.office_id == payload["office_id"]
    assert user.payload["id"] == str(uid)  # the payload as Dialpad sent it (ids as strings)

    number, npayload = next(
        (n, p) for n, p in state.numbers.items() if p["target_type"] == "user")
    row = PhoneNumber.objects.get(number=number)
    assert (row.status, row.target_type, row.target_id, row.assigned_user_id) == (
        npayload["status"], "user", npayload["target_id"], npayload["target_id"])

    oid, office = next(iter(state.offices.items()))
    assert E911Address.objects.get(office_id=oid).city == office["e911_address"]["city"]
    did, department = next(iter(state.departments.items()))
    assert Department.objects.get(pk=did).office_id == department["office_id"]


def test_it_lists_users_of_every_state(sync, sim):
    sync()

    listed = [r for r in sim.requests.for_path("/api/v2/users")]
    assert listed and all(r.query.get("state") == "all" for r in listed)
    states = {u["state"] for u in sim.state.users.values()}
    assert set(DialpadUser.objects.values_list("state", flat=True)) == states


def test_it_writes_a_history_entry_for_every_created_object(sync, sim, sync_actor, history):
    run = sync()

    office = Office.objects.first()
    [entry] = history(office)
    assert entry.action_flag == ADDITION
    assert entry.user == sync_actor
    assert entry.change_message == f"Sync run #{run.pk}: created from Dialpad."
    created = sum(c["created"] for c in run.counts.values())
    assert LogEntry.objects.filter(user=sync_actor).count() == created
    membership = OperatorMembership.objects.filter(operator_type="user").first()
    assert history(membership)[0].object_repr == str(membership)


def test_it_mirrors_rooms_desk_phones_when_configured(sync, sim, settings):
    settings.DIALPAD_SYNC_DESKPHONES = True

    run = sync()

    assert run.status == Status.SUCCEEDED, run.error
    expected = {p["id"] for phones in sim.state.deskphones.values() for p in phones}
    assert set(Deskphone.objects.values_list("dialpad_id", flat=True)) == expected
    assert all("password" not in d.payload for d in Deskphone.objects.all())


def test_it_skips_desk_phones_by_default(sync, sim):
    run = sync()

    assert Deskphone.objects.count() == 0
    assert "deskphones" not in run.counts
    assert not [r for r in sim.requests if r.path.endswith("/deskphones")]


def test_it_lists_room_operators_only_for_offices_and_departments(sync, sim):
    run = sync()

    operator_calls = [r.path for r in sim.requests if r.path.endswith("/operators")]
    # Call centers take users only, whose memberships come with the users listing.
    assert not [p for p in operator_calls if p.startswith("/api/v2/callcenters/")]
    assert len(operator_calls) == len(sim.state.offices) + len(sim.state.departments)
    listings = 7  # company, offices, departments, call centers, rooms, users, numbers
    # Channels, each channel's members, the opt-out list (opted out, opted back in).
    messaging = 1 + len(sim.state.messaging.channels) + 2
    assert run.api_calls == listings + messaging + len(operator_calls) == len(sim.requests)
