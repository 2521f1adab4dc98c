"""A migrated SQLite file database for tests that need separate processes or real threads.

pytest-django's SQLite test database lives in shared-cache memory, where a write that meets
another connection's open transaction fails at once with "database table is locked" instead
of waiting as a file database does; and a Celery worker in another process cannot see it at
all. So those tests run the console in subprocesses against a file database, as deployed.
"""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def console_env(tmp_path, sim, **extra):
    """Environment for a console process: a file database, the simulator, no Redis."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dialpad_console.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'console.sqlite3'}",
        "DIALPAD_CONSOLE_VAR_DIR": str(tmp_path),
        "DIALPAD_BASE_URL": sim.base_url,
        "DIALPAD_API_KEY": sim.api_key,
        "DIALPAD_RATE_LIMIT_PER_MINUTE": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(BASE_DIR),
    }
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def migrate(env):
    subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=BASE_DIR,
                   env=env, check=True, timeout=120)
    return Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
