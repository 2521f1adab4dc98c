"""What the client puts on the wire."""

import time

import pytest

from dialpad_console.dialpad import DialpadClient, TransportError

from .conftest import client_requests


def header(rec, name):
    return next((v for k, v in rec.headers.items() if k.lower() == name.lower()), None)


def test_it_sends_the_key_as_a_bearer_token(client, sim):
    client.get("/api/v2/company")
    assert header(client_requests(sim)[0], "Authorization") == f"Bearer {sim.api_key}"


def test_it_identifies_itself_as_dialpad_console(client, sim):
    client.get("/api/v2/company")
    assert client_requests(sim)[0].user_agent.startswith("dialpad-console/")


def test_it_returns_the_parsed_json_body(client, sim):
    company = client.get("/api/v2/company")
    assert company["name"] == sim.state.company["name"]


def test_delete_sends_a_json_body(client, sim):
    office_id, (operator_type, operator_id) = next(
        (gid, next(iter(members))) for (gtype, gid), members in sim.state.memberships.items()
        if gtype == "office" and members
    )
    body = {"operator_id": operator_id, "operator_type": operator_type}

    client.delete(f"/api/v2/offices/{office_id}/operators", body)

    assert client_requests(sim)[-1].json == body
    assert (operator_type, operator_id) not in sim.state.memberships[("office", office_id)]


@pytest.mark.parametrize("method", ["get", "post", "patch", "put", "delete"])
def test_every_method_gives_up_at_the_read_timeout(sim, make_client, method):
    sim.faults.slow_seconds = 1.0
    client = make_client(sim, timeout=(2, 0.2), max_retries=0)
    office_id = next(iter(sim.state.offices))
    call = {
        "get": lambda: client.get("/api/v2/company"),
        "post": lambda: client.post("/api/v2/webhooks", {"hook_url": "https://example.com/h"}),
        "patch": lambda: client.patch(f"/api/v2/offices/{office_id}", {"hours_on": True}),
        "put": lambda: client.put(f"/api/v2/offices/{office_id}/e911", {
            "address": "1 Main St", "city": "Springfield", "state": "IL", "country": "us",
            "zip": "62701"}),
        "delete": lambda: client.delete(f"/api/v2/offices/{office_id}/operators", {
            "operator_id": 1234567890123457, "operator_type": "user"}),
    }[method]
    started = time.monotonic()
    with pytest.raises(TransportError):
        call()
    assert time.monotonic() - started < 0.9


def test_it_refuses_a_full_url_so_the_key_cannot_go_elsewhere(client):
    with pytest.raises(ValueError):
        client.get("https://evil.example/api/v2/users")


def test_it_refuses_to_start_without_a_key():
    from dialpad_console.dialpad import ConfigurationError

    with pytest.raises(ConfigurationError, match="DIALPAD_API_KEY"):
        DialpadClient(api_key="", base_url="https://dialpad.com")
