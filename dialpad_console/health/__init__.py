"""Is the console alive, and is it working? `/healthz`, `/readyz` and the admin index's status.

- `/healthz` (liveness): the web process answers. Touches nothing else, so a database outage
  never gets web processes restarted by a supervisor.
- `/readyz` (readiness): every check below, as JSON; HTTP 200 when every *required* check is
  "ok" or "warning", 503 otherwise. The admin index shows the same checks.

A check is a function returning a `Result`: a status and details that name no secret (no
URL, no password, no key). Statuses:

- ok: works.
- warning: works, but look at it (a stale sync, two beats); never makes /readyz fail.
- failing: broken. A required check failing makes /readyz answer 503.
- unknown: nothing to measure yet (no events receiver, no sync ever ran).

Required: database, broker, worker, beat — without any of them the console cannot do its job
(serve pages, queue a sync, run it, run it on schedule). Not required: the age of the last
sync and of the last event, which depend on Dialpad as much as on us.

Adding a check (the coming events app, for instance): in the app's `AppConfig.ready()`,

    from dialpad_console import health

    @health.register("last_event", required=False)
    def last_event_check():
        return health.Result(health.OK, age_seconds=..., detail="...")

Registering a name again replaces the check of that name (`last_event` has a placeholder).
"""

from dataclasses import dataclass

OK, WARNING, FAILING, UNKNOWN = "ok", "warning", "failing", "unknown"
PASSING = frozenset({OK, WARNING})


class Result:
    """What one check found: a status, a sentence, and fields for the check's JSON object."""

    def __init__(self, status, detail="", **fields):
        self.status, self.detail, self.fields = status, detail, fields

    def __repr__(self):
        return f"Result({self.status!r}, {self.detail!r})"


@dataclass(frozen=True)
class Check:
    name: str
    func: object
    required: bool


CHECKS = {}


def register(name, *, required):
    """Decorator: run `func()` as the check `name` (replacing one of that name)."""

    def decorate(func):
        CHECKS[name] = Check(name=name, func=func, required=required)
        return func

    return decorate


def run_checks():
    """{"status": "ok"|"failing", "checks": {name: {...}}}: the body of /readyz.

    A check that raises counts as failing, with the exception's type only (its message
    could quote a URL with a password).
    """
    results = {}
    ready = True
    for check in CHECKS.values():
        try:
            result = check.func()
        except Exception as exc:  # noqa: BLE001 -- a broken check is a failing check
            result = Result(FAILING, f"The check failed: {type(exc).__name__}.")
        results[check.name] = {
            "status": result.status, "required": check.required,
            **({"detail": result.detail} if result.detail else {}), **result.fields,
        }
        if check.required and result.status not in PASSING:
            ready = False
    return {"status": OK if ready else FAILING, "checks": results}


from . import checks  # noqa: E402,F401 -- registers the console's checks, in order
