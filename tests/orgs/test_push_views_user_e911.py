"""A user's page reads the user's E911 address from Dialpad (when the console has none yet),
and its "Edit E911 address" view pushes a new one."""

import pytest
from django.urls import reverse

from orgs import services
from orgs.models import DialpadUser, E911Address
from tests import factories
from tests.orgs.helpers_push import (
    history_of,
    journal,
    mirror_snapshot,
    slow_only_the_first_write,
    writes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]

ADDRESS = {"address": "1 Market St", "address2": "", "city": "San Francisco", "state": "CA",
           "zip": "94105", "country": "US"}
SENT = {**ADDRESS, "country": "us"}  # Dialpad's spelling


@pytest.fixture
def user(org):
    return DialpadUser.objects.filter(state="active", office__country="us").first()


def page(user):
    return reverse("admin:orgs_dialpaduser_change", args=[user.pk])


def e911_url(user):
    return reverse("admin:orgs_dialpaduser_e911", args=[user.pk])


def test_opening_a_user_reads_its_e911_address_from_dialpad(org, client, user):
    client.force_login(factories.read_only_admin())
    assert not E911Address.objects.filter(user=user).exists()

    response = client.get(page(user))

    assert response.status_code == 200
    assert [(r.method, r.path) for r in org.requests][-1] == (
        "GET", f"/api/v2/users/{user.pk}/e911")
    stored = E911Address.objects.get(user=user)
    assert str(stored) in response.content.decode()


def test_a_stored_address_is_not_read_again(org, client, user):
    client.force_login(factories.read_only_admin())
    client.get(page(user))
    org.requests.clear()

    client.get(page(user))

    assert org.requests == []


def test_a_failed_read_shows_a_note_and_the_page_still_opens(org, client, user):
    client.force_login(factories.read_only_admin())
    del org.state.users[user.pk]  # Dialpad answers 404

    response = client.get(page(user))

    assert response.status_code == 200
    assert "Could not read the E911 address from Dialpad" in response.content.decode()
    assert not E911Address.objects.filter(user=user).exists()


def test_a_slow_dialpad_does_not_hold_the_page(org, client, user, monkeypatch):
    client.force_login(factories.read_only_admin())
    # The page's read gives up early and does not retry (QUICK_READ); shortened here to keep
    # the test short. A read with the client's defaults would wait the second out, and then
    # there would be no note.
    monkeypatch.setitem(services.QUICK_READ, "timeout", (2.0, 0.3))
    start = len(org.requests)
    slow = slow_only_the_first_write(org, 1.0)  # sim.faults.slow_seconds, for one request

    try:
        response = client.get(page(user))
    finally:
        slow.join()

    assert response.status_code == 200
    assert "Could not read the E911 address from Dialpad" in response.content.decode()
    assert [(r.method, r.path) for r in org.requests[start:]] == [
        ("GET", f"/api/v2/users/{user.pk}/e911")]  # one try: no retry
    assert not E911Address.objects.filter(user=user).exists()


def test_it_changes_the_users_address(org, pusher, user):
    response = pusher.post(e911_url(user), {**ADDRESS, "use_validated_option": "on"})

    assert response.status_code == 302
    assert response.url == page(user)
    [put] = writes(org)
    assert (put.method, put.path) == ("PUT", f"/api/v2/users/{user.pk}/e911")
    assert put.json == {**SENT, "use_validated_option": True}
    assert E911Address.objects.get(user=user).address == "1 Market St"
    assert history_of(user)[-1].startswith("Changed E911 address to 1 Market St")


def test_a_bad_country_is_shown_on_its_field_and_nothing_is_sent(org, pusher, user):
    response = pusher.post(e911_url(user), {**ADDRESS, "country": "USA"})

    assert response.status_code == 200
    assert "country" in response.context["form"].errors
    assert writes(org) == []


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher, user):
    del org.state.users[user.pk]
    before = mirror_snapshot()

    response = pusher.post(e911_url(user), ADDRESS)

    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error.startswith(f"Dialpad refused: user {user.pk} not found")
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "refused"


def test_the_form_starts_from_the_address_dialpad_has(org, pusher, user):
    response = pusher.get(e911_url(user))

    stored = E911Address.objects.get(user=user)
    assert response.context["form"]["address"].value() == stored.address
    assert stored.address == org.state.user_e911[user.pk]["address"]
