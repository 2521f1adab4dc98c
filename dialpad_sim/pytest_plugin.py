"""Pytest fixtures: a simulator per session, reset per test, and extra ones on demand.

Register with ``pytest_plugins = ["dialpad_sim.pytest_plugin"]``.

- ``dialpad_sim_server`` (session): one SimulatorServer, demo org, on a free port.
- ``sim`` (function): that server, reset to a fresh demo org (seed 1), no faults, no rate
  limit, page size 100, key ``sim-key``, no recorded requests.
- ``sim_factory`` (function): ``sim_factory(org="large", seed=1, page_size=100,
  rate_limit_per_minute=None, **kwargs)`` starts another server, stopped after the test.
"""

from __future__ import annotations

import pytest

from .server import SimulatorServer

DEFAULT_API_KEY = "sim-key"
DEFAULT_PAGE_SIZE = 100


@pytest.fixture(scope="session")
def dialpad_sim_server():
    server = SimulatorServer(org="demo", seed=1, api_key=DEFAULT_API_KEY,
                             page_size=DEFAULT_PAGE_SIZE)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sim(dialpad_sim_server):
    server = dialpad_sim_server
    server.reset(org="demo", seed=1)
    server.set_rate_limit(None)
    server.page_size = DEFAULT_PAGE_SIZE
    server.api_key = DEFAULT_API_KEY
    return server


@pytest.fixture
def sim_factory():
    started: list[SimulatorServer] = []

    def make(org: str = "large", seed: int = 1, page_size: int = DEFAULT_PAGE_SIZE,
             rate_limit_per_minute: int | None = None, **kwargs) -> SimulatorServer:
        server = SimulatorServer(org=org, seed=seed, page_size=page_size,
                                 rate_limit_per_minute=rate_limit_per_minute, **kwargs)
        server.start()
        started.append(server)
        return server

    make.created = started  # the contract check (tests/contract/plugin.py) reads it
    try:
        yield make
    finally:
        for server in started:
            server.stop()
