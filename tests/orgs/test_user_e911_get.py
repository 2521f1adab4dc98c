"""user_e911_get: read a user's E911 address from Dialpad when an admin opens the user."""

import pytest
from django.core.exceptions import PermissionDenied

from orgs import services
from orgs.exceptions import DialpadReadFailed
from orgs.models import DialpadUser, E911Address
from tests import factories
from tests.orgs.helpers_push import forget_requests, history_of, journal, writes

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(org, request):
    """The mirrored org, with the sync's requests checked and cleared: these tests count reads."""
    forget_requests(org, request)
    return org


@pytest.fixture
def user(org):
    user = DialpadUser.objects.filter(state="active").first()
    org.state.user_e911[user.pk] = {"address": "9 Pine St", "address2": "", "city": "Seattle",
                                    "state": "WA", "zip": "98101", "country": "us"}
    return user


def test_it_reads_and_stores_the_users_address(org, user):
    row = services.user_e911_get(actor=factories.read_only_admin(), user=user)

    assert (row.user, row.address, row.city, row.country) == (user, "9 Pine St", "Seattle", "us")
    assert row.fetched_at is not None
    assert [(r.method, r.path) for r in org.requests] == [("GET", f"/api/v2/users/{user.pk}/e911")]
    assert journal() == []  # a read, not a push


def test_it_notes_in_the_history_an_address_changed_in_dialpad(org, user):
    viewer = factories.read_only_admin()
    services.user_e911_get(actor=viewer, user=user)
    org.state.user_e911[user.pk]["city"] = "Tacoma"

    services.user_e911_get(actor=viewer, user=user)

    assert E911Address.objects.get(user=user).city == "Tacoma"
    assert history_of(user)[-1] == (
        "E911 address read from Dialpad, changed there: city: Seattle → Tacoma")


def test_it_needs_the_view_permission(org, user):
    with pytest.raises(PermissionDenied):
        services.user_e911_get(actor=factories.outsider(), user=user)

    assert org.requests == []


def test_it_says_when_dialpad_cannot_be_read(org, user):
    del org.state.users[user.pk]

    with pytest.raises(DialpadReadFailed) as error:
        services.user_e911_get(actor=factories.read_only_admin(), user=user)

    assert "not found" in str(error.value)
    assert not E911Address.objects.filter(user=user).exists()
    assert writes(org) == []
