"""The API key never shows up in a log line, an error, or a URL."""

import logging

import pytest

from dialpad_console.dialpad import (
    DialpadClient,
    DialpadError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
    redact,
)

from .conftest import SECRET, client_requests


def failures(client, sim):
    """Run calls that fail in every way the client knows, collecting the errors."""
    errors = []

    def attempt(call):
        try:
            call()
        except DialpadError as exc:
            errors.append(exc)

    attempt(lambda: client.get("/api/v2/company"))  # success
    attempt(lambda: client.get("/api/v2/offices/1234567890123456"))  # 404
    office_id = next(iter(sim.state.offices))
    attempt(lambda: client.post(f"/api/v2/offices/{office_id}/operators",
                                {"operator_id": 1234567890123457, "operator_type": "user"}))
    sim.faults.error_rate = 1.0
    attempt(lambda: client.get("/api/v2/company"))  # 5xx, retried and logged
    sim.faults.reset()
    sim.faults.drop_rate = 1.0
    attempt(lambda: client.get("/api/v2/company"))  # dropped
    sim.faults.reset()
    sim.set_rate_limit(1)
    attempt(lambda: client.get("/api/v2/company"))
    attempt(lambda: client.get("/api/v2/company"))  # 429 after retries
    sim.set_rate_limit(None)
    return errors


@pytest.fixture
def secret_sim(sim_factory):
    return sim_factory(org="demo", api_key=SECRET)


def test_the_key_never_appears_in_logs_errors_or_urls(secret_sim, make_client, caplog,
                                                      closed_port_url):
    caplog.set_level(logging.DEBUG)
    client = make_client(secret_sim)
    assert client.get("/api/v2/company")  # the key works
    errors = failures(client, secret_sim)
    try:
        make_client(api_key=SECRET, base_url=closed_port_url).get("/api/v2/users")
    except DialpadError as exc:
        errors.append(exc)

    assert {type(error) for error in errors} == {
        NotFoundError, ServerError, TransportError, RateLimitedError}
    for error in errors:
        assert SECRET not in str(error)
        assert SECRET not in repr(error)
        assert SECRET not in str(error.args)
    assert caplog.records, "the client should have logged its calls"
    assert SECRET not in caplog.text
    for rec in client_requests(secret_sim):
        assert SECRET not in rec.path
        assert SECRET not in str(rec.query)
    assert SECRET not in repr(client) and SECRET not in repr(client.session.__dict__)


def test_a_rejected_key_does_not_appear_in_the_error(sim, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "sk-test-WRONG-KEY-456"
    with pytest.raises(DialpadError) as error:
        make_client(sim, api_key=wrong).get("/api/v2/company")
    assert wrong not in str(error.value) and wrong not in repr(error.value)
    assert wrong not in caplog.text


def test_it_logs_one_line_per_call_with_method_path_status_and_time(client, caplog):
    caplog.set_level(logging.DEBUG, logger="dialpad_console.dialpad")
    client.get("/api/v2/company")
    lines = [r.getMessage() for r in caplog.records if r.name == "dialpad_console.dialpad"]
    assert len(lines) == 1
    assert lines[0].startswith("GET /api/v2/company -> 200 in ")
    assert lines[0].endswith(" ms")


def test_redact_removes_a_known_key_and_any_bearer_token():
    DialpadClient(api_key=SECRET, base_url="https://dialpad.com").close()  # makes it known
    text = f"sent {SECRET} with Authorization: Bearer abcdefghijkl and ?api_key=xyz&a=1"
    cleaned = redact(text)
    assert SECRET not in cleaned
    assert "abcdefghijkl" not in cleaned
    assert "xyz" not in cleaned
    assert cleaned.endswith("&a=1")


def test_an_error_message_echoing_the_key_is_scrubbed():
    DialpadClient(api_key=SECRET, base_url="https://dialpad.com").close()
    error = DialpadError(f"bad key {SECRET}", method="GET", path="/api/v2/users", status=401)
    assert SECRET not in str(error) and SECRET not in repr(error)
