"""Storing operator memberships from a push's answer: a user's, from its `group_details`,
and a room's, from a group's operators listing. Rows are never dropped: a membership Dialpad
no longer has is marked gone, as the sync does."""

from ..models import OperatorMembership
from .fields import GROUP_MODELS, clean_payload, membership_fields, user_membership_details


def store_user_memberships(user, payload, *, seen_at):
    """Make the user's OperatorMembership rows match its `group_details`.

    Returns {key: (old_role_or_None, new_role_or_None)} for the rows that changed.
    """
    wanted = {}
    for gtype, gid, role, detail in user_membership_details(payload):
        if GROUP_MODELS[gtype].objects.filter(pk=gid).exists():
            key = OperatorMembership.make_key(gtype, gid, "user", user.pk)
            wanted[key] = (gtype, gid, role, detail)
    existing = {m.key: m for m in OperatorMembership.objects.filter(
        operator_type="user", operator_id=user.pk)}
    changed = {}
    for key, (gtype, gid, role, detail) in wanted.items():
        fields = membership_fields(group_type=gtype, group_id=gid, operator_type="user",
                                   operator_id=user.pk, role=role)
        fields["payload"] = clean_payload(detail)
        row = existing.get(key)
        if row is not None and row.gone_at is None and all(
                getattr(row, column) == value for column, value in fields.items()):
            continue
        if row is None or row.gone_at is not None or row.role != role:
            changed[key] = (None if row is None or row.gone_at else row.role, role)
        put_membership(row, key, fields, seen_at=seen_at)
    for key, row in existing.items():
        if key not in wanted and row.gone_at is None:
            mark_membership_gone(row, seen_at)
            changed[key] = (row.role, None)
    return changed


def put_membership(row, key, fields, *, seen_at):
    """Create the membership row (`row` None), or update `row` with `fields`, not gone."""
    if row is None:
        return OperatorMembership.objects.create(key=key, last_seen_at=seen_at, **fields)
    for column, value in fields.items():
        setattr(row, column, value)
    row.gone_at = None
    row.last_seen_at = seen_at
    row.save()
    return row


def mark_membership_gone(row, seen_at):
    row.gone_at = seen_at
    row.save(update_fields=["gone_at"])


def store_room_membership(group_kind, group, room, *, role, present, seen_at):
    """Store whether `room` operates `group` now (per a push's answer or a re-read)."""
    key = OperatorMembership.make_key(group_kind, group.pk, "room", room.pk)
    row = OperatorMembership.objects.filter(key=key).first()
    if present:
        fields = membership_fields(group_type=group_kind, group_id=group.pk,
                                   operator_type="room", operator_id=room.pk, role=role)
        # What the sync stores for a room's membership (rooms have no group_details).
        fields["payload"] = {"group_type": group_kind, "group_id": group.pk, "role": role}
        return put_membership(row, key, fields, seen_at=seen_at)
    if row is not None and row.gone_at is None:
        mark_membership_gone(row, seen_at)
    return row
