import pytest

pytest_plugins = ["dialpad_sim.pytest_plugin", "tests.contract.plugin"]


@pytest.fixture
def use_sim(sim, settings):
    """Point the console's Dialpad settings at the per-test simulator (fresh demo org)."""
    settings.DIALPAD_BASE_URL = sim.base_url
    settings.DIALPAD_API_KEY = sim.api_key
    settings.DIALPAD_RATE_LIMIT_PER_MINUTE = 0
    settings.REDIS_URL = None
    return sim
