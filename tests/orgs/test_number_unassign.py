"""number_unassign: take a number off its target (back to the pool, or released for good)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orgs import forms, services
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.models import PhoneNumber
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


@pytest.fixture
def phone():
    return PhoneNumber.objects.filter(assigned_user__isnull=False).first()


def test_it_returns_the_number_to_the_reserved_pool(org, pusher, phone):
    user = phone.assigned_user

    result = services.number_unassign(actor=pusher, number=phone)

    assert org.state.numbers[phone.number]["status"] == "available"
    assert result.pk == phone.pk and result.released is False
    assert (result.status, result.target_type, result.assigned_user, result.gone_at) == (
        "available", "", None, None)
    user.refresh_from_db()
    assert phone.number not in user.payload["phone_numbers"]
    assert history_of(phone)[-1] == (
        f"Unassigned from user {user}; returned to the company's reserved pool "
        "via Dialpad Console")
    assert history_of(user)[-1] == f"Unassigned number {phone.number} via Dialpad Console"
    assert journal()[0].outcome == "succeeded"


def test_it_sends_release_explicitly(org, pusher, phone):
    services.number_unassign(actor=pusher, number=phone)

    [delete] = writes(org)
    assert (delete.method, delete.path, delete.query) == (
        "DELETE", f"/api/v2/numbers/{phone.number}", {"release": "false"})


def test_it_releases_the_number_for_good_when_asked_and_keeps_the_row(org, pusher, phone):
    result = services.number_unassign(actor=pusher, number=phone, release=True)

    assert writes(org)[0].query == {"release": "true"}
    assert phone.number not in org.state.numbers
    assert result.released is True
    phone.refresh_from_db()
    assert phone.gone_at is not None and phone.assigned_user is None
    assert "released from the company" in history_of(phone)[-1]


def test_the_preview_says_plainly_that_the_number_may_be_lost(org, pusher, phone):
    planned = services.number_unassign(actor=pusher, number=phone, preview=True)
    released = services.number_unassign(actor=pusher, number=phone, release=True, preview=True)

    assert planned.url == f"/api/v2/numbers/{phone.number}?release=false"
    assert "If it has none, Dialpad releases the number" in planned.note
    assert "for good" in planned.note
    assert "will be released" in released.note
    assert writes(org) == [] and journal() == []


def test_it_takes_a_number_as_text(org, pusher, phone):
    result = services.number_unassign(actor=pusher, number=phone.number)

    assert result.pk == phone.pk


def test_it_requires_the_assign_number_permission(org, phone):
    before = mirror_snapshot()

    with pytest.raises(PermissionDenied):
        services.number_unassign(actor=factories.read_only_admin(), number=phone)

    assert writes(org) == []
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "denied"


@pytest.mark.parametrize("number, message", [
    ("not a number", "not a phone number"),
    ("+14155550199", "not one of the company's numbers"),
])
def test_it_refuses_an_unknown_number_before_sending(org, pusher, number, message):
    with pytest.raises(ValidationError) as error:
        services.number_unassign(actor=pusher, number=number)

    assert message in error.value.message_dict["number"][0]
    assert writes(org) == []
    assert journal()[0].outcome == "invalid"


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher, phone):
    del org.state.numbers[phone.number]  # released in Dialpad directly
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.number_unassign(actor=pusher, number=phone)

    assert str(error.value).startswith(
        f"Dialpad refused: number: {phone.number} is not one of the company's numbers")
    assert error.value.status == 404
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "refused"


def test_a_server_error_leaves_the_mirror_unchanged(org, pusher, phone):
    org.faults.fail_nth = {1}
    before = mirror_snapshot()

    with pytest.raises(PushRefused):
        services.number_unassign(actor=pusher, number=phone)

    assert org.state.numbers[phone.number]["status"] == "user"
    assert mirror_snapshot() == before


def test_a_timeout_re_reads_the_number_and_finds_it_unassigned(org, pusher, phone, settings):
    set_read_timeout(settings, 0.4)
    watcher = slow_only_the_first_write(org, 0.7, until_requests=2)

    result = services.number_unassign(actor=pusher, number=phone)
    watcher.join()

    assert result.status == "available"
    record = journal()[0]
    assert record.outcome == "succeeded"
    assert "re-reading showed that unassigning" in record.message


def test_a_timeout_re_reads_the_number_and_says_it_is_still_assigned(org, pusher, phone,
                                                                     settings):
    set_read_timeout(settings, 0.3)
    watcher = slow_only_the_first_write(org, 1.0)
    before = mirror_snapshot()

    with pytest.raises(PushOutcomeUnknown):
        services.number_unassign(actor=pusher, number=phone)
    watcher.join()

    assert mirror_snapshot() == before
    assert journal()[0].outcome == "unknown"


def test_a_sync_after_the_push_records_no_change(org, pusher):
    first, second = PhoneNumber.objects.filter(assigned_user__isnull=False)[:2]

    services.number_unassign(actor=pusher, number=first)
    services.number_unassign(actor=pusher, number=second, release=True)

    assert sync_changes() == {}


def test_the_form_says_what_unassigning_may_cost(org, pusher, phone):
    keep = forms.NumberUnassignForm({}, number=phone)
    release = forms.NumberUnassignForm({"release": "on"}, number=phone)

    assert keep.is_valid() and release.is_valid()
    assert keep.needs_confirmation
    assert "reserved pool" in keep.consequence and "for good" in keep.consequence
    assert release.consequence.startswith(f"{phone.number} will be released")
    assert release.save(actor=pusher).released is True


def test_it_refuses_a_number_that_is_not_assigned_before_sending(org, pusher):
    free = PhoneNumber.objects.filter(status="available").first()

    with pytest.raises(ValidationError) as error:
        services.number_unassign(actor=pusher, number=free)

    assert "is not assigned to anything" in error.value.message_dict["number"][0]
    assert writes(org) == []


def test_it_releases_a_free_number_when_asked(org, pusher):
    free = PhoneNumber.objects.filter(status="available").first()

    result = services.number_unassign(actor=pusher, number=free, release=True)

    assert result.released and free.number not in org.state.numbers
