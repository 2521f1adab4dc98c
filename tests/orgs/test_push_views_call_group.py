"""Departments and call centers from the admin: "Add department" / "Add call center" (their
lists and an office's page) and "Edit" (name, description, hours, ring seconds)."""

import pytest
from django.urls import reverse

from orgs.models import CallCenter, Department, Office
from tests.orgs.helpers_push import history_of, mirror_snapshot, writes

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]

KINDS = [("department", Department, "departments"), ("callcenter", CallCenter, "callcenters")]


def posted(form, **changes):
    """What a browser posts for the form as shown, with `changes`."""
    data = {}
    for field in form:
        value = field.value()
        if field.widget_type == "checkbox":
            if value:
                data[field.name] = "on"
        elif value is not None:
            data[field.name] = value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


@pytest.mark.parametrize("kind, model, collection", KINDS)
def test_it_creates_one_in_an_office_with_hours(org, pusher, kind, model, collection):
    office = Office.objects.first()
    url = reverse(f"admin:orgs_{kind}_create") + f"?office={office.pk}"

    response = pusher.post(url, {"name": "Billing", "description": "Invoices",
                                 "ring_seconds": "20", "hours_on": "on",
                                 "monday_hours": "08:00-12:00, 13:00-17:00"})

    assert response.status_code == 302
    group = model.objects.get(name="Billing")
    assert response.url == reverse(f"admin:orgs_{kind}_change", args=[group.pk])
    [post] = writes(org)
    assert (post.method, post.path) == ("POST", f"/api/v2/{collection}")
    assert post.json["monday_hours"] == ["08:00", "12:00", "13:00", "17:00"]
    assert (post.json["ring_seconds"], post.json["office_id"]) == (20, office.pk)
    assert (group.office, group.ring_seconds) == (office, 20)


@pytest.mark.parametrize("kind, model, collection", KINDS)
def test_bad_ring_seconds_and_hours_are_field_errors(org, pusher, kind, model, collection):
    response = pusher.post(reverse(f"admin:orgs_{kind}_create"), {
        "office": Office.objects.first().pk, "name": "Billing", "ring_seconds": "60",
        "tuesday_hours": "late"})

    assert {"ring_seconds", "tuesday_hours"} <= set(response.context["form"].errors)
    assert writes(org) == []


@pytest.mark.parametrize("kind, model, collection", KINDS)
def test_edit_sends_only_what_changed(org, pusher, kind, model, collection):
    group = model.objects.first()
    url = reverse(f"admin:orgs_{kind}_edit", args=[group.pk])
    form = pusher.get(url).context["form"]

    response = pusher.post(url, posted(form, name="Accounts", ring_seconds="40"))

    assert response.status_code == 302
    assert response.url == reverse(f"admin:orgs_{kind}_change", args=[group.pk])
    [patch] = writes(org)
    assert (patch.method, patch.path, patch.json) == (
        "PATCH", f"/api/v2/{collection}/{group.pk}", {"name": "Accounts", "ring_seconds": 40})
    group.refresh_from_db()
    assert (group.name, group.ring_seconds) == ("Accounts", 40)
    assert history_of(group)[-1].startswith("Changed name and ring seconds via Dialpad Console")


@pytest.mark.parametrize("kind, model, collection", KINDS)
def test_an_edit_refused_by_dialpad_shows_why(org, pusher, kind, model, collection):
    group = model.objects.first()
    url = reverse(f"admin:orgs_{kind}_edit", args=[group.pk])
    form = pusher.get(url).context["form"]
    getattr(org.state, collection).pop(group.pk)
    before = mirror_snapshot()

    response = pusher.post(url, posted(form, name="Accounts"))

    [error] = response.context["form"].non_field_errors()
    assert error.startswith("Dialpad refused: ") and "not found" in error
    assert mirror_snapshot() == before


def test_an_unchanged_edit_sends_nothing(org, pusher):
    group = Department.objects.first()
    url = reverse("admin:orgs_department_edit", args=[group.pk])
    form = pusher.get(url).context["form"]

    response = pusher.post(url, posted(form))

    assert response.context["form"].non_field_errors() == [
        "Nothing to change: give at least one field."]
    assert writes(org) == []
