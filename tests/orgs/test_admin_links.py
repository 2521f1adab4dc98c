"""Links between related objects: what an office, group, user, room and number page show."""

import re

import pytest
from django.urls import reverse

from orgs.models import DialpadUser
from tests import factories

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:orgs_{obj._meta.model_name}_change", args=[obj.pk])


def page(client, obj):
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return response


def section(response, key):
    """The RelatedSection `key` of a change page, and its rendered HTML."""
    sections = {s.key: s for s in response.context["related_sections"]}
    html = response.content.decode()
    start = html.index(f'id="section-{key}"')
    end = html.find('<div class="module dialpad-section"', start)
    return sections[key], html[start:end if end != -1 else None]


def links_to(html, obj):
    return f'href="{change_url(obj)}"' in html


@pytest.mark.parametrize("target_factory", [
    factories.DialpadUserFactory,
    factories.RoomFactory,
    factories.DepartmentFactory,
    factories.CallCenterFactory,
    factories.OfficeFactory,
])
def test_a_numbers_page_links_to_its_target(logged_in, target_factory):
    target = target_factory()
    number = factories.PhoneNumberFactory(target=target)

    html = page(logged_in, number).content.decode()

    field = re.search(r'field-target">.*?</div>\s*</div>', html, re.S).group(0)
    assert links_to(field, target)


def test_a_number_assigned_to_a_kind_the_console_does_not_mirror_shows_its_type_and_id(
    logged_in
):
    number = factories.PhoneNumberFactory(target_type="callrouter", target_id=5_000_000_123,
                                          status="call_router")

    html = page(logged_in, number).content.decode()

    assert "Call router 5000000123" in html


def test_the_number_changelist_links_each_number_to_its_target_and_office(logged_in):
    user = factories.DialpadUserFactory()
    factories.PhoneNumberFactory(target=user)

    html = logged_in.get(reverse("admin:orgs_phonenumber_changelist")).content.decode()

    assert links_to(html, user)
    assert links_to(html, user.office)


def test_the_user_changelist_links_the_office_and_the_users_numbers(logged_in):
    user = factories.DialpadUserFactory()
    number = factories.PhoneNumberFactory(target=user)

    html = logged_in.get(reverse("admin:orgs_dialpaduser_changelist")).content.decode()

    assert links_to(html, user.office)
    assert links_to(html, number)


@pytest.fixture
def office_org():
    office = factories.OfficeFactory(name="Amsterdam")
    org = factories.org_build(size=2, office=office)
    org.office = office
    org.elsewhere = factories.org_build(size=1)
    return org


@pytest.mark.parametrize("key,rows,count", [
    ("departments", "departments", 2),
    ("callcenters", "callcenters", 2),
    ("rooms", "rooms", 2),
    ("users", "users", 2),
    ("numbers", "numbers", 10),
])
def test_the_office_page_lists_what_is_in_the_office(logged_in, office_org, key, rows, count):
    office_number = factories.PhoneNumberFactory(target=office_org.office)

    listed, html = section(page(logged_in, office_org.office), key)

    mine = getattr(office_org, rows) + ([office_number] if key == "numbers" else [])
    assert set(listed.listing.items) == set(mine)
    assert listed.total == count + (1 if key == "numbers" else 0)
    assert all(links_to(html, obj) for obj in mine)
    assert not any(links_to(html, obj) for obj in getattr(office_org.elsewhere, rows))


def test_the_office_page_lists_its_operators(logged_in, office_org):
    listed, html = section(page(logged_in, office_org.office), "operators")

    assert [m.user for m in listed.listing.items] == office_org.users
    assert all(links_to(html, user) for user in office_org.users)


def test_the_office_page_caps_a_long_list_and_links_to_the_filtered_changelist(
    logged_in, office_org
):
    factories.DialpadUserFactory.create_batch(30, office=office_org.office)

    listed, html = section(page(logged_in, office_org.office), "users")

    assert len(listed.listing.items) == 25
    assert listed.total == 32
    assert "Showing 25 of 32" in html
    see_all = re.search(r'<a href="([^"]+)">See all 32</a>', html).group(1)
    found = logged_in.get(see_all.replace("&amp;", "&")).context["cl"].result_list
    assert len(found) == 32
    assert {u.office_id for u in found} == {office_org.office.pk}


@pytest.mark.parametrize("key", ["departments", "callcenters", "rooms", "users", "numbers",
                                 "operators"])
def test_each_office_section_links_to_the_list_of_exactly_its_rows(logged_in, office_org, key):
    listed, _ = section(page(logged_in, office_org.office), key)

    response = logged_in.get(listed.see_all_url)

    assert response.status_code == 200
    assert response.context["cl"].result_count == listed.total


def test_the_office_page_shows_its_e911_address(logged_in):
    address = factories.E911AddressFactory(address="1 Market St", city="San Francisco")

    html = page(logged_in, address.office).content.decode()

    assert links_to(html, address)
    assert "1 Market St" in html


def test_gone_rows_are_left_out_of_a_pages_sections_and_counts(logged_in):
    office = factories.OfficeFactory()
    factories.DialpadUserFactory(office=office, display_name="Gone Person", gone=True)
    factories.DialpadUserFactory(office=office, display_name="Present Person")

    listed, html = section(page(logged_in, office), "users")

    assert "Present Person" in html and "Gone Person" not in html
    assert (listed.total, listed.gone_hidden) == (1, 1)
    assert "Users (1)" in html
    assert '1 gone from Dialpad not shown. <a href="?gone=1#section-users"' in html
    assert listed.list_url.endswith("presence=present")


def test_one_click_shows_the_gone_rows_marked_gone(logged_in):
    office = factories.OfficeFactory()
    factories.DialpadUserFactory(office=office, display_name="Gone Person", gone=True)
    factories.DialpadUserFactory(office=office, display_name="Present Person")

    listed, html = section(logged_in.get(
        reverse("admin:orgs_office_change", args=[office.pk]) + "?gone=1"), "users")

    assert "Users (2, 1 gone)" in html
    assert listed.list_url == listed.see_all_url  # the list with gone rows too

    rows = re.findall(r"<tr.*?</tr>", html, re.S)
    gone_row = next(r for r in rows if "Gone Person" in r)
    present_row = next(r for r in rows if "Present Person" in r)
    assert 'class="dialpad-gone"' in gone_row
    assert 'class="dialpad-gone"' not in present_row
    assert rows.index(present_row) < rows.index(gone_row)  # present rows first


@pytest.mark.parametrize("group_factory", [factories.DepartmentFactory,
                                           factories.CallCenterFactory])
def test_a_groups_page_lists_its_operators_with_their_role(logged_in, group_factory):
    group = group_factory()
    admin_user = factories.DialpadUserFactory(display_name="Ada Admin")
    room = factories.RoomFactory(name="Lobby")
    factories.OperatorMembershipFactory(group=group, operator=admin_user, role="admin")
    factories.OperatorMembershipFactory(group=group, operator=room)
    factories.OperatorMembershipFactory(operator=factories.DialpadUserFactory(
        display_name="Somebody Else"))

    listed, html = section(page(logged_in, group), "operators")

    assert {(str(m.operator), m.role) for m in listed.listing.items} == {
        ("Ada Admin", "admin"), ("Lobby", "operator")}
    assert links_to(html, admin_user) and links_to(html, room)
    assert "Somebody Else" not in html


@pytest.mark.parametrize("group_factory", [factories.DepartmentFactory,
                                           factories.CallCenterFactory])
def test_a_groups_page_lists_its_numbers(logged_in, group_factory):
    group = group_factory()
    number = factories.PhoneNumberFactory(target=group)
    factories.PhoneNumberFactory(target=group_factory())

    listed, html = section(page(logged_in, group), "numbers")

    assert listed.listing.items == [number]
    assert links_to(html, number)


def test_a_groups_page_links_its_office(logged_in):
    department = factories.DepartmentFactory()

    assert links_to(page(logged_in, department).content.decode(), department.office)


def test_a_users_page_lists_their_groups_with_role(logged_in):
    user = factories.DialpadUserFactory()
    department = factories.DepartmentFactory(name="Support")
    callcenter = factories.CallCenterFactory(name="Sales line")
    factories.OperatorMembershipFactory(group=department, operator=user)
    factories.OperatorMembershipFactory(group=callcenter, operator=user, role="admin")

    listed, html = section(page(logged_in, user), "groups")

    assert {(str(m.group), m.role) for m in listed.listing.items} == {
        ("Support", "operator"), ("Sales line", "admin")}
    assert links_to(html, department) and links_to(html, callcenter)


def test_a_users_page_lists_their_numbers(logged_in):
    user = factories.DialpadUserFactory()
    numbers = factories.PhoneNumberFactory.create_batch(2, target=user)
    factories.PhoneNumberFactory(target=factories.DialpadUserFactory())

    listed, html = section(page(logged_in, user), "numbers")

    assert listed.listing.items == numbers
    assert all(links_to(html, n) for n in numbers)


def test_a_users_page_shows_their_e911_address(logged_in):
    user = factories.DialpadUserFactory()
    address = factories.E911AddressFactory(office=None, user=user, address="10 Downing St")

    html = page(logged_in, user).content.decode()

    assert links_to(html, address)
    assert "10 Downing St" in html


def test_a_rooms_page_lists_its_numbers_groups_and_deskphones(logged_in):
    room = factories.RoomFactory()
    number = factories.PhoneNumberFactory(target=room)
    membership = factories.OperatorMembershipFactory(operator=room)
    deskphone = factories.DeskphoneFactory(room=room)
    factories.DeskphoneFactory()

    response = page(logged_in, room)

    numbers, numbers_html = section(response, "numbers")
    groups, groups_html = section(response, "groups")
    deskphones, deskphones_html = section(response, "deskphones")
    assert numbers.listing.items == [number] and links_to(numbers_html, number)
    assert groups.listing.items == [membership] and links_to(groups_html, membership.department)
    assert deskphones.listing.items == [deskphone] and links_to(deskphones_html, deskphone)


def test_a_memberships_page_links_its_group_and_operator(logged_in):
    membership = factories.OperatorMembershipFactory()

    html = page(logged_in, membership).content.decode()

    assert links_to(html, membership.department)
    assert links_to(html, membership.user)
    assert links_to(html, membership.department.office)


def test_an_e911_addresss_page_links_its_owner(logged_in):
    address = factories.E911AddressFactory(office=None, user=factories.DialpadUserFactory())

    assert links_to(page(logged_in, address).content.decode(), address.user)


def test_a_deskphones_page_links_its_room(logged_in):
    deskphone = factories.DeskphoneFactory()

    assert links_to(page(logged_in, deskphone).content.decode(), deskphone.room)


def test_a_page_without_related_rows_says_none(logged_in):
    user = factories.DialpadUserFactory()

    _, html = section(page(logged_in, user), "numbers")

    assert "None." in html
    assert DialpadUser.objects.count() == 1


def test_the_membership_changelist_links_operator_group_and_membership(logged_in):
    membership = factories.OperatorMembershipFactory()

    html = logged_in.get(reverse("admin:orgs_operatormembership_changelist")).content.decode()

    assert links_to(html, membership)
    assert links_to(html, membership.user)
    assert links_to(html, membership.department)
    assert not re.search(r"<a [^>]*>[^<]*<a ", html)  # no link inside a link
