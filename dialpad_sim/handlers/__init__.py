"""The simulator's request handlers, one module per resource.

Each module has ``register(route)``, which adds its routes by calling
``route(template, get=handler, post=handler, ...)``. A handler is called as
``handler(app, request)`` under the state's lock, after the body has been validated, and
returns the payload as plain Python (the app renders it in Dialpad's JSON); it refuses a
request by raising ``SimError``.

A path is answered by the first route whose template matches it, so a module adds a
literal segment (``/offices/primary``) before the ``{id}`` that would also match it.
"""

from __future__ import annotations

from . import (bulk, channels, company, groups, numbers, offices, rooms, schedules, sms, users,
               webhooks)

MODULES = (company, offices, groups, rooms, users, numbers, sms, bulk, schedules, channels,
           webhooks)


def register_routes(route) -> None:
    """Have every handler module add its routes through ``route``."""
    for module in MODULES:
        module.register(route)
