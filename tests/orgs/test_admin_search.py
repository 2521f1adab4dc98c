"""The changelist search: a user by name, email or extension; a number by any format of it."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def search(client, model_name, term):
    response = client.get(reverse(f"admin:orgs_{model_name}_changelist"), {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.fixture
def ada():
    return factories.DialpadUserFactory(
        first_name="Ada", last_name="Lovelace", display_name="Ada Lovelace",
        email="ada@example.com", emails="ada@example.com\nada.lovelace@analytical.example",
        extension="1042",
    )


@pytest.fixture
def others():
    return [
        factories.DialpadUserFactory(first_name="Charles", last_name="Babbage",
                                     display_name="Charles Babbage", extension="10420"),
        factories.DialpadUserFactory(first_name="Grace", last_name="Hopper",
                                     display_name="Grace Hopper", extension="2042"),
    ]


def test_it_finds_a_user_by_display_name(logged_in, ada, others):
    assert search(logged_in, "dialpaduser", "lovelace") == [ada]


def test_it_finds_a_user_by_first_and_last_name(logged_in, ada, others):
    ada.display_name = "The Countess"
    ada.save()

    assert search(logged_in, "dialpaduser", "Ada Lovelace") == [ada]


def test_it_finds_a_user_by_their_first_email(logged_in, ada, others):
    assert search(logged_in, "dialpaduser", "ada@example.com") == [ada]


def test_it_finds_a_user_by_any_of_their_emails(logged_in, ada, others):
    assert search(logged_in, "dialpaduser", "ada.lovelace@analytical.example") == [ada]


def test_it_finds_a_user_by_exact_extension(logged_in, ada, others):
    assert search(logged_in, "dialpaduser", "1042") == [ada]


def test_it_finds_a_user_by_dialpad_id(logged_in, ada, others):
    assert search(logged_in, "dialpaduser", str(ada.pk)) == [ada]


def test_it_finds_a_user_by_one_of_their_numbers(logged_in, ada, others):
    factories.PhoneNumberFactory(number="+14155550100", target=ada)
    factories.PhoneNumberFactory(number="+14155550199", target=others[0])

    assert search(logged_in, "dialpaduser", "(415) 555-0100") == [ada]


def test_a_user_with_two_matching_numbers_is_listed_once(logged_in, ada):
    factories.PhoneNumberFactory(number="+14155550100", target=ada)
    factories.PhoneNumberFactory(number="+14155550101", target=ada)

    assert search(logged_in, "dialpaduser", "415 555 010") == [ada]


def test_a_search_for_nobody_finds_nobody(logged_in, ada, others):
    assert search(logged_in, "dialpaduser", "nobody@nowhere.example") == []


NUMBER_FORMATS = [
    "(415) 555-0100",
    "+1 415-555-0100",
    "4155550100",
    "555-0100",
    "+14155550100",
    "1.415.555.0100",
    " 415 555 0100 ",
]


@pytest.mark.parametrize("term", NUMBER_FORMATS)
def test_number_search_finds_the_number_from_any_format_of_its_digits(logged_in, term):
    wanted = factories.PhoneNumberFactory(number="+14155550100")
    factories.PhoneNumberFactory(number="+14155550199")
    factories.PhoneNumberFactory(number="+16505550100")

    found = search(logged_in, "phonenumber", term)

    assert wanted in found
    assert all(n.number in ("+14155550100", "+16505550100") for n in found)


def test_number_search_with_all_digits_finds_only_that_number(logged_in):
    wanted = factories.PhoneNumberFactory(number="+14155550100")
    factories.PhoneNumberFactory(number="+16505550100")

    assert search(logged_in, "phonenumber", "(415) 555-0100") == [wanted]


def test_number_search_drops_a_national_trunk_prefix(logged_in):
    wanted = factories.PhoneNumberFactory(number="+442079460958")

    assert search(logged_in, "phonenumber", "020 7946 0958") == [wanted]


def test_number_search_finds_numbers_by_the_name_of_their_target(logged_in, ada):
    wanted = factories.PhoneNumberFactory(target=ada)
    factories.PhoneNumberFactory()

    assert search(logged_in, "phonenumber", "Lovelace") == [wanted]


def test_it_finds_an_office_by_its_main_number(logged_in):
    office = factories.OfficeFactory(name="London")
    factories.OfficeFactory(name="Paris")
    factories.PhoneNumberFactory(number="+442079460958", target=office)

    assert search(logged_in, "office", "+44 20 7946 0958") == [office]


def test_it_finds_an_office_by_name(logged_in):
    office = factories.OfficeFactory(name="London")
    factories.OfficeFactory(name="Paris")

    assert search(logged_in, "office", "lond") == [office]


@pytest.mark.parametrize("model_name,factory", [
    ("department", factories.DepartmentFactory),
    ("callcenter", factories.CallCenterFactory),
    ("room", factories.RoomFactory),
])
def test_it_finds_a_group_or_room_by_name_and_by_number(logged_in, model_name, factory):
    wanted = factory(name="Front desk")
    factory(name="Back office")
    factories.PhoneNumberFactory(number="+14155550100", target=wanted)

    assert search(logged_in, model_name, "front") == [wanted]
    assert search(logged_in, model_name, "415-555-0100") == [wanted]


def test_it_finds_a_membership_by_the_operators_name(logged_in, ada, others):
    wanted = factories.OperatorMembershipFactory(operator=ada)
    factories.OperatorMembershipFactory(operator=others[0])

    assert search(logged_in, "operatormembership", "Lovelace") == [wanted]


def test_it_finds_an_e911_address_by_city_and_by_owner(logged_in, ada):
    wanted = factories.E911AddressFactory(office=None, user=ada, city="London")
    factories.E911AddressFactory(city="Paris")

    assert search(logged_in, "e911address", "london") == [wanted]
    assert search(logged_in, "e911address", "lovelace") == [wanted]


def test_it_finds_a_deskphone_by_mac_address(logged_in):
    wanted = factories.DeskphoneFactory(mac_address="00:04:f2:aa:bb:cc")
    factories.DeskphoneFactory()

    assert search(logged_in, "deskphone", "aa:bb:cc") == [wanted]
