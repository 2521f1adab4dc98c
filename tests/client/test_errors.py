"""Each way a call can fail becomes a named error carrying what the admin needs to see."""

import pytest

from dialpad_console.dialpad import (
    AuthError,
    DialpadError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
)

from .conftest import client_requests


def an_office_and_a_user(sim):
    office_id = next(iter(sim.state.offices))
    user_id = next(uid for uid, user in sim.state.users.items()
                   if user.get("office_id") == office_id and user.get("state") == "active")
    return office_id, user_id


def test_a_wrong_key_raises_auth_error(sim, make_client):
    client = make_client(sim, api_key="sk-test-WRONG-456")
    with pytest.raises(AuthError) as error:
        client.get("/api/v2/company")
    assert error.value.status == 401


def test_a_missing_object_raises_not_found(client):
    with pytest.raises(NotFoundError) as error:
        client.get("/api/v2/offices/1234567890123456")
    assert error.value.status == 404
    assert error.value.message


def test_a_refused_change_raises_validation_error_with_dialpads_message(client, sim):
    office_id, user_id = an_office_and_a_user(sim)
    sim.state.users[user_id]["state"] = "cancelled"

    with pytest.raises(ValidationError) as error:
        client.post(f"/api/v2/offices/{office_id}/operators",
                    {"operator_id": user_id, "operator_type": "user"})

    assert error.value.status == 400
    assert "cancelled" in error.value.message
    assert str(error.value) == (
        f"POST /api/v2/offices/{office_id}/operators -> 400: {error.value.message}"
    )


def test_a_conflict_raises_validation_error_with_dialpads_message(client, sim):
    office_id, user_id = an_office_and_a_user(sim)
    body = {"operator_id": user_id, "operator_type": "user"}
    sim.state.memberships.setdefault(("office", office_id), {}).pop(("user", user_id), None)
    client.post(f"/api/v2/offices/{office_id}/operators", body)

    with pytest.raises(ValidationError) as error:
        client.post(f"/api/v2/offices/{office_id}/operators", body)

    assert error.value.status == 409
    assert "already an operator" in error.value.message


def test_rate_limiting_that_outlasts_the_retries_raises_rate_limited_error(client, sim):
    sim.set_rate_limit(1)
    client.get("/api/v2/company")

    with pytest.raises(RateLimitedError) as error:
        client.get("/api/v2/company")

    assert error.value.status == 429
    assert error.value.retry_after is not None and error.value.retry_after > 0
    assert client.stats.rate_limited == client.max_retries + 1


def test_a_server_error_that_outlasts_the_retries_raises_server_error(client, sim):
    sim.faults.error_rate = 1.0
    sim.faults.error_status = 503

    with pytest.raises(ServerError) as error:
        client.get("/api/v2/company")

    assert error.value.status == 503
    assert len(client_requests(sim)) == client.max_retries + 1


def test_a_refused_connection_raises_transport_error_that_was_not_applied(
        make_client, closed_port_url):
    client = make_client(api_key="sk-test-SECRET-123", base_url=closed_port_url)
    with pytest.raises(TransportError) as error:
        client.get("/api/v2/company")
    assert error.value.maybe_applied is False
    assert error.value.status is None
    assert "could not connect" in str(error.value)


def test_a_read_timeout_raises_transport_error_that_may_have_been_applied(sim, make_client):
    sim.faults.slow_seconds = 1.0
    client = make_client(sim, timeout=(2, 0.2), max_retries=0)

    with pytest.raises(TransportError) as error:
        client.get("/api/v2/company")

    assert error.value.maybe_applied is True
    assert "timed out" in str(error.value)


def test_a_dropped_connection_raises_transport_error_that_may_have_been_applied(client, sim):
    sim.faults.drop_rate = 1.0
    with pytest.raises(TransportError) as error:
        client.get("/api/v2/company")
    assert error.value.maybe_applied is True


def test_every_error_names_the_method_and_path(client):
    with pytest.raises(DialpadError) as error:
        client.delete("/api/v2/offices/1234567890123456/operators",
                      {"operator_id": 1234567890123457, "operator_type": "user"})
    assert error.value.method == "DELETE"
    assert error.value.path == "/api/v2/offices/1234567890123456/operators"
    assert str(error.value).startswith("DELETE /api/v2/offices/1234567890123456/operators -> 404: ")


def test_errors_survive_pickling_for_celery(client):
    import pickle

    with pytest.raises(NotFoundError) as error:
        client.get("/api/v2/offices/1234567890123456")
    copy = pickle.loads(pickle.dumps(error.value))
    assert type(copy) is NotFoundError
    assert (copy.status, copy.message, str(copy)) == (404, error.value.message, str(error.value))
