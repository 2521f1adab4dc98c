"""A user's E911 address that Dialpad answers with something that is not an address.

GET /users/{id}/e911 answering 200 with a JSON list (or an empty body) is a failed read, not
an address: user_e911_get raises DialpadReadFailed saying so and stores nothing, and the
user's page and its E911 page open with that note (issue 8, case 6: they answered 500).
"""

import pytest
from django.urls import reverse

from orgs import services
from orgs.exceptions import DialpadReadFailed
from orgs.models import DialpadUser, E911Address
from tests import factories
from tests.orgs.helpers_push import history_of

pytestmark = pytest.mark.django_db

NOT_AN_ADDRESS = [("[]", "a JSON list"), ('["1 Market St"]', "a JSON list"),
                  ("", "an empty body")]


@pytest.fixture
def user(org):
    return DialpadUser.objects.filter(state="active").first()


def garble_the_next_answer(sim, body):
    sim.faults.garble_nth = {1}
    sim.faults.garble_answer = (200, body, "application/json")


@pytest.mark.parametrize("body,shape", NOT_AN_ADDRESS)
def test_an_answer_that_is_not_an_address_is_a_failed_read(org, user, body, shape):
    garble_the_next_answer(org, body)
    history = history_of(user)

    with pytest.raises(DialpadReadFailed) as failed:
        services.user_e911_get(actor=factories.read_only_admin(), user=user)

    assert str(failed.value) == (
        f"Could not read the E911 address from Dialpad: its answer is not an address ({shape})")
    assert not E911Address.objects.filter(user=user).exists()
    assert history_of(user) == history


@pytest.mark.parametrize("page", ["change", "e911"])
def test_the_users_pages_open_with_a_note(org, client, user, page):
    client.force_login(factories.admin_who_may_push())
    garble_the_next_answer(org, "[]")

    response = client.get(reverse(f"admin:orgs_dialpaduser_{page}", args=[user.pk]))

    assert response.status_code == 200
    assert ("Could not read the E911 address from Dialpad: its answer is not an address "
            "(a JSON list). The page shows what the console has.") in response.content.decode()
    assert not E911Address.objects.filter(user=user).exists()
