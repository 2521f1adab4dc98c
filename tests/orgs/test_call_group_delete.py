"""Deleting departments and call centers (issue 11): department_delete / callcenter_delete,
and the "Delete in Dialpad" page, a confirmation naming the numbers and operators affected.

Dialpad's spec says only that DELETE /api/v2/departments/{id} and /callcenters/{id} answer
the group; its numbers follow the spec's rule for unassigned numbers (the company's reserved
pool if it has one, else released), so the console re-reads each to know which way it went.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from orgs.admin import once
from orgs.exceptions import PushRefused
from orgs.models import OperatorMembership, PhoneNumber
from tests import factories
from tests.orgs.helpers_push import (
    CALL_GROUP_KINDS, history_of, journal, mirror_snapshot, sync_changes, writes,
)
from tests.orgs.test_push_views_double_submit import assert_refused_as_a_resubmit, token_of

pytestmark = pytest.mark.django_db


def a_group_in_use(kind):
    """A group of this kind holding numbers and operators."""
    group = kind.model.objects.filter(assigned_numbers__isnull=False,
                                      operators__isnull=False).distinct().first()
    assert group is not None, f"the demo org has no {kind.label} with numbers and operators"
    return group


def delete(kind, **kwargs):
    from orgs import services

    return getattr(services, f"{kind.key}_delete")(**kwargs)


def delete_url(group):
    return reverse(f"admin:orgs_{group._meta.model_name}_delete_in_dialpad", args=[group.pk])


@pytest.mark.parametrize("kind", CALL_GROUP_KINDS, ids=str)
def test_it_deletes_the_group_and_keeps_its_rows_for_the_record(org, pusher, kind):
    group = a_group_in_use(kind)
    numbers = list(group.assigned_numbers.values_list("number", flat=True))
    operators = list(group.operators.filter(gone_at__isnull=True).select_related("user"))

    deleted = delete(kind, actor=pusher, **{kind.key: group})

    [request] = writes(org)
    assert (request.method, request.path) == ("DELETE", f"/api/v2/{kind.collection}/{group.pk}")
    assert deleted.gone_at is not None and deleted.state == "deleted"
    for number in PhoneNumber.objects.filter(number__in=numbers):
        assert (number.status, number.target_type, number.gone_at) == ("available", "", None)
        assert history_of(number)[-1] == (f"Unassigned: {kind.label} {group} was deleted via "
                                          "Dialpad Console")
    for membership in operators:
        membership.refresh_from_db()
        assert membership.gone_at is not None
        assert history_of(membership)[-1] == (f"Ended: {kind.label} {group} was deleted via "
                                              "Dialpad Console")
        if membership.user is not None:
            assert history_of(membership.user)[-1].startswith(
                f"No longer {membership.get_role_display().lower()} of {kind.label} {group}")
    assert history_of(group)[-1] == f"Deleted {kind.label} {group} via Dialpad Console"
    [record] = journal()
    assert (record.operation, record.outcome) == (f"{kind.key}_delete", "succeeded")
    assert sync_changes() == {}


@pytest.mark.parametrize("kind", CALL_GROUP_KINDS, ids=str)
def test_the_preview_names_the_numbers_and_says_where_they_go(org, pusher, kind):
    group = a_group_in_use(kind)
    numbers = sorted(group.assigned_numbers.values_list("number", flat=True))

    planned = delete(kind, actor=pusher, preview=True, **{kind.key: group})

    assert (planned.method, planned.path) == ("DELETE", f"/api/v2/{kind.collection}/{group.pk}")
    assert ", ".join(numbers) in planned.note
    assert "reserved pool if it has one; otherwise Dialpad releases them" in planned.note
    assert writes(org) == [] and journal() == []


def test_a_number_dialpad_released_is_kept_marked_gone(org, pusher):
    kind = CALL_GROUP_KINDS[0]
    group = a_group_in_use(kind)
    number = group.assigned_numbers.first()
    # A company without a reserved pool: Dialpad releases the number with the group.
    org.after_answer(lambda method, path, query: method == "DELETE",
                     lambda: org.state.numbers.pop(number.number))

    delete(kind, actor=pusher, **{kind.key: group})

    number.refresh_from_db()
    assert number.gone_at is not None and number.target_type == ""


def test_it_needs_the_manage_groups_permission(org):
    kind = CALL_GROUP_KINDS[1]
    group = a_group_in_use(kind)

    with pytest.raises(PermissionDenied):
        delete(kind, actor=factories.read_only_admin(), **{kind.key: group})
    assert writes(org) == []


def test_a_gone_group_is_refused_before_anything_is_sent(org, pusher):
    kind = CALL_GROUP_KINDS[0]
    group = a_group_in_use(kind)
    kind.model.objects.filter(pk=group.pk).update(gone_at=group.last_seen_at)
    group.refresh_from_db()

    with pytest.raises(ValidationError):
        delete(kind, actor=pusher, **{kind.key: group})
    assert writes(org) == []


@pytest.mark.parametrize("kind", CALL_GROUP_KINDS, ids=str)
def test_dialpads_refusal_leaves_the_mirror_unchanged(org, pusher, kind):
    group = a_group_in_use(kind)
    getattr(org.state, kind.collection).pop(group.pk)
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as raised:
        delete(kind, actor=pusher, **{kind.key: group})

    assert raised.value.message.startswith("Dialpad refused: ")
    assert mirror_snapshot() == before


def test_a_lost_answer_is_settled_by_reading_the_group(org, pusher):
    kind = CALL_GROUP_KINDS[1]
    group = a_group_in_use(kind)
    org.faults.garble_nth = {1}  # applied, then answered 500
    org.faults.garble_answer = (500, "", "text/html")

    deleted = delete(kind, actor=pusher, **{kind.key: group})

    assert deleted.gone_at is not None
    assert "re-reading showed that deleting it took effect" in deleted.push_record.message


# --- the page ------------------------------------------------------------------------------


@pytest.mark.pusher("client")
@pytest.mark.parametrize("kind", CALL_GROUP_KINDS, ids=str)
def test_the_page_confirms_first_naming_numbers_and_operators(org, pusher, kind):
    group = a_group_in_use(kind)
    membership = group.operators.filter(gone_at__isnull=True, user__isnull=False).first()

    response = pusher.get(reverse(f"admin:orgs_{group._meta.model_name}_change",
                                  args=[group.pk]))
    assert f'href="{delete_url(group)}"' in response.content.decode()
    confirmation = pusher.get(delete_url(group))

    content = confirmation.content.decode()
    assert 'id="consequence-numbers"' in content and 'id="consequence-memberships"' in content
    for number in group.assigned_numbers.all():
        assert reverse("admin:orgs_phonenumber_change", args=[number.pk]) in content
    assert reverse("admin:orgs_dialpaduser_change", args=[membership.user.pk]) in content
    assert confirmation.context["planned"].method == "DELETE"
    assert writes(org) == []


@pytest.mark.pusher("client")
def test_the_confirmed_delete_goes_to_the_groups_page_saying_so(org, pusher):
    group = a_group_in_use(CALL_GROUP_KINDS[0])
    data = {"_confirmed": "1", once.TOKEN: token_of(pusher.get(delete_url(group)))}

    first, second = pusher.post(delete_url(group), data), pusher.post(delete_url(group), data)

    assert first.status_code == 302
    assert first.url == reverse("admin:orgs_department_change", args=[group.pk])
    assert len(writes(org)) == 1
    [push] = journal()
    assert_refused_as_a_resubmit(second, push)


@pytest.mark.pusher("client")
def test_a_refusal_is_shown_on_the_confirmation_page(org, pusher):
    group = a_group_in_use(CALL_GROUP_KINDS[1])
    org.state.callcenters.pop(group.pk)

    response = pusher.post(delete_url(group), {"_confirmed": "1"})

    assert response.status_code == 200
    assert "Dialpad refused:" in response.content.decode()
    assert OperatorMembership.objects.filter(callcenter=group, gone_at__isnull=True).exists()
