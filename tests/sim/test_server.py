"""The HTTP server, request recording, the pytest fixtures and the command line."""

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from dialpad_sim.server import SimulatorServer, wait_until_ready

REPO = Path(__file__).resolve().parents[2]


def test_it_keeps_the_connection_alive_between_requests(sim):
    conn = http.client.HTTPConnection(sim.host, sim.port, timeout=5)
    headers = {"Authorization": f"Bearer {sim.api_key}"}
    try:
        conn.request("GET", "/api/v2/company", headers=headers)
        first = conn.getresponse()
        first.read()
        sock = conn.sock
        conn.request("GET", "/api/v2/offices", headers=headers)
        second = conn.getresponse()
        second.read()

        assert first.status == second.status == 200
        assert conn.sock is sock  # same socket: the server did not close it
        assert first.getheader("Content-Length")
    finally:
        conn.close()


def test_it_records_the_requests_it_receives(sim, api):
    office_id = next(iter(sim.state.departments.values()))["office_id"]
    api.get("/departments", params={"office_id": office_id})
    api.post("/rooms", json={"name": "Studio", "office_id": office_id})

    get, post = sim.requests

    assert (get.method, get.path, get.query, get.status) == \
        ("GET", "/api/v2/departments", {"office_id": str(office_id)}, 200)
    assert (post.method, post.json, post.status) == \
        ("POST", {"name": "Studio", "office_id": office_id}, 200)
    assert post.user_agent == "dialpad-sim-tests"
    assert post.headers["Authorization"] == f"Bearer {sim.api_key}"


def test_clearing_the_recorded_requests(sim, api):
    api.get("/company")

    sim.requests.clear()

    assert sim.requests == []


def test_it_serves_concurrent_clients(sim):
    results = []

    def worker():
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {sim.api_key}"
            for _ in range(5):
                results.append(session.get(f"{sim.base_url}/api/v2/users", timeout=5)
                               .status_code)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert results == [200] * 40


def test_the_sim_fixture_starts_each_test_from_a_fresh_org(sim):
    assert len(sim.state.rooms) == 5  # rooms created by other tests are gone
    assert sim.requests == [] and not sim.faults.active
    assert sim.page_size == 100 and sim.api_key == "sim-key"


def test_sim_factory_starts_another_server(sim_factory, api_for):
    other = sim_factory(org="demo", seed=2, page_size=5)

    page = api_for(other).get("/users").json()

    assert len(page["items"]) == 5
    assert other.base_url != ""


def test_a_stopped_server_refuses_connections():
    server = SimulatorServer(org="demo").start()
    url = server.base_url
    server.stop()

    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/api/v2/company", timeout=2)


def test_wait_until_ready_returns_once_the_server_answers(sim):
    wait_until_ready(sim.base_url, timeout=2)


def test_wait_until_ready_times_out_when_nothing_listens():
    server = SimulatorServer(org="demo").start()
    url = server.base_url
    server.stop()

    with pytest.raises(TimeoutError):
        wait_until_ready(url, timeout=0.3)


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_the_cli_serves_until_sigterm():
    proc = subprocess.Popen(
        [sys.executable, "-m", "dialpad_sim", "serve", "--port", "0", "--api-key", "k1",
         "--page-size", "3"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=_env())
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("Dialpad simulator listening on http://127.0.0.1:")
        assert line.endswith("(org=demo, seed=1)")
        url = line.split(" on ", 1)[1].split(" ", 1)[0]
        wait_until_ready(url, timeout=5)

        page = requests.get(f"{url}/api/v2/users", headers={"Authorization": "Bearer k1"},
                            timeout=5).json()
        assert len(page["items"]) == 3

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_the_cli_describes_an_org():
    out = subprocess.run([sys.executable, "-m", "dialpad_sim", "describe", "--org", "demo"],
                         capture_output=True, text=True, cwd=REPO, env=_env(), check=True)

    assert "users" in out.stdout and " 40" in out.stdout


def test_errors_and_lists_carry_json_content_type(sim, api):
    assert api.get("/company").headers["Content-Type"].startswith("application/json")
    assert json.loads(api.get("/nope").content)["error"]["code"] == 404


def test_the_app_runs_under_any_wsgi_server():
    import io
    from wsgiref.util import setup_testing_defaults

    from dialpad_sim.app import SimulatorApp
    from dialpad_sim.generate import generate

    app = SimulatorApp(generate("demo", 1))
    environ = {"PATH_INFO": "/api/v2/company", "REQUEST_METHOD": "GET",
               "HTTP_AUTHORIZATION": "Bearer sim-key", "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    started = []

    body = b"".join(app(environ, lambda status, headers: started.append((status, headers))))

    assert started[0][0] == "200 OK"
    assert ("Content-Length", str(len(body))) in started[0][1]
    assert json.loads(body)["name"] == "Northwind Logistics"
