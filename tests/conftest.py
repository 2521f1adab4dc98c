import pytest

pytest_plugins = ["dialpad_sim.pytest_plugin", "tests.contract.plugin"]


def pytest_configure(config):
    from django.conf import settings

    # Django's advice for tests: a PBKDF2 hash costs 0.2 s, and every admin_client, every
    # createsuperuser and every login through a form makes one. The processes a test starts
    # (make run, make serve) keep the real hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def use_sim(sim, settings):
    """Point the console's Dialpad settings at the per-test simulator (fresh demo org)."""
    settings.DIALPAD_BASE_URL = sim.base_url
    settings.DIALPAD_API_KEY = sim.api_key
    settings.DIALPAD_RATE_LIMIT_PER_MINUTE = 0
    settings.REDIS_URL = None
    return sim


@pytest.fixture
def eager():
    """Celery runs a queued task at once, in this process (as CELERY_TASK_ALWAYS_EAGER)."""
    from dialpad_console.celery import app as celery_app

    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before
