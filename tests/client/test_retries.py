"""What is retried, how long it waits, and what is never sent twice."""

import time

import pytest

from dialpad_console.dialpad import RateLimitedError, ServerError, TransportError
from dialpad_sim.faults import RateLimiter

from .conftest import client_requests


def test_a_get_recovers_after_a_server_error(client, sim):
    sim.faults.fail_nth = {1}
    assert client.get("/api/v2/company")["name"]
    assert len(client_requests(sim)) == 2
    assert client.stats.retries == 1


def test_a_get_recovers_after_a_dropped_connection(client, sim):
    sim.faults.drop_nth = {1}
    assert client.get("/api/v2/company")["name"]
    assert client.stats.retries == 1


def test_a_get_recovers_after_a_read_timeout(sim, make_client):
    sim.faults.slow_seconds = 0.6
    client = make_client(sim, timeout=(2, 0.2), max_retries=1)
    # The first call times out; clear the fault before the retry goes out.
    client.pacer = _ClearSlowBeforeSecondCall(sim)
    assert client.get("/api/v2/company")["name"]
    assert client.stats.retries == 1


class _ClearSlowBeforeSecondCall:
    """A pacer that lifts the simulator's slow fault before the second request."""

    def __init__(self, sim):
        self.sim, self.calls = sim, 0

    def acquire(self):
        self.calls += 1
        if self.calls == 2:
            self.sim.faults.slow_seconds = 0
        return 0.0


def test_retries_stop_after_max_retries(sim, make_client):
    client = make_client(sim, max_retries=2)
    sim.faults.error_rate = 1.0
    with pytest.raises(ServerError):
        client.get("/api/v2/company")
    assert len(client_requests(sim)) == 3
    assert client.stats.snapshot() == {"calls": 3, "retries": 2, "rate_limited": 0}


def test_a_post_that_got_a_server_error_is_not_retried(client, sim):
    sim.faults.fail_nth = {1}
    with pytest.raises(ServerError):
        client.post("/api/v2/webhooks", {"hook_url": "https://example.com/hook"})
    assert len(client_requests(sim)) == 1
    assert client.stats.retries == 0


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_a_write_that_got_a_server_error_is_not_retried(client, sim, method):
    office_id = next(iter(sim.state.offices))
    call = {
        "patch": lambda: client.patch(f"/api/v2/offices/{office_id}", {"hours_on": True}),
        "put": lambda: client.put(f"/api/v2/offices/{office_id}/e911", {
            "address": "1 Main St", "city": "Springfield", "state": "IL", "country": "us",
            "zip": "62701"}),
        "delete": lambda: client.delete(f"/api/v2/offices/{office_id}/operators", {
            "operator_id": 1234567890123457, "operator_type": "user"}),
    }[method]
    sim.faults.fail_nth = {1}
    with pytest.raises(ServerError):
        call()
    assert len(client_requests(sim)) == 1


def test_a_post_whose_connection_dropped_is_not_retried(client, sim):
    sim.faults.drop_nth = {1}
    with pytest.raises(TransportError) as error:
        client.post("/api/v2/webhooks", {"hook_url": "https://example.com/hook"})
    assert error.value.maybe_applied is True
    assert client.stats.calls == 1


def test_a_post_that_timed_out_is_not_retried(sim, make_client):
    sim.faults.slow_seconds = 0.5
    client = make_client(sim, timeout=(2, 0.1))
    with pytest.raises(TransportError):
        client.post("/api/v2/webhooks", {"hook_url": "https://example.com/hook"})
    assert client.stats.calls == 1


def test_a_retry_safe_post_is_retried_after_a_server_error(client, sim):
    sim.faults.fail_nth = {1}
    client.post("/api/v2/webhooks", {"hook_url": "https://example.com/hook"}, retry_safe=True)
    assert len(client_requests(sim)) == 2


def test_a_post_that_got_429_is_retried(client, sim):
    sim.set_rate_limit(1)
    client.get("/api/v2/company")  # uses up the minute: the POST gets a 429
    client.pacer = _LiftRateLimitBeforeSecondCall(sim)

    client.post("/api/v2/webhooks", {"hook_url": "https://example.com/hook"})

    posts = [r for r in client_requests(sim) if r.method == "POST"]
    assert [r.status for r in posts] == [429, 200]
    assert client.stats.rate_limited == 1


class _LiftRateLimitBeforeSecondCall:
    """A pacer that lifts the simulator's rate limit before the retry goes out."""

    def __init__(self, sim):
        self.sim, self.calls = sim, 0

    def acquire(self):
        self.calls += 1
        if self.calls == 2:
            self.sim.set_rate_limit(None)
        return 0.0


def test_a_post_to_a_refused_port_is_retried_because_it_was_never_sent(
        make_client, closed_port_url):
    client = make_client(api_key="sk-test-SECRET-123", base_url=closed_port_url, max_retries=2)
    with pytest.raises(TransportError) as error:
        client.post("/api/v2/webhooks", {"hook_url": "https://example.com/hook"})
    assert error.value.maybe_applied is False
    assert client.stats.calls == 3


def test_a_429_waits_as_long_as_retry_after_says(sim_factory, make_client):
    sim = sim_factory(org="demo")
    # One request per rolling second, so the simulator answers "Retry-After: 1".
    sim.app.rate_limiter = RateLimiter(1, window=1.0)
    client = make_client(sim, max_retry_wait=5)
    client.get("/api/v2/company")

    started = time.monotonic()
    client.get("/api/v2/company")
    waited = time.monotonic() - started

    assert [r.status for r in client_requests(sim)] == [200, 429, 200]
    assert 1.0 <= waited <= 1.5


def test_a_long_retry_after_is_capped_at_max_retry_wait(sim, make_client):
    client = make_client(sim, max_retries=1, max_retry_wait=0.5)
    sim.set_rate_limit(1)
    client.get("/api/v2/company")  # uses up the minute: Retry-After is about 60 s

    started = time.monotonic()
    with pytest.raises(RateLimitedError) as error:
        client.get("/api/v2/company")
    waited = time.monotonic() - started

    assert error.value.retry_after > 50
    assert 0.5 <= waited <= 1.0
