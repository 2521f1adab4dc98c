"""room_delete: delete a room in Dialpad (its numbers go back to the pool)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orgs import forms, services
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.models import OperatorMembership, PhoneNumber, Room
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
    """A room with a number that operates at least one group."""
    return Room.objects.filter(assigned_numbers__isnull=False,
                               memberships__isnull=False).distinct().first()


def test_it_deletes_the_room_and_keeps_its_row_marked_gone(org, pusher, room):
    numbers = list(room.assigned_numbers.values_list("number", flat=True))

    result = services.room_delete(actor=pusher, room=room)

    assert room.pk not in org.state.rooms
    [delete] = writes(org)
    assert (delete.method, delete.path) == ("DELETE", f"/api/v2/rooms/{room.pk}")
    room.refresh_from_db()
    assert result.pk == room.pk
    assert room.gone_at is not None and room.state == "deleted"
    assert not OperatorMembership.objects.filter(room=room, gone_at__isnull=True).exists()
    for number in numbers:
        phone = PhoneNumber.objects.get(number=number)
        assert (phone.status, phone.assigned_room) == ("available", None)
        assert history_of(phone)[-1] == f"Unassigned: room {room} was deleted via Dialpad Console"
    assert history_of(room)[-1] == f"Deleted room {room} via Dialpad Console"
    assert journal()[0].outcome == "succeeded"


def test_the_preview_names_the_numbers_that_will_be_unassigned(org, pusher, room):
    number = room.assigned_numbers.first().number

    planned = services.room_delete(actor=pusher, room=room, preview=True)

    assert planned.as_text() == f"DELETE /api/v2/rooms/{room.pk}"
    assert number in planned.note
    assert writes(org) == [] and journal() == []


def test_it_requires_the_manage_groups_permission(org, room):
    with pytest.raises(PermissionDenied):
        services.room_delete(actor=factories.read_only_admin(), room=room)

    assert writes(org) == []
    assert room.pk in org.state.rooms


def test_it_refuses_a_room_already_gone_before_sending(org, pusher, room):
    room.gone_at = room.last_seen_at
    room.save()

    with pytest.raises(ValidationError) as error:
        services.room_delete(actor=pusher, room=room)

    assert "no longer exists in Dialpad" in error.value.message_dict["room"][0]
    assert writes(org) == []


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher, room):
    org.state.delete_room(room.pk)
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.room_delete(actor=pusher, room=room)

    assert error.value.status == 404
    assert mirror_snapshot() == before


def test_a_server_error_leaves_the_mirror_unchanged(org, pusher, room):
    org.faults.fail_nth = {1}
    before = mirror_snapshot()

    with pytest.raises(PushRefused):
        services.room_delete(actor=pusher, room=room)

    assert room.pk in org.state.rooms
    assert mirror_snapshot() == before


def test_a_timeout_re_reads_the_room_before_reporting(org, pusher, room, settings):
    set_read_timeout(settings, 0.3)
    watcher = slow_only_the_first_write(org, 1.0)
    before = mirror_snapshot()

    with pytest.raises(PushOutcomeUnknown) as error:
        services.room_delete(actor=pusher, room=room)
    watcher.join()

    assert "deleting it has not taken effect (yet)" in str(error.value)
    assert mirror_snapshot() == before


def test_a_sync_after_the_push_records_no_change(org, pusher, room):
    services.room_delete(actor=pusher, room=room)

    assert sync_changes() == {}


def test_the_form_asks_for_confirmation_and_deletes(org, pusher, room):
    form = forms.RoomDeleteForm({}, room=room)

    assert form.is_valid() and form.needs_confirmation
    assert form.save(actor=pusher).gone_at is not None
