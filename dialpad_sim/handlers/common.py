"""What the handlers share: reading ids and query parameters, and filling rows from bodies."""

from __future__ import annotations

import re

from ..state import SimError

API = "/api/v2"
# Offices and groups created without hours are open 08:00-18:00 on weekdays.
DEFAULT_WEEKDAY_HOURS = ("08:00", "18:00")
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


# --- ids and query parameters ------------------------------------------------------------

def as_int(value, name: str) -> int:
    if isinstance(value, bool):
        raise SimError(400, f"{name}: must be an integer (got boolean)")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,19}", value):
        return int(value)
    raise SimError(400, f"{name}: must be an integer id (got {value!r})")


def query_bool(query: dict, name: str, default=None):
    raw = query.get(name)
    if raw is None:
        return default
    low = raw.lower()
    if low in ("true", "1"):
        return True
    if low in ("false", "0"):
        return False
    raise SimError(400, f"{name}: must be true or false (got {raw!r})")


def query_int(query: dict, name: str):
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    return as_int(raw, name)


def path_id(request, name: str = "id") -> int:
    raw = request.params[name]
    if not re.fullmatch(r"\d{1,19}", raw):
        raise SimError(400, f"{name}: must be an integer id (got {raw!r})")
    return int(raw)


def user_path_id(request) -> int:
    """The ``{id}`` of a /users/{id} path, where anything but digits names no user."""
    raw = request.params["id"]
    if raw == "me":
        raise SimError(400, "id: 'me' needs a user-level API key; the simulator's key is "
                            "a company key")
    if not re.fullmatch(r"\d{1,19}", raw):
        raise SimError(404, f"user {raw} not found")
    return int(raw)


# --- bodies ------------------------------------------------------------------------------

def or_default(value, default):
    return default if value is None else value


def e911_address(body: dict) -> dict:
    return {name: body.get(name) or "" for name in
            ("address", "address2", "city", "country", "state", "zip")}


def apply_hours(target: dict, body: dict, default_weekdays=None) -> None:
    """Set the ``<day>_hours`` a body gives; with defaults, fill the days the row lacks."""
    for day in _DAYS:
        key = f"{day}_hours"
        if body.get(key) is not None:
            target[key] = list(body[key])
        elif default_weekdays is not None and key not in target:
            weekend = day in ("saturday", "sunday")
            target[key] = [] if weekend else list(default_weekdays)
    if body.get("hours_on") is not None and "hours_on" in target:
        target["hours_on"] = body["hours_on"]
