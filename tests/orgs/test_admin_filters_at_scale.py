"""The list filters built for thousands of offices and users (orgs.admin.filters): the same
choices and links as Django's own filters, read without a query per row or a scan of rows."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def page(client, model_name="dialpaduser", **params):
    response = client.get(reverse(f"admin:orgs_{model_name}_changelist"), params)
    assert response.status_code == 200
    return response


def filter_links(response, title):
    """{link text: href} of the filter titled `title`."""
    html = response.content.decode()
    block = re.search(rf'data-filter-title="{title}".*?</details>', html, re.S).group(0)
    return {unescape(text): unescape(href)
            for href, text in re.findall(r'<a href="([^"]*)">([^<]*)</a>', block)}


def selected(response, title):
    html = response.content.decode()
    block = re.search(rf'data-filter-title="{title}".*?</details>', html, re.S).group(0)
    return [unescape(text) for text in
            re.findall(r'<li class="selected">\s*<a href="[^"]*">([^<]*)</a>', block)]


def test_the_office_filter_links_every_office_keeping_the_search(logged_in):
    paris = factories.OfficeFactory(name="Paris & Co")
    london = factories.OfficeFactory(name="London")

    links = filter_links(page(logged_in, q="ada"), "office")

    assert links["Paris & Co"] == f"?office__dialpad_id__exact={paris.pk}&q=ada"
    assert links["London"] == f"?office__dialpad_id__exact={london.pk}&q=ada"
    assert links["All"] == "?q=ada"


def test_an_office_filter_link_lists_that_offices_users(logged_in):
    ada = factories.DialpadUserFactory(office=factories.OfficeFactory(name="London"))
    factories.DialpadUserFactory(office=factories.OfficeFactory(name="Paris"))
    href = filter_links(page(logged_in), "office")["London"]

    response = logged_in.get(reverse("admin:orgs_dialpaduser_changelist") + href)

    assert list(response.context["cl"].result_list) == [ada]
    assert selected(response, "office") == ["London"]


def test_the_office_filter_offers_the_rows_without_an_office(logged_in):
    homeless = factories.DialpadUserFactory(office=None)
    factories.DialpadUserFactory()
    [href] = [href for href in filter_links(page(logged_in), "office").values()
              if "office__isnull=True" in href]

    response = logged_in.get(reverse("admin:orgs_dialpaduser_changelist") + href)

    assert list(response.context["cl"].result_list) == [homeless]


def test_the_office_filter_shows_counts_when_asked(logged_in):
    office = factories.OfficeFactory(name="London")
    factories.DialpadUserFactory.create_batch(2, office=office)

    links = filter_links(page(logged_in, _facets="True"), "office")

    assert "London (2)" in links


@pytest.mark.parametrize("model_name,title", [
    ("phonenumber", "office"), ("department", "office"), ("callcenter", "office"),
    ("room", "office"), ("deskphone", "office"),
])
def test_every_office_filter_is_the_scalable_one(logged_in, model_name, title):
    factories.OfficeFactory(name="London")

    assert "London" in filter_links(page(logged_in, model_name), title)


@pytest.mark.parametrize("field,values", [
    ("country", ["gb", "us"]),
    ("license", ["agents", "talk"]),
])
def test_the_country_and_license_filters_offer_each_value_once(logged_in, field, values):
    for country, license_ in (("us", "talk"), ("gb", "talk"), ("us", "agents")):
        factories.DialpadUserFactory(country=country, license=license_)

    links = filter_links(page(logged_in), field)

    assert [text for text in links if text != "All"] == values
    assert links[values[0]] == f"?{field}={values[0]}"


def test_the_office_filter_links_keep_a_search_with_characters_html_escapes(logged_in):
    london = factories.OfficeFactory(name="London <HQ>")

    response = page(logged_in, q='"a&b" <c>')

    assert filter_links(response, "office")["London <HQ>"] == (
        f"?office__dialpad_id__exact={london.pk}&q=%22a%26b%22+%3Cc%3E")
    assert "London &lt;HQ&gt;" in response.content.decode()


def test_the_office_filter_links_are_right_whatever_the_search(logged_in):
    london = factories.OfficeFactory(name="London")

    links = filter_links(page(logged_in, q="~office~"), "office")

    assert links["London"] == f"?office__dialpad_id__exact={london.pk}&q=~office~"
