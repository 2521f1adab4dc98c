"""The "Add operator" control of an office, department or call center page, and its view.

Adding an operator changes nothing already in use, so it has no confirmation step: one POST
pushes. Runs against the simulator's demo org, mirrored by the real sync.
"""

import pytest
from django.urls import reverse

from orgs import forms
from orgs.models import (
    CallCenter,
    Department,
    DialpadUser,
    Office,
    OperatorMembership,
    PushRecord,
    Room,
)
from tests.orgs.helpers_push import history_of, mirror_snapshot, writes

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]


def add_url(group):
    return reverse(f"admin:orgs_{group._meta.model_name}_operator_add", args=[group.pk])


def not_an_operator_of(sim, group_type, group):
    operators = {oid for otype, oid, _ in sim.state.operators(group_type, group.pk)
                 if otype == "user"}
    return DialpadUser.objects.filter(state="active").exclude(pk__in=operators).first()


def test_a_call_center_page_shows_its_operators_and_the_add_operator_form(org, pusher):
    callcenter = CallCenter.objects.filter(operators__isnull=False).first()

    response = pusher.get(reverse("admin:orgs_callcenter_change", args=[callcenter.pk]))

    content = response.content.decode()
    assert 'id="operator-add-form"' in content
    assert f'action="{add_url(callcenter)}"' in content
    membership = callcenter.operators.first()
    assert str(membership.user) in content
    assert membership.get_role_display() in content
    # Autocomplete over users; call centers take no rooms.
    assert 'data-model-name="dialpaduser" data-field-name="user"' in content
    assert 'name="room"' not in content.split('id="operator-add-form"')[1]


def test_a_department_form_offers_users_and_rooms(org, pusher):
    department = Department.objects.first()

    response = pusher.get(reverse("admin:orgs_department_change", args=[department.pk]))

    form = response.content.decode().split('id="operator-add-form"')[1].split("</form>")[0]
    assert 'name="user"' in form and 'name="room"' in form


def test_it_adds_a_user_as_admin_operator_of_a_call_center(org, pusher):
    callcenter = CallCenter.objects.first()
    user = not_an_operator_of(org, "callcenter", callcenter)

    response = pusher.post(add_url(callcenter),
                           {"operator_type": "user", "user": user.pk, "role": "admin"})

    assert response.status_code == 302
    assert response.url == reverse("admin:orgs_callcenter_change", args=[callcenter.pk])
    assert ("user", user.pk, "admin") in org.state.operators("callcenter", callcenter.pk)
    membership = OperatorMembership.objects.get(callcenter=callcenter, user=user)
    assert membership.role == "admin"
    page = pusher.get(response.url)
    assert [str(m) for m in page.context["messages"]] == [
        f"Added user {user} as admin operator to call center {callcenter}"]


def test_the_call_centers_history_shows_the_entry_the_service_wrote(org, pusher):
    callcenter = CallCenter.objects.first()
    user = not_an_operator_of(org, "callcenter", callcenter)

    pusher.post(add_url(callcenter), {"operator_type": "user", "user": user.pk, "role": "admin"})

    entry = f"Added {user} as admin operator via Dialpad Console"
    assert history_of(callcenter)[-1] == entry
    history = pusher.get(reverse("admin:orgs_callcenter_history", args=[callcenter.pk]))
    assert entry in history.content.decode()


def test_it_adds_a_room_as_operator_of_an_office(org, pusher):
    office = Office.objects.first()
    room = Room.objects.exclude(memberships__office=office).filter(gone_at__isnull=True).first()

    response = pusher.post(add_url(office),
                           {"operator_type": "room", "room": room.pk, "role": "operator"})

    assert response.status_code == 302
    [post] = writes(org)
    assert (post.method, post.path) == ("POST", f"/api/v2/offices/{office.pk}/operators")
    assert post.json == {"operator_id": room.pk, "operator_type": "room", "role": "operator"}
    assert OperatorMembership.objects.get(office=office, room=room).gone_at is None


def test_a_missing_member_is_a_field_error_and_nothing_is_sent(org, pusher):
    department = Department.objects.first()

    response = pusher.post(add_url(department), {"operator_type": "room", "role": "operator"})

    assert response.status_code == 200
    assert response.context["form"].errors["room"] == ["Choose the room to add."]
    assert writes(org) == []


def test_a_room_is_not_accepted_for_a_call_center(org, pusher):
    callcenter = CallCenter.objects.first()
    room = Room.objects.first()

    response = pusher.post(add_url(callcenter),
                           {"operator_type": "room", "room": room.pk, "role": "operator"})

    assert response.status_code == 200
    assert "operator_type" in response.context["form"].errors
    assert writes(org) == []


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher):
    callcenter = CallCenter.objects.first()
    user_id = next(oid for otype, oid, _ in org.state.operators("callcenter", callcenter.pk)
                   if otype == "user")
    before = mirror_snapshot()

    response = pusher.post(add_url(callcenter),
                           {"operator_type": "user", "user": user_id, "role": "admin"})

    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("Dialpad refused: ") and "already an operator" in error
    assert error in response.content.decode()
    assert mirror_snapshot() == before


def test_the_form_page_opens_on_its_own(org, pusher):
    department = Department.objects.first()

    response = pusher.get(add_url(department))

    assert response.status_code == 200
    assert response.context["title"] == "Add operator"
    assert writes(org) == []


def test_the_user_picker_offers_only_users_still_in_dialpad(org, pusher):
    present, gone = DialpadUser.objects.filter(state="active")[:2]
    DialpadUser.objects.filter(pk=gone.pk).update(gone_at=gone.last_seen_at)
    url = reverse("admin:orgs_dialpaduser_picker")
    query = {"app_label": "orgs", "model_name": "dialpaduser", "field_name": "user"}

    found = {r["id"] for r in pusher.get(url, {**query, "term": present.display_name}).json()[
        "results"]}
    missing = pusher.get(url, {**query, "term": gone.display_name}).json()["results"]

    assert str(present.pk) in found
    assert str(gone.pk) not in {r["id"] for r in missing}


def test_the_message_is_this_pushs_even_if_the_same_admin_pushed_again_meanwhile(
        org, pusher, monkeypatch):
    callcenter = CallCenter.objects.first()
    user = not_an_operator_of(org, "callcenter", callcenter)
    real = forms.OperatorAddForm.service

    def and_another_push_in_another_tab(**kwargs):
        membership = real(**kwargs)
        PushRecord.objects.create(actor=kwargs["actor"], actor_username="pusher",
                                  operation="room_rename", outcome="succeeded",
                                  message="Renamed room A to B")
        return membership

    monkeypatch.setattr(forms.OperatorAddForm, "service",
                        staticmethod(and_another_push_in_another_tab))

    response = pusher.post(add_url(callcenter),
                           {"operator_type": "user", "user": user.pk, "role": "admin"})

    assert [str(m) for m in pusher.get(response.url).context["messages"]] == [
        f"Added user {user} as admin operator to call center {callcenter}"]
