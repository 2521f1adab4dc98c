import socket

import pytest

from dialpad_console.dialpad import DialpadClient

SECRET = "sk-test-SECRET-123"


@pytest.fixture
def make_client():
    """Build clients with test-sized retry waits; closes them after the test."""
    clients = []

    def make(sim=None, **options):
        settings = dict(
            rate_limit_per_minute=None,
            timeout=(2, 5),
            max_retries=3,
            max_retry_wait=0.2,
            backoff_base=0.01,
        )
        if sim is not None:
            settings.update(api_key=sim.api_key, base_url=sim.base_url)
        settings.update(options)
        client = DialpadClient(**settings)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(sim, make_client):
    return make_client(sim)


@pytest.fixture
def closed_port_url():
    """A localhost URL where nothing listens: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def client_requests(sim):
    """What the simulator received from the console's client (not from test set-up)."""
    return [r for r in sim.requests if (r.user_agent or "").startswith("dialpad-console")]


def query_of(rec) -> dict:
    """A recorded request's query as {name: value} (last value wins)."""
    from urllib.parse import parse_qs

    query = rec.query
    if isinstance(query, str):
        query = parse_qs(query, keep_blank_values=True)
    result = {}
    for name, value in (query or {}).items():
        result[name] = value[-1] if isinstance(value, (list, tuple)) else value
    return result
