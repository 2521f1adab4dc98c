"""operator_remove: take a user or a room off the operators of an office, department or call
center."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orgs import forms, services
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.models import CallCenter, Department, DialpadUser, Office, OperatorMembership, Room
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


def a_user_operating(sim, group_type, group_id):
    uid = next(oid for otype, oid, _ in sim.state.operators(group_type, group_id)
               if otype == "user")
    return DialpadUser.objects.get(pk=uid)


def a_room_operating(sim, group_type):
    model = {"office": Office, "department": Department}[group_type]
    for group in model.objects.all():
        for otype, oid, _ in sim.state.operators(group_type, group.pk):
            if otype == "room":
                return group, Room.objects.get(pk=oid)
    raise AssertionError(f"no room operates a {group_type} in the demo org")


def test_it_removes_a_user_from_a_department(org, pusher):
    department = Department.objects.first()
    user = a_user_operating(org, "department", department.pk)
    row = OperatorMembership.objects.get(department=department, user=user)

    membership = services.operator_remove(actor=pusher, group=department, member=user)

    assert user.pk not in [oid for _, oid, _ in org.state.operators("department", department.pk)]
    assert membership.pk == row.pk and membership.gone_at is not None
    user.refresh_from_db()
    assert str(department.pk) not in [d["group_id"] for d in user.payload["group_details"]]
    assert history_of(department)[-1] == f"Removed operator {user} via Dialpad Console"
    assert history_of(user)[-1] == (
        f"Removed as operator of department {department} via Dialpad Console")
    [record] = journal()
    assert (record.operation, record.outcome) == ("operator_remove", "succeeded")


def test_it_sends_the_user_id_for_a_call_center(org, pusher):
    callcenter = CallCenter.objects.first()
    user = a_user_operating(org, "callcenter", callcenter.pk)

    services.operator_remove(actor=pusher, group=callcenter, member=user)

    [delete] = writes(org)
    assert (delete.method, delete.path) == (
        "DELETE", f"/api/v2/callcenters/{callcenter.pk}/operators")
    assert delete.json == {"user_id": user.pk}


def test_it_removes_a_room_from_an_office(org, pusher):
    office, room = a_room_operating(org, "office")

    membership = services.operator_remove(actor=pusher, group=office, member=room)

    [delete] = writes(org)
    assert delete.json == {"operator_id": room.pk, "operator_type": "room"}
    operators = org.state.operators("office", office.pk)
    assert ("room", room.pk) not in [(otype, oid) for otype, oid, _ in operators]
    assert membership.gone_at is not None
    assert history_of(office)[-1] == f"Removed operator room {room} via Dialpad Console"


def test_it_requires_the_assign_operator_permission(org):
    department = Department.objects.first()
    user = a_user_operating(org, "department", department.pk)
    before = mirror_snapshot()

    with pytest.raises(PermissionDenied):
        services.operator_remove(actor=factories.read_only_admin(), group=department,
                                 member=user)

    assert writes(org) == []
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "denied"


def test_it_refuses_something_that_is_not_a_group_before_sending(org, pusher):
    user = DialpadUser.objects.first()

    with pytest.raises(ValidationError) as error:
        services.operator_remove(actor=pusher, group=Room.objects.first(), member=user)

    assert "group" in error.value.message_dict
    assert writes(org) == []
    assert journal()[0].outcome == "invalid"


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher):
    department = Department.objects.first()
    user = a_user_operating(org, "department", department.pk)
    # Someone removed the user in Dialpad directly; the mirror does not know yet.
    org.state.remove_operator("department", department.pk, "user", user.pk)
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.operator_remove(actor=pusher, group=department, member=user)

    assert str(error.value).startswith("Dialpad refused: ")
    assert "is not an operator" in str(error.value)
    assert error.value.status == 400
    assert mirror_snapshot() == before
    [record] = journal()
    assert (record.outcome, record.dialpad_status) == ("refused", 400)


def test_it_refuses_a_user_deleted_in_dialpad(org, pusher):
    department = Department.objects.first()
    user = a_user_operating(org, "department", department.pk)
    del org.state.users[user.pk]
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.operator_remove(actor=pusher, group=department, member=user)

    assert error.value.status == 404
    assert mirror_snapshot() == before


def test_a_server_error_leaves_the_mirror_unchanged(org, pusher):
    department = Department.objects.first()
    user = a_user_operating(org, "department", department.pk)
    org.faults.fail_nth = {1}
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.operator_remove(actor=pusher, group=department, member=user)

    assert error.value.status == 503
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "refused"


def test_a_timeout_re_reads_before_reporting(org, pusher, settings):
    department = Department.objects.first()
    user = a_user_operating(org, "department", department.pk)
    set_read_timeout(settings, 0.3)
    watcher = slow_only_the_first_write(org, 1.0)
    before = mirror_snapshot()

    with pytest.raises(PushOutcomeUnknown) as error:
        services.operator_remove(actor=pusher, group=department, member=user)
    watcher.join()

    assert "removing " + str(user) + " has not taken effect (yet)" in str(error.value)
    assert [(r.method, r.path) for r in org.requests][-1] == ("GET", f"/api/v2/users/{user.pk}")
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "unknown"


def test_a_sync_after_the_push_records_no_change(org, pusher):
    department = Department.objects.first()
    user = a_user_operating(org, "department", department.pk)
    office, room = a_room_operating(org, "office")

    services.operator_remove(actor=pusher, group=department, member=user)
    services.operator_remove(actor=pusher, group=office, member=room)

    assert sync_changes() == {}


def test_the_form_asks_for_confirmation_and_shows_what_it_will_send(org, pusher):
    department = Department.objects.first()
    user = a_user_operating(org, "department", department.pk)
    form = forms.OperatorRemoveForm({}, group=department, member=user)

    assert form.is_valid() and form.needs_confirmation
    assert form.preview(actor=pusher).as_text() == (
        f"DELETE /api/v2/departments/{department.pk}/operators\n"
        f'{{\n  "operator_id": {user.pk},\n  "operator_type": "user"\n}}')
    assert form.save(actor=pusher).gone_at is not None
