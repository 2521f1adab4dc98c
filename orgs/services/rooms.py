"""Rooms: create one in an office, rename or delete one. Needs `orgs.manage_groups`."""

from dialpad_console.dialpad import endpoints, parse_id

from .. import permissions, validators
from ..history import ADDITION
from ..kinds import object_label
from ..models import Office, Room
from ._deleted import held_numbers, send_delete, store_deleted
from ._push import (
    VIA, Push, check, check_chosen, is_object_with, log, raise_errors, upsert, validated_by,
)


def _chosen_and_named(field, obj, model, message, name):
    errors = {}
    check_chosen(errors, field, obj, model, message)
    name = check(errors, "name", validators.room_name, name)
    raise_errors(errors)
    return {"name": name}


def room_create_rules(*, office, name, **_):
    return _chosen_and_named("office", office, Office, "Choose an office.", name)


def room_rename_rules(*, room, name, **_):
    return _chosen_and_named("room", room, Room, "Choose a room.", name)


def room_delete_rules(*, room, **_):
    errors = {}
    check_chosen(errors, "room", room, Room, "Choose a room.")
    raise_errors(errors)
    return {}


def find_new(push, path, params, model, name):
    """The object named `name` in a listing that the mirror does not have yet ({} if none):
    what a create whose answer was lost made, if it made anything."""
    known = set(model.objects.values_list("pk", flat=True))
    for item in push.client.iter_items(path, params):
        if item.get("name") == name and parse_id(item.get("id")) not in known:
            return item
    return {}


@validated_by(room_create_rules)
def room_create(*, actor, office, name, preview=False):
    """Create a room in an office. Needs `orgs.manage_groups`.

    POST /api/v2/rooms {name, office_id}. Returns the new Room.
    """
    push = Push(actor=actor, operation="room_create", permission=permissions.MANAGE_GROUPS,
                target_type="room", target_repr=str(name or ""), preview=preview)
    push.authorize()
    name = push.validate(room_create_rules, office=office, name=name)["name"]

    plan = push.plan(endpoints.create("room", {"name": name, "office_id": office.pk}))
    if preview:
        return plan
    with push:
        answer = push.send(
            reread=lambda: find_new(push, endpoints.collection("room"),
                                    {"office_id": office.pk}, Room, name),
            applied=lambda state: bool(state.get("id")),
            what=f"creating room {name}", expect=is_object_with("id"),
        )
        with push.storing():
            room, _ = upsert("room", answer)
            log(actor, room, f"Created room {room} in {object_label(office)} {VIA}", ADDITION)
        push.target_id = str(room.pk)
        return push.succeeded(f"Created room {room} in {object_label(office)}", room)


@validated_by(room_rename_rules)
def room_rename(*, actor, room, name, preview=False):
    """Rename a room. Needs `orgs.manage_groups`.

    PATCH /api/v2/rooms/{id} {name}. Returns the Room.
    """
    push = Push(actor=actor, operation="room_rename", permission=permissions.MANAGE_GROUPS,
                target=room, preview=preview)
    push.authorize()
    name = push.validate(room_rename_rules, room=room, name=name)["name"]

    old_name = room.name
    plan = push.plan(endpoints.update("room", room.pk, {"name": name}))
    if preview:
        return plan
    with push:
        answer = push.send(
            reread=lambda: push.client.get(endpoints.entity("room", room.pk)),
            applied=lambda state: state.get("name") == name,
            what=f"renaming it to {name}", expect=is_object_with("id"),
        )
        with push.storing():
            room, _changes = upsert("room", answer)
            log(actor, room, f"Renamed room from {old_name} to {room.name} {VIA}")
        return push.succeeded(f"Renamed room {old_name} to {room.name}", room)


@validated_by(room_delete_rules)
def room_delete(*, actor, room, preview=False):
    """Delete a room in Dialpad. Needs `orgs.manage_groups`.

    DELETE /api/v2/rooms/{id}. Dialpad unassigns its numbers (back to the reserved pool) and
    removes it from the groups it operated. The Room row is kept, marked gone, with its
    memberships; its numbers are re-read. Returns the Room.
    """
    push = Push(actor=actor, operation="room_delete", permission=permissions.MANAGE_GROUPS,
                target=room, preview=preview)
    push.authorize()
    push.validate(room_delete_rules, room=room)

    numbers = held_numbers(room)
    note = (f"Dialpad will unassign the room's numbers ({', '.join(numbers)}) and remove it "
            "from the groups it operates." if numbers else
            "Dialpad will remove the room from the groups it operates.")
    plan = push.plan(endpoints.delete("room", room.pk), note=note)
    if preview:
        return plan
    with push:
        answer = send_delete(push, "room", room)
        store_deleted(push, "room", room, answer, numbers=numbers,
                      memberships=room.memberships.all())
        return push.succeeded(
            f"Deleted room {room}"
            + (f"; its numbers {', '.join(numbers)} were unassigned" if numbers else ""), room)
