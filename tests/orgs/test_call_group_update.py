"""department_update and callcenter_update: change a department's or a call center's name,
description, hours or ring seconds.

The services behave the same for both kinds, so each service test runs for each (`kind`);
the form tests differ between the kinds, so they are written per kind.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orgs import forms
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.models import CallCenter, Department
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


@pytest.fixture(params=CALL_GROUP_KINDS, ids=str)
def kind(request):
    return request.param


@pytest.fixture
def group(kind):
    return kind.model.objects.first()


def test_it_changes_the_fields_given(org, pusher, kind, group):
    old_name = group.name

    updated = kind.update(group, actor=pusher, name="Accounts", ring_seconds=40,
                          hours={"saturday": ["10:00", "14:00"]})

    [patch] = writes(org)
    assert (patch.method, patch.path, patch.json) == (
        "PATCH", f"/api/v2/{kind.collection}/{group.pk}",
        {"name": "Accounts", "ring_seconds": 40, "saturday_hours": ["10:00", "14:00"]})
    assert kind.sent(org, group)["saturday_hours"] == ["10:00", "14:00"]
    assert (updated.name, updated.ring_seconds) == ("Accounts", 40)
    group.refresh_from_db()
    assert group.payload["saturday_hours"] == ["10:00", "14:00"]
    message = history_of(group)[-1]
    assert message.startswith("Changed name, ring seconds and hours of Saturday via Dialpad "
                              "Console (name: ")
    assert "; ring seconds: " in message
    assert f"name: {old_name} → Accounts" in message
    assert journal()[0].outcome == "succeeded"


def test_it_clears_a_description_when_given_an_empty_one(org, pusher, kind, group):
    kind.sent(org, group)["group_description"] = "Old"

    kind.update(group, actor=pusher, description="")

    assert writes(org)[0].json == {"group_description": ""}
    assert kind.sent(org, group)["group_description"] == ""


def test_it_turns_hours_of_operation_off(org, pusher, kind, group):
    kind.update(group, actor=pusher, hours_on=False)

    assert writes(org)[0].json == {"hours_on": False}
    assert kind.sent(org, group)["hours_on"] is False


def test_it_requires_the_manage_groups_permission(org, kind, group):
    with pytest.raises(PermissionDenied):
        kind.update(group, actor=factories.read_only_admin(), name="Accounts")

    assert writes(org) == []


def test_it_refuses_an_empty_change_before_sending(org, pusher, kind, group):
    with pytest.raises(ValidationError) as error:
        kind.update(group, actor=pusher)

    assert error.value.message_dict == {"__all__": ["Nothing to change: give at least one field."]}
    assert writes(org) == []


def test_it_refuses_bad_ring_seconds_before_sending(org, pusher, kind, group):
    with pytest.raises(ValidationError) as error:
        kind.update(group, actor=pusher, ring_seconds="60")

    assert error.value.message_dict == {
        "ring_seconds": ["Ring seconds must be between 10 and 45."]}
    assert writes(org) == []


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher, kind, group):
    del getattr(org.state, kind.collection)[group.pk]
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        kind.update(group, actor=pusher, name="Accounts")

    assert str(error.value).startswith(f"Dialpad refused: {kind.label} {group.pk} not found")
    assert mirror_snapshot() == before
    assert journal()[0].dialpad_status == 404


def test_a_server_error_leaves_the_mirror_unchanged(org, pusher, kind, group):
    org.faults.fail_nth = {1}
    before = mirror_snapshot()

    with pytest.raises(PushRefused):
        kind.update(group, actor=pusher, name="Accounts")

    assert mirror_snapshot() == before


def test_a_timeout_re_reads_the_call_group_and_finds_it_changed(org, pusher, kind, group,
                                                                settings):
    set_read_timeout(settings, 0.4)
    watcher = slow_only_the_first_write(org, 0.7, until_requests=2)

    updated = kind.update(group, actor=pusher, name="Accounts", ring_seconds=15)
    watcher.join()

    assert (updated.name, updated.ring_seconds) == ("Accounts", 15)
    assert "re-reading showed that the changes took effect" in journal()[0].message


def test_a_timeout_re_reads_the_call_group_and_says_it_is_unchanged(org, pusher, kind, group,
                                                                    settings):
    set_read_timeout(settings, 0.3)
    watcher = slow_only_the_first_write(org, 1.0)
    before = mirror_snapshot()

    with pytest.raises(PushOutcomeUnknown):
        kind.update(group, actor=pusher, name="Accounts")
    watcher.join()

    assert mirror_snapshot() == before


def test_a_sync_after_the_push_records_no_change(org, pusher, kind, group):
    kind.update(group, actor=pusher, name="Accounts", description="All accounts", hours_on=True,
                hours={"monday": ["07:00", "19:00"]})

    assert sync_changes() == {}


# --- the forms: a department's -------------------------------------------------------------


@pytest.fixture
def department():
    return Department.objects.first()


def unchanged_form_data(form):
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name)
        if value in (None, False):
            continue
        data[name] = "on" if value is True else value
    return data


def test_the_form_sends_only_what_the_admin_changed(org, pusher, department):
    form = forms.DepartmentForm(instance=department)
    data = {**unchanged_form_data(form), "ring_seconds": "35", "thursday_hours": "10:00-16:00"}

    form = forms.DepartmentForm(data, instance=department)
    assert form.is_valid(), form.errors
    form.save(actor=pusher)

    assert writes(org)[0].json == {"ring_seconds": 35, "thursday_hours": ["10:00", "16:00"]}


def test_the_form_with_nothing_changed_says_so(org, pusher, department):
    form = forms.DepartmentForm(instance=department)
    form = forms.DepartmentForm(unchanged_form_data(form), instance=department)
    assert form.is_valid(), form.errors

    assert form.save(actor=pusher) is None

    assert form.non_field_errors() == ["Nothing to change: give at least one field."]
    assert writes(org) == []


# --- ... and a call center's ---------------------------------------------------------------


@pytest.fixture
def callcenter():
    return CallCenter.objects.first()


def test_the_form_renames_the_call_center(org, pusher, callcenter):
    form = forms.CallCenterForm(instance=callcenter)
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data["hours_on"] = "on" if data.get("hours_on") else ""

    form = forms.CallCenterForm({**data, "name": "Escalations"}, instance=callcenter)
    assert form.is_valid(), form.errors

    assert form.save(actor=pusher).name == "Escalations"
    assert writes(org)[0].json == {"name": "Escalations"}
