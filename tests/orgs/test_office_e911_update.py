"""office_e911_update: set an office's E911 address (optionally for all its users too)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orgs import forms, services
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.models import DialpadUser, E911Address, Office
from tests import factories
from tests.orgs.helpers_push import (
    history_of,
    journal,
    mirror_snapshot,
    set_read_timeout,
    slow_only_the_first_write,
    sync_changes,
    writes,
)

pytestmark = pytest.mark.django_db

ADDRESS = {"address": "500 Howard St", "address2": "Floor 3", "city": "San Francisco",
           "state": "CA", "zip": "94105", "country": "US"}


@pytest.fixture
def office():
    return Office.objects.first()


def test_it_changes_the_office_address(org, pusher, office):
    row = services.office_e911_update(actor=pusher, office=office, address=ADDRESS)

    expected = {**ADDRESS, "country": "us"}
    assert org.state.offices[office.pk]["e911_address"] == expected
    assert (row.office, row.address, row.address2, row.city, row.country) == (
        office, "500 Howard St", "Floor 3", "San Francisco", "us")
    assert E911Address.objects.get(office=office) == row
    office.refresh_from_db()
    assert office.payload["e911_address"] == expected
    assert history_of(office)[-1].startswith(
        "Changed E911 address to 500 Howard St, Floor 3, San Francisco, CA, 94105, US "
        "via Dialpad Console (address: ")
    assert journal()[0].outcome == "succeeded"


def test_it_sends_both_options_explicitly(org, pusher, office):
    services.office_e911_update(actor=pusher, office=office, address=ADDRESS)

    [put] = writes(org)
    assert (put.method, put.path) == ("PUT", f"/api/v2/offices/{office.pk}/e911")
    assert put.json == {**ADDRESS, "country": "us", "update_all": False,
                        "use_validated_option": False}


def test_it_applies_the_address_to_every_user_of_the_office_when_asked(org, pusher, office):
    users = list(DialpadUser.objects.filter(office=office))

    services.office_e911_update(actor=pusher, office=office, address=ADDRESS,
                                apply_to_users=True, use_validated_option=True)

    [put] = writes(org)
    assert put.json["update_all"] is True and put.json["use_validated_option"] is True
    assert all(org.state.user_e911[u.pk]["city"] == "San Francisco" for u in users)
    stored = E911Address.objects.filter(user__in=users)
    assert stored.count() == len(users)
    assert {a.address for a in stored} == {"500 Howard St"}
    assert "applied from office" in history_of(users[0])[-1]


def test_the_preview_says_it_will_replace_every_users_address(org, pusher, office):
    planned = services.office_e911_update(actor=pusher, office=office, address=ADDRESS,
                                          apply_to_users=True, preview=True)

    assert planned.body["update_all"] is True
    assert "every user of" in planned.note
    assert writes(org) == [] and journal() == []


def test_it_requires_the_change_e911_permission(org, office):
    before = mirror_snapshot()

    with pytest.raises(PermissionDenied):
        services.office_e911_update(actor=factories.read_only_admin(), office=office,
                                    address=ADDRESS)

    assert writes(org) == []
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "denied"


@pytest.mark.parametrize("field, value, message", [
    ("city", "", "City is required."),
    ("address", "500 Howard St\nFloor 3", "single line"),
    ("zip", "94105\r\n", "single line"),
    ("country", "USA", "two-letter code"),
    ("country", "XX", "not a country code"),
])
def test_it_refuses_a_bad_field_before_sending(org, pusher, office, field, value, message):
    with pytest.raises(ValidationError) as error:
        services.office_e911_update(actor=pusher, office=office,
                                    address={**ADDRESS, field: value})

    assert message in " ".join(error.value.message_dict[field])
    assert writes(org) == []
    assert journal()[0].outcome == "invalid"


def test_it_refuses_an_office_deleted_in_dialpad_and_leaves_the_mirror_unchanged(
        org, pusher, office):
    del org.state.offices[office.pk]
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.office_e911_update(actor=pusher, office=office, address=ADDRESS)

    assert str(error.value).startswith("Dialpad refused: ")
    assert error.value.status == 404
    assert mirror_snapshot() == before
    assert journal()[0].dialpad_status == 404


def test_a_server_error_leaves_the_mirror_unchanged(org, pusher, office):
    org.faults.fail_nth = {1}
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.office_e911_update(actor=pusher, office=office, address=ADDRESS)

    assert error.value.status == 503
    assert org.state.offices[office.pk]["e911_address"]["address"] != "500 Howard St"
    assert mirror_snapshot() == before


def test_a_timeout_re_reads_the_address_and_says_what_it_found(org, pusher, office, settings):
    set_read_timeout(settings, 0.3)
    watcher = slow_only_the_first_write(org, 1.0)
    before = mirror_snapshot()

    with pytest.raises(PushOutcomeUnknown) as error:
        services.office_e911_update(actor=pusher, office=office, address=ADDRESS)
    watcher.join()

    assert "Re-reading" in str(error.value)
    assert "the new address has not taken effect (yet)" in str(error.value)
    assert org.requests[-1].path == f"/api/v2/offices/{office.pk}/e911"
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "unknown"


def test_a_sync_after_the_push_records_no_change(org, pusher, office):
    services.office_e911_update(actor=pusher, office=office, address=ADDRESS,
                                apply_to_users=True)

    assert sync_changes() == {}


# --- the form ------------------------------------------------------------------------------


def form_data(**changes):
    return {**ADDRESS, **changes}


def test_the_form_starts_from_the_stored_address(org, office):
    stored = E911Address.objects.get(office=office)

    form = forms.OfficeE911Form(office=office)

    assert form.initial["city"] == stored.city
    assert form.initial["country"] == stored.country.upper()


def test_the_form_puts_a_line_break_on_its_field(org, office):
    form = forms.OfficeE911Form(form_data(address="500 Howard St\nFloor 3"), office=office)

    assert not form.is_valid()
    assert form.errors == {"address": ["Address line 1 must be on a single line."]}


def test_the_form_needs_every_required_field(org, office):
    form = forms.OfficeE911Form(form_data(city="", zip=""), office=office)

    assert not form.is_valid()
    assert set(form.errors) == {"city", "zip"}


def test_the_form_asks_for_confirmation_only_when_applying_to_all_users(org, office):
    alone = forms.OfficeE911Form(form_data(), office=office)
    everyone = forms.OfficeE911Form(form_data(apply_to_users="on"), office=office)

    assert alone.is_valid() and everyone.is_valid()
    assert (alone.needs_confirmation, everyone.needs_confirmation) == (False, True)


def test_the_form_pushes_the_address(org, pusher, office):
    form = forms.OfficeE911Form(form_data(country="us"), office=office)
    assert form.is_valid(), form.errors

    row = form.save(actor=pusher)

    assert (row.address, row.country) == ("500 Howard St", "us")
