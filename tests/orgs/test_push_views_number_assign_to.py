"""A number page's "Assign to…": choose the target's type, then the target (autocomplete).

A free number is assigned on the first POST; a number already assigned would be taken from
its current target, so that goes through a confirmation page first.
"""

import pytest
from django.urls import reverse

from orgs.models import Department, DialpadUser, PhoneNumber
from tests.orgs.helpers_push import history_of, journal, mirror_snapshot, writes

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]


def assign_to_url(phone):
    return reverse("admin:orgs_phonenumber_assign_to", args=[phone.pk])


def test_the_form_chooses_a_target_type_with_an_autocomplete_per_type(org, pusher):
    phone = PhoneNumber.objects.filter(assigned_user__isnull=False).first()

    response = pusher.get(assign_to_url(phone))

    content = response.content.decode()
    assert 'name="target_type"' in content
    for field in ("office", "room", "user", "callcenter", "department"):
        assert f'data-field-name="{field}"' in content or \
            f'data-field-name="assigned_{field}"' in content
    assert 'data-dialpad-chooser="target_type"' in content


def test_it_assigns_a_free_number_on_the_first_post(org, pusher):
    phone = PhoneNumber.objects.filter(status="available", number__startswith="+1").first()
    user = DialpadUser.objects.filter(state="active", office__country="us").first()

    response = pusher.post(assign_to_url(phone), {"target_type": "user", "user": user.pk})

    assert response.status_code == 302
    assert response.url == reverse("admin:orgs_phonenumber_change", args=[phone.pk])
    [post] = writes(org)
    assert post.json == {"target_type": "user", "target_id": user.pk, "primary": False}
    phone.refresh_from_db()
    assert phone.assigned_user == user


def test_moving_an_assigned_number_shows_a_confirmation_and_sends_nothing(org, pusher):
    phone = PhoneNumber.objects.filter(assigned_user__isnull=False).first()
    department = Department.objects.first()

    response = pusher.post(assign_to_url(phone),
                           {"target_type": "department", "department": department.pk})

    assert response.status_code == 200
    planned = response.context["planned"]
    assert (planned.method, planned.path, planned.body) == (
        "POST", f"/api/v2/numbers/{phone.number}/assign",
        {"target_type": "department", "target_id": department.pk, "primary": False})
    assert f"assigned to user {phone.assigned_user} now" in response.content.decode()
    assert writes(org) == []


def test_the_confirmation_post_moves_the_number(org, pusher):
    phone = PhoneNumber.objects.filter(assigned_user__isnull=False).first()
    department = Department.objects.first()

    holder = phone.assigned_user

    response = pusher.post(assign_to_url(phone), {
        "target_type": "department", "department": department.pk, "_confirmed": "1"})

    assert response.status_code == 302
    phone.refresh_from_db()
    assert (phone.assigned_department, phone.assigned_user) == (department, None)
    assert history_of(holder)[-1] == (f"Lost number {phone.number}: assigned to department "
                                      f"{department} via Dialpad Console")


def test_a_missing_target_is_a_field_error(org, pusher):
    phone = PhoneNumber.objects.filter(status="available").first()

    response = pusher.post(assign_to_url(phone), {"target_type": "room"})

    assert response.context["form"].errors["room"] == ["Choose the room."]
    assert writes(org) == []


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher):
    phone = PhoneNumber.objects.filter(status="available", number__startswith="+1").first()
    user = DialpadUser.objects.filter(state="active", office__country="us").first()
    del org.state.numbers[phone.number]  # released in Dialpad directly
    before = mirror_snapshot()

    response = pusher.post(assign_to_url(phone), {"target_type": "user", "user": user.pk})

    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("Dialpad refused: ")
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "refused"


def test_taking_a_number_from_a_call_router_shows_a_confirmation_and_sends_nothing(org, pusher):
    phone = PhoneNumber.objects.filter(status="available", number__startswith="+1").first()
    PhoneNumber.objects.filter(pk=phone.pk).update(
        target_type="callrouter", target_id=5_000_000_123, status="call_router")
    department = Department.objects.first()

    response = pusher.post(assign_to_url(phone),
                           {"target_type": "department", "department": department.pk})

    assert response.status_code == 200
    assert response.context["planned"].path == f"/api/v2/numbers/{phone.number}/assign"
    assert "assigned to call router 5000000123 now" in response.content.decode()
    assert writes(org) == []
