"""pytest plugin: every request the console's client sends to a simulator must match the spec.

After each test's body has run (and only if it passed), every request that a simulator used
by the test received with a User-Agent starting "dialpad-console" is validated against
Dialpad's OpenAPI spec; a violation fails that test, naming the request and the errors.
Tests that send spec-invalid requests on purpose opt out with
`@pytest.mark.contract_exempt("why")`. Without the spec file, nothing is checked.

Simulators are found among the test's fixture values (`sim`, or any fixture returning a
simulator, and those a `sim_factory` made), or registered with `contract_check.watch(sim)`.
Code that owns a simulator's lifecycle can also call `check_requests_against_spec()` itself.
"""

from __future__ import annotations

import pytest

from .spec import describe_request, get_spec, spec_path

CLIENT_USER_AGENT_PREFIX = "dialpad-console"
_CHECKED = pytest.StashKey[dict]()
_WATCHED = pytest.StashKey[list]()
_MAX_REPORTED = 10


def _user_agent(rec) -> str:
    agent = getattr(rec, "user_agent", None)
    if agent is None:
        headers = getattr(rec, "headers", None) or {}
        agent = next((v for k, v in headers.items() if k.lower() == "user-agent"), "")
    return agent or ""


def check_requests_against_spec(requests, request_node=None) -> None:
    """Fail the current test if any client request in `requests` breaks the spec.

    `requests` is a simulator's recorded requests (e.g. `sim.requests`); `request_node` is
    the pytest item (`request.node`), used for the contract_exempt marker and so that a
    request checked twice (by the hook and by a fixture teardown) is reported once.
    """
    if request_node is not None and request_node.get_closest_marker("contract_exempt"):
        return
    spec = get_spec()
    if spec is None:
        return
    # Keyed by id() and holding the record, so an id cannot be reused within the test.
    checked = request_node.stash.setdefault(_CHECKED, {}) if request_node is not None else {}
    failures = []
    for rec in list(requests):
        if id(rec) in checked or not _user_agent(rec).startswith(CLIENT_USER_AGENT_PREFIX):
            continue
        checked[id(rec)] = rec
        errors = spec.validate_cached(rec)
        if errors:
            failures.append((rec, errors))
    if failures:
        pytest.fail(_report(failures), pytrace=False)


def _report(failures) -> str:
    from dialpad_console.dialpad.errors import redact

    lines = [
        f"{len(failures)} request(s) sent by the Dialpad client do not match Dialpad's "
        f"OpenAPI spec ({spec_path()}). Fix the request, or mark a deliberate one with "
        "@pytest.mark.contract_exempt(\"why\"):"
    ]
    for rec, errors in failures[:_MAX_REPORTED]:
        lines.append(f"  {describe_request(rec)}")
        lines.extend(f"    - {error}" for error in errors)
    if len(failures) > _MAX_REPORTED:
        lines.append(f"  ... and {len(failures) - _MAX_REPORTED} more")
    return redact("\n".join(lines))


def _looks_like_sim(value) -> bool:
    return all(hasattr(value, name) for name in ("requests", "base_url", "faults"))


def _sims_of(item) -> list:
    """Simulators this test used: fixture values, those a factory made, and watched ones."""
    found = []
    candidates = list(getattr(item, "funcargs", {}).values()) + item.stash.get(_WATCHED, [])
    for value in candidates:
        if _looks_like_sim(value):
            found.append(value)
            continue
        # A factory fixture: the simulators it has handed out, from an attribute naming
        # them or, failing that, a list the factory function closes over (sim_factory's).
        for made in _lists_held_by(value):
            found.extend(sim for sim in made if _looks_like_sim(sim))
    unique = {id(sim): sim for sim in found}
    return list(unique.values())


def _lists_held_by(value):
    for name in ("created", "started", "sims", "servers", "instances"):
        made = getattr(value, name, None)
        if isinstance(made, (list, tuple, set)):
            yield made
    for cell in getattr(value, "__closure__", None) or ():
        try:
            contents = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if isinstance(contents, list):
            yield contents


class ContractCheck:
    """The `contract_check` fixture: watch a simulator the plugin cannot find by itself."""

    def __init__(self, node):
        self._node = node

    def watch(self, sim) -> None:
        self._node.stash.setdefault(_WATCHED, []).append(sim)

    def check(self, sim) -> None:
        """Check `sim`'s requests now (e.g. before a test resets the simulator)."""
        check_requests_against_spec(sim.requests, self._node)


@pytest.fixture(autouse=True)
def contract_check(request) -> ContractCheck:
    return ContractCheck(request.node)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # Runs after the test body and before fixture teardown, while the simulators still hold
    # this test's requests. A test that already failed is not checked: one failure is enough.
    result = yield
    for sim in _sims_of(item):
        check_requests_against_spec(sim.requests, item)
    return result


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "contract_exempt(reason): the test sends a request through the client that the spec "
        "forbids on purpose",
    )


def pytest_terminal_summary(terminalreporter):
    spec = get_spec() if _spec_was_used() else None
    if spec is not None and spec.validated:
        terminalreporter.write_line(f"Dialpad contract: {spec.cost_summary()}")


def _spec_was_used() -> bool:
    from .spec import _load

    return _load.cache_info().currsize > 0
