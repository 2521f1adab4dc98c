"""Storing operator memberships from a push's answer: a user's, from its `group_details`,
and a room's, from a group's operators listing, through the one writer (orgs.mirror.pages).
Rows are never dropped: a membership Dialpad no longer has is marked gone, as the sync does."""

from ..models import OperatorMembership
from .fields import (
    GROUP_MODELS,
    MEMBERSHIP_COMPARED_FIELDS,
    clean_payload,
    membership_fields,
    user_membership_details,
)
from .pages import Table, mark_gone, write_rows

MEMBERSHIPS = Table(OperatorMembership, "key", tuple(MEMBERSHIP_COMPARED_FIELDS),
                    uncompared=("payload",))


def store_user_memberships(user, payload, *, read_at):
    """Make the user's OperatorMembership rows match its `group_details`, read at `read_at`."""
    wanted = {}
    for gtype, gid, role, detail in user_membership_details(payload):
        if GROUP_MODELS[gtype].objects.filter(pk=gid).exists():
            fields = membership_fields(group_type=gtype, group_id=gid, operator_type="user",
                                       operator_id=user.pk, role=role)
            fields["payload"] = clean_payload(detail)
            wanted[OperatorMembership.make_key(gtype, gid, "user", user.pk)] = fields
    write_rows(MEMBERSHIPS, wanted, read_at=read_at, touch=True)
    no_longer = OperatorMembership.objects.filter(
        operator_type="user", operator_id=user.pk, gone_at__isnull=True).exclude(key__in=wanted)
    mark_gone(MEMBERSHIPS, no_longer.values_list("pk", flat=True), read_at=read_at)


def store_room_membership(group_kind, group, room, *, role, present, read_at):
    """Store whether `room` operates `group` (per a push's answer or a re-read at
    `read_at`); returns the row (None if there is none)."""
    key = OperatorMembership.make_key(group_kind, group.pk, "room", room.pk)
    if present:
        fields = membership_fields(group_type=group_kind, group_id=group.pk,
                                   operator_type="room", operator_id=room.pk, role=role)
        # What the sync stores for a room's membership (rooms have no group_details).
        fields["payload"] = {"group_type": group_kind, "group_id": group.pk, "role": role}
        write_rows(MEMBERSHIPS, {key: fields}, read_at=read_at, touch=True)
    else:
        mark_gone(MEMBERSHIPS, OperatorMembership.objects.filter(key=key).values_list(
            "pk", flat=True), read_at=read_at)
    return OperatorMembership.objects.filter(key=key).first()
