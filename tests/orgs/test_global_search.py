"""The global search (/admin/search/?q=...): every kind at once, grouped, each row linked to
its page, capped with a "See all" to the kind's changelist, only the kinds the admin may view,
a clear page for any input, and as many queries for a big org as for a small one."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orgs import search
from orgs.kinds import KINDS
from tests import factories
from tests.orgs.test_search import searches_of_the_users_text
from tests.orgs.test_admin_query_counts import BIG, SMALL, assert_constant_queries

pytestmark = pytest.mark.django_db

URL = "/admin/search/"


def search_page(client, term):
    response = client.get(URL, {"q": term})
    assert response.status_code == 200
    return response


def found(client, term):
    """{kind name: [rows shown]} of the kinds that found something."""
    return {group.key: list(group.found.rows)
            for group in search_page(client, term).context["found_groups"]}


def change_url(obj):
    return reverse(f"admin:orgs_{obj._meta.model_name}_change", args=[obj.pk])


def group_html(response, key):
    html = response.content.decode()
    start = html.index(f'id="found-{key}"')
    end = html.find('<div class="module global-search-group"', start + 1)
    return html[start:end if end != -1 else None]


@pytest.fixture
def boston():
    return factories.OfficeFactory(name="Boston Harbor", country="us")


@pytest.fixture
def ada(boston):
    return factories.DialpadUserFactory(
        office=boston, first_name="Ada", last_name="Lovelace", display_name="Ada Lovelace",
        email="ada@example.com", emails="ada@example.com\nada.lovelace@analytical.example",
        extension="1042",
    )


@pytest.fixture
def adas_number(ada):
    return factories.PhoneNumberFactory(number="+14155550100", target=ada)


# --- Each kind, by each field -----------------------------------------------------------------

@pytest.mark.parametrize("term", ["lovelace", "Ada Lovelace", "ada@example.com",
                                  "ada.lovelace@analytical.example", "1042"])
def test_it_finds_a_user_by_name_any_email_and_extension(logged_in, ada, term):
    factories.DialpadUserFactory(first_name="Grace", last_name="Hopper", extension="10420")

    assert found(logged_in, term)["user"] == [ada]


def test_it_finds_a_user_by_dialpad_id(logged_in, ada):
    assert found(logged_in, str(ada.pk))["user"] == [ada]


@pytest.mark.parametrize("term", ["(415) 555-0100", "+1 415-555-0100", "4155550100",
                                  "415.555.0100", "555-0100"])
def test_it_finds_a_number_in_any_format(logged_in, adas_number, term):
    factories.PhoneNumberFactory(number="+14155550199")

    assert found(logged_in, term)["number"] == [adas_number]


def test_a_number_of_seven_digits_or_more_also_finds_its_owner(logged_in, ada, adas_number):
    results = found(logged_in, "(415) 555-0100")

    assert results["user"] == [ada]


def test_it_finds_numbers_by_what_they_are_assigned_to(logged_in, ada, adas_number):
    assert found(logged_in, "lovelace")["number"] == [adas_number]


@pytest.mark.parametrize("kind,make", [
    ("office", lambda office: office),
    ("department", lambda office: factories.DepartmentFactory(name="Harbor Sales",
                                                               office=office)),
    ("callcenter", lambda office: factories.CallCenterFactory(name="Harbor Care",
                                                               office=office)),
    ("room", lambda office: factories.RoomFactory(name="Harbor Lobby", office=office)),
])
def test_it_finds_offices_departments_call_centers_and_rooms_by_name(logged_in, kind, make):
    row = make(factories.OfficeFactory(name="Harbor View"))
    factories.OfficeFactory(name="Elsewhere")

    assert row in found(logged_in, "harbor")[kind]


def test_it_finds_a_room_by_one_of_its_numbers(logged_in):
    room = factories.RoomFactory(name="Lobby")
    factories.PhoneNumberFactory(number="+14155550177", target=room)

    assert found(logged_in, "415 555 0177")["room"] == [room]


# --- Grouping, links, what a row shows --------------------------------------------------------

def test_it_groups_what_it_finds_by_kind_in_a_fixed_order(logged_in, boston):
    factories.DialpadUserFactory(display_name="Harbor Master", first_name="Harbor",
                                 last_name="Master", office=boston)
    factories.DepartmentFactory(name="Harbor Sales", office=boston)
    factories.RoomFactory(name="Harbor Lobby", office=boston)

    response = search_page(logged_in, "harbor")

    assert [g.key for g in response.context["found_groups"]] == [
        "user", "office", "department", "room"]
    assert [g.key for g in response.context["empty_groups"]] == ["number", "callcenter"]
    html = response.content.decode()
    assert "No numbers or call centers match." in html
    assert html.index('id="found-user"') < html.index('id="found-office"') < html.index(
        'id="found-department"') < html.index('id="found-room"')


def test_it_sums_up_what_it_found_in_words(logged_in, ada, adas_number):
    factories.RoomFactory(name="Lovelace Room")
    factories.RoomFactory(name="Lovelace Hall")

    html = search_page(logged_in, "lovelace").content.decode()

    assert "Found 1 user, 1 number, 2 rooms." in html
    assert "No offices, departments or call centers match." in html


def test_each_result_links_to_its_change_page(logged_in, boston, ada, adas_number):
    department = factories.DepartmentFactory(name="Lovelace Lab", office=boston)
    callcenter = factories.CallCenterFactory(name="Lovelace Line", office=boston)
    room = factories.RoomFactory(name="Lovelace Room", office=boston)
    office = factories.OfficeFactory(name="Lovelace House")

    response = search_page(logged_in, "lovelace")

    for key, row in [("user", ada), ("number", adas_number), ("department", department),
                     ("callcenter", callcenter), ("room", room), ("office", office)]:
        assert f'href="{change_url(row)}"' in group_html(response, key), key


def test_a_user_is_shown_with_emails_extension_and_office(logged_in, ada):
    html = group_html(search_page(logged_in, "lovelace"), "user")

    for text in ("Ada Lovelace", "ada@example.com", "ada.lovelace@analytical.example", "1042",
                 "Boston Harbor"):
        assert text in html
    assert f'href="{change_url(ada.office)}"' in html


def test_a_number_is_shown_for_reading_and_as_e164_with_what_it_is_assigned_to(
    logged_in, ada, adas_number
):
    html = group_html(search_page(logged_in, "555-0100"), "number")

    assert "+1 415-555-0100" in html
    assert "+14155550100" in html
    assert f'href="{change_url(ada)}"' in html  # assigned to


def test_rows_gone_from_dialpad_are_listed_after_the_others_and_marked(logged_in):
    gone = factories.RoomFactory(name="Harbor Old", gone=True)
    present = factories.RoomFactory(name="Harbor New")

    response = search_page(logged_in, "harbor")

    assert found(logged_in, "harbor")["room"] == [present, gone]
    html = group_html(response, "room")
    assert "(2, 1 gone from Dialpad)" in html
    assert html.count('class="dialpad-gone"') == 1


# --- Caps and "See all" -----------------------------------------------------------------------

def test_it_shows_ten_of_each_kind_with_the_total_and_a_link_to_see_all(logged_in):
    for n in range(12):
        factories.DialpadUserFactory(display_name=f"Zed {n:02d}", first_name="Zed")

    response = search_page(logged_in, "zed")

    group = response.context["found_groups"][0]
    assert (group.key, group.total, len(group.rows)) == ("user", 12, 10)
    see_all = reverse("admin:orgs_dialpaduser_changelist") + "?" + urlencode({"q": "zed"})
    html = group_html(response, "user")
    assert "Showing 10 of 12." in html
    assert f'<a href="{see_all.replace("&", "&amp;")}">See all 12 users</a>' in html
    changelist = logged_in.get(see_all)
    assert changelist.context["cl"].result_count == 12


def test_fewer_than_ten_link_to_the_list_without_a_see_all(logged_in, ada):
    html = group_html(search_page(logged_in, "lovelace"), "user")

    assert "See all" not in html
    assert "Open as a list" in html


TERMS = ["harbor", "Harbor Sales", "sales", "lobby", "ada", "ada@example.com", "1042",
         "(415) 555-0100", "555-0100", "4155550177", "boston", "%", "_", "'", '"', '"Harbor',
         "nothing-matches-this"]


@pytest.mark.parametrize("kind_name", ["user", "number", "office", "department", "callcenter",
                                       "room"])
def test_each_kind_finds_what_its_changelists_own_search_finds(logged_in, kind_name, boston,
                                                                ada, adas_number):
    """So that "See all N" opens a list of the same N rows."""
    other = factories.OfficeFactory(name="Lobby Plaza")
    factories.DepartmentFactory(name="Harbor Sales", office=other, description="boston desk")
    factories.DepartmentFactory(name="Support", office=boston)
    factories.CallCenterFactory(name="Sales Line", office=boston)
    room = factories.RoomFactory(name="Lobby", office=boston)
    factories.RoomFactory(name="Harbor Lobby", office=other, gone=True)
    factories.PhoneNumberFactory(number="+14155550177", target=room)
    model = KINDS[kind_name].model
    changelist = reverse(f"admin:orgs_{model._meta.model_name}_changelist")

    for term in TERMS + [str(room.pk), str(boston.pk)]:
        expected = set(logged_in.get(changelist, {"q": term}).context["cl"].queryset)
        assert set(search.kind_search(KINDS[kind_name], term)) == expected, term


# --- Permissions ------------------------------------------------------------------------------

def test_it_searches_only_the_kinds_the_admin_may_view(client, boston, ada):
    factories.RoomFactory(name="Lovelace Room")
    client.force_login(factories.LoginFactory(
        is_staff=True, permissions=["orgs.view_room", "orgs.view_office"]))

    response = search_page(client, "lovelace")

    assert [g.key for g in response.context["found_groups"]] == ["room"]
    assert [g.key for g in response.context["empty_groups"]] == ["office"]
    assert "Ada" not in response.content.decode()


def test_an_admin_who_may_view_none_of_the_kinds_is_told_so(client, ada):
    client.force_login(factories.LoginFactory(is_staff=True))

    response = search_page(client, "lovelace")

    assert "may not view users, numbers" in response.content.decode()
    assert "Ada" not in response.content.decode()


def test_it_needs_the_admin_login(client, ada):
    response = client.get(URL, {"q": "lovelace"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_login_that_is_not_staff_is_sent_to_the_admin_login(client, ada):
    client.force_login(factories.outsider())

    response = client.get(URL, {"q": "lovelace"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- Any input: a clear page ------------------------------------------------------------------

@pytest.mark.parametrize("term,says", [
    ("", "Type a name, an email, an extension or a number"),
    ("   ", "Type a name, an email, an extension or a number"),
    ("x" * 201, "search for at most 200"),
    ("ada\x00", "control characters"),
])
def test_a_term_that_cannot_be_searched_gets_a_clear_page(logged_in, ada, term, says):
    response = search_page(logged_in, term)

    assert says in response.content.decode()
    assert response.context["found_groups"] == []


def test_no_query_string_at_all_asks_for_a_term(logged_in):
    response = logged_in.get(URL)

    assert response.status_code == 200
    assert "Type a name" in response.content.decode()


@pytest.mark.parametrize("term", ["%", "_", "\\", "'", '"', '"ada', "ada'", "<script>", "Ω≈ç√",
                                  "1" * 30, "+" + "9" * 30, "-5", "0" * 25, "😀", "a" * 200,
                                  "(((", "ada OR 1=1 --"])
def test_odd_terms_give_a_page_never_an_error(logged_in, ada, adas_number, term):
    response = search_page(logged_in, term)

    assert "<script>" not in response.content.decode().split('id="content"', 1)[1]


def test_a_thirty_digit_number_finds_nothing(logged_in, ada, adas_number):
    response = search_page(logged_in, "1" * 30)

    assert response.context["found_groups"] == []
    assert "Nothing found" in response.content.decode()


def test_the_term_is_shown_escaped_and_kept_in_the_header_box(logged_in):
    html = search_page(logged_in, "<b>ada</b>").content.decode()

    assert "<b>ada</b>" not in html
    assert 'name="q" value="&lt;b&gt;ada&lt;/b&gt;"' in html


# --- The header's box -------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    lambda: reverse("admin:index"),
    lambda: reverse("admin:orgs_dialpaduser_changelist"),
    lambda: change_url(factories.RoomFactory()),
    lambda: reverse("admin:password_change"),
])
def test_every_admin_page_has_the_search_box(logged_in, url):
    html = logged_in.get(url()).content.decode()

    assert f'<form id="global-search" role="search" method="get" action="{URL}">' in html


def test_the_login_page_has_no_search_box(client):
    assert 'id="global-search"' not in client.get(reverse("admin:login")).content.decode()


# --- Queries ----------------------------------------------------------------------------------

def grow(count, numbers):
    """`count` of each kind, all named (or assigned to something named) Harbor, and a number
    +1 415 555 0xxx for each user and room."""
    for _ in range(count):
        office = factories.OfficeFactory(name=f"Harbor {next(numbers)}")
        user = factories.DialpadUserFactory(first_name="Harbor", display_name="Harbor Master",
                                            office=office, extension="7000")
        factories.PhoneNumberFactory(number=f"+1415555{next(numbers):04d}", target=user)
        room = factories.RoomFactory(name="Harbor lobby", office=office)
        factories.PhoneNumberFactory(number=f"+1415555{next(numbers):04d}", target=room)
        factories.DepartmentFactory(name="Harbor Sales", office=office)
        factories.CallCenterFactory(name="Harbor Care", office=office)


@pytest.mark.parametrize("term", ["harbor", "(415) 555-0", "4155550", "7000"])
def test_it_issues_as_many_queries_for_a_big_org_as_for_a_small_one(
    logged_in, django_assert_max_num_queries, term
):
    numbers = iter(range(1000))
    grow(SMALL, numbers)
    url = URL + "?" + urlencode({"q": term})

    response = assert_constant_queries(
        logged_in, url, lambda: grow(BIG - SMALL, numbers), django_assert_max_num_queries)

    assert sum(g.total for g in response.context["found_groups"]) >= BIG


def test_it_searches_the_users_once_and_issues_one_query_per_kind(logged_in, django_assert_max_num_queries):
    grow(SMALL, iter(range(1000)))
    search_page(logged_in, "harbor")  # the session and content types, cached

    # The session, the login and its permissions (user's, groups'), the users found (one
    # search of their text, for the users and the numbers), then one per kind: its first
    # rows, the names of what they link to, and its totals.
    with django_assert_max_num_queries(4 + 1 + 6) as queries:
        search_page(logged_in, "harbor")

    assert len(searches_of_the_users_text(queries.captured_queries)) == 1


def test_it_issues_as_many_queries_when_it_finds_one_kind_as_when_it_finds_every_kind(
    logged_in, django_assert_num_queries
):
    grow(SMALL, iter(range(1000)))
    factories.DialpadUserFactory(first_name="Seagull")  # a user, no number, no group
    search_page(logged_in, "harbor")  # the session and content types, cached
    with CaptureQueriesContext(connection) as finding_every_kind:
        every_kind = search_page(logged_in, "harbor")

    with django_assert_num_queries(len(finding_every_kind)):
        one_kind = search_page(logged_in, "seagull")

    assert len(every_kind.context["found_groups"]) == 6
    assert [group.key for group in one_kind.context["found_groups"]] == ["user"]
