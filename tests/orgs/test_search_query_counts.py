"""A searched changelist issues as many queries for a big org as for a small one (see
test_admin_query_counts.py for the method), for each kind of search the benchmark times."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests import factories
from tests.orgs.test_admin_query_counts import BIG, SMALL, assert_constant_queries

pytestmark = pytest.mark.django_db


def grow(count, numbers):
    """`count` users and rooms named Ana, each with a number +1 415 555 0xxx."""
    for _ in range(count):
        user = factories.DialpadUserFactory(first_name="Ana", email="ana@x.example",
                                            emails="ana@x.example", extension="7000")
        factories.PhoneNumberFactory(number=f"+1415555{next(numbers):04d}", target=user)
        room = factories.RoomFactory(name="Ana's lobby")
        factories.PhoneNumberFactory(number=f"+1415555{next(numbers):04d}", target=room)


@pytest.mark.parametrize("model_name,term,found_per_unit", [
    ("phonenumber", "(415) 555-0", 2),
    ("phonenumber", "+1 415-555-0", 2),
    ("phonenumber", "5550", 2),
    ("phonenumber", "ana", 2),  # by what the numbers are assigned to
    ("dialpaduser", "ana@x.example", 1),
    ("dialpaduser", "7000", 1),
    ("dialpaduser", "(415) 555-0", 1),  # by the user's number
])
def test_a_search_issues_as_many_queries_for_a_big_org_as_for_a_small_one(
    logged_in, django_assert_max_num_queries, model_name, term, found_per_unit
):
    numbers = iter(range(1000))
    grow(SMALL, numbers)
    url = reverse(f"admin:orgs_{model_name}_changelist") + "?" + urlencode({"q": term})

    response = assert_constant_queries(
        logged_in, url, lambda: grow(BIG - SMALL, numbers), django_assert_max_num_queries
    )

    assert response.context["cl"].result_count == BIG * found_per_unit
