"""Fixtures for the simulator's own tests: plain `requests` against a real server."""

import pytest

from tests.sim.helpers import Api


@pytest.fixture
def api(sim):
    client = Api(sim)
    yield client
    client.close()


@pytest.fixture
def api_for():
    clients = []

    def make(server, key=None):
        client = Api(server, key)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
