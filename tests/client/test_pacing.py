"""Pacing over HTTP: the client spaces its requests so the rate limit is never hit."""

import os
import threading
import time
import uuid

import pytest

from dialpad_console.dialpad import RedisPacer

from .conftest import client_requests


def timed(calls):
    started = time.monotonic()
    for call in calls:
        call()
    return time.monotonic() - started


def test_the_client_paces_requests_under_the_limit(sim, make_client):
    client = make_client(sim, rate_limit_per_minute=120)  # a burst of 2, then ~0.51 s apart
    elapsed = timed([lambda: client.get("/api/v2/company")] * 8)
    # 6 paced requests at 60/117 s: 3.08 s. Not much slower than that either.
    assert 3.0 <= elapsed <= 4.5
    assert {r.status for r in client_requests(sim)} == {200}


def test_a_burst_goes_out_without_waiting(sim, make_client):
    client = make_client(sim, rate_limit_per_minute=600)  # burst of 10
    assert timed([lambda: client.get("/api/v2/company")] * 10) < 1.0


def test_no_pacing_when_the_limit_is_off(sim, make_client):
    client = make_client(sim, rate_limit_per_minute=None)
    assert client.pacer is None
    assert timed([lambda: client.get("/api/v2/company")] * 20) < 2.0


redis_url = os.environ.get("TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(
    not redis_url, reason="TEST_REDIS_URL is not set (make test starts a redis-server and sets it)"
)


@needs_redis
@pytest.mark.redis
def test_a_redis_pacer_is_shared_by_two_clients(sim, make_client):
    key = f"test:dialpad:ratelimit:{uuid.uuid4().hex}"
    clients = [
        make_client(sim, pacer=RedisPacer(redis_url, key=key, per_minute=120))
        for _ in range(2)
    ]

    def four_calls(client):
        for _ in range(4):
            client.get("/api/v2/company")

    threads = [threading.Thread(target=four_calls, args=(c,)) for c in clients]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    # Alone, each client would finish in ~1 s (burst 2, then 2 paced). Sharing one bucket,
    # the 8 requests take a burst of 2 and 6 paced at 60/117 s: ~3.08 s.
    assert 3.0 <= elapsed <= 4.5
    assert len(client_requests(sim)) == 8


def test_a_redis_pacer_that_loses_redis_keeps_pacing_this_process(caplog):
    pacer = RedisPacer("redis://127.0.0.1:1/0", key="unreachable", per_minute=120)
    started = time.monotonic()
    for _ in range(3):
        pacer.acquire()
    assert time.monotonic() - started >= 0.45
    assert "pacing this process only" in caplog.text



def test_an_endpoint_with_its_own_limit_is_paced_apart(sim, settings):
    """The SMS opt-out list allows 250 requests a minute whatever the company's limit: past
    its burst its requests wait their turn, while other paths never touch its pacer."""
    from dialpad_console.dialpad import endpoints, get_client

    settings.DIALPAD_BASE_URL, settings.DIALPAD_API_KEY = sim.base_url, sim.api_key
    settings.DIALPAD_RATE_LIMIT_PER_MINUTE, settings.REDIS_URL = 6000, None
    path = endpoints.sms_opt_outs(sim.state.company["id"])
    with get_client() as client:
        [pacer] = [p for pattern, p in client.endpoint_pacers if pattern.match(path)]
        waits = []
        pacer._clock, pacer._sleep = (lambda: 1000.0), waits.append  # time stands still
        for _ in range(3):
            client.get("/api/v2/company")
        for _ in range(8):
            client.get(path, {"opt_out_state": "opted_out"})

    assert pacer.per_minute == 250
    # A burst of 4 goes at once; the next 4 wait one, two, three, four slots of 60/245 s.
    assert waits == pytest.approx([60 / 245 * n for n in (1, 2, 3, 4)])


def test_no_endpoint_pacing_when_pacing_is_off(sim, settings):
    from dialpad_console.dialpad import get_client

    settings.DIALPAD_BASE_URL, settings.DIALPAD_API_KEY = sim.base_url, sim.api_key
    settings.DIALPAD_RATE_LIMIT_PER_MINUTE = 0
    with get_client() as client:
        assert client.endpoint_pacers == ()
