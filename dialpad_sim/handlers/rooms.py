"""Rooms, their numbers, and the deskphones in them."""

from __future__ import annotations

from ..state import SimError
from .common import API, as_int, path_id, query_int
from .numbers import register_target_numbers


def rooms_list(app, r):
    office_id = query_int(r.query, "office_id")
    pred = (lambda room: room.get("office_id") == office_id) if office_id is not None \
        else None
    return app.paginate(r, "rooms", app.state.rooms, pred)


def room_get(app, r):
    return app.state.get("room", path_id(r))


def room_create(app, r):
    s = app.state
    office_id = as_int(r.body["office_id"], "office_id")
    office = s.get("office", office_id, field="office_id")
    rid = s.new_id()
    room = {"company_id": s.company.get("id"), "country": office.get("country"),
            "id": rid, "image_url": None, "is_free": False, "is_on_duty": False,
            "name": r.body["name"], "office_id": office_id, "phone_numbers": [],
            "state": "active"}
    s.rooms[rid] = room
    return room


def room_patch(app, r):
    s = app.state
    rid = path_id(r)
    room = s.get("room", rid)
    if r.body.get("phone_numbers") is not None:
        s.set_phone_numbers("room", rid, r.body["phone_numbers"])
    if r.body.get("name") is not None:
        room["name"] = r.body["name"]
    return room


def room_delete(app, r):
    return app.state.delete_room(path_id(r))


def deskphones_list(app, r):
    rid = path_id(r, "parent_id")
    app.state.get("room", rid)
    return {"items": list(app.state.deskphones.get(rid, []))}


def deskphone_get(app, r):
    rid = path_id(r, "parent_id")
    app.state.get("room", rid)
    for phone in app.state.deskphones.get(rid, []):
        if phone.get("id") == r.params["id"]:
            return phone
    raise SimError(404, f"deskphone {r.params['id']} not found in room {rid}")


def register(route) -> None:
    route(f"{API}/rooms", get=rooms_list, post=room_create)
    route(f"{API}/rooms/{{id}}", get=room_get, patch=room_patch, delete=room_delete)
    register_target_numbers(route, f"{API}/rooms/{{id}}", "room")
    route(f"{API}/rooms/{{parent_id}}/deskphones", get=deskphones_list)
    route(f"{API}/rooms/{{parent_id}}/deskphones/{{id}}", get=deskphone_get)
