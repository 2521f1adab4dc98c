"""A number in use is never taken silently (issue 11): assigning, from a user's, room's,
office's, department's or call center's page, a number that something else holds goes
through the confirmation page naming its holder; the holder's History records the loss. The
number field is a picker of the company's free numbers that also takes a typed number."""

import pytest
from django.urls import reverse

from orgs.admin import once
from orgs.models import CallCenter, Department, DialpadUser, Office, PhoneNumber, Room
from tests.orgs.helpers_push import a_free_number, a_users_only_number, history_of, journal
from tests.orgs.helpers_push import mirror_snapshot, writes
from tests.orgs.test_push_views_double_submit import assert_refused_as_a_resubmit, token_of

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]


def assign_url(target):
    return reverse(f"admin:orgs_{target._meta.model_name}_number_assign", args=[target.pk])


def another(model, but):
    return model.objects.filter(gone_at__isnull=True, office__country="us").exclude(
        pk=but.pk).first() if model is not Office else model.objects.filter(
        country="us").exclude(pk=but.pk).first()


TARGETS = [DialpadUser, Room, Office, Department, CallCenter]


@pytest.mark.parametrize("model", TARGETS, ids=lambda m: m.__name__)
def test_taking_a_number_in_use_asks_first_and_names_its_holder(org, pusher, model):
    phone = a_users_only_number()
    holder = phone.assigned_user
    target = another(model, holder)

    response = pusher.post(assign_url(target), {"number": phone.number})

    assert response.status_code == 200
    assert response.templates[0].name == "admin/orgs/push/confirm.html"
    planned = response.context["planned"]
    assert (planned.method, planned.path) == ("POST", f"/api/v2/numbers/{phone.number}/assign")
    content = response.content.decode()
    assert f"{phone.number} is assigned to user {holder} now" in content
    assert f"It is {holder}&#x27;s only number." in content
    assert writes(org) == [] and journal() == []


@pytest.mark.parametrize("model", TARGETS, ids=lambda m: m.__name__)
def test_the_confirmed_move_is_recorded_in_the_holders_history(org, pusher, model):
    phone = a_users_only_number()
    holder = phone.assigned_user
    target = another(model, holder)

    response = pusher.post(assign_url(target), {"number": phone.number, "_confirmed": "1"})

    assert response.status_code == 302
    phone.refresh_from_db()
    assert phone.target == target
    assert history_of(holder)[-1] == (
        f"Lost number {phone.number}: assigned to {target._meta.verbose_name.lower()} "
        f"{target} via Dialpad Console".replace("dialpad user", "user"))
    assert history_of(target)[-1].startswith(f"Assigned number {phone.number}")


def test_a_number_of_the_same_target_needs_no_confirmation(org, pusher):
    phone = a_users_only_number()

    response = pusher.post(assign_url(phone.assigned_user), {"number": phone.number,
                                                             "primary": "on"})

    assert response.status_code == 302
    assert len(writes(org)) == 1


def test_a_free_number_is_assigned_at_once(org, pusher):
    user = DialpadUser.objects.filter(state="active", office__country="us").first()
    number = a_free_number(org)

    response = pusher.post(assign_url(user), {"number": number})

    assert response.status_code == 302
    assert PhoneNumber.objects.get(number=number).assigned_user == user


def test_a_number_held_by_a_call_router_names_it(org, pusher):
    number = a_free_number(org)
    PhoneNumber.objects.filter(number=number).update(target_type="callrouter",
                                                     target_id=5_000_000_123,
                                                     status="call_router")
    room = Room.objects.filter(office__country="us").first()

    response = pusher.post(assign_url(room), {"number": number})

    assert response.status_code == 200
    assert f"{number} is assigned to call router 5000000123 now" in response.content.decode()


def test_the_form_offers_a_picker_of_free_numbers_that_takes_a_typed_one(org, pusher):
    room = Room.objects.filter(office__country="us").first()

    content = pusher.get(assign_url(room)).content.decode()

    assert 'data-field-name="free_number"' in content
    assert f'data-ajax--url="{reverse("admin:orgs_phonenumber_picker")}"' in content
    assert 'data-tags="true"' in content
    assert 'name="area_code"' in content


def test_the_confirmation_keeps_the_typed_number_and_the_forms_token(org, pusher):
    phone = a_users_only_number()
    room = Room.objects.filter(office__country="us").first()
    token = token_of(pusher.get(assign_url(room)))

    confirmation = pusher.post(assign_url(room), {"number": phone.number, once.TOKEN: token})
    data = {"number": phone.number, "_confirmed": "1", once.TOKEN: token_of(confirmation)}
    first, second = pusher.post(assign_url(room), data), pusher.post(assign_url(room), data)

    assert token_of(confirmation) == token
    assert f'type="hidden" name="number" value="{phone.number}"' in (
        confirmation.content.decode())
    assert first.status_code == 302 and len(writes(org)) == 1
    [push] = journal()
    assert_refused_as_a_resubmit(second, push)


def test_a_refusal_is_shown_and_the_holder_keeps_the_number(org, pusher):
    phone = a_users_only_number()
    holder = phone.assigned_user
    room = Room.objects.filter(office__country="us").first()
    org.state.rooms.pop(room.pk)  # gone in Dialpad meanwhile
    before = mirror_snapshot()

    response = pusher.post(assign_url(room), {"number": phone.number, "_confirmed": "1"})

    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("Dialpad refused:")
    assert mirror_snapshot() == before
    assert org.state.numbers[phone.number]["target_id"] == holder.pk


def test_a_number_that_is_not_one_is_refused_on_its_field(org, pusher):
    room = Room.objects.filter(office__country="us").first()

    response = pusher.post(assign_url(room), {"number": "call me", "_confirmed": "1"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["number"]
    assert writes(org) == [] and journal() == []
