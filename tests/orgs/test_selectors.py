"""orgs.selectors: reading numbers by their digits, and an object's related rows."""

import pytest

from orgs import selectors
from tests import factories


@pytest.mark.parametrize("value,digits", [
    ("+1 (415) 555-0100", "14155550100"),
    ("415.555.0100", "4155550100"),
    ("", ""),
    (None, ""),
    ("ext. ٣", ""),  # a non-ASCII digit is not a phone digit
])
def test_digits_normalize_keeps_the_ascii_digits_alone(value, digits):
    assert selectors.digits_normalize(value) == digits


@pytest.mark.parametrize("term,candidates", [
    ("(415) 555-0100", ["4155550100"]),
    ("+1 415-555-0100", ["14155550100"]),
    ("555-0100", ["5550100"]),
    ("020 7946 0958", ["02079460958", "2079460958"]),
])
def test_phone_term_digits_reads_a_number_typed_in_any_format(term, candidates):
    assert selectors.phone_term_digits(term) == candidates


@pytest.mark.parametrize("term", ["ada", "ada@example.com", "415-555-0100 ext 12", "", "  ", "()"])
def test_phone_term_digits_ignores_what_is_not_a_number(term):
    assert selectors.phone_term_digits(term) == []


@pytest.mark.django_db
class TestNumberOwnerGet:
    def test_it_returns_the_user_a_number_is_assigned_to(self):
        user = factories.DialpadUserFactory()
        factories.PhoneNumberFactory(number="+14155550100", target=user)

        assert selectors.number_owner_get(digits="+14155550100") == user

    @pytest.mark.parametrize("digits", ["(415) 555-0100", "1 415 555 0100", "4155550100"])
    def test_it_reads_the_digits_in_any_format(self, digits):
        room = factories.RoomFactory()
        factories.PhoneNumberFactory(number="+14155550100", target=room)

        assert selectors.number_owner_get(digits=digits) == room

    def test_an_unknown_number_has_no_owner(self):
        factories.PhoneNumberFactory(number="+14155550100", target=factories.DialpadUserFactory())

        assert selectors.number_owner_get(digits="+14155550199") is None

    def test_an_unassigned_number_has_no_owner(self):
        factories.PhoneNumberFactory(number="+14155550100")

        assert selectors.number_owner_get(digits="+14155550100") is None

    def test_a_number_of_a_kind_the_console_does_not_mirror_has_no_owner(self):
        factories.PhoneNumberFactory(number="+14155550100", target_type="callrouter",
                                     target_id=5_000_000_000_000_999)

        assert selectors.number_owner_get(digits="+14155550100") is None

    def test_a_few_digits_that_end_several_numbers_find_no_owner(self):
        factories.PhoneNumberFactory(number="+14155550100", target=factories.DialpadUserFactory())
        factories.PhoneNumberFactory(number="+16505550100", target=factories.DialpadUserFactory())

        assert selectors.number_owner_get(digits="555-0100") is None

    def test_an_exact_match_wins_over_a_number_ending_with_the_digits(self):
        user = factories.DialpadUserFactory()
        factories.PhoneNumberFactory(number="+14155550100", target=user)
        factories.PhoneNumberFactory(number="+4414155550100", target=factories.RoomFactory())

        assert selectors.number_owner_get(digits="+1 415 555 0100") == user

    def test_empty_digits_find_nothing(self):
        factories.PhoneNumberFactory(target=factories.DialpadUserFactory())

        assert selectors.number_owner_get(digits="") is None
        assert selectors.number_get_by_digits(digits="n/a") is None


@pytest.mark.django_db
def test_number_get_by_digits_returns_the_number_with_its_target_loaded(
    django_assert_num_queries
):
    user = factories.DialpadUserFactory()
    factories.PhoneNumberFactory(number="+14155550100", target=user)

    with django_assert_num_queries(1):
        number = selectors.number_get_by_digits(digits="+14155550100")
        assert number.target == user
        assert number.office == user.office


@pytest.mark.django_db
def test_a_present_number_ending_with_the_digits_wins_over_a_gone_one():
    user = factories.DialpadUserFactory()
    factories.PhoneNumberFactory(number="+14155550100", target=user)
    factories.PhoneNumberFactory(number="+4414155550100", gone=True)

    assert selectors.number_owner_get(digits="(415) 555-0100") == user


@pytest.mark.django_db
def test_office_related_get_caps_each_listing_and_counts_all():
    office = factories.OfficeFactory()
    factories.DialpadUserFactory.create_batch(4, office=office)
    factories.DialpadUserFactory()  # elsewhere

    related = selectors.office_related_get(office=office, limit=3)

    assert len(related["users"].items) == 3
    assert related["users"].total == 4
    assert related["users"].more
    assert related["rooms"].total == 0 and not related["rooms"].more


@pytest.mark.django_db
def test_related_listings_put_present_rows_before_gone_ones():
    office = factories.OfficeFactory()
    gone = factories.DialpadUserFactory(office=office, display_name="Aaron", gone=True)
    present = factories.DialpadUserFactory(office=office, display_name="Zoe")

    assert selectors.office_related_get(office=office)["users"].items == [present, gone]


@pytest.mark.django_db
def test_an_office_pages_listings_are_counted_in_one_query_then_read_one_query_each(
    django_assert_num_queries
):
    office = factories.OfficeFactory()
    factories.DialpadUserFactory.create_batch(2, office=office)
    factories.DialpadUserFactory(office=office, gone=True)
    numbers = [factories.PhoneNumberFactory(number=f"+1415555010{n}", office=office,
                                            target=factories.RoomFactory(office=office))
               for n in range(4)]

    with django_assert_num_queries(1 + 6):
        related = selectors.office_related_get(office=office, limit=3, with_gone=False)

    assert (related["users"].total, related["users"].gone) == (2, 1)
    assert (related["rooms"].total, related["numbers"].total) == (4, 4)
    assert related["numbers"].items == numbers[:3]  # the first three, in order
    assert (related["departments"].total, related["departments"].gone) == (0, 0)
    with django_assert_num_queries(0):  # what the section shows was read with them
        [str(number.target) for number in related["numbers"].items]


@pytest.mark.django_db
def test_a_groups_operators_and_a_users_groups_read_only_the_end_the_page_shows(
    django_assert_num_queries
):
    office = factories.OfficeFactory()
    department = factories.DepartmentFactory(office=office)
    user, room = factories.DialpadUserFactory(office=office), factories.RoomFactory(office=office)
    factories.OperatorMembershipFactory(group=office, operator=user)
    factories.OperatorMembershipFactory(group=office, operator=room)
    factories.OperatorMembershipFactory(group=department, operator=user)

    operators = selectors.office_related_get(office=office)["operators"].items
    groups = selectors.user_related_get(user=user)["groups"].items

    with django_assert_num_queries(0):  # each shows the end it read
        assert {m.operator for m in operators} == {user, room}
        assert {m.group for m in groups} == {office, department}
    # Each join the page does not show costs PostgreSQL's planner more than the rows do.
    assert not {"user", "room"} & set(groups[0]._state.fields_cache)
    assert not {"office", "department", "callcenter"} & set(operators[0]._state.fields_cache)


@pytest.mark.django_db
def test_office_list_annotate_counts_present_users_and_numbers():
    office = factories.OfficeFactory()
    users = factories.DialpadUserFactory.create_batch(2, office=office)
    factories.DialpadUserFactory(office=office, gone=True)
    factories.PhoneNumberFactory(target=users[0])
    factories.OfficeFactory()

    counted = {o.pk: o for o in selectors.office_list_annotate(
        office.__class__.objects.all())}

    assert (counted[office.pk].user_count, counted[office.pk].number_count) == (2, 1)
    assert [(o.user_count, o.number_count) for pk, o in counted.items() if pk != office.pk] == [
        (0, 0)]


@pytest.mark.django_db
def test_call_group_list_annotate_counts_present_operators():
    department = factories.DepartmentFactory()
    factories.OperatorMembershipFactory.create_batch(2, group=department)
    factories.OperatorMembershipFactory(group=department, gone=True)

    annotated = selectors.call_group_list_annotate(department.__class__.objects.all()).get()

    assert annotated.operator_count == 2
