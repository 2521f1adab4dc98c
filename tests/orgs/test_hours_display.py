"""The hours of offices, departments and call centers on their pages, as a week table that
says whether they apply; numbers shown for reading as well as in E.164."""

import pytest
from django.urls import reverse

from orgs.admin.display import day_spans, readable_number, week_hours
from orgs.models import Department
from tests import factories

pytestmark = pytest.mark.django_db

WEEKDAYS = {f"{day}_hours": ["08:00", "12:00", "13:00", "18:00"]
            for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}
WEEKEND = {"saturday_hours": [], "sunday_hours": []}


def test_a_day_is_its_spans_or_closed():
    assert day_spans(["08:00", "12:00", "13:00", "18:00"]) == "08:00–12:00, 13:00–18:00"
    assert day_spans([]) == "Closed"
    assert day_spans(None) == "Closed"
    assert day_spans(["08:00"]) == "08:00–?"


def test_hours_on_shows_the_week_in_the_groups_time_zone():
    group = Department(payload={"hours_on": True, **WEEKDAYS, **WEEKEND},
                       timezone="America/New_York")

    html = str(week_hours(group))

    assert "Hours on: takes calls only in these hours, in America/New_York." in html
    assert "<th scope=\"row\">Monday</th><td>08:00–12:00, 13:00–18:00</td>" in html
    assert "<th scope=\"row\">Sunday</th><td>Closed</td>" in html


def test_hours_off_says_the_hours_are_not_applied():
    html = str(week_hours(Department(payload={"hours_on": False, **WEEKDAYS})))

    assert "Hours off: takes calls at any time (24/7)" in html
    assert "Monday" in html


def test_no_hours_at_all_is_said_plainly():
    assert week_hours(Department(payload={})) == "Dialpad gives no hours of operation for it."


@pytest.mark.parametrize("factory, model_name", [
    (factories.DepartmentFactory, "department"),
    (factories.CallCenterFactory, "callcenter"),
    (factories.OfficeFactory, "office"),
])
def test_the_change_page_shows_the_week(client, factory, model_name):
    obj = factory(payload={"hours_on": True, **WEEKDAYS, **WEEKEND}, timezone="Europe/Paris")
    client.force_login(factories.read_only_admin())

    content = client.get(reverse(f"admin:orgs_{model_name}_change", args=[obj.pk])).content.decode()

    assert "Hours of operation" in content
    assert '<table class="dialpad-hours">' in content
    assert "08:00–12:00, 13:00–18:00" in content
    assert "Europe/Paris" in content


def test_numbers_are_written_for_reading():
    assert readable_number("+14155550100") == "+1 415-555-0100"
    assert readable_number("+14155550100", "national") == "(415) 555-0100"
    assert readable_number("+442079460000") == "+44 20 7946 0000"
    assert readable_number("not a number") == "not a number"


def test_a_number_shows_both_forms_in_its_list_and_page(client):
    number = factories.PhoneNumberFactory(number="+14155550123")
    client.force_login(factories.read_only_admin())

    listing = client.get(reverse("admin:orgs_phonenumber_changelist")).content.decode()
    page = client.get(reverse("admin:orgs_phonenumber_change", args=[number.pk])).content.decode()

    assert '+1 415-555-0123<br><span class="dialpad-e164">+14155550123</span>' in listing
    for text in ("+14155550123", "+1 415-555-0123", "(415) 555-0123", "International format"):
        assert text in page


def test_a_users_numbers_read_well_with_e164_in_the_title(client):
    user = factories.DialpadUserFactory()
    factories.PhoneNumberFactory(number="+14155550124", target=user)
    client.force_login(factories.read_only_admin())

    listing = client.get(reverse("admin:orgs_dialpaduser_changelist")).content.decode()

    assert 'title="+14155550124">+1 415-555-0124</a>' in listing
