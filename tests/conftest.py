import pytest

# Test folders that never open the console's database (the simulator, the Dialpad client,
# the spec's contract): make test's PostgreSQL pass leaves them to its SQLite pass.
DATABASE_FREE_DIRS = ("sim", "client", "contract")

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


def pytest_collection_modifyitems(config, items):
    """In the PostgreSQL pass, skip what does not depend on the database: tests marked
    database_free (or in DATABASE_FREE_DIRS), and the browser tests (what a browser shows;
    each flow they drive is tested on both databases through Django's client too)."""
    from django.db import connection

    for item in items:
        if item.path.parent.name in DATABASE_FREE_DIRS and item.path.parent.parent.name == "tests":
            item.add_marker(pytest.mark.database_free)
    if connection.vendor != "postgresql":
        return
    skip = pytest.mark.skip(reason="does not depend on the database: make test's SQLite pass runs it")
    for item in items:
        if item.get_closest_marker("database_free") or item.get_closest_marker("browser"):
            item.add_marker(skip)
