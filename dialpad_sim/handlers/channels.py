"""Channels and their members: ``/channels``, ``/channels/{id}``, ``/channels/{id}/members``.

A channel answers as Dialpad's ChannelProto (``id`` and ``name`` only); the simulator keeps
its description, privacy and owner too. Names are unique in a company; the owner is its
first member.
"""

from __future__ import annotations

from ..state import SimError
from .common import API, as_int, path_id

CHANNEL_STATES = ("active", "archived")


def _proto(channel: dict) -> dict:
    return {"id": channel["id"], "name": channel["name"]}


def _channel(app, r) -> dict:
    cid = path_id(r)
    channel = app.state.messaging.channels.get(cid)
    if channel is None:
        raise SimError(404, f"channel {cid} not found")
    return channel


def channels_list(app, r):
    state = r.query.get("state")
    if state is not None and state not in CHANNEL_STATES:
        raise SimError(400, f"state: must be one of {', '.join(CHANNEL_STATES)} "
                            f"(got {state!r})")
    wanted = state or "active"
    return app.paginate(r, "channels", app.state.messaging.channels,
                        lambda channel: channel["state"] == wanted, render=_proto)


def channel_get(app, r):
    return _proto(_channel(app, r))


def channel_create(app, r):
    s = app.state
    m = s.messaging
    b = r.body
    name = b["name"].strip().lstrip("#")
    if not name:
        raise SimError(400, "name: must not be blank")
    if any(c["name"].lower() == name.lower() and c["state"] == "active"
           for c in m.channels.values()):
        raise SimError(409, f"name: a channel named #{name} already exists")
    if b.get("user_id") is None:
        raise SimError(400, "user_id: is required with a company API key (who owns it?)")
    owner = s.get("user", as_int(b["user_id"], "user_id"), field="user_id")
    cid = s.new_id()
    m.channels[cid] = {"description": b["description"], "id": cid, "name": name,
                       "owner_id": owner["id"], "privacy_type": b["privacy_type"],
                       "state": "active"}
    m.channel_members[cid] = {owner["id"]: owner.get("display_name") or ""}
    return _proto(m.channels[cid])


def channel_delete(app, r):
    channel = _channel(app, r)
    m = app.state.messaging
    del m.channels[channel["id"]]
    m.channel_members.pop(channel["id"], None)
    return None  # the spec documents no body


def members_list(app, r):
    channel = _channel(app, r)
    members = app.state.messaging.channel_members.get(channel["id"], {})
    rows = {uid: {"id": uid, "name": name} for uid, name in members.items()}
    return app.paginate(r, f"members:{channel['id']}", rows)


def member_add(app, r):
    channel = _channel(app, r)
    s = app.state
    user = s.get("user", as_int(r.body["user_id"], "user_id"), field="user_id")
    if user.get("state") in ("cancelled", "deleted"):
        raise SimError(400, f"user_id: user {user['id']} is {user['state']}")
    members = s.messaging.channel_members.setdefault(channel["id"], {})
    if user["id"] in members:
        raise SimError(409, f"user_id: user {user['id']} is already a member of channel "
                            f"{channel['id']}")
    members[user["id"]] = user.get("display_name") or ""
    return {"id": user["id"], "name": members[user["id"]]}


def member_remove(app, r):
    channel = _channel(app, r)
    uid = as_int(r.body["user_id"], "user_id")
    members = app.state.messaging.channel_members.get(channel["id"], {})
    if uid not in members:
        raise SimError(400, f"user_id: user {uid} is not a member of channel {channel['id']}")
    del members[uid]
    return None


def register(route) -> None:
    route(f"{API}/channels", get=channels_list, post=channel_create)
    route(f"{API}/channels/{{id}}", get=channel_get, delete=channel_delete)
    route(f"{API}/channels/{{id}}/members", get=members_list, post=member_add,
          delete=member_remove)
