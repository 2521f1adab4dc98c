"""`make serve` end to end: gunicorn, a Celery worker and beat with DJANGO_DEBUG=false, on
PostgreSQL and Redis, with the simulator as Dialpad, reached the way a TLS proxy reaches it.

Runs in make test's PostgreSQL pass (DATABASE_URL=postgres://..., on whose server it creates
and drops a database of its own) with TEST_REDIS_URL; skips, saying so, without them.
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
HOST = "console.example.com"
API_KEY = "sk-smoke-" + secrets.token_hex(12)
PASSWORD = "smoke-" + secrets.token_urlsafe(12)

pytestmark = [
    pytest.mark.smoke,
    pytest.mark.slow,
    pytest.mark.redis,
    pytest.mark.skipif(not DATABASE_URL.startswith(("postgres://", "postgresql://")),
                       reason="the production smoke test needs PostgreSQL: make test runs it in "
                              "its PostgreSQL pass (DATABASE_URL=postgres://...)"),
    pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set: no Redis for the "
                                             "production broker (make test starts one)"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smoke_database():
    """A database of this test's own on the suite's PostgreSQL server."""
    import psycopg

    parts = urlsplit(DATABASE_URL)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    name = f"dialpad_console_smoke_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def smoke_redis():
    """The test Redis, on a database number of this test's own, emptied."""
    import redis

    url = urlunsplit(urlsplit(REDIS_URL)._replace(path="/9"))
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


class ProxyClient:
    """What the TLS proxy sends to gunicorn: the public Host, X-Forwarded-Proto: https.

    Cookies are kept by hand: they are Secure, and this last hop is plain HTTP, over which
    an HTTP client would not send them back.
    """

    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = {}

    def request(self, method, path, *, proto="https", headers=None, **kwargs):
        sent = {"Host": HOST, "X-Forwarded-Proto": proto, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = requests.request(method, self.base_url + path, headers=sent,
                                    allow_redirects=False, timeout=15, **kwargs)
        self.cookies.update({c.name: c.value for c in response.cookies})
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path, data):
        """A form POST as the browser sends it through the proxy (CSRF token, same origin)."""
        return self.request(
            "POST", path, data={"csrfmiddlewaretoken": self.cookies["csrftoken"], **data},
            headers={"Origin": f"https://{HOST}", "Referer": f"https://{HOST}{path}"},
        )


def wait_until(what, probe, timeout):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = probe()
            if last:
                return last
        except requests.RequestException as exc:  # not listening yet, or workers booting
            last = exc
        time.sleep(0.5)
    raise AssertionError(f"{what} within {timeout} s (last: {last!r})")


@pytest.fixture
def served(sim, smoke_database, smoke_redis, tmp_path):
    """`scripts/serve.py` (what `make serve` runs), started with production settings."""
    sim.api_key = API_KEY
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DIALPAD_", "GUNICORN_", "CONSOLE_"))
           and k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_BEHIND_TLS_PROXY="true",
        DJANGO_LOG_FORMAT="json",
        DATABASE_URL=smoke_database,
        REDIS_URL=smoke_redis,
        DIALPAD_API_KEY=API_KEY,
        DIALPAD_BASE_URL=sim.base_url,
        DIALPAD_RATE_LIMIT_PER_MINUTE="0",
        DIALPAD_CONSOLE_VAR_DIR=str(tmp_path),
        CONSOLE_ADDR=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
    )
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "scripts/serve.py"], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until("gunicorn did not answer /healthz",
                   lambda: requests.get(f"{base_url}/healthz", timeout=2).ok, timeout=180)
        subprocess.run(
            [sys.executable, "manage.py", "createsuperuser", "--no-input", "--username", "ops",
             "--email", "ops@example.com"],
            cwd=ROOT, env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}, check=True,
            capture_output=True, timeout=60,
        )
        yield {"url": base_url, "port": port, "proc": proc, "log": log_path,
               "database": smoke_database}
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def sync_runs(database_url):
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(
            "SELECT id, status, trigger, error FROM syncjobs_syncrun ORDER BY id").fetchall()


def heartbeat_pids(database_url):
    import psycopg

    with psycopg.connect(database_url) as conn:
        return dict(conn.execute("SELECT kind, pid FROM dialpad_console_heartbeat").fetchall())


def test_make_serve_runs_the_console_in_production_and_ctrl_c_stops_it(served):
    proxy = ProxyClient(served["url"])

    # The admin's stylesheet: hashed, compressed, cached for ever, from gunicorn itself.
    login = proxy.get("/admin/login/?next=/admin/&token=query-secret-123")
    assert login.status_code == 200, login.text[:500]
    assert "Strict-Transport-Security" in login.headers  # Django saw https from the proxy
    [css] = re.findall(r'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', login.text)
    stylesheet = proxy.get(css)
    assert stylesheet.status_code == 200
    assert stylesheet.headers["Content-Type"].startswith("text/css")
    assert stylesheet.headers["Content-Encoding"] == "gzip"
    assert "immutable" in stylesheet.headers["Cache-Control"]
    assert "--primary" in stylesheet.text

    # Without the proxy's header, Django sends the browser to https.
    plain = proxy.get("/admin/login/", proto="http")
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"https://{HOST}/admin/login/"

    # Ready: PostgreSQL, Redis, a worker and beat have all reported.
    ready = wait_until("/readyz did not turn green",
                       lambda: (r := proxy.get("/readyz")).status_code == 200 and r.json(),
                       timeout=90)
    checks = ready["checks"]
    assert checks["database"]["vendor"] == "postgresql"
    assert checks["broker"]["transport"] == "redis"
    assert checks["worker"]["status"] == "ok" and checks["beat"]["status"] == "ok"

    # Sync now, as a superuser, runs in the real worker to a succeeded run.
    assert proxy.post_form("/admin/login/?next=/admin/",
                           {"username": "ops", "password": PASSWORD, "next": "/admin/"}
                           ).headers.get("Location") == "/admin/"
    index = proxy.get("/admin/")
    assert "System status: ready" in index.text
    assert proxy.post_form("/admin/syncjobs/syncrun/sync-now/", {}).status_code == 302
    runs = wait_until("Sync now did not finish",
                      lambda: [r for r in sync_runs(served["database"]) if r[1] != "running"],
                      timeout=120)
    assert [(status, trigger) for _, status, trigger, _ in runs] == [("succeeded", "manual")], runs
    run_id = runs[0][0]

    # Logs: JSON from the worker with the run's figures; no query string; no key anywhere.
    log = served["log"].read_text()
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    [run_line] = [line for line in lines if line.get("event") == "sync_run"]
    assert (run_line["run_id"], run_line["status"]) == (run_id, "succeeded")
    assert any(line.get("logger") == "gunicorn.access" for line in lines)
    assert "query-secret-123" not in log
    assert API_KEY not in log

    # Ctrl-C stops gunicorn, the worker and beat (their pids are in their heartbeats).
    pids = heartbeat_pids(served["database"])
    os.killpg(served["proc"].pid, signal.SIGINT)
    assert served["proc"].wait(timeout=60) == 0
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{served['url']}/healthz", timeout=2)
    assert sorted(pids) == ["beat", "worker"]
    for kind, pid in pids.items():
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
