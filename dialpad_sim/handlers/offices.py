"""Offices: listing, the primary office, create, hours, E911, operators and numbers."""

from __future__ import annotations

from ..state import SimError
from .common import (API, DEFAULT_WEEKDAY_HOURS, apply_hours, as_int, e911_address,
                     or_default, path_id, query_bool)
from .groups import register_operators
from .numbers import register_target_numbers

# Dialpad refuses an office in these countries without an emergency address.
_E911_REQUIRED_COUNTRIES = ("US", "CA", "AU", "FR", "GB", "NZ")


def offices_list(app, r):
    active_only = query_bool(r.query, "active_only", False)
    pred = (lambda o: o.get("state") == "active") if active_only else None
    return app.paginate(r, "offices", app.state.offices, pred)


def office_primary(app, r):
    for office in app.state.offices.values():
        if office.get("is_primary_office"):
            return office
    raise SimError(404, "the company has no primary office")


def office_get(app, r):
    return app.state.get("office", path_id(r))


def office_create(app, r):
    b = r.body
    s = app.state
    if b.get("e911_address") is None and b["country"] in _E911_REQUIRED_COUNTRIES:
        raise SimError(400, f"e911_address: is required for offices in {b['country']}")
    oid = s.new_id()
    primary = next((o for o in s.offices.values() if o.get("is_primary_office")), {})
    office = _new_office(b, oid, primary)
    apply_hours(office, b, default_weekdays=DEFAULT_WEEKDAY_HOURS)
    s.offices[oid] = office
    s.plans[oid] = {"additional_number_lines": 0, "balance": "0.00",
                    "contact_center_lines": 0, "fax_lines": 0, "room_lines": 0,
                    "sell_lines": 0, "talk_lines": 0}
    s.company["office_count"] = len(s.offices)
    if b.get("mainline_number"):
        _assign_mainline(s, oid, b["mainline_number"])
    return {"office": office, "plan": s.plans[oid]}


def _new_office(b: dict, oid: int, primary: dict) -> dict:
    """A new office's row; settings and timezone it is not given come from the primary."""
    return {
        "availability_status": "open",
        "country": b["country"].lower(),
        "e911_address": e911_address(b["e911_address"]) if b.get("e911_address") else None,
        "first_action": b.get("first_action") or "operators",
        "id": oid,
        "is_primary_office": False,
        "name": b["name"],
        "no_operators_action": b.get("no_operators_action") or "voicemail",
        "office_id": oid,
        "office_settings": dict(primary.get("office_settings") or {}),
        "phone_numbers": [],
        "ring_seconds": as_int(or_default(b.get("ring_seconds"), 30), "ring_seconds"),
        "routing_options": b.get("routing_options") or {
            "closed": {"action": "voicemail", "try_dial_operators": False},
            "open": {"action": "voicemail", "try_dial_operators": True}},
        "state": "active",
        "timezone": b.get("timezone") or primary.get("timezone"),
        "voicemail_notification_emails": [],
    }


def _assign_mainline(s, oid: int, number: str) -> None:
    # A refused mainline refuses the whole create: take the new office out again.
    try:
        s.assign_number("office", oid, number)
    except SimError:
        del s.offices[oid]
        s.plans.pop(oid, None)
        s.company["office_count"] = len(s.offices)
        raise


def office_update(app, r):
    office = app.state.get("office", path_id(r))
    apply_hours(office, r.body)
    return {"office": office}


def office_e911_get(app, r):
    office = app.state.get("office", path_id(r))
    return office.get("e911_address") or {}


def office_e911_put(app, r):
    oid = path_id(r)
    address = e911_address(r.body)
    return app.state.set_office_e911(oid, address, update_all=bool(r.body.get("update_all")))


def register(route) -> None:
    # /offices/primary before /offices/{id}, which would take "primary" for an id.
    route(f"{API}/offices", get=offices_list, post=office_create)
    route(f"{API}/offices/primary", get=office_primary)
    route(f"{API}/offices/{{id}}", get=office_get, patch=office_update)
    route(f"{API}/offices/{{id}}/e911", get=office_e911_get, put=office_e911_put)
    register_operators(route, f"{API}/offices/{{id}}", "office")
    register_target_numbers(route, f"{API}/offices/{{id}}", "office")
