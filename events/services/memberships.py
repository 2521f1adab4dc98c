"""The operator memberships a re-read implies, stored through the one writer.

Dialpad's operators listing of a group names its users (full user payloads, with their
`group_details`) and its rooms; a user's own payload names its groups; a room's memberships
exist only in the listings of the groups it operates. So:

- a group's re-read brings its listing: each listed user whose role there differs from the
  mirror's has its memberships stored from the listed payload; a user the mirror has as an
  operator but the listing no longer names (or one it names that the mirror does not know)
  is re-read on its own; each listed room is stored present, each unlisted one gone;
- a user's re-read stores its memberships from its payload (as the push services do);
- a room's re-read brings the listings of the groups the mirror says it operates, to see it
  removed (being added shows up as an event on the group).
"""

from dialpad_console.dialpad import parse_id
from orgs.kinds import GROUP_KINDS, KINDS, object_label
from orgs.mirror import (
    MEMBERSHIPS,
    USERS,
    mark_gone,
    store_room_membership,
    store_user_memberships,
    upsert_from_payload,
    user_memberships,
)
from orgs.models import DialpadUser, OperatorMembership, Room

# At most this many users re-read on their own for one group's re-read: a bigger change
# (a whole office's operators replaced) is left to the full sync.
MAX_USER_READS = 25


def _mirrored(**filters):
    return OperatorMembership.objects.filter(gone_at__isnull=True, **filters)


def listed_users(listing):
    return {uid: u for u in (listing or {}).get("users") or []
            if isinstance(u, dict) and (uid := parse_id(u.get("id"))) is not None}


def listed_rooms(listing):
    return {rid: r for r in (listing or {}).get("rooms") or []
            if isinstance(r, dict) and (rid := parse_id(r.get("id"))) is not None}


def users_to_reread(group_kind, group_id, listing):
    """The users a group's listing cannot settle: operators the mirror has that it does not
    list, and operators it lists that the mirror does not know."""
    listed = set(listed_users(listing))
    mirrored = set(_mirrored(group_type=group_kind, group_id=group_id, operator_type="user")
                   .values_list("operator_id", flat=True))
    known = set(DialpadUser.objects.filter(pk__in=listed).values_list("pk", flat=True))
    return sorted((mirrored - listed) | (listed - known))[:MAX_USER_READS]


def groups_of_room(room_id):
    return list(_mirrored(operator_type="room", operator_id=room_id)
                .values_list("group_type", "group_id"))


def snapshot(kind, obj):
    """{key: role} of the live memberships a re-read of `obj` may change."""
    if kind in GROUP_KINDS:
        rows = _mirrored(group_type=kind, group_id=obj.pk)
    elif kind in ("user", "room"):
        rows = _mirrored(operator_type=kind, operator_id=obj.pk)
    else:
        return {}
    return dict(rows.values_list("key", "role"))


def store_group_operators(kind, group, listing, reread_users, *, read_at):
    """Store what a group's operators listing (and the users re-read for it) say.
    Returns [(user, changes)] of the users re-read, for their History."""
    listed = listed_users(listing)
    known = DialpadUser.objects.in_bulk(list(listed))
    roles = dict(_mirrored(group_type=kind, group_id=group.pk, operator_type="user")
                 .values_list("operator_id", "role"))
    for uid, payload in listed.items():
        if uid in known and _role_in(payload, kind, group.pk) != roles.get(uid):
            store_user_memberships(known[uid], payload, read_at=read_at)
    updated = []
    for uid, payload in reread_users.items():
        if payload is None:  # Dialpad has no such user any more
            mark_gone(MEMBERSHIPS, _mirrored(group_type=kind, group_id=group.pk,
                                             operator_type="user", operator_id=uid)
                      .values_list("pk", flat=True), read_at=read_at)
            continue
        user, changes = upsert_from_payload(USERS, payload, read_at=read_at)
        store_user_memberships(user, payload, read_at=read_at)
        updated.append((user, changes))
    rooms = listed_rooms(listing)
    for room in Room.objects.filter(pk__in=list(rooms)):
        # Dialpad's listing carries no role for rooms: "operator", as the sync stores.
        store_room_membership(kind, group, room, role=rooms[room.pk].get("role") or "operator",
                              present=True, read_at=read_at)
    for room in Room.objects.filter(pk__in=_mirrored(
            group_type=kind, group_id=group.pk, operator_type="room").exclude(
            operator_id__in=list(rooms)).values_list("operator_id", flat=True)):
        store_room_membership(kind, group, room, role=None, present=False, read_at=read_at)
    return updated


def store_room_groups(room, listings, *, read_at):
    """Store, for each group the mirror says `room` operates, whether its listing (None:
    the group is gone) still names it."""
    for (group_kind, group_id), listing in listings.items():
        group = KINDS[group_kind].model.objects.filter(pk=group_id).first()
        if group is None:
            continue
        entry = listed_rooms(listing).get(room.pk)
        store_room_membership(group_kind, group, room,
                              role=(entry or {}).get("role") or "operator",
                              present=entry is not None, read_at=read_at)


def _role_in(user_payload, group_kind, group_id):
    for gtype, gid, role in user_memberships(user_payload):
        if (gtype, gid) == (group_kind, group_id):
            return role
    return None


def history_entries(header, before, after):
    """History (obj, message) for each membership that came, went or changed role, on both
    the group and the operator (as the operator pushes write it)."""
    entries = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        group_kind, group_id, operator_type, operator_id = key.split(":")
        group = KINDS[group_kind].model.objects.filter(pk=int(group_id)).first()
        member = KINDS[operator_type].model.objects.filter(pk=int(operator_id)).first()
        group_text = object_label(group) if group else f"{group_kind} {group_id}"
        member_text = object_label(member) if member else f"{operator_type} {operator_id}"
        if old is None:
            what = f"added as {new}"
        elif new is None:
            what = "removed"
        else:
            what = f"role {old} → {new}"
        if group is not None:
            entries.append((group, f"{header}: operator {member_text} {what}."))
        if member is not None:
            entries.append((member, f"{header}: operator of {group_text} {what}."))
    return entries
