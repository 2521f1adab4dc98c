"""What every push service hands back on success: the mirror object it changed, carrying the
push's journal row as `.push_record` (the admin views show its message, and bulk jobs link
each item to it). Each service's own module covers the rest."""

import pytest

from orgs import kinds, services
from orgs.models import (
    CallCenter,
    Department,
    DialpadUser,
    E911Address,
    Office,
    OperatorMembership,
    PhoneNumber,
    Room,
)
from tests.orgs.helpers_push import journal

pytestmark = pytest.mark.django_db

ADDRESS = {"address": "1 Main St", "address2": "", "city": "Austin", "state": "TX",
           "zip": "78701", "country": "us"}


def an_operator(sim, group):
    kind = kinds.kind_name(group)
    uid = next(oid for otype, oid, _ in sim.state.operators(kind, group.pk) if otype == "user")
    return DialpadUser.objects.get(pk=uid)


def not_an_operator(sim, group):
    kind = kinds.kind_name(group)
    operators = {oid for _, oid, _ in sim.state.operators(kind, group.pk)}
    return DialpadUser.objects.filter(state="active").exclude(pk__in=operators).first()


def move_a_user(actor):
    user = DialpadUser.objects.filter(office__country="us", state="active").first()
    office = Office.objects.exclude(pk=user.office_id).filter(country="us").first()
    return services.user_move_office(actor=actor, user=user, office=office)


# operation -> (what it returns, (sim, actor) -> a successful call)
PUSHES = {
    "operator_add": (OperatorMembership, lambda sim, actor: services.operator_add(
        actor=actor, group=CallCenter.objects.first(),
        member=not_an_operator(sim, CallCenter.objects.first()), role="admin")),
    "operator_remove": (OperatorMembership, lambda sim, actor: services.operator_remove(
        actor=actor, group=Department.objects.first(),
        member=an_operator(sim, Department.objects.first()))),
    "office_e911_update": (E911Address, lambda sim, actor: services.office_e911_update(
        actor=actor, office=Office.objects.first(), address=ADDRESS)),
    "user_e911_update": (E911Address, lambda sim, actor: services.user_e911_update(
        actor=actor, user=DialpadUser.objects.filter(state="active").first(),
        address=ADDRESS)),
    "number_assign": (PhoneNumber, lambda sim, actor: services.number_assign(
        actor=actor, target=DialpadUser.objects.filter(state="active", office__country="us")
        .first(), number=sim.state.pick_available("415")["number"])),
    "number_unassign": (PhoneNumber, lambda sim, actor: services.number_unassign(
        actor=actor, number=PhoneNumber.objects.filter(assigned_user__isnull=False).first())),
    "room_create": (Room, lambda sim, actor: services.room_create(
        actor=actor, office=Office.objects.first(), name="Lobby")),
    "room_rename": (Room, lambda sim, actor: services.room_rename(
        actor=actor, room=Room.objects.first(), name="Front desk")),
    "room_delete": (Room, lambda sim, actor: services.room_delete(
        actor=actor, room=Room.objects.first())),
    "department_create": (Department, lambda sim, actor: services.department_create(
        actor=actor, office=Office.objects.first(), name="Billing")),
    "department_update": (Department, lambda sim, actor: services.department_update(
        actor=actor, department=Department.objects.first(), name="Billing")),
    "callcenter_create": (CallCenter, lambda sim, actor: services.callcenter_create(
        actor=actor, office=Office.objects.first(), name="Escalations")),
    "callcenter_update": (CallCenter, lambda sim, actor: services.callcenter_update(
        actor=actor, callcenter=CallCenter.objects.first(), ring_seconds=20)),
    "user_move_office": (DialpadUser, lambda sim, actor: move_a_user(actor)),
}


@pytest.mark.parametrize("operation", PUSHES)
def test_it_returns_the_mirror_object_with_its_journal_row(org, pusher, operation):
    model, push = PUSHES[operation]

    result = push(org, pusher)

    [record] = journal()
    assert (record.operation, record.outcome, record.actor) == (operation, "succeeded", pusher)
    assert isinstance(result, model) and result.pk is not None
    assert result.push_record == record


def test_removing_an_operator_the_console_never_mirrored_returns_an_unsaved_row(org, pusher):
    department = Department.objects.first()
    user = an_operator(org, department)
    OperatorMembership.objects.filter(department=department, user=user).delete()

    membership = services.operator_remove(actor=pusher, group=department, member=user)

    assert (membership.pk, membership.department, membership.user) == (None, department, user)
    assert membership.gone_at is not None
    [record] = journal()
    assert membership.push_record == record and record.outcome == "succeeded"
    assert not OperatorMembership.objects.filter(department=department, user=user).exists()
