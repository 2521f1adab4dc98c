"""department_create and callcenter_create: create a department or a call center in an office.

The services behave the same for both kinds, so each service test runs for each (`kind`);
the form tests differ between the kinds, so they are written per kind.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orgs import forms
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.models import Office
from tests import factories
from tests.orgs.helpers_push import (
    CALL_GROUP_KINDS,
    history_of,
    journal,
    mirror_snapshot,
    set_read_timeout,
    slow_only_the_first_write,
    sync_changes,
    writes,
)

pytestmark = pytest.mark.django_db

# A name and a description for a new group of each kind.
NEW = {"department": ("Billing", "Invoices and refunds"), "callcenter": ("Support", "Escalations")}


@pytest.fixture(params=CALL_GROUP_KINDS, ids=str)
def kind(request):
    return request.param


@pytest.fixture
def name(kind):
    return NEW[kind.key][0]


@pytest.fixture
def office():
    return Office.objects.first()


def test_it_creates_a_call_group(org, pusher, office, kind, name):
    description = NEW[kind.key][1]

    group = kind.create(
        actor=pusher, office=office, name=name, description=description,
        hours_on=True, hours={"monday": ["08:00", "12:00", "13:00", "17:00"], "sunday": []},
        ring_seconds=25)

    sent = kind.sent(org, group)
    assert (sent["name"], sent["ring_seconds"], sent["monday_hours"], sent["hours_on"]) == (
        name, 25, ["08:00", "12:00", "13:00", "17:00"], True)
    assert isinstance(group, kind.model)
    assert (group.name, group.description, group.ring_seconds, group.office) == (
        name, description, 25, office)
    assert history_of(group) == [
        f"Created {kind.label} {name} in office {office} via Dialpad Console"]
    [record] = journal()
    assert (record.operation, record.target_id, record.outcome) == (
        f"{kind.key}_create", str(group.pk), "succeeded")


def test_it_sends_only_the_fields_given(org, pusher, office, kind, name):
    kind.create(actor=pusher, office=office, name=name)

    [post] = writes(org)
    assert (post.path, post.json) == (f"/api/v2/{kind.collection}",
                                      {"name": name, "office_id": office.pk})


def test_it_requires_the_manage_groups_permission(org, office, kind, name):
    with pytest.raises(PermissionDenied):
        kind.create(actor=factories.read_only_admin(), office=office, name=name)

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
def test_it_refuses_bad_input_before_sending(org, pusher, office, kind, name, kwargs, field,
                                             message):
    with pytest.raises(ValidationError) as error:
        kind.create(actor=pusher, office=office, **{"name": name, **kwargs})

    assert message in " ".join(error.value.message_dict[field])
    assert writes(org) == []
    assert journal()[0].outcome == "invalid"


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher, office, kind,
                                                                  name):
    del org.state.offices[office.pk]
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        kind.create(actor=pusher, office=office, name=name)

    assert str(error.value).startswith("Dialpad refused: office_id: office ")
    assert mirror_snapshot() == before


def test_a_server_error_creates_nothing(org, pusher, office, kind, name):
    org.faults.fail_nth = {1}
    before = mirror_snapshot()

    with pytest.raises(PushRefused):
        kind.create(actor=pusher, office=office, name=name)

    assert mirror_snapshot() == before
    assert not kind.model.objects.filter(name=name).exists()


def test_a_timeout_looks_for_the_new_call_group_before_reporting(org, pusher, office, kind,
                                                                 name, settings):
    set_read_timeout(settings, 0.3)
    watcher = slow_only_the_first_write(org, 1.0)
    before = mirror_snapshot()

    with pytest.raises(PushOutcomeUnknown):
        kind.create(actor=pusher, office=office, name=name)
    watcher.join()

    assert org.requests[-1].path == f"/api/v2/offices/{office.pk}/{kind.collection}"
    assert mirror_snapshot() == before


def test_a_sync_after_the_push_records_no_change(org, pusher, office, kind, name):
    kind.create(actor=pusher, office=office, name=name, ring_seconds=20,
                hours={"friday": ["09:00", "15:00"]})

    assert sync_changes() == {}


# --- the forms: a department's -------------------------------------------------------------


def test_the_form_creates_a_department_with_its_hours(org, pusher, office):
    form = forms.DepartmentForm({"name": "Billing", "ring_seconds": "20", "hours_on": "on",
                                 "monday_hours": "08:00-12:00, 13:00-17:00",
                                 "friday_hours": "09:00-15:00"}, office=office)

    assert form.is_valid(), form.errors
    department = form.save(actor=pusher)

    sent = writes(org)[0].json
    assert (sent["monday_hours"], sent["friday_hours"], sent["tuesday_hours"]) == (
        ["08:00", "12:00", "13:00", "17:00"], ["09:00", "15:00"], [])
    assert (department.name, department.ring_seconds, department.office) == (
        "Billing", 20, office)


@pytest.mark.parametrize("data, field", [
    ({"name": ""}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"ring_seconds": "50"}, "ring_seconds"),
    ({"description": "d" * 257}, "description"),
    ({"tuesday_hours": "18:00-08:00"}, "tuesday_hours"),
    ({"wednesday_hours": "9-5"}, "wednesday_hours"),
])
def test_the_department_form_puts_each_bad_value_on_its_field(org, office, data, field):
    form = forms.DepartmentForm({"name": "Billing", **data}, office=office)

    assert not form.is_valid()
    assert list(form.errors) == [field]


# --- ... and a call center's ---------------------------------------------------------------


def test_the_form_creates_a_call_center_open_all_the_time(org, pusher, office):
    form = forms.CallCenterForm({"name": "Support", "description": "Tier 1"}, office=office)

    assert form.is_valid(), form.errors
    callcenter = form.save(actor=pusher)

    assert writes(org)[0].json == {"name": "Support", "group_description": "Tier 1",
                                   "office_id": office.pk}
    assert callcenter.description == "Tier 1"
