"""operator_role_change: a user operator's new role, as one push of two requests (Dialpad
answers 409 to a second add): remove, then add back with the new role, journaled as one
change. If the add fails after the remove, the user is left removed, and everything says so.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orgs import services
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.models import CallCenter, Department, DialpadUser, Office, OperatorMembership
from tests import factories
from tests.orgs.helpers_push import history_of, journal, mirror_snapshot, writes
from tests.orgs.helpers_push import set_read_timeout, slow_only_the_first_write, sync_changes

pytestmark = pytest.mark.django_db


def an_operator(sim, model, role="operator"):
    """(group, user, membership): a user operating a group of `model` with `role`."""
    kind = {Office: "office", Department: "department", CallCenter: "callcenter"}[model]
    for group in model.objects.all():
        for otype, oid, their_role in sim.state.operators(kind, group.pk):
            if otype == "user" and their_role == role:
                user = DialpadUser.objects.get(pk=oid)
                return group, user, OperatorMembership.objects.get(
                    key=OperatorMembership.make_key(kind, group.pk, "user", oid))
    raise AssertionError(f"no user is {role} of a {kind} in the demo org")


@pytest.mark.parametrize("model", [Office, Department, CallCenter], ids=lambda m: m.__name__)
def test_it_changes_a_users_role_by_removing_then_adding(org, pusher, model):
    group, user, row = an_operator(org, model)
    kind = row.group_type

    membership = services.operator_role_change(actor=pusher, group=group, member=user,
                                               role="admin")

    delete, post = writes(org)
    assert (delete.method, post.method) == ("DELETE", "POST")
    assert post.json["role"] == "admin"
    assert ("user", user.pk, "admin") in org.state.operators(kind, group.pk)
    assert membership.pk == row.pk
    membership.refresh_from_db()
    assert (membership.role, membership.gone_at) == ("admin", None)
    assert history_of(group)[-1] == (
        f"Changed the role of operator {user} from operator to admin operator via Dialpad "
        "Console")
    [record] = journal()
    assert (record.operation, record.outcome) == ("operator_role_change", "succeeded")
    assert [step["method"] for step in record.request["steps"]] == ["DELETE", "POST"]
    assert sync_changes() == {}


def test_the_preview_shows_both_requests_and_sends_nothing(org, pusher):
    group, user, _ = an_operator(org, Department)

    planned = services.operator_role_change(actor=pusher, group=group, member=user,
                                            role="admin", preview=True)

    assert [(step.method, step.path) for step in planned.steps] == [
        ("DELETE", f"/api/v2/departments/{group.pk}/operators"),
        ("POST", f"/api/v2/departments/{group.pk}/operators")]
    assert planned.steps[1].body == {"operator_id": user.pk, "operator_type": "user",
                                     "role": "admin"}
    assert "left removed" in planned.note
    assert writes(org) == [] and journal() == []


@pytest.mark.parametrize("change, field", [
    ({"role": "operator"}, "role"),  # the role it has
    ({"role": "boss"}, "role"),
])
def test_bad_input_is_refused_before_anything_is_sent(org, pusher, change, field):
    group, user, _ = an_operator(org, Department)

    with pytest.raises(ValidationError) as raised:
        services.operator_role_change(actor=pusher, group=group, member=user, **change)

    assert field in raised.value.message_dict
    assert writes(org) == []
    [record] = journal()
    assert record.outcome == "invalid"


def test_a_user_who_is_not_an_operator_is_refused(org, pusher):
    group = Department.objects.first()
    operators = {oid for _, oid, _ in org.state.operators("department", group.pk)}
    user = DialpadUser.objects.filter(state="active").exclude(pk__in=operators).first()

    with pytest.raises(ValidationError) as raised:
        services.operator_role_change(actor=pusher, group=group, member=user, role="admin")

    assert raised.value.message_dict["member"] == [
        f"{user} is not an operator of department {group}."]


def test_a_rooms_role_cannot_be_changed(org, pusher):
    membership = OperatorMembership.objects.filter(operator_type="room",
                                                   gone_at__isnull=True).first()

    with pytest.raises(ValidationError) as raised:
        services.operator_role_change(actor=pusher, group=membership.group,
                                      member=membership.room, role="admin")

    assert "Dialpad does not report the role of a room operator" in (
        raised.value.message_dict["member"][0])


def test_it_needs_the_assign_operator_permission(org):
    group, user, _ = an_operator(org, Department)

    with pytest.raises(PermissionDenied):
        services.operator_role_change(actor=factories.read_only_admin(), group=group,
                                      member=user, role="admin")

    assert writes(org) == []


def test_a_refused_remove_changes_nothing(org, pusher):
    group, user, _ = an_operator(org, Department)
    org.state.remove_operator("department", group.pk, "user", user.pk)  # gone in Dialpad
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as raised:
        services.operator_role_change(actor=pusher, group=group, member=user, role="admin")

    assert raised.value.message.startswith("Dialpad refused: ")
    assert "removed" not in raised.value.message.split(":")[0]
    assert [w.method for w in writes(org)] == ["DELETE"]
    assert mirror_snapshot() == before


def cancel_after_the_remove(sim, user):
    """Dialpad refuses the add once the remove is answered: the user is cancelled meanwhile."""
    sim.after_answer(lambda method, path, query: method == "DELETE" and path.endswith(
        "/operators"), lambda: sim.state.users[user.pk].update(state="cancelled"))


def test_a_refused_add_says_plainly_that_the_user_is_now_removed(org, pusher):
    group, user, row = an_operator(org, Department)
    cancel_after_the_remove(org, user)

    with pytest.raises(PushRefused) as raised:
        services.operator_role_change(actor=pusher, group=group, member=user, role="admin")

    assert raised.value.message.startswith(
        f"{user} was removed from the operators of department {group} (to change their "
        "role), but then: Dialpad refused: operator_id: ")
    assert [w.method for w in writes(org)] == ["DELETE", "POST"]
    row.refresh_from_db()
    assert row.gone_at is not None and row.role == "operator"
    assert "adding back failed" in history_of(user)[-1]
    assert "adding back failed" in history_of(row)[-1]
    [record] = journal()
    assert (record.outcome, record.message) == ("refused", raised.value.message)


def test_an_add_that_is_lost_leaves_the_outcome_unknown_and_says_the_remove_happened(
        org, pusher, settings):
    group, user, row = an_operator(org, Department)
    set_read_timeout(settings, 0.5)
    # The DELETE is answered at once; the POST waits longer than the console (and is applied
    # after the console's re-read).
    org.after_answer(lambda method, path, query: method == "DELETE",
                     lambda: setattr(org.faults, "slow_seconds", 1.5))
    slow = slow_only_the_first_write(org, 0, until_requests=2)

    with pytest.raises(PushOutcomeUnknown) as raised:
        services.operator_role_change(actor=pusher, group=group, member=user, role="admin")
    slow.join()

    assert raised.value.message.startswith(f"{user} was removed from the operators of "
                                           f"department {group}")
    assert "Dialpad did not answer within 0.5 s" in raised.value.message
    [record] = journal()
    assert record.outcome == "unknown"
