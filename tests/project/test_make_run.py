"""`make run`'s launcher: serves the admin login page against the simulator, stops cleanly."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.database_free]  # make run: its own SQLite


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return requests.get(url, timeout=2)
        except requests.ConnectionError:
            time.sleep(0.3)
    raise AssertionError(f"nothing answered at {url} within {timeout} s")


def wait_for_ready(url, timeout):
    """/readyz's body once it answers 200: the worker and beat have reported."""
    deadline = time.monotonic() + timeout
    body = None
    while time.monotonic() < deadline:
        response = requests.get(url, timeout=5)
        body = response.json()
        if response.status_code == 200:
            return body
        time.sleep(0.5)
    raise AssertionError(f"/readyz did not turn green within {timeout} s: {body}")


def test_it_serves_the_login_page_prints_the_password_and_stops_everything(tmp_path):
    web_port, sim_port = free_port(), free_port()
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("DIALPAD_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DIALPAD_CONSOLE_VAR_DIR=str(tmp_path),
        CONSOLE_ADDR=f"127.0.0.1:{web_port}",
        DIALPAD_SIM_PORT=str(sim_port),
        DEMO_ADMIN_PASSWORD="demo-password-123",
    )
    log = (tmp_path / "run.log").open("w+")
    launcher = subprocess.Popen(
        [sys.executable, "scripts/run_console.py"], cwd=ROOT, env=env,
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        page = wait_for(f"http://127.0.0.1:{web_port}/admin/login/", timeout=90)
        assert page.status_code == 200
        assert "Dialpad Console" in page.text
        css = requests.get(f"http://127.0.0.1:{web_port}/static/admin/css/base.css", timeout=5)
        assert css.status_code == 200 and "body" in css.text  # no collectstatic in development
        ready = wait_for_ready(f"http://127.0.0.1:{web_port}/readyz", timeout=60)
        assert ready["checks"]["worker"]["status"] == "ok", ready
        assert ready["checks"]["beat"]["status"] == "ok", ready
        company = requests.get(
            f"http://127.0.0.1:{sim_port}/api/v2/company",
            headers={"Authorization": "Bearer sim-key"}, timeout=5,
        )
        assert company.status_code == 200
        time.sleep(4)
        log.seek(0)
        output = log.read()
        assert f"http://127.0.0.1:{web_port}/admin/" in output
        assert "admin / demo-password-123" in output
        assert "Sync run #1: Succeeded" in output
        browser = log_in(f"http://127.0.0.1:{web_port}")
        assert_sync_now_runs_in_the_worker(browser, f"http://127.0.0.1:{web_port}")
        assert_an_outside_change_arrives_live(browser, f"http://127.0.0.1:{web_port}",
                                              f"http://127.0.0.1:{sim_port}")
    finally:
        os.killpg(launcher.pid, signal.SIGINT)
        launcher.wait(timeout=30)
    time.sleep(1)
    for port in (web_port, sim_port):
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/", timeout=2)
    assert not (ROOT / "control").exists(), "the embedded broker wrote into the repository"


def log_in(console):
    browser = requests.Session()
    login_page = browser.get(f"{console}/admin/login/", timeout=10)
    browser.post(
        f"{console}/admin/login/?next=/admin/",
        data={"username": "admin", "password": "demo-password-123",
              "csrfmiddlewaretoken": browser.cookies["csrftoken"], "next": "/admin/"},
        headers={"Referer": login_page.url}, timeout=10,
    )
    return browser


def assert_an_outside_change_arrives_live(browser, console, sim):
    """A rename made "outside" (the simulator's control route, as another admin in Dialpad's
    portal) reaches the user's page through the webhook make run registered: no sync."""
    key = {"Authorization": "Bearer sim-key"}
    user_id = requests.get(f"{sim}/api/v2/users", headers=key, timeout=5).json()["items"][0]["id"]
    changed = requests.post(f"{sim}/_sim/outside/rename_user", headers=key, timeout=5,
                            json={"user_id": user_id, "first_name": "Livewire"})
    assert changed.status_code == 200
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        page = browser.get(f"{console}/admin/orgs/dialpaduser/{user_id}/change/", timeout=10)
        if "Livewire" in page.text:
            return
        time.sleep(0.5)
    raise AssertionError("The outside rename did not reach the console within 30 s")


def assert_sync_now_runs_in_the_worker(browser, console):
    """Press Sync now, and see run #2 finish: the web server, the embedded broker and the
    worker started by the launcher work together."""
    browser.post(
        f"{console}/admin/syncjobs/syncrun/sync-now/",
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        headers={"Referer": f"{console}/admin/"}, timeout=10,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = browser.get(f"{console}/admin/syncjobs/syncrun/2/change/", timeout=10,
                           allow_redirects=False)
        if page.status_code == 200 and "Succeeded" in page.text:
            return
        time.sleep(1)
    raise AssertionError("Sync now did not produce a succeeded run #2 within 60 s")
