"""department_update: change a department's name, description, hours or ring seconds."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orgs import forms, services
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.models import Department
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
def department():
    return Department.objects.first()


def test_it_changes_the_fields_given(org, pusher, department):
    old_name = department.name

    updated = services.department_update(actor=pusher, department=department, name="Accounts",
                                         ring_seconds=40, hours={"saturday": ["10:00", "14:00"]})

    [patch] = writes(org)
    assert (patch.method, patch.path, patch.json) == (
        "PATCH", f"/api/v2/departments/{department.pk}",
        {"name": "Accounts", "ring_seconds": 40, "saturday_hours": ["10:00", "14:00"]})
    assert org.state.departments[department.pk]["saturday_hours"] == ["10:00", "14:00"]
    assert (updated.name, updated.ring_seconds) == ("Accounts", 40)
    department.refresh_from_db()
    assert department.payload["saturday_hours"] == ["10:00", "14:00"]
    message = history_of(department)[-1]
    assert message.startswith("Changed name, ring_seconds, saturday_hours via Dialpad Console")
    assert f"name: {old_name} → Accounts" in message
    assert journal()[0].outcome == "succeeded"


def test_it_clears_a_description_when_given_an_empty_one(org, pusher, department):
    org.state.departments[department.pk]["group_description"] = "Old"

    services.department_update(actor=pusher, department=department, description="")

    assert writes(org)[0].json == {"group_description": ""}
    assert org.state.departments[department.pk]["group_description"] == ""


def test_it_turns_hours_of_operation_off(org, pusher, department):
    services.department_update(actor=pusher, department=department, hours_on=False)

    assert writes(org)[0].json == {"hours_on": False}
    assert org.state.departments[department.pk]["hours_on"] is False


def test_it_requires_the_manage_groups_permission(org, department):
    with pytest.raises(PermissionDenied):
        services.department_update(actor=factories.read_only_admin(), department=department,
                                   name="Accounts")

    assert writes(org) == []


def test_it_refuses_an_empty_change_before_sending(org, pusher, department):
    with pytest.raises(ValidationError) as error:
        services.department_update(actor=pusher, department=department)

    assert error.value.message_dict == {"__all__": ["Nothing to change: give at least one field."]}
    assert writes(org) == []


def test_it_refuses_bad_ring_seconds_before_sending(org, pusher, department):
    with pytest.raises(ValidationError) as error:
        services.department_update(actor=pusher, department=department, ring_seconds="60")

    assert error.value.message_dict == {
        "ring_seconds": ["Ring seconds must be between 10 and 45."]}
    assert writes(org) == []


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher, department):
    del org.state.departments[department.pk]
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.department_update(actor=pusher, department=department, name="Accounts")

    assert str(error.value).startswith(f"Dialpad refused: department {department.pk} not found")
    assert mirror_snapshot() == before
    assert journal()[0].dialpad_status == 404


def test_a_server_error_leaves_the_mirror_unchanged(org, pusher, department):
    org.faults.fail_nth = {1}
    before = mirror_snapshot()

    with pytest.raises(PushRefused):
        services.department_update(actor=pusher, department=department, name="Accounts")

    assert mirror_snapshot() == before


def test_a_timeout_re_reads_the_department_and_finds_it_changed(org, pusher, department,
                                                               settings):
    set_read_timeout(settings, 0.4)
    watcher = slow_only_the_first_write(org, 0.7, until_requests=2)

    updated = services.department_update(actor=pusher, department=department, name="Accounts",
                                         ring_seconds=15)
    watcher.join()

    assert (updated.name, updated.ring_seconds) == ("Accounts", 15)
    assert "re-reading showed that the changes took effect" in journal()[0].message


def test_a_timeout_re_reads_the_department_and_says_it_is_unchanged(org, pusher, department,
                                                                   settings):
    set_read_timeout(settings, 0.3)
    watcher = slow_only_the_first_write(org, 1.0)
    before = mirror_snapshot()

    with pytest.raises(PushOutcomeUnknown):
        services.department_update(actor=pusher, department=department, name="Accounts")
    watcher.join()

    assert mirror_snapshot() == before


def test_a_sync_after_the_push_records_no_change(org, pusher, department):
    services.department_update(actor=pusher, department=department, name="Accounts",
                               description="All accounts", hours_on=True,
                               hours={"monday": ["07:00", "19:00"]})

    assert sync_changes() == {}


# --- the form ------------------------------------------------------------------------------


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
