"""The plugin that checks every client request of every test against the spec."""

from types import SimpleNamespace

import pytest

from dialpad_console.dialpad import DialpadClient, DialpadError

from .plugin import _sims_of, check_requests_against_spec
from .spec import spec_missing_reason

pytestmark = pytest.mark.skipif(bool(spec_missing_reason()), reason=spec_missing_reason() or "")


def unmarked_node():
    """A stand-in for a test item without the contract_exempt marker."""
    return SimpleNamespace(get_closest_marker=lambda name: None, stash=pytest.Stash())


def client_for(sim):
    return DialpadClient(api_key=sim.api_key, base_url=sim.base_url,
                         rate_limit_per_minute=None, max_retries=0)


def test_it_finds_the_simulator_a_test_uses(sim, request):
    assert sim in _sims_of(request.node)


def test_it_finds_the_simulators_a_factory_made(sim_factory, request):
    made = sim_factory(org="demo")
    assert made in _sims_of(request.node)


def test_valid_client_requests_pass(sim):
    with client_for(sim) as client:
        client.get("/api/v2/users", {"state": "active", "company_admin": True})
        list(client.iter_pages("/api/v2/offices"))
    check_requests_against_spec(sim.requests, unmarked_node())


@pytest.mark.contract_exempt("sends an id as a string on purpose, to see the check catch it")
def test_a_spec_invalid_request_sent_through_the_client_fails_the_test(sim):
    office_id = next(iter(sim.state.offices))
    with client_for(sim) as client:
        try:
            client.delete(f"/api/v2/offices/{office_id}/operators",
                          {"operator_id": "1234567890123457", "operator_type": "user"})
        except DialpadError:
            pass  # whatever the simulator said, the request went out

    with pytest.raises(pytest.fail.Exception) as failure:
        check_requests_against_spec(sim.requests, unmarked_node())

    report = str(failure.value)
    assert f"DELETE /api/v2/offices/{office_id}/operators" in report
    assert "operator_id" in report
    assert sim.api_key not in report
