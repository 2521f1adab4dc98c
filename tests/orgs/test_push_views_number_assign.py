"""The "Assign a number" control of an office, room, user, call center or department page.

By a given number (typed in any format, read in the target's country) or any free number of
an area code; never made primary unless asked. It takes a free number, so it has no
confirmation step.
"""

import phonenumbers
import pytest
from django.urls import reverse

from orgs.models import CallCenter, DialpadUser, Office, PhoneNumber, Room
from tests.orgs.helpers_push import a_free_number, history_of, journal, mirror_snapshot, writes

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]


def assign_url(target):
    return reverse(f"admin:orgs_{target._meta.model_name}_number_assign", args=[target.pk])


def page(target):
    return reverse(f"admin:orgs_{target._meta.model_name}_change", args=[target.pk])


@pytest.mark.parametrize("model", [Office, Room, DialpadUser, CallCenter])
def test_the_page_lists_the_numbers_with_an_assign_control(org, pusher, model):
    target = model.objects.filter(assigned_numbers__isnull=False).first()

    response = pusher.get(page(target))

    content = response.content.decode()
    assert 'id="section-numbers"' in content
    assert target.assigned_numbers.first().number in content
    assert f'href="{assign_url(target)}"' in content


def test_it_assigns_a_number_typed_as_dialled_in_the_targets_country(org, pusher):
    user = DialpadUser.objects.filter(state="active", office__country="us").first()
    number = a_free_number(org)
    national = phonenumbers.format_number(phonenumbers.parse(number),
                                          phonenumbers.PhoneNumberFormat.NATIONAL)

    response = pusher.post(assign_url(user), {"number": national})

    assert response.status_code == 302
    assert response.url == page(user)
    [post] = writes(org)
    assert (post.path, post.json) == (f"/api/v2/numbers/{number}/assign", {
        "target_type": "user", "target_id": user.pk, "primary": False})
    assert PhoneNumber.objects.get(number=number).assigned_user == user
    assert history_of(user)[-1] == (
        f"Assigned number {number} as an additional number via Dialpad Console")
    messages = [str(m) for m in pusher.get(response.url).context["messages"]]
    assert messages == [f"Assigned {number} to user {user} as an additional number"]


def test_it_assigns_any_free_number_of_an_area_code_as_primary_when_asked(org, pusher):
    callcenter = CallCenter.objects.filter(office__country="us").first()

    response = pusher.post(assign_url(callcenter), {"area_code": "646", "primary": "on"})

    assert response.status_code == 302
    [post] = writes(org)
    assert (post.path, post.json) == ("/api/v2/numbers/assign", {
        "target_type": "callcenter", "target_id": callcenter.pk, "area_code": "646",
        "primary": True})
    assert callcenter.assigned_numbers.filter(number__startswith="+1646").exists()


@pytest.mark.parametrize("data, field", [
    ({}, "number"),
    ({"number": "+14155550100", "area_code": "415"}, "area_code"),
    ({"number": "call me"}, "number"),
    ({"area_code": "4x5"}, "area_code"),
])
def test_bad_input_is_shown_on_its_field_and_nothing_is_sent(org, pusher, data, field):
    room = Room.objects.filter(office__country="us").first()

    response = pusher.post(assign_url(room), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert writes(org) == [] and journal() == []


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher):
    office = Office.objects.filter(country="us").first()
    before = mirror_snapshot()

    response = pusher.post(assign_url(office), {"area_code": "999"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Dialpad refused: area_code: no number available in area code 999."]
    assert "no number available in area code 999" in response.content.decode()
    assert mirror_snapshot() == before
