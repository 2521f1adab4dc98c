"""A push needs the view permission of what it goes to, as well as its own (issue 8, case 8).

Without the view (or change) permission of the target's model, a service refuses before
anything is sent, and journals the refusal as denied; the admin's push pages answer 403 (the
table of every push view is in test_push_views_permissions.py); a bulk action to a group the
admin may not see starts no job. Reading a user's E911 address is viewing the user.

These use factory rows, not the simulator: nothing here may reach Dialpad.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from orgs import services
from orgs.models import BulkPushJob, PushRecord
from tests import factories
from tests.orgs.helpers_push import post_bulk_action

pytestmark = pytest.mark.django_db

ADDRESS = {"address": "1 Market St", "address2": "", "city": "San Francisco", "state": "CA",
           "zip": "94105", "country": "US"}


@pytest.fixture
def org():
    return factories.org_build(size=1)


def pusher_without(view):
    """Staff with every push permission, and every view permission but `view`."""
    return factories.LoginFactory(
        username=f"without-{view}", is_staff=True,
        permissions=[p for p in factories.VIEW_ORGS if p != f"orgs.{view}"]
        + [f"orgs.{p}" for p in factories.PUSH_PERMISSIONS])


PUSHES = [
    # (service, view permission of its target, keyword arguments from org_build's rows)
    ("operator_add", "view_department",
     lambda o: {"group": o.departments[0], "member": o.users[0], "role": "operator"}),
    ("operator_remove", "view_callcenter",
     lambda o: {"group": o.callcenters[0], "member": o.users[0]}),
    ("office_e911_update", "view_office", lambda o: {"office": o.offices[0],
                                                     "address": ADDRESS}),
    ("user_e911_update", "view_dialpaduser", lambda o: {"user": o.users[0],
                                                        "address": ADDRESS}),
    ("number_assign", "view_room", lambda o: {"target": o.rooms[0], "area_code": "415"}),
    ("number_unassign", "view_phonenumber", lambda o: {"number": o.numbers[0]}),
    ("room_create", "view_room", lambda o: {"office": o.offices[0], "name": "Lobby"}),
    ("room_rename", "view_room", lambda o: {"room": o.rooms[0], "name": "Lobby"}),
    ("room_delete", "view_room", lambda o: {"room": o.rooms[0]}),
    ("department_create", "view_department", lambda o: {"office": o.offices[0],
                                                        "name": "Billing"}),
    ("callcenter_update", "view_callcenter", lambda o: {"callcenter": o.callcenters[0],
                                                        "name": "Support"}),
    ("user_move_office", "view_dialpaduser", lambda o: {"user": o.users[0],
                                                        "office": o.offices[0]}),
]


@pytest.mark.parametrize("service,view,kwargs", PUSHES, ids=[p[0] for p in PUSHES])
def test_a_push_without_the_view_permission_of_its_target_is_denied_and_journaled(
        org, service, view, kwargs):
    actor = pusher_without(view)

    with pytest.raises(PermissionDenied) as denied:
        getattr(services, service)(actor=actor, **kwargs(org))

    message = f"{actor.username} does not have the permission orgs.{view} needed to push this."
    assert str(denied.value) == message
    [record] = PushRecord.objects.all()
    assert (record.outcome, record.message, record.request) == ("denied", message, {})


@pytest.mark.parametrize("service,view,kwargs", PUSHES, ids=[p[0] for p in PUSHES])
def test_a_preview_without_the_view_permission_of_its_target_is_denied(org, service, view,
                                                                       kwargs):
    with pytest.raises(PermissionDenied):
        getattr(services, service)(actor=pusher_without(view), **kwargs(org), preview=True)

    assert PushRecord.objects.count() == 0


def test_the_change_permission_of_the_target_also_lets_it_be_seen(org):
    actor = factories.LoginFactory(username="room-changer", is_staff=True,
                                   permissions=["orgs.manage_groups", "orgs.change_room"])

    planned = services.room_rename(actor=actor, room=org.rooms[0], name="Lobby", preview=True)

    assert planned.method == "PATCH"


def test_staff_with_only_the_e911_permission_cannot_open_or_push_e911_pages(client, org):
    client.force_login(factories.LoginFactory(username="e911-only", is_staff=True,
                                              permissions=["orgs.change_e911"]))
    pages = [reverse("admin:orgs_dialpaduser_e911", args=[org.users[0].pk]),
             reverse("admin:orgs_office_e911", args=[org.offices[0].pk])]

    answers = [(client.get(url).status_code, client.post(url, ADDRESS).status_code)
               for url in pages]

    assert answers == [(403, 403), (403, 403)]
    assert PushRecord.objects.count() == 0


def test_reading_a_users_e911_address_needs_the_view_permission(org):
    e911_only = factories.LoginFactory(username="e911-only", is_staff=True,
                                       permissions=["orgs.change_e911"])

    with pytest.raises(PermissionDenied):
        services.user_e911_get(actor=e911_only, user=org.users[0])


@pytest.mark.parametrize("step", ["preview", "confirm"])
def test_a_bulk_add_to_a_group_the_admin_may_not_see_is_403(client, org, step):
    client.force_login(pusher_without("view_department"))

    response = post_bulk_action(client, "add_to_group", org.users, step,
                                group_type="department", department=org.departments[0].pk,
                                role="operator")

    assert response.status_code == 403
    assert BulkPushJob.objects.count() == 0 and PushRecord.objects.count() == 0
