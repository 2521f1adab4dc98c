"""orgs.text_index: on SQLite, the trigram index of the numbers' digits (migration 0009) answers
a search for a phone number, follows every write, and finds exactly what the plain LIKE finds;
elsewhere, or for a text it cannot serve, the plain lookup is used."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from orgs import search, selectors, text_index
from orgs.models import PhoneNumber
from tests import factories

pytestmark = pytest.mark.django_db

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite",
                               reason="the FTS5 trigram index is SQLite's (PostgreSQL: pg_trgm)")


def found(digits):
    """(what the index finds, what the plain LIKE finds), each in primary key order."""
    by_index = PhoneNumber.objects.filter(text_index.contains_q(PhoneNumber, "digits", digits))
    plain = PhoneNumber.objects.filter(digits__contains=digits)
    return list(by_index.order_by("pk")), list(plain.order_by("pk"))


@pytest.fixture
def numbers():
    return [factories.PhoneNumberFactory(number=number)
            for number in ("+14155550100", "+14155550199", "+442079460958")]


@on_sqlite
def test_a_search_for_a_phone_number_reads_the_trigram_index(numbers):
    query = str(selectors.numbers_matching(term="(415) 555-0100").query)

    assert "orgs_phonenumber_text" in query


def test_a_few_digits_are_looked_for_without_it(numbers):
    # A short run of digits is in many numbers: the index would cost more than a scan.
    assert "orgs_phonenumber_text" not in str(selectors.numbers_matching(term="555").query)


@pytest.mark.parametrize("digits", ["5550100", "14155550", "0199", "99", "999", "2079460958",
                                    "1%", "5_5"])
def test_it_finds_what_the_plain_lookup_finds(numbers, digits):
    by_index, plain = found(digits)

    assert by_index == plain


def test_the_index_follows_inserts_updates_and_deletes(numbers):
    first, second, london = numbers
    assert found("4155550100")[0] == [first]

    first.number, first.digits = "+14155550111", "14155550111"
    first.save()
    PhoneNumber.objects.filter(pk=second.pk).update(digits="14155550100")  # no save() at all
    london.delete()

    assert found("4155550100")[0] == [second]
    assert found("4155550111")[0] == [first]
    assert found("2079460958") == ([], [])


def test_a_number_search_finds_the_numbers_through_it(numbers):
    found_numbers = search.number_search(PhoneNumber.objects.order_by("pk"),
                                         term="+1 415-555-0100")

    assert list(found_numbers) == [numbers[0]]


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_without_the_index_the_search_still_works(numbers):
    executor = MigrationExecutor(connection)
    executor.migrate([("orgs", "0008_field_labels")])
    try:
        query = selectors.numbers_matching(term="(415) 555-0100")

        assert "orgs_phonenumber_text" not in str(query.query)
        assert list(query) == [numbers[0]]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    # Built again, from the rows there: the index finds them
    assert found("4155550100")[0] == [numbers[0]]
