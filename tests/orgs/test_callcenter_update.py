"""callcenter_update: change a call center's name, description, hours or ring seconds."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orgs import forms, services
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.models import CallCenter
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
def callcenter():
    return CallCenter.objects.first()


def test_it_changes_the_fields_given(org, pusher, callcenter):
    old_name = callcenter.name

    updated = services.callcenter_update(actor=pusher, callcenter=callcenter, name="Accounts",
                                         ring_seconds=40, hours={"saturday": ["10:00", "14:00"]})

    [patch] = writes(org)
    assert (patch.method, patch.path, patch.json) == (
        "PATCH", f"/api/v2/callcenters/{callcenter.pk}",
        {"name": "Accounts", "ring_seconds": 40, "saturday_hours": ["10:00", "14:00"]})
    assert org.state.callcenters[callcenter.pk]["saturday_hours"] == ["10:00", "14:00"]
    assert (updated.name, updated.ring_seconds) == ("Accounts", 40)
    callcenter.refresh_from_db()
    assert callcenter.payload["saturday_hours"] == ["10:00", "14:00"]
    message = history_of(callcenter)[-1]
    assert message.startswith("Changed name, ring_seconds, saturday_hours via Dialpad Console")
    assert f"name: {old_name} → Accounts" in message
    assert journal()[0].outcome == "succeeded"


def test_it_clears_a_description_when_given_an_empty_one(org, pusher, callcenter):
    org.state.callcenters[callcenter.pk]["group_description"] = "Old"

    services.callcenter_update(actor=pusher, callcenter=callcenter, description="")

    assert writes(org)[0].json == {"group_description": ""}
    assert org.state.callcenters[callcenter.pk]["group_description"] == ""


def test_it_turns_hours_of_operation_off(org, pusher, callcenter):
    services.callcenter_update(actor=pusher, callcenter=callcenter, hours_on=False)

    assert writes(org)[0].json == {"hours_on": False}
    assert org.state.callcenters[callcenter.pk]["hours_on"] is False


def test_it_requires_the_manage_groups_permission(org, callcenter):
    with pytest.raises(PermissionDenied):
        services.callcenter_update(actor=factories.read_only_admin(), callcenter=callcenter,
                                   name="Accounts")

    assert writes(org) == []


def test_it_refuses_an_empty_change_before_sending(org, pusher, callcenter):
    with pytest.raises(ValidationError) as error:
        services.callcenter_update(actor=pusher, callcenter=callcenter)

    assert error.value.message_dict == {"__all__": ["Nothing to change: give at least one field."]}
    assert writes(org) == []


def test_it_refuses_bad_ring_seconds_before_sending(org, pusher, callcenter):
    with pytest.raises(ValidationError) as error:
        services.callcenter_update(actor=pusher, callcenter=callcenter, ring_seconds="60")

    assert error.value.message_dict == {
        "ring_seconds": ["Ring seconds must be between 10 and 45."]}
    assert writes(org) == []


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher, callcenter):
    del org.state.callcenters[callcenter.pk]
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.callcenter_update(actor=pusher, callcenter=callcenter, name="Accounts")

    assert str(error.value).startswith(f"Dialpad refused: call center {callcenter.pk} not found")
    assert mirror_snapshot() == before
    assert journal()[0].dialpad_status == 404


def test_a_server_error_leaves_the_mirror_unchanged(org, pusher, callcenter):
    org.faults.fail_nth = {1}
    before = mirror_snapshot()

    with pytest.raises(PushRefused):
        services.callcenter_update(actor=pusher, callcenter=callcenter, name="Accounts")

    assert mirror_snapshot() == before


def test_a_timeout_re_reads_the_call_center_and_finds_it_changed(org, pusher, callcenter,
                                                               settings):
    set_read_timeout(settings, 0.4)
    watcher = slow_only_the_first_write(org, 0.7, until_requests=2)

    updated = services.callcenter_update(actor=pusher, callcenter=callcenter, name="Accounts",
                                         ring_seconds=15)
    watcher.join()

    assert (updated.name, updated.ring_seconds) == ("Accounts", 15)
    assert "re-reading showed that the changes took effect" in journal()[0].message


def test_a_timeout_re_reads_the_call_center_and_says_it_is_unchanged(org, pusher, callcenter,
                                                                   settings):
    set_read_timeout(settings, 0.3)
    watcher = slow_only_the_first_write(org, 1.0)
    before = mirror_snapshot()

    with pytest.raises(PushOutcomeUnknown):
        services.callcenter_update(actor=pusher, callcenter=callcenter, name="Accounts")
    watcher.join()

    assert mirror_snapshot() == before


def test_a_sync_after_the_push_records_no_change(org, pusher, callcenter):
    services.callcenter_update(actor=pusher, callcenter=callcenter, name="Accounts",
                               description="All accounts", hours_on=True,
                               hours={"monday": ["07:00", "19:00"]})

    assert sync_changes() == {}


def test_the_form_renames_the_call_center(org, pusher, callcenter):
    form = forms.CallCenterForm(instance=callcenter)
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data["hours_on"] = "on" if data.get("hours_on") else ""

    form = forms.CallCenterForm({**data, "name": "Escalations"}, instance=callcenter)
    assert form.is_valid(), form.errors

    assert form.save(actor=pusher).name == "Escalations"
    assert writes(org)[0].json == {"name": "Escalations"}
