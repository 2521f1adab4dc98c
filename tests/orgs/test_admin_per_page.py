"""How many rows a list shows a page: fifty, or what ?per_page= picks of the choices the list
offers (orgs.admin.base.PER_PAGE_CHOICES)."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("admin:orgs_dialpaduser_changelist")


@pytest.fixture
def users():
    return factories.DialpadUserFactory.create_batch(120)


def per_page_links(response):
    """{rows a page: href, or None for the current choice}."""
    block = re.search(r'class="paginator dialpad-per-page">(.*?)</p>',
                      response.content.decode(), re.S).group(1)
    links = {int(count): unescape(href) for href, count in
             re.findall(r'<a href="([^"]*)">(\d+)</a>', block)}
    links.update({int(count): None for count in re.findall(r"<strong>(\d+)</strong>", block)})
    return links


def test_a_list_shows_fifty_rows_a_page(logged_in, users):
    response = logged_in.get(URL)

    assert len(response.context["cl"].result_list) == 50
    assert response.context["cl"].result_count == 120


@pytest.mark.parametrize("count", [25, 100, 250])
def test_per_page_picks_one_of_the_choices(logged_in, users, count):
    response = logged_in.get(URL, {"per_page": count})

    assert len(response.context["cl"].result_list) == min(count, 120)
    assert per_page_links(response)[count] is None  # shown as the current choice


@pytest.mark.parametrize("value", ["7", "abc", "100000", "", "-50"])
def test_a_per_page_that_is_no_choice_is_ignored_not_an_error(logged_in, users, value):
    response = logged_in.get(URL, {"per_page": value})

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 50


def test_the_choices_keep_the_search_and_filters_and_go_back_to_the_first_page(
    logged_in, users
):
    response = logged_in.get(URL, {"q": "example", "state": "active", "p": "2"})

    links = per_page_links(response)
    assert set(links) == {25, 50, 100, 250}
    assert links[50] is None
    query = dict(pair.split("=") for pair in links[100].lstrip("?").split("&"))
    assert query == {"q": "example", "state": "active", "per_page": "100"}


def test_the_pages_keep_the_rows_a_page(logged_in, users):
    response = logged_in.get(URL, {"per_page": 25})

    assert "?p=2&amp;per_page=25" in response.content.decode() or \
        "?per_page=25&amp;p=2" in response.content.decode()
    second = logged_in.get(URL, {"per_page": 25, "p": 2})
    assert len(second.context["cl"].result_list) == 25
    assert second.context["cl"].page_num == 2
