"""The "Remove" control of each operator on a group's page, and its confirmation.

Removing an operator changes something in use: the first GET or POST shows exactly what will
be sent (method, path, JSON body) and sends nothing; only the POST with "_confirmed" pushes.
"""

import json

import pytest
from django.urls import reverse

from orgs.models import CallCenter, Department, DialpadUser, OperatorMembership
from tests.orgs.helpers_push import history_of, journal, mirror_snapshot, writes

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]


@pytest.fixture
def department(org):
    return Department.objects.filter(operators__user__isnull=False).first()


@pytest.fixture
def user(org, department):
    uid = next(oid for otype, oid, _ in org.state.operators("department", department.pk)
               if otype == "user")
    return DialpadUser.objects.get(pk=uid)


def remove_url(group, member, operator_type="user"):
    return reverse(f"admin:orgs_{group._meta.model_name}_operator_remove",
                   args=[group.pk, operator_type, member.pk])


def test_the_group_page_has_a_remove_link_per_operator(org, pusher, department, user):
    response = pusher.get(reverse("admin:orgs_department_change", args=[department.pk]))

    assert f'href="{remove_url(department, user)}"' in response.content.decode()


def test_get_shows_what_will_be_sent_and_sends_nothing(org, pusher, department, user):
    response = pusher.get(remove_url(department, user))

    assert response.status_code == 200
    content = response.content.decode()
    assert f"Remove user {user} from the operators of department {department}." in content
    planned = response.context["planned"]
    assert (planned.method, planned.path) == (
        "DELETE", f"/api/v2/departments/{department.pk}/operators")
    assert planned.body == {"operator_id": user.pk, "operator_type": "user"}
    assert json.dumps(planned.body, indent=2).replace('"', "&quot;") in content
    assert writes(org) == [] and journal() == []


def test_a_post_without_confirmation_sends_nothing(org, pusher, department, user):
    response = pusher.post(remove_url(department, user))

    assert response.status_code == 200
    assert "planned" in response.context
    assert writes(org) == []


def test_the_confirmation_post_removes_the_operator(org, pusher, department, user):
    response = pusher.post(remove_url(department, user), {"_confirmed": "1"})

    assert response.status_code == 302
    assert response.url == reverse("admin:orgs_department_change", args=[department.pk])
    [delete] = writes(org)
    assert (delete.method, delete.json) == ("DELETE", {"operator_id": user.pk,
                                                       "operator_type": "user"})
    assert user.pk not in [oid for _, oid, _ in org.state.operators("department", department.pk)]
    assert OperatorMembership.objects.get(department=department, user=user).gone_at is not None
    assert history_of(department)[-1] == f"Removed operator {user} via Dialpad Console"
    page = pusher.get(response.url)
    assert [str(m) for m in page.context["messages"]] == [
        f"Removed user {user} from department {department}"]


def test_a_call_center_operator_is_removed_by_user_id(org, pusher):
    callcenter = CallCenter.objects.filter(operators__isnull=False).first()
    member = callcenter.operators.filter(gone_at__isnull=True).first().user

    response = pusher.get(remove_url(callcenter, member))

    assert response.context["planned"].body == {"user_id": member.pk}


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher, department,
                                                                   user):
    org.state.remove_operator("department", department.pk, "user", user.pk)  # in Dialpad
    before = mirror_snapshot()

    response = pusher.post(remove_url(department, user), {"_confirmed": "1"})

    assert response.status_code == 200
    [error] = response.context["failure"]
    assert error.startswith("Dialpad refused: ") and "is not an operator" in error
    assert error in response.content.decode()
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "refused"


def test_an_unknown_operator_is_404(org, pusher, department):
    assert pusher.get(reverse("admin:orgs_department_operator_remove",
                              args=[department.pk, "user", 1])).status_code == 404
    assert pusher.get(reverse("admin:orgs_department_operator_remove",
                              args=[department.pk, "phone", 1])).status_code == 404
