"""CSV export of users, numbers and operator memberships from their lists: the rows the list
shows (its search and filters), all of them (not one page), streamed, with human headers;
it needs the view permission, and a bad filter value gives no 500."""

import csv
import io

import pytest
from django.urls import reverse

from orgs.models import DialpadUser, OperatorMembership, PhoneNumber
from tests import factories

pytestmark = pytest.mark.django_db


def export(client, model_name, query=None):
    response = client.get(reverse(f"admin:orgs_{model_name}_export"), query or {})
    assert response.status_code == 200, response.status_code
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def listed(client, model_name, query=None):
    """Every row the changelist finds for `query` (all its pages)."""
    response = client.get(reverse(f"admin:orgs_{model_name}_changelist"), query or {})
    assert response.status_code == 200
    return list(response.context["cl"].queryset)


@pytest.fixture
def org():
    return factories.org_build(size=3)


@pytest.fixture
def viewer(client):
    client.force_login(factories.read_only_admin())
    return client


def test_users_export_has_human_headers_and_every_user(viewer, org):
    rows = export(viewer, "dialpaduser")

    assert rows[0][:7] == ["Name", "First name", "Last name", "Email", "All emails",
                           "Extension", "Numbers (E.164)"]
    assert [row[0] for row in rows[1:]] == [str(u) for u in listed(viewer, "dialpaduser")]
    assert len(rows) - 1 == DialpadUser.objects.count()


def test_users_export_follows_the_lists_search_and_filters(viewer, org):
    office = org.offices[1]
    user = org.users[1]
    for query in ({"office__dialpad_id__exact": office.pk}, {"q": user.email},
                  {"q": org.numbers[5].number}):
        rows = export(viewer, "dialpaduser", query)
        assert [row[0] for row in rows[1:]] == [str(u) for u in listed(viewer, "dialpaduser",
                                                                          query)], query
        assert [row[14] for row in rows[1:]] == [str(user.pk)], query


def test_the_changelist_links_the_export_with_its_filters(viewer, org):
    response = viewer.get(reverse("admin:orgs_dialpaduser_changelist"),
                          {"q": "ann", "p": "1", "state__exact": "active"})

    url = response.context["export_url"]
    assert url.startswith(reverse("admin:orgs_dialpaduser_export") + "?")
    assert "q=ann" in url and "state__exact=active" in url and "p=" not in url
    assert "Export CSV" in response.content.decode()


def test_numbers_export_shows_e164_and_readable_forms(viewer, org):
    number = PhoneNumber.objects.filter(assigned_user=org.users[0]).get()

    rows = export(viewer, "phonenumber", {"q": number.number})

    assert rows[0][:4] == ["Number (E.164)", "Number (international)", "Number (national)",
                           "Status"]
    [row] = rows[1:]
    assert row[0] == number.number
    assert row[1].startswith("+1 ") and row[1].replace(" ", "").replace("-", "") == number.number
    assert row[5] == str(org.users[0])
    assert row[6] == "User"


def test_numbers_export_equals_the_filtered_list(viewer, org):
    query = {"target_type__exact": "room"}

    rows = export(viewer, "phonenumber", query)

    assert [row[0] for row in rows[1:]] == [n.number for n in listed(viewer, "phonenumber",
                                                                       query)]
    assert len(rows) == 1 + 3


def test_memberships_export_names_operator_group_and_role(viewer, org):
    callcenter = org.callcenters[2]
    query = {"q": callcenter.name}

    rows = export(viewer, "operatormembership", query)

    assert rows[0][:6] == ["Operator", "Operator kind", "Operator email", "Role", "Group",
                           "Group kind"]
    expected = listed(viewer, "operatormembership", query)
    assert len(rows) - 1 == len(expected) >= 1
    assert [(row[0], row[4]) for row in rows[1:]] == [(str(m.operator), str(m.group))
                                                      for m in expected]
    assert ("Admin" in {row[3] for row in rows[1:]})
    assert len(rows) - 1 < OperatorMembership.objects.count()


def test_more_rows_than_a_page_are_all_exported(viewer):
    factories.DialpadUserFactory.create_batch(130)

    rows = export(viewer, "dialpaduser")

    assert len(rows) - 1 == 130


def test_it_needs_the_view_permission(client, org):
    client.force_login(factories.LoginFactory(username="staff-only", is_staff=True))

    response = client.get(reverse("admin:orgs_dialpaduser_export"))

    assert response.status_code == 403
    assert "orgs.view_dialpaduser" in response.content.decode()


def test_a_bad_filter_value_goes_back_to_the_list(viewer, org):
    response = viewer.get(reverse("admin:orgs_dialpaduser_export"),
                          {"office__dialpad_id__exact": "not-a-number"})

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_cells_a_spreadsheet_would_run_are_defused(viewer):
    factories.DialpadUserFactory(display_name="=HYPERLINK(\"x\")", job_title="-1+2")
    factories.DialpadUserFactory(display_name="Zed", job_title="+1 (415) 555-0100")

    rows = export(viewer, "dialpaduser")

    assert (rows[1][0], rows[1][10]) == ("'=HYPERLINK(\"x\")", "'-1+2")
    assert rows[2][10] == "+1 (415) 555-0100"  # a phone number stays as it is


def test_the_numbers_export_reads_what_they_are_assigned_to_without_a_query_per_row(
        viewer, org, django_assert_max_num_queries):
    numbers = PhoneNumber.objects.count()

    # The session, the login and its permissions, the list it exports (its office filter's
    # choices, its count, its first page), then every row in one query per chunk: not one
    # per row for its target, nor for its office.
    with django_assert_max_num_queries(8):
        rows = export(viewer, "phonenumber")

    assert len(rows) == 1 + numbers
    assert {row[6] for row in rows[1:]} >= {"User", "Room", "Call center", "Department"}
