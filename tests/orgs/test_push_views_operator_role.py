"""A group page's "Change role" per user operator: a form (the new role), a confirmation that
shows both requests (remove, then add back), and the push. When the add fails after the
remove, the page says the operator is now removed and offers to add them back."""

import pytest
from django.urls import reverse

from orgs.admin import once
from orgs.models import Department, OperatorMembership
from tests.orgs.helpers_push import history_of, journal, writes
from tests.orgs.test_push_views_double_submit import assert_refused_as_a_resubmit, token_of

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]


@pytest.fixture
def membership(org):
    return OperatorMembership.objects.filter(group_type="department", operator_type="user",
                                             role="operator", gone_at__isnull=True).first()


def role_url(m):
    return reverse(f"admin:orgs_{m.group_type}_operator_role",
                   args=[m.group_id, m.operator_type, m.operator_id])


def group_page(m):
    return reverse(f"admin:orgs_{m.group_type}_change", args=[m.group_id])


def test_the_group_page_offers_change_role_for_users_only(org, pusher, membership):
    room_membership = OperatorMembership.objects.filter(
        department=membership.department, operator_type="room", gone_at__isnull=True).first()

    content = pusher.get(group_page(membership)).content.decode()

    assert f'href="{role_url(membership)}"' in content
    if room_membership is not None:
        assert role_url(room_membership) not in content


def test_the_form_proposes_the_other_role(org, pusher, membership):
    form = pusher.get(role_url(membership)).context["form"]

    assert form["role"].value() == "admin"


def test_the_confirmation_shows_both_requests_and_sends_nothing(org, pusher, membership):
    response = pusher.post(role_url(membership), {"role": "admin"})

    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('class="dialpad-step"') == 2
    assert content.index("DELETE") < content.index("POST")
    assert (f"Change the role of user {membership.user} in department "
            f"{membership.department} from operator to admin.") in content
    assert writes(org) == []


def test_the_confirmed_change_is_one_push(org, pusher, membership):
    response = pusher.post(role_url(membership), {"role": "admin", "_confirmed": "1"})

    assert response.status_code == 302 and response.url == group_page(membership)
    membership.refresh_from_db()
    assert membership.role == "admin"
    [record] = journal()
    messages = [str(m) for m in pusher.get(response.url).context["messages"]]
    assert messages == [record.message]
    assert record.message.startswith(f"Changed the role of user {membership.user}")


def test_the_same_role_is_an_error_on_the_field(org, pusher, membership):
    response = pusher.post(role_url(membership), {"role": "operator", "_confirmed": "1"})

    assert response.status_code == 200
    assert response.context["form"].errors["role"] == [
        f"{membership.user} is already operator of department {membership.department}."]
    assert writes(org) == []


def test_a_double_submit_changes_the_role_once(org, pusher, membership):
    confirmation = pusher.post(role_url(membership), {
        "role": "admin", once.TOKEN: token_of(pusher.get(role_url(membership)))})
    data = {"role": "admin", "_confirmed": "1", once.TOKEN: token_of(confirmation)}

    first, second = pusher.post(role_url(membership), data), pusher.post(role_url(membership),
                                                                         data)

    assert first.status_code == 302
    assert len(writes(org)) == 2  # one DELETE, one POST
    [push] = journal()
    assert_refused_as_a_resubmit(second, push)


def test_a_failed_add_says_the_operator_is_removed_and_offers_to_add_them_back(
        org, pusher, membership):
    org.faults.fail_nth = {2}  # the DELETE goes through, the POST is answered 503

    response = pusher.post(role_url(membership), {"role": "admin", "_confirmed": "1"})

    assert response.status_code == 200
    content = response.content.decode()
    assert (f"{membership.user} was removed from the operators of department "
            f"{membership.department} (to change their role), but then: Dialpad refused") in (
        content)
    assert f"{membership.user} is no longer an operator of {membership.department}" in content
    assert 'id="readd-form"' in content
    membership.refresh_from_db()
    assert membership.gone_at is not None

    readd = pusher.post(reverse("admin:orgs_department_operator_add",
                                args=[membership.group_id]),
                        {"operator_type": "user", "user": membership.operator_id,
                         "role": "operator", once.TOKEN: token_of(response)})

    assert readd.status_code == 302
    assert ("user", membership.operator_id, "operator") in org.state.operators(
        "department", membership.group_id)
    assert history_of(membership.department)[-1].startswith(f"Added {membership.user}")


def test_a_refused_remove_is_shown_without_a_readd_offer(org, pusher, membership):
    org.state.remove_operator("department", membership.group_id, "user",
                              membership.operator_id)

    response = pusher.post(role_url(membership), {"role": "admin", "_confirmed": "1"})

    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("Dialpad refused:")
    assert 'id="readd-form"' not in response.content.decode()
    assert Department.objects.get(pk=membership.group_id).operators.filter(
        pk=membership.pk, gone_at__isnull=True).exists()
