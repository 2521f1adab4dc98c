"""callcenter_create: create a call center in an office."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orgs import forms, services
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.models import CallCenter, Office
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
def office():
    return Office.objects.first()


def test_it_creates_a_call_center(org, pusher, office):
    callcenter = services.callcenter_create(
        actor=pusher, office=office, name="Support", description="Escalations",
        hours_on=True, hours={"monday": ["08:00", "12:00", "13:00", "17:00"], "sunday": []},
        ring_seconds=25)

    sent = org.state.callcenters[callcenter.pk]
    assert (sent["name"], sent["ring_seconds"], sent["monday_hours"], sent["hours_on"]) == (
        "Support", 25, ["08:00", "12:00", "13:00", "17:00"], True)
    assert (callcenter.name, callcenter.description, callcenter.ring_seconds,
            callcenter.office) == ("Support", "Escalations", 25, office)
    assert history_of(callcenter) == [
        f"Created call center Support in office {office} via Dialpad Console"]
    [record] = journal()
    assert (record.operation, record.target_id, record.outcome) == (
        "callcenter_create", str(callcenter.pk), "succeeded")


def test_it_sends_only_the_fields_given(org, pusher, office):
    services.callcenter_create(actor=pusher, office=office, name="Support")

    [post] = writes(org)
    assert (post.path, post.json) == ("/api/v2/callcenters",
                                      {"name": "Support", "office_id": office.pk})


def test_it_requires_the_manage_groups_permission(org, office):
    with pytest.raises(PermissionDenied):
        services.callcenter_create(actor=factories.read_only_admin(), office=office,
                                   name="Support")

    assert writes(org) == []
    assert journal()[0].outcome == "denied"


@pytest.mark.parametrize("kwargs, field, message", [
    ({"name": ""}, "name", "The name is required."),
    ({"name": "x" * 101}, "name", "at most 100 characters"),
    ({"name": "Two\nlines"}, "name", "single line"),
    ({"description": "d" * 257}, "description", "at most 256 characters"),
    ({"ring_seconds": 9}, "ring_seconds", "between 10 and 45"),
    ({"ring_seconds": 46}, "ring_seconds", "between 10 and 45"),
    ({"hours": {"monday": ["08:00"]}}, "hours", "in pairs"),
    ({"hours": {"monday": ["18:00", "08:00"]}}, "hours", "must come after"),
    ({"hours": {"monday": ["8am", "6pm"]}}, "hours", "not a time"),
    ({"hours": {"someday": []}}, "hours", "Unknown day"),
])
def test_it_refuses_bad_input_before_sending(org, pusher, office, kwargs, field, message):
    with pytest.raises(ValidationError) as error:
        services.callcenter_create(actor=pusher, office=office, **{"name": "Support", **kwargs})

    assert message in " ".join(error.value.message_dict[field])
    assert writes(org) == []
    assert journal()[0].outcome == "invalid"


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher, office):
    del org.state.offices[office.pk]
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.callcenter_create(actor=pusher, office=office, name="Support")

    assert str(error.value).startswith("Dialpad refused: office_id: office ")
    assert mirror_snapshot() == before


def test_a_server_error_creates_nothing(org, pusher, office):
    org.faults.fail_nth = {1}
    before = mirror_snapshot()

    with pytest.raises(PushRefused):
        services.callcenter_create(actor=pusher, office=office, name="Support")

    assert mirror_snapshot() == before
    assert not CallCenter.objects.filter(name="Support").exists()


def test_a_timeout_looks_for_the_new_call_center_before_reporting(org, pusher, office, settings):
    set_read_timeout(settings, 0.3)
    watcher = slow_only_the_first_write(org, 1.0)
    before = mirror_snapshot()

    with pytest.raises(PushOutcomeUnknown):
        services.callcenter_create(actor=pusher, office=office, name="Support")
    watcher.join()

    assert org.requests[-1].path == f"/api/v2/offices/{office.pk}/callcenters"
    assert mirror_snapshot() == before


def test_a_sync_after_the_push_records_no_change(org, pusher, office):
    services.callcenter_create(actor=pusher, office=office, name="Support", ring_seconds=20,
                               hours={"friday": ["09:00", "15:00"]})

    assert sync_changes() == {}


def test_the_form_creates_a_call_center_open_all_the_time(org, pusher, office):
    form = forms.CallCenterForm({"name": "Support", "description": "Tier 1"}, office=office)

    assert form.is_valid(), form.errors
    callcenter = form.save(actor=pusher)

    assert writes(org)[0].json == {"name": "Support", "group_description": "Tier 1",
                                   "office_id": office.pk}
    assert callcenter.description == "Tier 1"
