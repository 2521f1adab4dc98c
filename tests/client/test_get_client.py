"""get_client(): a client configured from Django settings."""

import os

import pytest

from dialpad_console.dialpad import ConfigurationError, LocalPacer, RedisPacer, get_client


@pytest.fixture
def dialpad_settings(settings):
    settings.DIALPAD_API_KEY = "sk-test-SECRET-123"
    settings.DIALPAD_BASE_URL = "https://sandbox.dialpad.com"
    settings.DIALPAD_RATE_LIMIT_PER_MINUTE = 1200
    settings.DIALPAD_TIMEOUT = (3, 20)
    settings.REDIS_URL = None
    return settings


def test_it_uses_the_configured_url_timeout_and_a_local_pacer(dialpad_settings):
    client = get_client()
    assert client.base_url == "https://sandbox.dialpad.com"
    assert client.timeout == (3, 20)
    assert isinstance(client.pacer, LocalPacer) and client.pacer.per_minute == 1200


def test_it_refuses_to_build_a_client_without_a_key(dialpad_settings):
    dialpad_settings.DIALPAD_API_KEY = ""
    with pytest.raises(ConfigurationError, match="DIALPAD_API_KEY"):
        get_client()


def test_a_limit_of_zero_turns_pacing_off(dialpad_settings):
    dialpad_settings.DIALPAD_RATE_LIMIT_PER_MINUTE = 0
    assert get_client().pacer is None


def test_with_redis_configured_clients_share_one_redis_bucket(dialpad_settings):
    dialpad_settings.REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    first, second = get_client(), get_client()
    assert isinstance(first.pacer, RedisPacer)
    assert first.pacer is second.pacer
    assert first.pacer.key == "dialpad_console:ratelimit:sandbox.dialpad.com"


def test_keyword_arguments_override_settings(dialpad_settings):
    assert get_client(max_retries=1).max_retries == 1
