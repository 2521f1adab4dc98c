"""The global search in a real browser, on the demo org: type in the header's box on some admin
page, land on the results grouped by kind, follow a result or a "See all". Screenshots of the
results in var/screenshots/ (see conftest.screenshot)."""

import re

import pytest
from django.urls import reverse

from orgs.admin.display import readable_number
from orgs.models import CallCenter, DialpadUser, PhoneNumber
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def viewer_page(admin_login):
    login = factories.read_only_admin()
    return admin_login(login.username, factories.PASSWORD)


def search_from_the_header(page, term):
    page.fill("#global-search input[name=q]", term)
    page.click("#global-search button[type=submit]")
    page.wait_for_selector(".global-search")


def test_it_finds_every_kind_at_once_and_leads_to_each_page(org, viewer_page, live_server,
                                                              screenshot):
    page = viewer_page
    page.goto(f"{live_server.url}{reverse('admin:orgs_room_changelist')}")

    search_from_the_header(page, "customer")

    assert page.url.startswith(f"{live_server.url}/admin/search/?q=customer")
    screenshot("global-search-customer")
    headings = page.locator(".global-search-group h2").all_inner_texts()
    assert [re.sub(r" \(.*", "", heading) for heading in headings] == [
        "Numbers", "Departments", "Call centers"]
    assert page.input_value("#global-search input[name=q]") == "customer"
    callcenter = CallCenter.objects.filter(name__icontains="customer").order_by("name").first()
    page.click(f"#found-callcenter a:text-is('{callcenter.name}')")
    page.wait_for_selector("#content h2, #content h1")
    assert page.url.endswith(reverse("admin:orgs_callcenter_change", args=[callcenter.pk]))


def test_a_user_is_found_by_email_and_a_number_by_any_format(org, viewer_page, live_server,
                                                             screenshot):
    page = viewer_page
    user = DialpadUser.objects.filter(gone_at__isnull=True, assigned_numbers__isnull=False,
                                      ).exclude(extension="").order_by("pk").first()
    number = user.assigned_numbers.order_by("number").first()
    page.goto(f"{live_server.url}{reverse('admin:index')}")

    search_from_the_header(page, user.email.upper())

    users = page.locator("#found-user tbody tr")
    assert users.count() == 1
    assert user.extension in users.inner_text()
    assert user.office.name in users.inner_text()

    search_from_the_header(page, readable_number(number.number))  # "+1 415-555-0100"

    screenshot("global-search-number")
    numbers = page.locator("#found-number tbody tr")
    assert numbers.count() == 1
    assert number.number in numbers.inner_text()
    assert str(user) in numbers.inner_text()  # what it is assigned to
    assert str(user) in page.inner_text("#found-user")  # the owner, by the number
    page.click(f"#found-number a:text-is('{readable_number(number.number)}')")
    page.wait_for_selector("#content h2, #content h1")
    assert page.url.endswith(reverse("admin:orgs_phonenumber_change", args=[number.pk]))


def test_see_all_opens_the_kinds_list_of_the_same_rows(org, viewer_page, live_server,
                                                       screenshot):
    page = viewer_page
    page.goto(f"{live_server.url}{reverse('admin:orgs_office_changelist')}")

    search_from_the_header(page, "415")

    screenshot("global-search-see-all")
    see_all = page.locator("#found-number .dialpad-see-all a")
    total = int(re.search(r"See all (\d+)", see_all.inner_text()).group(1))
    assert total > 10
    assert page.locator("#found-number tbody tr").count() == 10
    see_all.click()
    page.wait_for_selector("#changelist")
    assert f"{total} results" in page.inner_text("#changelist-search")
    assert PhoneNumber.objects.filter(digits__contains="415").count() == total


def test_an_empty_search_says_what_to_type(org, viewer_page, live_server, screenshot):
    page = viewer_page

    search_from_the_header(page, "   ")

    screenshot("global-search-empty")
    assert "Type a name, an email, an extension or a number" in page.inner_text("#content")
