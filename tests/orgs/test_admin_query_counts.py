"""A changelist or change page issues as many queries for a big org as for a small one.

Each test counts the queries of a page at a small size, grows the org, and asserts the same
page issues no more queries (django_assert_max_num_queries) and in fact exactly as many: a
fixed ceiling would let an N+1 hide under it at the small size.
"""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orgs.admin.base import LIST_PER_PAGE
from tests import factories

pytestmark = pytest.mark.django_db

SMALL, BIG = 5, 60


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, captured


def assert_constant_queries(client, url, grow, django_assert_max_num_queries):
    """Count url's queries, call grow(), and assert the grown page issues exactly as many."""
    client.get(url)  # warm per-process caches (content types, the session) first
    _, small = queries_of(client, url)
    grow()
    with django_assert_max_num_queries(len(small)):
        response, big = queries_of(client, url)
    small_sql = [q["sql"] for q in small.captured_queries]
    big_sql = [q["sql"] for q in big.captured_queries]
    assert len(big_sql) == len(small_sql), "\n".join(
        ["small:"] + small_sql + ["", "big:"] + big_sql
    )
    return response


# (model_name, attribute of factories.Org, rows per org_build unit)
CHANGELISTS = [
    ("office", "offices", 1),
    ("department", "departments", 1),
    ("callcenter", "callcenters", 1),
    ("room", "rooms", 1),
    ("dialpaduser", "users", 1),
    ("phonenumber", "numbers", 5),
    ("operatormembership", "memberships", 4),
    ("e911address", "e911_addresses", 2),
    ("deskphone", "deskphones", 1),
]


@pytest.mark.parametrize("model_name,rows,per_unit", CHANGELISTS)
def test_a_changelist_issues_as_many_queries_for_a_big_org_as_for_a_small_one(
    logged_in, django_assert_max_num_queries, model_name, rows, per_unit
):
    org = factories.org_build(size=SMALL)
    url = reverse(f"admin:orgs_{model_name}_changelist")

    response = assert_constant_queries(
        logged_in, url, lambda: factories.org_build(size=BIG - SMALL, org=org),
        django_assert_max_num_queries,
    )

    assert response.context["cl"].result_count == BIG * per_unit
    assert len(response.context["cl"].result_list) == min(BIG * per_unit, LIST_PER_PAGE)


def test_the_company_changelist_issues_a_constant_number_of_queries(
    logged_in, django_assert_max_num_queries
):
    factories.CompanyFactory()

    assert_constant_queries(
        logged_in, reverse("admin:orgs_company_changelist"),
        lambda: factories.CompanyFactory.create_batch(3), django_assert_max_num_queries,
    )


@pytest.mark.parametrize("params", [
    {"q": "415 555 00"},
    {"q": "ana"},
    {"presence": "present", "state__exact": "active"},
])
def test_a_searched_or_filtered_user_changelist_issues_a_constant_number_of_queries(
    logged_in, django_assert_max_num_queries, params
):
    office = factories.OfficeFactory()
    numbers = iter(range(100))

    def add(count):
        for _ in range(count):
            user = factories.DialpadUserFactory(office=office, first_name="Ana")
            factories.PhoneNumberFactory(number=f"+1415555{next(numbers):04d}", target=user)
            factories.PhoneNumberFactory(target=user)

    add(SMALL)
    url = reverse("admin:orgs_dialpaduser_changelist") + "?" + urlencode(params)

    response = assert_constant_queries(
        logged_in, url, lambda: add(BIG - SMALL), django_assert_max_num_queries
    )

    assert response.context["cl"].result_count == BIG


def test_the_office_filtered_membership_changelist_issues_a_constant_number_of_queries(
    logged_in, django_assert_max_num_queries
):
    office = factories.OfficeFactory()
    factories.org_build(size=SMALL, office=office)
    url = reverse("admin:orgs_operatormembership_changelist") + f"?in_office={office.pk}"

    assert_constant_queries(
        logged_in, url, lambda: factories.org_build(size=BIG - SMALL, office=office),
        django_assert_max_num_queries,
    )


def test_the_office_page_issues_as_many_queries_for_a_big_office_as_for_a_small_one(
    logged_in, django_assert_max_num_queries
):
    office = factories.OfficeFactory()
    factories.E911AddressFactory(office=office)
    factories.org_build(size=SMALL, office=office)

    response = assert_constant_queries(
        logged_in, reverse("admin:orgs_office_change", args=[office.pk]),
        lambda: factories.org_build(size=BIG - SMALL, office=office),
        django_assert_max_num_queries,
    )

    users = next(s for s in response.context["related_sections"] if s.key == "users")
    assert users.total == BIG and users.more


@pytest.mark.parametrize("group_factory", [factories.DepartmentFactory,
                                           factories.CallCenterFactory])
def test_a_groups_page_issues_as_many_queries_for_a_big_group_as_for_a_small_one(
    logged_in, django_assert_max_num_queries, group_factory
):
    group = group_factory()

    def add(count):
        for _ in range(count):
            user = factories.DialpadUserFactory()
            factories.OperatorMembershipFactory(group=group, operator=user)
            factories.OperatorMembershipFactory(group=group, operator=factories.RoomFactory())
            factories.PhoneNumberFactory(target=group)

    add(SMALL)
    model_name = group._meta.model_name
    response = assert_constant_queries(
        logged_in, reverse(f"admin:orgs_{model_name}_change", args=[group.pk]),
        lambda: add(BIG - SMALL), django_assert_max_num_queries,
    )

    operators = next(s for s in response.context["related_sections"] if s.key == "operators")
    assert operators.total == 2 * BIG


def test_a_users_page_issues_as_many_queries_for_a_busy_user_as_for_a_quiet_one(
    logged_in, django_assert_max_num_queries
):
    user = factories.DialpadUserFactory()
    factories.E911AddressFactory(office=None, user=user)

    def add(count):
        for _ in range(count):
            factories.OperatorMembershipFactory(group=factories.DepartmentFactory(), operator=user)
            factories.OperatorMembershipFactory(group=factories.CallCenterFactory(), operator=user)
            factories.PhoneNumberFactory(target=user)

    add(SMALL)
    response = assert_constant_queries(
        logged_in, reverse("admin:orgs_dialpaduser_change", args=[user.pk]),
        lambda: add(BIG - SMALL), django_assert_max_num_queries,
    )

    groups = next(s for s in response.context["related_sections"] if s.key == "groups")
    assert groups.total == 2 * BIG


def test_a_rooms_page_issues_as_many_queries_for_a_busy_room_as_for_a_quiet_one(
    logged_in, django_assert_max_num_queries
):
    room = factories.RoomFactory()

    def add(count):
        for _ in range(count):
            factories.OperatorMembershipFactory(group=factories.DepartmentFactory(), operator=room)
            factories.PhoneNumberFactory(target=room)
            factories.DeskphoneFactory(room=room)

    add(SMALL)
    assert_constant_queries(
        logged_in, reverse("admin:orgs_room_change", args=[room.pk]),
        lambda: add(BIG - SMALL), django_assert_max_num_queries,
    )


def counts_of_users(queries):
    return [q["sql"] for q in queries.captured_queries
            if "COUNT(" in q["sql"] and 'FROM "orgs_dialpaduser"' in q["sql"]]


def test_an_unfiltered_changelist_counts_its_rows_once(logged_in):
    factories.DialpadUserFactory.create_batch(3)

    response, queries = queries_of(logged_in, reverse("admin:orgs_dialpaduser_changelist"))

    assert len(counts_of_users(queries)) == 1
    assert response.context["cl"].result_count == 3
    assert "3 Dialpad users" in response.content.decode()
    assert response.context["cl"].show_admin_actions
    # The search bar offers no "Show all" of a list that shows all.
    assert "Show all" not in response.content.decode()


@pytest.mark.parametrize("params", [{"q": "Ada"}, {"state": "active"}])
def test_a_searched_or_filtered_changelist_counts_its_results_not_every_row(logged_in, params):
    factories.DialpadUserFactory(first_name="Ada", display_name="Ada Lovelace", state="active")
    factories.DialpadUserFactory.create_batch(2, first_name="Bob", display_name="Bob",
                                              state="suspended")

    response, queries = queries_of(
        logged_in, reverse("admin:orgs_dialpaduser_changelist") + "?" + urlencode(params))

    # The total would be a count of every user, on every search: "Show all" links the list.
    assert [sql for sql in counts_of_users(queries) if "WHERE" not in sql] == []
    assert response.context["cl"].result_count == 1
    assert "Show all" in response.content.decode()


@pytest.mark.parametrize("owner", ["office", "user"])
def test_a_change_page_reads_its_e911_address_with_the_row(logged_in, owner):
    obj = (factories.OfficeFactory() if owner == "office"
           else factories.DialpadUserFactory())
    address = factories.E911AddressFactory(**(
        {"office": obj} if owner == "office" else {"office": None, "user": obj}),
        address="1 Main St")
    url = reverse(f"admin:orgs_{obj._meta.model_name}_change", args=[obj.pk])
    logged_in.get(url)  # the session and content types, cached

    response, queries = queries_of(logged_in, url)

    assert not [q for q in queries.captured_queries
                if q["sql"].startswith('SELECT "orgs_e911address"')]
    assert str(address) in response.content.decode()
