"""number_assign: give an office, room, user, call center or department a number."""

import phonenumbers
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orgs import forms, services
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.models import CallCenter, Department, DialpadUser, Office, PhoneNumber, Room
from tests import factories
from tests.orgs.helpers_push import (
    a_free_number,
    history_of,
    journal,
    mirror_snapshot,
    set_read_timeout,
    slow_only_the_first_write,
    sync_changes,
    writes,
)

pytestmark = pytest.mark.django_db


def a_us_user():
    return DialpadUser.objects.filter(state="active", office__country="us").first()


def test_it_assigns_a_number_to_a_user(org, pusher):
    user = a_us_user()
    number = a_free_number(org)

    phone = services.number_assign(actor=pusher, target=user, number=number)

    assert (org.state.numbers[number]["target_type"], org.state.numbers[number]["target_id"]) \
        == ("user", user.pk)
    assert (phone.number, phone.status, phone.assigned_user) == (number, "user", user)
    user.refresh_from_db()
    assert user.payload["phone_numbers"][-1] == number  # not made primary
    assert history_of(phone)[-1].startswith(
        f"Assigned to user {user} as an additional number via Dialpad Console")
    assert history_of(user)[-1] == (
        f"Assigned number {number} as an additional number via Dialpad Console")
    [record] = journal()
    assert (record.operation, record.target_type, record.outcome) == (
        "number_assign", "user", "succeeded")


def test_it_sends_primary_explicitly(org, pusher):
    user = a_us_user()
    number = a_free_number(org)

    services.number_assign(actor=pusher, target=user, number=number)

    [post] = writes(org)
    assert (post.method, post.path) == ("POST", f"/api/v2/numbers/{number}/assign")
    assert post.json == {"target_type": "user", "target_id": user.pk, "primary": False}


def test_it_makes_it_the_primary_number_only_when_asked(org, pusher):
    room = Room.objects.filter(office__country="us").first()
    number = a_free_number(org)

    services.number_assign(actor=pusher, target=room, number=number, primary=True)

    assert writes(org)[0].json["primary"] is True
    room.refresh_from_db()
    assert room.payload["phone_numbers"][0] == number


def test_it_reads_a_national_number_in_the_targets_country(org, pusher):
    office = Office.objects.filter(country="us").first()
    number = a_free_number(org)
    national = phonenumbers.format_number(phonenumbers.parse(number),
                                          phonenumbers.PhoneNumberFormat.NATIONAL)
    assert national.startswith("(415) ")

    phone = services.number_assign(actor=pusher, target=office, number=national)

    assert phone.number == number
    assert writes(org)[0].path == f"/api/v2/numbers/{number}/assign"


def test_it_assigns_any_free_number_in_an_area_code(org, pusher):
    callcenter = CallCenter.objects.filter(office__country="us").first()

    phone = services.number_assign(actor=pusher, target=callcenter, area_code="646")

    [post] = writes(org)
    assert (post.path, post.json) == ("/api/v2/numbers/assign", {
        "target_type": "callcenter", "target_id": callcenter.pk, "area_code": "646",
        "primary": False})
    assert phone.number.startswith("+1646")
    assert (phone.assigned_callcenter, phone.status) == (callcenter, "call_center")


def test_it_moves_a_number_from_another_target(org, pusher):
    department = Department.objects.first()
    phone = PhoneNumber.objects.filter(assigned_user__isnull=False).first()
    owner = phone.assigned_user

    services.number_assign(actor=pusher, target=department, number=phone.number)

    phone.refresh_from_db()
    owner.refresh_from_db()
    assert phone.assigned_department == department and phone.assigned_user is None
    assert phone.number not in owner.payload["phone_numbers"]
    assert sync_changes() == {}


def test_it_requires_the_assign_number_permission(org):
    before = mirror_snapshot()

    with pytest.raises(PermissionDenied):
        services.number_assign(actor=factories.read_only_admin(), target=a_us_user(),
                               number=a_free_number(org))

    assert writes(org) == []
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "denied"


@pytest.mark.parametrize("kwargs, field, message", [
    ({}, "number", "Give a number, or an area code"),
    ({"number": "+14155550100", "area_code": "415"}, "area_code", "not both"),
    ({"number": "12345"}, "number", "not a valid phone number"),
    ({"number": "call me"}, "number", "not a phone number"),
    ({"area_code": "4x5"}, "area_code", "2 to 5 digits"),
])
def test_it_refuses_bad_input_before_sending(org, pusher, kwargs, field, message):
    with pytest.raises(ValidationError) as error:
        services.number_assign(actor=pusher, target=a_us_user(), **kwargs)

    assert message in " ".join(error.value.message_dict[field])
    assert writes(org) == []
    assert journal()[0].outcome == "invalid"


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher):
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.number_assign(actor=pusher, target=a_us_user(), area_code="999")

    assert str(error.value) == "Dialpad refused: area_code: no number available in area code 999."
    assert mirror_snapshot() == before
    [record] = journal()
    assert (record.outcome, record.dialpad_status) == ("refused", 400)
    assert record.message == str(error.value)


def test_it_refuses_a_number_the_company_does_not_have(org, pusher):
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.number_assign(actor=pusher, target=a_us_user(), number="+14155550199")

    assert error.value.status == 404
    assert "not one of the company's numbers" in str(error.value)
    assert mirror_snapshot() == before


def test_a_server_error_leaves_the_mirror_unchanged(org, pusher):
    org.faults.fail_nth = {1}
    before = mirror_snapshot()

    with pytest.raises(PushRefused):
        services.number_assign(actor=pusher, target=a_us_user(), number=a_free_number(org))

    assert mirror_snapshot() == before
    assert journal()[0].dialpad_status == 503


def test_a_timeout_re_reads_the_number_before_reporting(org, pusher, settings):
    number = a_free_number(org)
    set_read_timeout(settings, 0.3)
    watcher = slow_only_the_first_write(org, 1.0)
    before = mirror_snapshot()

    with pytest.raises(PushOutcomeUnknown) as error:
        services.number_assign(actor=pusher, target=a_us_user(), number=number)
    watcher.join()

    assert f"assigning {number} to user" in str(error.value)
    assert org.requests[-1].path == f"/api/v2/numbers/{number}"
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "unknown"


def test_a_sync_after_the_push_records_no_change(org, pusher):
    services.number_assign(actor=pusher, target=a_us_user(), number=a_free_number(org),
                           primary=True)
    services.number_assign(actor=pusher, target=Department.objects.first(), area_code="415")

    assert sync_changes() == {}


# --- the forms -----------------------------------------------------------------------------


def test_the_form_reads_a_national_number_in_the_offices_country(org, pusher):
    office = Office.objects.filter(country="us").first()
    number = a_free_number(org)
    national = phonenumbers.format_number(phonenumbers.parse(number),
                                          phonenumbers.PhoneNumberFormat.NATIONAL)

    form = forms.NumberAssignForm({"number": national}, target=office)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["number"] == number
    assert form.save(actor=pusher).assigned_office == office


@pytest.mark.parametrize("data, field", [
    ({}, "number"),
    ({"number": "+14155550100", "area_code": "415"}, "area_code"),
    ({"number": "555"}, "number"),
    ({"area_code": "41a"}, "area_code"),
])
def test_the_form_puts_each_bad_value_on_its_field(org, data, field):
    form = forms.NumberAssignForm(data, target=a_us_user())

    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_the_assign_to_form_takes_the_target_of_the_chosen_type(org, pusher):
    phone = PhoneNumber.objects.get(number=a_free_number(org))
    room = Room.objects.first()

    form = forms.NumberAssignToForm({"target_type": "room", "room": room.pk, "primary": "on"},
                                    number=phone)

    assert form.is_valid(), form.errors
    assert not form.needs_confirmation  # the number is free
    assert form.preview(actor=pusher).body == {
        "target_type": "room", "target_id": room.pk, "primary": True}
    assert form.save(actor=pusher).assigned_room == room


def test_the_assign_to_form_wants_the_target(org):
    phone = PhoneNumber.objects.get(number=a_free_number(org))

    form = forms.NumberAssignToForm({"target_type": "callcenter"}, number=phone)

    assert not form.is_valid()
    assert form.errors == {"callcenter": ["Choose the call center."]}


def test_the_assign_to_form_asks_to_confirm_taking_a_number_from_a_call_router(org):
    # The console does not mirror call routers: the number has a target type but no target.
    phone = PhoneNumber.objects.get(number=a_free_number(org))
    PhoneNumber.objects.filter(pk=phone.pk).update(
        target_type="callrouter", target_id=5_000_000_123, status="call_router")
    phone.refresh_from_db()
    room = Room.objects.first()

    form = forms.NumberAssignToForm({"target_type": "room", "room": room.pk}, number=phone)

    assert form.is_valid(), form.errors
    assert phone.target is None
    assert form.needs_confirmation
