"""Operator memberships as the sync reads them, into OperatorMembership rows.

A user's memberships come free with the users listing: each user's `group_details`, read by
orgs.mirror.user_membership_details (the one parsing of it). Rooms have no such field and
may operate offices and departments only, never call centers, so rooms' memberships come from
one operators listing per active office and department.
"""

from __future__ import annotations

from dialpad_console.dialpad import parse_id
from orgs import mirror as m
from orgs.kinds import KINDS
from orgs.models import OperatorMembership

from .applier import Applier

# What a membership row points at: its group (office, department, call center) and operator.
MEMBERSHIP_REFERENCES = {
    column: KINDS[kind].model
    for columns in (m.GROUP_COLUMNS, m.OPERATOR_COLUMNS) for kind, column in columns.items()
}
# The groups whose operator listings name rooms.
ROOM_GROUP_KINDS = ("office", "department")


def membership_applier(sync, operator_type, operator_names):
    """The applier of one operator type's memberships; History names the operator from
    `operator_names` ({id: name}, kept up to date by the step) and the group by its name."""
    def describe(key, values):
        operator_id = values["operator_id"]
        name = operator_names.get(operator_id) or f"{operator_type} {operator_id}"
        group = sync.group_name(values["group_type"], values["group_id"])
        return f"{name} as {values['role']} of {group}"

    return Applier(sync, entity="memberships", table=m.MEMBERSHIPS, describe=describe,
                   scope={"operator_type": operator_type})


def membership_values(sync, group_type, group_id, operator_type, operator_id, role, detail):
    values = m.membership_fields(
        group_type=group_type, group_id=group_id, operator_type=operator_type,
        operator_id=operator_id, role=role,
    )
    sync.check_refs(values, MEMBERSHIP_REFERENCES)
    values["payload"] = m.clean_payload(detail)
    return values


def user_membership_rows(sync, users, user_names):
    """{key: values} of the memberships a page of users' rows name; `user_names` is set to
    this page's users' names. A user whose group_details cannot be read is recorded as
    skipped (and keeps the memberships it had)."""
    user_names.clear()
    rows = {}
    for uid, values in users.items():
        user_names[uid] = (
            values["display_name"] or f"{values['first_name']} {values['last_name']}".strip()
        )
        try:
            details = m.user_membership_details(values["payload"])
        except (ValueError, TypeError, AttributeError) as exc:
            sync.run.add_outcome(
                entity="memberships", identity=uid, outcome="skipped",
                reason=f"could not read the user's group_details: {exc}",
            )
            sync.skipped.setdefault("users", set()).add(uid)
            continue
        for group_type, group_id, role, detail in details:
            key = OperatorMembership.make_key(group_type, group_id, "user", uid)
            rows[key] = membership_values(sync, group_type, group_id, "user", uid, role, detail)
    return rows


def keep_memberships_of(applier, operator_type, operator_ids):
    """Count these operators' memberships as listed, so that the gone pass keeps them."""
    operator_ids = sorted(operator_ids)
    for start in range(0, len(operator_ids), 500):
        applier.seen.update(OperatorMembership.objects.filter(
            operator_type=operator_type, operator_id__in=operator_ids[start:start + 500],
        ).values_list("key", flat=True))


def operator_rooms(answer):
    """[(room_id, role, name)] from an operators listing (its users come from group_details).

    Runs in a fan-out thread: only this much of the answer is kept.
    """
    found = []
    for room in (answer or {}).get("rooms") or []:
        if isinstance(room, dict):
            room_id = parse_id(room.get("id"))
            if room_id is not None:
                found.append((room_id, room.get("role") or "operator", room.get("name") or ""))
    return found


def room_membership_rows(sync, group_type, group_id, rooms):
    """{key: values} of the rooms one group's operators listing names (see operator_rooms)."""
    rows = {}
    for room_id, role, name in rooms:
        key = OperatorMembership.make_key(group_type, group_id, "room", room_id)
        # Rooms have no group_details: the payload kept is what the listing says.
        rows[key] = membership_values(
            sync, group_type, group_id, "room", room_id, role,
            {"group_type": group_type, "group_id": group_id, "role": role},
        )
        sync.room_names.setdefault(room_id, name)
    return rows
