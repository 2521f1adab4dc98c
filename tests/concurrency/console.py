"""A console in another process, on a database of its own: a file SQLite database, or a
PostgreSQL database on the test server (TEST_POSTGRES_URL, which `make test` sets).

pytest-django's SQLite test database lives in shared-cache memory, where a write that meets
another connection's open transaction fails at once instead of waiting, and which another
process cannot open: tests of concurrent writers run the console in a subprocess on a real
database, as deployed. Each backend is tested in the pass of `make test` that runs on it.
"""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]
_SUITE_ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

BACKENDS = [
    pytest.param("sqlite", marks=pytest.mark.skipif(
        _SUITE_ON_POSTGRES, reason="the SQLite pass of make test runs this on SQLite")),
    pytest.param("postgres", marks=pytest.mark.skipif(
        not (_SUITE_ON_POSTGRES and os.environ.get("TEST_POSTGRES_URL")),
        reason="runs in make test's PostgreSQL pass (TEST_POSTGRES_URL)")),
]


def base_env(var_dir, **extra):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dialpad_console.settings",
           "DIALPAD_CONSOLE_VAR_DIR": str(var_dir), "DIALPAD_RATE_LIMIT_PER_MINUTE": "0",
           "DJANGO_LOG_LEVEL": "WARNING", "PYTHONPATH": str(BASE_DIR),
           "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost"}
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


class Databases:
    """Migrated once per backend (a template), copied for each test."""

    def __init__(self, tmp_root):
        self.tmp_root = tmp_root
        self.templates = {}
        self.made = []

    def fresh(self, backend):
        if backend not in self.templates:
            self.templates[backend] = self._migrated(backend)
        name = f"dpc_race_{uuid.uuid4().hex[:10]}"
        if backend == "sqlite":
            path = self.tmp_root / f"{name}.sqlite3"
            shutil.copyfile(self.templates[backend], path)
            return f"sqlite:///{path}"
        with _maintenance() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.templates[backend]}"')
        self.made.append(name)
        return _postgres_url(name)

    def _migrated(self, backend):
        name = f"dpc_template_{uuid.uuid4().hex[:10]}"
        if backend == "sqlite":
            url = f"sqlite:///{self.tmp_root / name}.sqlite3"
        else:
            with _maintenance() as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            self.made.append(name)
            url = _postgres_url(name)
        subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"],
                       cwd=BASE_DIR, env=base_env(self.tmp_root, DATABASE_URL=url), check=True,
                       timeout=300)
        return url.removeprefix("sqlite:///") if backend == "sqlite" else name

    def drop_all(self):
        if not self.made:
            return
        with _maintenance() as conn:
            for name in reversed(self.made):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_url(name):
    return f"{os.environ['TEST_POSTGRES_URL'].rsplit('/', 1)[0]}/{name}"


def _maintenance():
    return psycopg.connect(os.environ["TEST_POSTGRES_URL"], autocommit=True)
