"""Fixtures shared by the org mirror's tests; plain helpers are in helpers_push.py.

`org`: the simulator's demo org, mirrored by the real sync (a module that builds its org
from factories instead, or needs more, defines its own `org`).

`pusher`: an admin who may push. By default the Django user the services are called with
(tests/orgs/test_<service>.py); in a module marked `pytest.mark.pusher("client")`, the test
client logged in as that user (the admin views' tests).
"""

import pytest

from tests import factories
from tests.orgs.helpers_push import mirror_org

PUSHER_KINDS = ("user", "client")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "pusher(kind): what the `pusher` fixture of tests/orgs is: 'user' (the default, the "
        "Django user) or 'client' (the test client logged in as that user)",
    )


@pytest.fixture
def org(use_sim):
    mirror_org(use_sim)
    return use_sim


@pytest.fixture
def pusher(request):
    marker = request.node.get_closest_marker("pusher")
    kind = marker.args[0] if marker else "user"
    assert kind in PUSHER_KINDS, f"pytest.mark.pusher({kind!r}): expected one of {PUSHER_KINDS}"
    user = factories.admin_who_may_push()
    if kind == "user":
        return user
    client = request.getfixturevalue("client")
    client.force_login(user)
    return client


@pytest.fixture
def logged_in(client):
    """The test client, logged in as a read-only admin."""
    client.force_login(factories.read_only_admin())
    return client
