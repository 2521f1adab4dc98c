"""`manage.py dialpad_check`: one line saying whether the console can reach Dialpad."""

import pytest

from dialpad_console.dialpad.check import DialpadCheckFailed, check_connection


def test_it_names_the_company_and_the_url(client, sim):
    line = check_connection(client)
    company = sim.state.company
    assert line == (
        f"Connected to Dialpad company {company['name']} (id {company['id']}) at {sim.base_url}"
    )


def test_it_builds_its_client_from_settings(sim, settings):
    settings.DIALPAD_API_KEY = sim.api_key
    settings.DIALPAD_BASE_URL = sim.base_url
    settings.REDIS_URL = None
    assert check_connection().startswith("Connected to Dialpad company ")


def test_it_says_when_no_key_is_configured(settings):
    settings.DIALPAD_API_KEY = ""
    with pytest.raises(DialpadCheckFailed, match="No Dialpad API key configured"):
        check_connection()


def test_it_says_when_the_key_is_rejected(sim, make_client):
    with pytest.raises(DialpadCheckFailed, match="rejected the API key") as failure:
        check_connection(make_client(sim, api_key="sk-test-WRONG-456"))
    assert "sk-test-WRONG-456" not in str(failure.value)


def test_it_says_when_dialpad_cannot_be_reached(make_client, closed_port_url):
    client = make_client(api_key="sk-test-SECRET-123", base_url=closed_port_url)
    with pytest.raises(DialpadCheckFailed, match="Could not reach Dialpad at http://127.0.0.1"):
        check_connection(client)


def test_it_reports_other_errors_in_one_line(sim, make_client):
    sim.faults.error_rate = 1.0
    sim.faults.error_status = 500
    with pytest.raises(DialpadCheckFailed) as failure:
        check_connection(make_client(sim, max_retries=0))
    assert "500" in str(failure.value)
    assert "\n" not in str(failure.value)
