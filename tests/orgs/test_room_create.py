"""room_create: create a room in an office."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orgs import forms, services
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.models import Office, Room
from tests import factories
from tests.orgs.helpers_push import (
    history_of,
    journal,
    mirror_snapshot,
    set_read_timeout,
    slow_only_the_first_write,
    sync_changes,
    writes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return Office.objects.first()


def test_it_creates_a_room(org, pusher, office):
    room = services.room_create(actor=pusher, office=office, name="  Lobby phone ")

    assert org.state.rooms[room.pk]["name"] == "Lobby phone"
    assert (room.name, room.office, room.state) == ("Lobby phone", office, "active")
    [post] = writes(org)
    assert (post.path, post.json) == ("/api/v2/rooms", {"name": "Lobby phone",
                                                        "office_id": office.pk})
    assert history_of(room) == [f"Created room Lobby phone in office {office} via Dialpad Console"]
    [record] = journal()
    assert (record.operation, record.target_type, record.target_id, record.outcome) == (
        "room_create", "room", str(room.pk), "succeeded")


def test_it_requires_the_manage_groups_permission(org, office):
    with pytest.raises(PermissionDenied):
        services.room_create(actor=factories.read_only_admin(), office=office, name="Lobby")

    assert writes(org) == []
    assert journal()[0].outcome == "denied"


@pytest.mark.parametrize("name, message", [
    ("", "The name is required."),
    ("Front\ndesk", "single line"),
    ("x" * 256, "at most 255 characters"),
])
def test_it_refuses_a_bad_name_before_sending(org, pusher, office, name, message):
    with pytest.raises(ValidationError) as error:
        services.room_create(actor=pusher, office=office, name=name)

    assert message in error.value.message_dict["name"][0]
    assert writes(org) == []
    assert journal()[0].outcome == "invalid"


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher, office):
    del org.state.offices[office.pk]
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.room_create(actor=pusher, office=office, name="Lobby")

    assert str(error.value).startswith(f"Dialpad refused: office_id: office {office.pk} not found")
    assert mirror_snapshot() == before
    assert journal()[0].dialpad_status == 404


def test_a_server_error_creates_nothing(org, pusher, office):
    org.faults.fail_nth = {1}
    rooms = len(org.state.rooms)
    before = mirror_snapshot()

    with pytest.raises(PushRefused):
        services.room_create(actor=pusher, office=office, name="Lobby")

    assert len(org.state.rooms) == rooms
    assert mirror_snapshot() == before


def test_a_timeout_looks_for_the_new_room_before_reporting(org, pusher, office, settings):
    set_read_timeout(settings, 0.3)
    watcher = slow_only_the_first_write(org, 1.0)
    before = mirror_snapshot()

    with pytest.raises(PushOutcomeUnknown) as error:
        services.room_create(actor=pusher, office=office, name="Lobby")
    watcher.join()

    assert "creating room Lobby has not taken effect (yet)" in str(error.value)
    assert org.requests[-1].path == "/api/v2/rooms"
    assert org.requests[-1].query == {"office_id": str(office.pk)}
    assert mirror_snapshot() == before


def test_a_timeout_finds_the_new_room_when_it_was_created(org, pusher, office, settings):
    set_read_timeout(settings, 0.4)
    watcher = slow_only_the_first_write(org, 0.7, until_requests=2)

    room = services.room_create(actor=pusher, office=office, name="Lobby")
    watcher.join()

    assert Room.objects.filter(name="Lobby").get() == room
    assert len([r for r in org.state.rooms.values() if r["name"] == "Lobby"]) == 1
    assert journal()[0].outcome == "succeeded"


def test_a_sync_after_the_push_records_no_change(org, pusher, office):
    services.room_create(actor=pusher, office=office, name="Lobby")

    assert sync_changes() == {}


def test_the_form_creates_a_room_in_the_chosen_office(org, pusher, office):
    form = forms.RoomCreateForm({"office": office.pk, "name": "Lobby"})

    assert form.is_valid(), form.errors
    room = form.save(actor=pusher)

    assert (room.name, room.office) == ("Lobby", office)


def test_the_form_for_an_office_has_only_the_name(org, office):
    form = forms.RoomCreateForm({"name": "Two\nlines"}, office=office)

    assert list(form.fields) == ["name"]
    assert not form.is_valid()
    assert form.errors == {"name": ["The name must be on a single line."]}
