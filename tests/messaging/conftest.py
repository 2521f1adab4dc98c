"""Fixtures of the messaging tests: the simulator's demo org mirrored by the real sync, and
an admin who may send messages (the Django user, or the test client logged in as it)."""

import pytest

from tests import factories
from tests.orgs.helpers_push import mirror_org


@pytest.fixture
def org(use_sim):
    mirror_org(use_sim)
    return use_sim


@pytest.fixture
def messenger(db):
    """An admin who may send messages and manage channels."""
    return factories.messenger()


@pytest.fixture
def messenger_client(client, messenger):
    client.force_login(messenger)
    return client


@pytest.fixture
def viewer(db):
    """An admin who may look at the org and at what was sent, and send nothing."""
    return factories.messaging_viewer()

