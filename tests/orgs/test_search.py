"""orgs.search: what the user, number and name searches find, on SQLite and PostgreSQL alike.

The admin's changelists search through these (tests/orgs/test_admin_search.py reads them from
the pages); how fast they are is scripts/bench_search.py's business, not a test's.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orgs import search, selectors
from orgs.mirror import USERS, upsert_from_payload
from orgs.models import DialpadUser, Office, PhoneNumber, Room
from tests import factories

pytestmark = pytest.mark.django_db


def users(term):
    return list(search.user_search(DialpadUser.objects.order_by("pk"), term=term))


def numbers(term):
    return list(search.number_search(PhoneNumber.objects.order_by("pk"), term=term))


@pytest.fixture
def ada():
    return factories.DialpadUserFactory(
        first_name="Ada", last_name="Lovelace", display_name="Ada Lovelace",
        email="ada@example.com", emails="ada@example.com\nCountess@Analytical.example",
        extension="1042", job_title="Analyst",
    )


@pytest.fixture
def charles():
    return factories.DialpadUserFactory(
        first_name="Charles", last_name="Babbage", display_name="Charles Babbage",
        email="charles@example.com", emails="charles@example.com", extension="10420",
    )


# --- Users ------------------------------------------------------------------------------------


@pytest.mark.parametrize("term", ["love", "LOVELACE", "ada", "ada lovelace", "Lovelace Ada"])
def test_every_word_finds_a_user_by_part_of_any_of_their_names(ada, charles, term):
    assert users(term) == [ada]


def test_a_user_is_found_only_when_every_word_matches(ada, charles):
    assert users("ada babbage") == []


def test_a_quoted_phrase_is_one_word(ada, charles):
    assert users('"ada lovelace"') == [ada]
    assert users('"lovelace ada"') == []


@pytest.mark.parametrize("term", ["ada@example.com", "countess@analytical", "ANALYTICAL.example"])
def test_it_finds_a_user_by_any_of_their_emails_in_any_case(ada, charles, term):
    assert users(term) == [ada]


def test_it_finds_a_user_by_job_title(ada, charles):
    assert users("analyst") == [ada]


def test_an_extension_is_matched_whole(ada, charles):
    assert users("1042") == [ada]
    assert users("104") == []


def test_it_finds_a_user_by_dialpad_id(ada, charles):
    assert users(str(charles.pk)) == [charles]


def test_a_number_too_big_for_a_dialpad_id_finds_nobody_and_breaks_nothing(ada):
    assert users("9" * 30) == []


def test_a_phone_number_is_not_looked_for_in_names_and_emails(ada):
    # The user list finds a number's owner through the numbers (tests/orgs/test_admin_search.py)
    fax = factories.DialpadUserFactory(emails="4155550100@fax.example", job_title="(415) 555-0100")

    assert users("4155550100") == []
    assert users("(415) 555-0100") == []
    assert users("4155550100@fax") == [fax]  # not a phone number: an email's part


def test_a_short_run_of_digits_is_still_looked_for_in_the_text(ada):
    suite = factories.DialpadUserFactory(job_title="Suite 555")

    assert users("555") == [suite]


def test_a_phone_number_still_finds_the_user_with_that_extension(ada):
    long_extension = factories.DialpadUserFactory(extension="5550100")

    assert users("5550100") == [long_extension]


def test_case_is_ignored_beyond_ascii():
    lukasz = factories.DialpadUserFactory(first_name="Łukasz", last_name="Żółć",
                                          display_name="Łukasz Żółć")
    factories.DialpadUserFactory(first_name="Lukasz", last_name="Zolc", display_name="Lukasz Zolc")

    assert users("łukasz ŻÓŁĆ") == [lukasz]


@pytest.mark.parametrize("term,found", [
    ("a_b@", "a_b@example.com"),  # LIKE's "any character"
    ("a%b@", "a%b@example.com"),  # LIKE's "anything"
    ("a*b@", "a*b@example.com"),  # and what other pattern languages take for wildcards
    ("a[x]b@", "a[x]b@example.com"),
    ("a?b@", "a?b@example.com"),
])
def test_wildcard_characters_in_a_search_are_plain_characters(term, found):
    for email in ("a_b@example.com", "a%b@example.com", "a*b@example.com",
                  "a[x]b@example.com", "a?b@example.com", "axb@example.com", "ab@example.com"):
        factories.DialpadUserFactory(email=email, emails=email, display_name="Test User")

    assert [user.email for user in users(term)] == [found]


def test_a_users_search_text_follows_a_change_saved_to_the_row(ada):
    ada.display_name = "The Countess"
    ada.save(update_fields=["display_name"])

    assert users("the countess") == [ada]
    ada.refresh_from_db()
    assert ada.search_text.startswith("the countess\n")


def test_the_mirror_writes_the_search_text_with_the_names_it_stores(ada):
    renamed = {**ada.payload, "display_name": "Augusta King", "first_name": "Augusta",
               "last_name": "King"}

    _, changes = upsert_from_payload(USERS, renamed)

    assert users("augusta king") == [ada]
    assert users("lovelace") == []
    assert "search_text" not in changes  # derived: no History line of its own
    assert set(changes) >= {"display_name", "first_name", "last_name"}


def test_the_search_text_alone_is_never_a_change_to_write(ada):
    DialpadUser.objects.filter(pk=ada.pk).update(search_text="as an older version wrote it")

    _, changes = upsert_from_payload(USERS, ada.payload)

    assert changes == {}


def searches_of_the_users_text(queries):
    """The queries that look for words in the users' text (not those that only select it)."""
    return [q["sql"] for q in queries if SEARCHES_TEXT.search(q["sql"])]


SEARCHES_TEXT = re.compile(r'"search_text"(::text)? LIKE')


def test_a_searched_user_list_searches_the_users_text_once(logged_in, ada, charles):
    with CaptureQueriesContext(connection) as queries:
        response = logged_in.get(reverse("admin:orgs_dialpaduser_changelist"), {"q": "love"})

    assert list(response.context["cl"].result_list) == [ada]
    assert response.context["cl"].result_count == 1
    assert len(searches_of_the_users_text(queries)) == 1


def test_a_search_that_finds_many_users_still_finds_them_all(monkeypatch, ada, charles):
    # Beyond FOUND_IDS_MAX, the users found are a subquery rather than a list of ids.
    monkeypatch.setattr(search, "FOUND_IDS_MAX", 1)
    found_ids = search.user_ids_found("example.com")

    assert not isinstance(found_ids, list)
    assert users("example.com") == [ada, charles]
    assert users("lovelace") == [ada]


def test_a_search_that_finds_no_user_lists_none(ada):
    assert search.user_ids_found("nobody-here") == []
    assert users("nobody-here") == []


# --- Numbers ----------------------------------------------------------------------------------


def test_numbers_are_found_by_their_users_email(ada, charles):
    wanted = factories.PhoneNumberFactory(target=ada)
    factories.PhoneNumberFactory(target=charles)

    assert numbers("countess@analytical.example") == [wanted]


def test_numbers_are_found_by_their_users_when_many_users_are_found(monkeypatch, ada, charles):
    monkeypatch.setattr(search, "FOUND_IDS_MAX", 1)
    wanted = [factories.PhoneNumberFactory(target=ada), factories.PhoneNumberFactory(target=charles)]
    factories.PhoneNumberFactory(target=factories.RoomFactory(name="Lobby"))

    assert numbers("example.com") == wanted


@pytest.mark.parametrize("target_factory", [
    factories.OfficeFactory, factories.DepartmentFactory, factories.CallCenterFactory,
    factories.RoomFactory,
])
def test_numbers_are_found_by_the_name_of_what_they_are_assigned_to(target_factory):
    wanted = factories.PhoneNumberFactory(target=target_factory(name="Front Desk West"))
    factories.PhoneNumberFactory(target=target_factory(name="Front Office"))

    assert numbers("desk front") == [wanted]


def test_each_number_is_found_once_whatever_matches_it(ada):
    room = factories.RoomFactory(name="Lovelace Lounge")
    found = [factories.PhoneNumberFactory(target=ada), factories.PhoneNumberFactory(target=ada),
             factories.PhoneNumberFactory(target=room)]
    factories.PhoneNumberFactory(target=factories.RoomFactory(name="Lobby"))

    assert numbers("lovelace") == found


def test_a_phone_like_term_searches_digits_only():
    team = factories.DialpadUserFactory(job_title="555 0100 team")
    factories.PhoneNumberFactory(number="+16505559999", target=team)
    wanted = factories.PhoneNumberFactory(number="+14155550100")

    assert numbers("555 0100") == [wanted]


# --- Names (the global search) ------------------------------------------------------------------


def test_objects_are_named_by_every_word_in_any_case():
    hq = factories.OfficeFactory(name="New York HQ")
    road = factories.OfficeFactory(name="York Road")
    factories.OfficeFactory(name="Newark")

    assert list(search.objects_named(model=Office, term="new york").order_by("pk")) == [hq]
    assert list(search.objects_named(model=Office, term="YORK").order_by("pk")) == [hq, road]


def test_rooms_are_named_with_wildcards_as_plain_characters():
    wanted = factories.RoomFactory(name="Room_1")
    factories.RoomFactory(name="Room 1")

    assert list(search.objects_named(model=Room, term="room_")) == [wanted]


# --- A list filter's choices ------------------------------------------------------------------


def test_distinct_values_lists_each_value_once_in_order():
    for country in ("us", "gb", "us", "", "ie"):
        factories.DialpadUserFactory(country=country)

    assert selectors.distinct_values(model=DialpadUser, field="country") == ["", "gb", "ie", "us"]


def test_distinct_values_of_an_empty_table_are_an_empty_list():
    assert selectors.distinct_values(model=DialpadUser, field="license") == []
