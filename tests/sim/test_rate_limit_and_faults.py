"""The per-minute rate limit and the switchable faults."""

import time

import pytest
import requests

from dialpad_sim.faults import RateLimiter
from tests.sim.helpers import error_message


def test_it_answers_429_with_retry_after_over_the_rate_limit(sim, api):
    sim.set_rate_limit(3)

    statuses = [api.get("/company").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = api.get("/company")
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.json()["error"]["errors"][0]["reason"] == "rateLimitExceeded"
    assert "Rate limit of 3 requests per minute" in error_message(response)


def test_rate_limited_requests_do_not_change_state(sim, api):
    office_id = next(iter(sim.state.offices))
    sim.set_rate_limit(1)
    api.get("/company")

    response = api.post("/departments", json={"name": "Late", "office_id": office_id})

    assert response.status_code == 429
    assert len(sim.state.departments) == 6


def test_the_rate_limit_window_is_rolling():
    now = [1000.0]
    limiter = RateLimiter(2, clock=lambda: now[0])

    assert limiter.acquire() is None
    now[0] += 30
    assert limiter.acquire() is None
    assert limiter.acquire() == 30  # the first slot frees 60 s after it was taken
    now[0] += 30
    assert limiter.acquire() is None
    assert limiter.acquire() == 30


def test_retry_after_is_at_least_one_second():
    now = [0.0]
    limiter = RateLimiter(1, clock=lambda: now[0])
    limiter.acquire()
    now[0] = 59.9

    assert limiter.acquire() == 1


def test_removing_the_rate_limit(sim, api):
    sim.set_rate_limit(1)
    api.get("/company")
    sim.set_rate_limit(None)

    assert api.get("/company").status_code == 200


def test_fail_nth_answers_503_once(sim, api):
    sim.faults.fail_nth = {1}

    statuses = [api.get("/company").status_code for _ in range(3)]

    assert statuses == [503, 200, 200]


def test_fail_nth_counts_from_when_it_is_set(sim, api):
    api.get("/company")
    api.get("/company")
    sim.faults.fail_nth = {2}

    statuses = [api.get("/company").status_code for _ in range(3)]

    assert statuses == [200, 503, 200]


def test_a_failed_write_changes_nothing(sim, api):
    office_id = next(iter(sim.state.offices))
    sim.faults.fail_nth = {1}

    response = api.post("/rooms", json={"name": "Ghost", "office_id": office_id})

    assert response.status_code == 503
    assert len(sim.state.rooms) == 5


def test_error_rate_one_fails_everything_with_the_chosen_status(sim, api):
    sim.faults.error_rate = 1.0
    sim.faults.error_status = 500

    statuses = {api.get("/company").status_code for _ in range(5)}

    assert statuses == {500}


def test_error_rate_fails_about_that_share(sim, api):
    sim.faults.error_rate = 0.5

    failed = sum(api.get("/company").status_code == 503 for _ in range(100))

    assert 25 <= failed <= 75


def test_dropped_connection(sim, api):
    sim.faults.drop_nth = {1}

    with pytest.raises(requests.ConnectionError):
        api.get("/company")

    assert api.get("/company").status_code == 200
    assert [r.status for r in sim.requests] == [0, 200]


def test_drop_rate_one_drops_every_request(sim, api):
    sim.faults.drop_rate = 1.0

    with pytest.raises(requests.ConnectionError):
        api.get("/company")


def test_slow_seconds_delays_the_answer(sim, api):
    sim.faults.slow_seconds = 0.2

    started = time.monotonic()
    response = api.get("/company")

    assert response.status_code == 200
    assert time.monotonic() - started >= 0.2


def test_reset_clears_faults_requests_and_the_rate_limit_window(sim, api):
    sim.faults.error_rate = 1.0
    sim.set_rate_limit(1)
    api.get("/company")

    sim.reset()

    assert sim.requests == []
    assert sim.faults.error_rate == 0.0
    assert api.get("/company").status_code == 200


def test_a_fault_setting_out_of_range_is_refused(sim):
    with pytest.raises(ValueError):
        sim.faults.error_rate = 2
    with pytest.raises(ValueError):
        sim.faults.error_status = 404


def test_reset_waits_for_a_slow_write_so_it_cannot_land_in_the_fresh_org(sim):
    import threading
    import time

    import requests as http

    sim.faults.slow_seconds = 0.5
    office_id = next(iter(sim.state.offices))
    late = threading.Thread(target=lambda: http.post(
        f"{sim.base_url}/api/v2/rooms", json={"name": "Late room", "office_id": office_id},
        headers={"Authorization": f"Bearer {sim.api_key}"}, timeout=5))
    late.start()
    while not sim.requests:
        time.sleep(0.005)
    sim.reset()
    late.join()
    assert not any(room["name"] == "Late room" for room in sim.state.rooms.values())
