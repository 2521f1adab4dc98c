"""Departments and call centers, and the operators of offices, departments and call centers."""

from __future__ import annotations

from functools import partial

from ..state import SimError
from .common import (API, DEFAULT_WEEKDAY_HOURS, apply_hours, as_int, or_default, path_id,
                     query_int)

_TABLES = {"department": "departments", "callcenter": "callcenters"}


# --- departments & call centers ---------------------------------------------------------

def groups_list(app, r, *, kind, by_office=False):
    s = app.state
    if by_office:
        office_id = path_id(r, "office_id")
        s.get("office", office_id)
    else:
        office_id = query_int(r.query, "office_id")
    name_search = (r.query.get("name_search") or "").lower() or None

    def pred(g):
        if office_id is not None and g.get("office_id") != office_id:
            return False
        return name_search is None or name_search in (g.get("name") or "").lower()
    table_name = _TABLES[kind]
    return app.paginate(r, table_name, getattr(s, table_name), pred)


def group_get(app, r, *, kind):
    return app.state.get(kind, path_id(r))


def group_create(app, r, *, kind):
    b = r.body
    s = app.state
    office_id = as_int(b["office_id"], "office_id")
    office = s.get("office", office_id, field="office_id")
    gid = s.new_id()
    group = {**_new_group(b, gid, office_id, office), **_kind_defaults(kind, b)}
    apply_group_fields(group, b)
    apply_hours(group, b, default_weekdays=DEFAULT_WEEKDAY_HOURS)
    s.table(kind)[gid] = group
    return group


def _new_group(b: dict, gid: int, office_id: int, office: dict) -> dict:
    """The fields departments and call centers share; country and timezone are the office's."""
    return {
        "availability_status": "open",
        "country": office.get("country"),
        "first_action": "operators",
        "group_description": b.get("group_description") or "",
        "hours_on": bool(b.get("hours_on", False)),
        "id": gid,
        "name": b["name"],
        "no_operators_action": "voicemail",
        "office_id": office_id,
        "phone_numbers": [],
        "ring_seconds": as_int(or_default(b.get("ring_seconds"), 30), "ring_seconds"),
        "routing_options": b.get("routing_options") or {
            "closed": {"action": "voicemail", "operator_routing": "simultaneous",
                       "try_dial_operators": False},
            "open": {"action": "voicemail", "operator_routing": "simultaneous",
                     "try_dial_operators": True}},
        "state": "active",
        "timezone": office.get("timezone"),
        "voice_intelligence": b.get("voice_intelligence") or {
            "allow_pause": True, "auto_start": True},
        "voicemail_notification_emails": [],
    }


def _kind_defaults(kind: str, b: dict) -> dict:
    if kind == "department":
        return {"auto_call_recording": bool(b.get("auto_call_recording", False)),
                "hold_queue": {"allow_queuing": False, "max_hold_count": 50,
                               "max_hold_seconds": 900}}
    return {"advanced_settings": {"max_wrap_up_seconds": 0},
            "alerts": {"cc_service_level": 95, "cc_service_level_seconds": 60},
            "hold_queue": {"allow_queue_callback": False, "announce_estimated_wait_time": True,
                           "announce_position": True, "max_hold_count": 50,
                           "max_hold_seconds": 900}}


def group_update(app, r, *, kind):
    group = app.state.get(kind, path_id(r))
    apply_group_fields(group, r.body)
    apply_hours(group, r.body)
    return group


def group_delete(app, r, *, kind):
    return app.state.delete_group(kind, path_id(r))


def _check_hold_queue(group: dict, body: dict) -> None:
    """The spec: announce_position is not available under 2 minutes of maximum wait.

    Asking for both is a 400; lowering the wait below 2 minutes turns the announcement off.
    """
    asked = {k: v for k, v in (body.get("hold_queue") or {}).items() if v is not None}
    queue = {**(group.get("hold_queue") or {}), **asked}
    seconds = queue.get("max_hold_seconds")
    if seconds is None or int(seconds) >= 120:
        return
    if asked.get("announce_position"):
        raise SimError(400, "hold_queue.announce_position: not available with a "
                            f"max_hold_seconds under 120 (got {seconds})")
    if "hold_queue" in body and body["hold_queue"] is not None:
        body["hold_queue"] = dict(asked, announce_position=False)


def apply_group_fields(group: dict, body: dict) -> None:
    """Set what a create or update body gives; nested settings merge with the current ones."""
    if "advanced_settings" in group:  # call centers
        _check_hold_queue(group, body)
    for name in ("name", "group_description", "auto_call_recording", "routing_options",
                 "voice_intelligence", "hours_on"):
        if body.get(name) is not None and (name != "auto_call_recording"
                                           or "auto_call_recording" in group):
            group[name] = body[name]
    if body.get("ring_seconds") is not None:
        group["ring_seconds"] = as_int(body["ring_seconds"], "ring_seconds")
    for name in ("hold_queue", "advanced_settings", "alerts"):
        if body.get(name) is not None:
            merged = dict(group.get(name) or {})
            merged.update({k: v for k, v in body[name].items() if v is not None})
            group[name] = merged


# --- operators ---------------------------------------------------------------------------

def operator_proto(operator_type: str, operator: dict) -> dict:
    """UserOrRoomProto of a user or a room."""
    name = operator.get("name") if operator_type == "room" else operator.get("display_name")
    return {
        "company_id": operator.get("company_id"),
        "country": operator.get("country"),
        "id": operator.get("id"),
        "image_url": operator.get("image_url"),
        "is_on_duty": operator.get("is_on_duty"),
        "name": name,
        "office_id": operator.get("office_id"),
        "phone_numbers": operator.get("phone_numbers"),
        "state": operator.get("state"),
    }


def _operator_in(body: dict, group_type: str) -> tuple[str, int]:
    # Call centers name their operator by user_id; offices and departments by type and id.
    if group_type == "callcenter":
        return "user", as_int(body["user_id"], "user_id")
    return body["operator_type"], as_int(body["operator_id"], "operator_id")


def operators_list(app, r, *, group_type):
    s = app.state
    users, rooms = [], []
    for otype, oid, _role in s.operators(group_type, path_id(r)):
        if otype == "user" and oid in s.users:
            users.append(s.users[oid])
        elif otype == "room" and oid in s.rooms:
            rooms.append(s.rooms[oid])
    return {"users": users, "rooms": rooms}


def operator_add(app, r, *, group_type):
    s = app.state
    gid = path_id(r)
    operator_type, oid = _operator_in(r.body, group_type)
    if group_type == "callcenter":
        if oid in s.rooms:
            raise SimError(400, f"user_id: {oid} is a room; call centers take users "
                                "only as operators (rooms can operate offices and "
                                "departments)")
        s.get("callcenter", gid)
    operator = s.add_operator(group_type, gid, operator_type, oid,
                              r.body.get("role") or "operator")
    return operator_proto(operator_type, operator)


def operator_remove(app, r, *, group_type):
    operator_type, oid = _operator_in(r.body, group_type)
    operator = app.state.remove_operator(group_type, path_id(r), operator_type, oid)
    return operator_proto(operator_type, operator)


def register_operators(route, group_path: str, group_type: str) -> None:
    """``{group_path}/operators``: list, add and remove the operators of a group."""
    route(f"{group_path}/operators", get=partial(operators_list, group_type=group_type),
          post=partial(operator_add, group_type=group_type),
          delete=partial(operator_remove, group_type=group_type))


def register(route) -> None:
    for kind, plural in _TABLES.items():
        route(f"{API}/offices/{{office_id}}/{plural}",
              get=partial(groups_list, kind=kind, by_office=True))
    for kind, plural in _TABLES.items():
        route(f"{API}/{plural}", get=partial(groups_list, kind=kind),
              post=partial(group_create, kind=kind))
        route(f"{API}/{plural}/{{id}}", get=partial(group_get, kind=kind),
              patch=partial(group_update, kind=kind), delete=partial(group_delete, kind=kind))
        register_operators(route, f"{API}/{plural}/{{id}}", kind)
