"""No double meanings for what is gone (issue 11): rows gone from Dialpad are left out of a
page's sections and counts (one click shows them), and a gone row's page says who removed it
and how: a console push by whom, or a sync that did not find it in a complete listing."""

import pytest
from django.urls import reverse

from orgs import services
from orgs.models import Department, OperatorMembership, Room
from syncjobs.engine import run_sync
from tests import factories

pytestmark = [pytest.mark.django_db]


def change(obj):
    return reverse(f"admin:orgs_{obj._meta.model_name}_change", args=[obj.pk])


def banner(client, obj):
    html = client.get(change(obj)).content.decode()
    start = html.index('class="errornote dialpad-gone-note"')
    return html[start:html.index("</p>", start)]


@pytest.fixture
def viewer(client):
    client.force_login(factories.read_only_admin())
    return client


def test_an_operator_removed_in_the_console_leaves_the_groups_list_and_count(org, pusher,
                                                                            viewer):
    department = Department.objects.filter(operators__user__isnull=False).distinct().first()
    membership = department.operators.filter(user__isnull=False, gone_at__isnull=True).first()
    before = department.operators.filter(gone_at__isnull=True).count()

    services.operator_remove(actor=pusher, group=department, member=membership.user)

    response = viewer.get(change(department))
    operators = {s.key: s for s in response.context["related_sections"]}["operators"]
    assert operators.total == before - 1
    assert membership.pk not in [m.pk for m in operators.listing.items]
    assert operators.gone_hidden == 1
    assert f"Operators ({before - 1})" in response.content.decode()


def test_the_banner_of_a_membership_removed_in_the_console_names_the_push(org, pusher, viewer):
    membership = OperatorMembership.objects.filter(group_type="department", user__isnull=False,
                                                   gone_at__isnull=True).first()

    services.operator_remove(actor=pusher, group=membership.department, member=membership.user)

    text = banner(viewer, membership)
    assert "Removed from Dialpad on " in text
    assert f"by {pusher.username}, with a console push" in text
    assert f"Removed {membership.user} as operator of department {membership.department}" in text
    push = pusher.dialpad_pushes.get()
    assert f'href="{reverse("admin:orgs_pushrecord_change", args=[push.pk])}"' in text


def test_the_banner_of_a_room_deleted_in_the_console_says_by_whom(org, pusher, viewer):
    room = Room.objects.filter(gone_at__isnull=True).first()

    services.room_delete(actor=pusher, room=room)

    text = banner(viewer, room)
    assert f"by {pusher.username}, with a console push" in text
    assert f"Deleted room {room} via Dialpad Console" in text
    assert "a complete listing" not in text


def test_the_banner_of_a_row_a_sync_did_not_find_names_the_run(org, viewer):
    room = Room.objects.filter(gone_at__isnull=True).first()
    org.state.rooms.pop(room.pk)  # deleted in Dialpad directly (1 of the rooms: not held)

    run = run_sync()

    room.refresh_from_db()
    assert room.gone_at is not None
    text = banner(viewer, room)
    assert "not in a complete listing of " in text
    assert f'<a href="{reverse("admin:syncjobs_syncrun_change", args=[run.pk])}">sync run ' \
           f"#{run.pk}</a>" in text
    assert "console push" not in text


def test_a_row_gone_without_a_history_entry_says_only_since_when(viewer):
    room = factories.RoomFactory(gone=True)

    text = banner(viewer, room)

    assert "Gone from Dialpad since" in text and "Kept here for the record." in text
    assert "push" not in text and "listing" not in text
