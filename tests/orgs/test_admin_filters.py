"""Changelist filters: everything in an office, present or gone, memberships by kind."""

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def listed(client, model_name, **params):
    response = client.get(reverse(f"admin:orgs_{model_name}_changelist"), params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def row_of(html, text):
    """The <tr> of a changelist that contains text."""
    rows = [row for row in re.findall(r"<tr.*?</tr>", html, re.S) if text in row]
    assert len(rows) == 1, f"{len(rows)} rows contain {text!r}"
    return rows[0]


@pytest.fixture
def two_offices():
    return factories.org_build(size=2)


@pytest.mark.parametrize("model_name,rows", [
    ("department", "departments"),
    ("callcenter", "callcenters"),
    ("room", "rooms"),
    ("dialpaduser", "users"),
])
def test_the_office_filter_narrows_the_list_to_that_office(logged_in, two_offices, model_name,
                                                          rows):
    office = two_offices.offices[0]

    found = listed(logged_in, model_name, office__dialpad_id__exact=office.pk)

    assert found == [getattr(two_offices, rows)[0]]


def test_the_office_filter_narrows_numbers_to_that_offices_numbers(logged_in, two_offices):
    office = two_offices.offices[0]

    found = listed(logged_in, "phonenumber", office__dialpad_id__exact=office.pk)

    assert set(found) == {n for n in two_offices.numbers if n.office == office}
    assert len(found) == 5


def test_the_office_filter_of_memberships_includes_its_departments_and_call_centers(
    logged_in, two_offices
):
    office = two_offices.offices[0]

    found = listed(logged_in, "operatormembership", in_office=office.pk)

    assert set(found) == set(two_offices.memberships[:4])


def test_the_office_filter_is_offered_with_every_office(logged_in, two_offices):
    response = logged_in.get(reverse("admin:orgs_dialpaduser_changelist"))

    html = response.content.decode()
    for office in two_offices.offices:
        assert f"office__dialpad_id__exact={office.pk}" in html


@pytest.mark.parametrize("param,value,expected", [
    ("group_type__exact", "callcenter", 2),
    ("role__exact", "admin", 2),
    ("operator_type__exact", "room", 2),
])
def test_memberships_filter_by_group_type_role_and_operator_type(logged_in, two_offices, param,
                                                                 value, expected):
    found = listed(logged_in, "operatormembership", **{param: value})

    assert len(found) == expected
    field = param.removesuffix("__exact")
    assert {getattr(m, field) for m in found} == {value}


def test_numbers_filter_by_status_and_type(logged_in):
    available = factories.PhoneNumberFactory(type="tollfree")
    factories.PhoneNumberFactory(target=factories.DialpadUserFactory())

    assert listed(logged_in, "phonenumber", status__exact="available") == [available]
    assert listed(logged_in, "phonenumber", type__exact="tollfree") == [available]


@pytest.fixture
def present_and_gone():
    return factories.DialpadUserFactory(display_name="Still here"), factories.DialpadUserFactory(
        display_name="Long gone", gone=True
    )


def test_the_default_listing_shows_present_and_gone_rows(logged_in, present_and_gone):
    assert set(listed(logged_in, "dialpaduser")) == set(present_and_gone)


def test_the_presence_filter_lists_only_present_rows(logged_in, present_and_gone):
    assert listed(logged_in, "dialpaduser", presence="present") == [present_and_gone[0]]


def test_the_presence_filter_lists_only_gone_rows(logged_in, present_and_gone):
    assert listed(logged_in, "dialpaduser", presence="gone") == [present_and_gone[1]]


@pytest.mark.parametrize("model_name,factory,label", [
    ("office", factories.OfficeFactory, "name"),
    ("department", factories.DepartmentFactory, "name"),
    ("callcenter", factories.CallCenterFactory, "name"),
    ("room", factories.RoomFactory, "name"),
    ("dialpaduser", factories.DialpadUserFactory, "display_name"),
    ("phonenumber", factories.PhoneNumberFactory, "number"),
    ("deskphone", factories.DeskphoneFactory, "name"),
    ("company", factories.CompanyFactory, "name"),
])
def test_gone_rows_are_marked_gone_in_the_changelist(logged_in, model_name, factory, label):
    present, gone = factory(), factory(gone=True)

    html = logged_in.get(reverse(f"admin:orgs_{model_name}_changelist")).content.decode()

    assert 'class="dialpad-gone"' in row_of(html, getattr(gone, label))
    assert 'class="dialpad-gone"' not in row_of(html, getattr(present, label))


def test_gone_memberships_are_marked_gone_in_the_changelist(logged_in):
    present = factories.OperatorMembershipFactory(operator=factories.DialpadUserFactory(
        display_name="Present Operator"))
    factories.OperatorMembershipFactory(gone=True, operator=factories.DialpadUserFactory(
        display_name="Gone Operator"))

    html = logged_in.get(reverse("admin:orgs_operatormembership_changelist")).content.decode()

    assert 'class="dialpad-gone"' in row_of(html, "Gone Operator")
    assert 'class="dialpad-gone"' not in row_of(html, str(present.user))


def test_an_invalid_office_filter_value_is_refused_not_a_crash(logged_in, two_offices):
    response = logged_in.get(reverse("admin:orgs_operatormembership_changelist"),
                             {"in_office": "not-an-id"})

    assert response.status_code == 302
    assert "e=1" in response.url


def test_deskphones_filter_by_the_office_of_their_room(logged_in, two_offices):
    office = two_offices.offices[0]

    found = listed(logged_in, "deskphone", room__office__dialpad_id__exact=office.pk)

    assert found == [two_offices.deskphones[0]]
