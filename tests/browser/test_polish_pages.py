"""The pages of the admin's polish in a real browser: a department's hours as a week table, a
number in its readable and E.164 forms, the 403 page naming the missing permission. Full-page
screenshots go to var/screenshots/polish-*.png."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from orgs.models import Department, PhoneNumber
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-password-1"


def test_a_department_shows_its_week_of_hours(org, page, live_server, admin_login, screenshot):
    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    department = Department.objects.filter(gone_at__isnull=True).first()
    department.payload = {**department.payload, "hours_on": True, "saturday_hours": [],
                          "sunday_hours": [],
                          **{f"{day}_hours": ["08:00", "12:00", "13:00", "18:00"]
                             for day in ("monday", "tuesday", "wednesday", "thursday",
                                         "friday")}}
    department.save(update_fields=["payload"])
    page.set_viewport_size({"width": 1366, "height": 768})
    admin_login("root", PASSWORD)

    page.goto(live_server.url + reverse("admin:orgs_department_change", args=[department.pk]))

    table = page.locator("table.dialpad-hours")
    assert table.locator("tr").count() == 7
    assert "08:00–12:00, 13:00–18:00" in table.inner_text()
    assert "Closed" in table.inner_text()
    screenshot("polish-department-hours")


def test_a_number_page_shows_its_readable_forms(org, page, live_server, admin_login,
                                                screenshot):
    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    number = PhoneNumber.objects.filter(number__startswith="+1").first()
    admin_login("root", PASSWORD)

    page.goto(live_server.url + reverse("admin:orgs_phonenumber_change", args=[number.pk]))

    text = page.inner_text("#content")
    assert number.number in text
    assert f"({number.number[2:5]}) {number.number[5:8]}-{number.number[8:]}" in text
    screenshot("polish-number-page")


def test_the_403_page_names_the_permission(org, page, live_server, admin_login, screenshot):
    factories.read_only_admin(username="viewer")
    login = get_user_model().objects.get(username="viewer")
    login.set_password(PASSWORD)
    login.save()
    number = PhoneNumber.objects.first()
    admin_login("viewer", PASSWORD)

    response = page.goto(live_server.url + reverse("admin:orgs_phonenumber_assign_to",
                                                   args=[number.pk]))

    assert response.status == 403
    assert "(orgs.assign_number)" in page.inner_text(".errornote")
    assert page.locator("#header").count() == 1
    screenshot("polish-403")
