"""Rooms from the admin: "Add room" (rooms list, office page), "Rename" and "Delete in
Dialpad" (a room's page). Deleting a room in use goes through a confirmation page."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from orgs.models import Office, Room
from tests.orgs.helpers_push import history_of, journal, mirror_snapshot, writes

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]


@pytest.fixture
def room(org):
    return Room.objects.filter(assigned_numbers__isnull=False).distinct().first()


def room_url(view, room=None):
    return reverse(f"admin:orgs_room_{view}", args=[room.pk] if room else [])


def test_it_creates_a_room_in_the_chosen_office(org, pusher):
    office = Office.objects.first()

    response = pusher.post(room_url("create"), {"office": office.pk, "name": "Lobby"})

    assert response.status_code == 302
    room = Room.objects.get(name="Lobby")
    assert response.url == reverse("admin:orgs_room_change", args=[room.pk])
    [post] = writes(org)
    assert (post.method, post.path, post.json) == (
        "POST", "/api/v2/rooms", {"name": "Lobby", "office_id": office.pk})
    assert room.office == office
    assert history_of(room)[-1] == f"Created room Lobby in office {office} via Dialpad Console"


def test_from_an_office_page_the_office_is_given(org, pusher):
    office = Office.objects.first()
    url = f"{room_url('create')}?office={office.pk}"

    form = pusher.get(url).context["form"]
    response = pusher.post(url, {"name": "Lobby"})

    assert "office" not in form.fields
    assert response.status_code == 302
    assert Room.objects.get(name="Lobby").office == office


def test_an_empty_name_is_a_field_error_and_nothing_is_sent(org, pusher):
    response = pusher.post(room_url("create"), {"office": Office.objects.first().pk,
                                                "name": ""})

    assert "name" in response.context["form"].errors
    assert writes(org) == []


def test_it_renames_a_room(org, pusher, room):
    old = room.name

    response = pusher.post(room_url("rename", room), {"name": "Board room"})

    assert response.status_code == 302
    [patch] = writes(org)
    assert (patch.method, patch.json) == ("PATCH", {"name": "Board room"})
    room.refresh_from_db()
    assert room.name == "Board room"
    assert history_of(room)[-1] == f"Renamed room from {old} to Board room via Dialpad Console"


def test_a_rename_refused_by_dialpad_shows_why_and_changes_nothing(org, pusher, room):
    del org.state.rooms[room.pk]
    before = mirror_snapshot()

    response = pusher.post(room_url("rename", room), {"name": "Board room"})

    [error] = response.context["form"].non_field_errors()
    assert error.startswith(f"Dialpad refused: room {room.pk} not found")
    assert escape(error) in response.content.decode()
    assert mirror_snapshot() == before


def test_delete_shows_what_will_be_sent_and_which_numbers_go(org, pusher, room):
    number = room.assigned_numbers.first().number

    response = pusher.get(room_url("delete_in_dialpad", room))

    planned = response.context["planned"]
    assert (planned.method, planned.path, planned.body) == (
        "DELETE", f"/api/v2/rooms/{room.pk}", None)
    content = response.content.decode()
    assert number in content and "unassign the room&#x27;s numbers" in content
    assert writes(org) == [] and journal() == []


def test_the_confirmation_post_deletes_the_room_and_keeps_its_row(org, pusher, room):
    response = pusher.post(room_url("delete_in_dialpad", room), {"_confirmed": "1"})

    assert response.status_code == 302
    assert room.pk not in org.state.rooms
    room.refresh_from_db()
    assert room.gone_at is not None
    page = pusher.get(response.url)
    assert f"Deleted room {room} via Dialpad Console" in page.content.decode()  # the banner
    assert 'class="dialpad-push-tool"' not in page.content.decode()  # nothing left to push


def test_a_delete_refused_by_dialpad_shows_why_and_changes_nothing(org, pusher, room):
    org.faults.fail_nth = {1}
    before = mirror_snapshot()

    response = pusher.post(room_url("delete_in_dialpad", room), {"_confirmed": "1"})

    assert response.status_code == 200
    [error] = response.context["failure"]
    assert error.startswith("Dialpad refused: ")
    assert "shows that deleting it was not applied: nothing changed" in error
    assert "planned" in response.context  # the confirmation again, to try again
    assert mirror_snapshot() == before


def test_a_delete_whose_answer_and_re_read_both_fail_is_unknown_and_changes_nothing(
        org, pusher, room):
    org.faults.fail_nth = {1, 2, 3, 4, 5, 6}  # the delete, then the re-read and its retries
    before = mirror_snapshot()

    response = pusher.post(room_url("delete_in_dialpad", room), {"_confirmed": "1"})
    org.faults.reset()

    assert response.status_code == 200
    [error] = response.context["failure"]
    assert error.startswith("Dialpad answered 503")
    assert "check in Dialpad before trying again" in error
    assert "planned" in response.context  # the confirmation again, to try again
    assert mirror_snapshot() == before
