"""room_rename: rename a room."""

from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dialpad_console.dialpad import get_client
from orgs import forms, services
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.models import Room
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
def room():
    return Room.objects.first()


def test_it_renames_a_room(org, pusher, room):
    old = room.name

    renamed = services.room_rename(actor=pusher, room=room, name="Front desk")

    assert org.state.rooms[room.pk]["name"] == "Front desk"
    assert renamed.name == "Front desk"
    room.refresh_from_db()
    assert room.name == "Front desk" and room.payload["name"] == "Front desk"
    [patch] = writes(org)
    assert (patch.method, patch.path, patch.json) == (
        "PATCH", f"/api/v2/rooms/{room.pk}", {"name": "Front desk"})
    assert history_of(room)[-1] == f"Renamed room from {old} to Front desk via Dialpad Console"
    assert journal()[0].outcome == "succeeded"


def test_it_requires_the_manage_groups_permission(org, room):
    with pytest.raises(PermissionDenied):
        services.room_rename(actor=factories.read_only_admin(), room=room, name="Front desk")

    assert writes(org) == []


def test_it_refuses_a_blank_name_before_sending(org, pusher, room):
    with pytest.raises(ValidationError) as error:
        services.room_rename(actor=pusher, room=room, name="   ")

    assert error.value.message_dict == {"name": ["The name is required."]}
    assert writes(org) == []


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher, room):
    del org.state.rooms[room.pk]
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.room_rename(actor=pusher, room=room, name="Front desk")

    assert str(error.value).startswith(f"Dialpad refused: room {room.pk} not found")
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "refused"


def test_a_server_error_leaves_the_mirror_unchanged(org, pusher, room):
    org.faults.fail_nth = {1}
    before = mirror_snapshot()

    with pytest.raises(PushRefused):
        services.room_rename(actor=pusher, room=room, name="Front desk")

    assert mirror_snapshot() == before


def test_a_sync_after_the_push_records_no_change(org, pusher, room):
    services.room_rename(actor=pusher, room=room, name="Front desk")

    assert sync_changes() == {}


def test_the_form_starts_from_the_current_name_and_renames(org, pusher, room):
    form = forms.RoomRenameForm({"name": "Front desk"}, room=room)

    assert form.initial == {"name": room.name}
    assert form.is_valid()
    assert form.save(actor=pusher).name == "Front desk"


def test_it_says_when_dialpad_is_not_configured(org, pusher, room, settings):
    settings.DIALPAD_API_KEY = ""
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.room_rename(actor=pusher, room=room, name="Front desk")

    assert str(error.value).startswith("The console cannot reach Dialpad: No Dialpad API key")
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "refused"


def test_it_says_when_dialpad_cannot_be_reached(org, pusher, room, settings, monkeypatch):
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.DIALPAD_BASE_URL = f"http://127.0.0.1:{port}"
    monkeypatch.setattr(services._push, "get_client", partial(get_client, max_retries=0))

    with pytest.raises(PushRefused) as error:
        services.room_rename(actor=pusher, room=room, name="Front desk")

    assert str(error.value).startswith("Could not reach Dialpad: could not connect")
    assert "Nothing was changed" in str(error.value)
    assert journal()[0].outcome == "refused"


def test_a_timeout_whose_re_read_fails_too_says_to_check_in_dialpad(org, pusher, room, settings,
                                                                    monkeypatch):
    set_read_timeout(settings, 0.3)
    monkeypatch.setattr(services._push, "get_client", partial(get_client, max_retries=0))
    watcher = slow_only_the_first_write(org, 0.6, until_requests=2)
    before = mirror_snapshot()

    with pytest.raises(PushOutcomeUnknown) as error:
        services.room_rename(actor=pusher, room=room, name="Front desk")
    watcher.join()

    assert "re-reading" in str(error.value) and "failed too" in str(error.value)
    assert "check in Dialpad before trying again" in str(error.value)
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "unknown"
