"""Operators: add a user or room to an office's, department's or call center's operators, or
remove one. Needs `orgs.assign_operator`."""

from django.utils import timezone

from dialpad_console.dialpad import endpoints, parse_id

from .. import permissions
from ..choices import OperatorRole, OperatorType
from ..kinds import GROUP_KINDS, kind_name, object_label
from ..mirror import (
    membership_fields,
    store_room_membership,
    store_user_memberships,
    user_memberships,
)
from ..models import DialpadUser, OperatorMembership, Room
from ._push import VIA, Push, log, not_gone, raise_errors, upsert, validated_by


def _role_label(role):
    return {"admin": "admin operator", "operator": "operator"}.get(role, role)


def _group_kind(group):
    kind = kind_name(group)
    return kind if kind in GROUP_KINDS else None


def _operator_type(member):
    return str(OperatorType.USER if isinstance(member, DialpadUser) else OperatorType.ROOM)


def _check_group_and_member(group, member, errors):
    group_kind = _group_kind(group)
    if group_kind is None:
        errors.setdefault("group", []).append(
            "Choose an office, a department or a call center.")
    else:
        not_gone(group, "group", errors)
    if not isinstance(member, (DialpadUser, Room)):
        errors.setdefault("member", []).append("Choose a user or a room.")
    else:
        not_gone(member, "member", errors)
        if isinstance(member, Room) and group_kind == "callcenter":
            errors.setdefault("member", []).append(
                "Call centers take users only as operators; rooms can operate offices and "
                "departments.")
    return group_kind


def operator_add_rules(*, group, member, role=OperatorRole.OPERATOR, **_):
    errors = {}
    group_kind = _check_group_and_member(group, member, errors)
    role = str(role or "")
    if role not in OperatorRole.values:
        errors.setdefault("role", []).append(
            f"Choose a role: {', '.join(OperatorRole.values)}.")
    raise_errors(errors)
    return {"group_kind": group_kind, "role": role}


def operator_remove_rules(*, group, member, **_):
    errors = {}
    group_kind = _check_group_and_member(group, member, errors)
    raise_errors(errors)
    return {"group_kind": group_kind}


@validated_by(operator_add_rules)
def operator_add(*, actor, group, member, role=OperatorRole.OPERATOR, preview=False):
    """Make a user or a room an operator (or admin operator) of an office, department or
    call center (rooms: offices and departments only). Needs `orgs.assign_operator`.

    POST /api/v2/{offices|departments}/{id}/operators {operator_id, operator_type, role}, or
    POST /api/v2/callcenters/{id}/operators {user_id, role}. Then re-reads the user (its
    group_details) or the group's operators (for a room) into the mirror.
    Returns the OperatorMembership row (unsaved if Dialpad's re-read does not list it yet).
    """
    push = Push(actor=actor, operation="operator_add", permission=permissions.ASSIGN_OPERATOR,
                target=group if _group_kind(group) else None, preview=preview)
    push.authorize()
    cleaned = push.validate(operator_add_rules, group=group, member=member, role=role)
    group_kind, role = cleaned["group_kind"], cleaned["role"]

    plan = push.plan(endpoints.operator_add(group_kind, group.pk,
                                            operator_type=_operator_type(member),
                                            operator_id=member.pk, role=role))
    if preview:
        return plan
    with push:
        reread, applied = _operator_reread(push, group_kind, group, member, present=True,
                                           role=role)
        push.send(reread=reread, applied=applied,
                  what=f"adding {member} as {_role_label(role)}")
        return _store_operator_change(push, group_kind, group, member, role=role, added=True)


@validated_by(operator_remove_rules)
def operator_remove(*, actor, group, member, preview=False):
    """Remove a user or room from the operators of an office, department or call center.
    Needs `orgs.assign_operator`.

    DELETE /api/v2/{offices|departments}/{id}/operators {operator_id, operator_type}, or
    DELETE /api/v2/callcenters/{id}/operators {user_id}. The membership row is kept, marked
    gone. Returns it (an unsaved one, marked gone, if the console never had it).
    """
    push = Push(actor=actor, operation="operator_remove",
                permission=permissions.ASSIGN_OPERATOR,
                target=group if _group_kind(group) else None, preview=preview)
    push.authorize()
    group_kind = push.validate(operator_remove_rules, group=group, member=member)["group_kind"]

    key = OperatorMembership.make_key(group_kind, group.pk, _operator_type(member), member.pk)
    previous = OperatorMembership.objects.filter(key=key).first()
    plan = push.plan(endpoints.operator_remove(group_kind, group.pk,
                                               operator_type=_operator_type(member),
                                               operator_id=member.pk))
    if preview:
        return plan
    with push:
        reread, applied = _operator_reread(push, group_kind, group, member, present=False)
        push.send(reread=reread, applied=applied, what=f"removing {member}")
        return _store_operator_change(push, group_kind, group, member,
                                      role=previous.role if previous else None, added=False)


def _user_group_role(payload, group_kind, group_id):
    """The user's role in the group according to a user payload, or None."""
    for gtype, gid, role in user_memberships(payload or {}):
        if gtype == group_kind and gid == group_id:
            return role
    return None


def _room_entry(collection, room_id):
    for entry in (collection or {}).get("rooms") or []:
        if parse_id(entry.get("id")) == room_id:
            return entry
    return None


def _operator_reread(push, group_kind, group, member, *, present, role=None):
    if isinstance(member, DialpadUser):
        def reread():
            return push.client.get(endpoints.entity("user", member.pk))

        def applied(payload):
            found = _user_group_role(payload, group_kind, group.pk)
            return found == role if present else found is None
    else:
        def reread():
            return push.client.get(endpoints.operators(group_kind, group.pk))

        def applied(collection):
            return (_room_entry(collection, member.pk) is not None) == present
    return reread, applied


def _store_operator_change(push, group_kind, group, member, *, role, added):
    now = timezone.now()
    verb = "Added" if added else "Removed"
    if isinstance(member, DialpadUser):
        membership = _store_user_change(push, group_kind, group, member, role=role,
                                        added=added, now=now)
    else:
        membership = _store_room_change(push, group_kind, group, member, role=role,
                                        added=added, now=now)
    if membership is None:
        # The console has no row for it (never mirrored, or Dialpad's re-read does not list
        # it yet): an unsaved one says what was pushed, and carries the journal row.
        membership = OperatorMembership(
            key=OperatorMembership.make_key(group_kind, group.pk, _operator_type(member),
                                            member.pk),
            last_seen_at=now, gone_at=None if added else now,
            **membership_fields(group_type=group_kind, group_id=group.pk,
                                operator_type=_operator_type(member), operator_id=member.pk,
                                role=role))
    role_text = f" as {_role_label(role)}" if added and role else ""
    return push.succeeded(f"{verb} {object_label(member)}{role_text} "
                          f"{'to' if added else 'from'} {object_label(group)}", membership)


def _store_user_change(push, group_kind, group, member, *, role, added, now):
    payload = push.read(endpoints.entity("user", member.pk))
    with push.storing():
        if payload is not None:
            user, _ = upsert("user", payload)
        else:
            # Dialpad accepted the change; mirror what we sent until the next sync.
            user = member
            details = [d for d in (user.payload or {}).get("group_details") or []
                       if not (d.get("group_type") == group_kind
                               and parse_id(d.get("group_id")) == group.pk)]
            if added:
                details.append({"group_type": group_kind, "group_id": str(group.pk),
                                "role": role})
            user.payload = {**(user.payload or {}), "group_details": details}
            user.save(update_fields=["payload"])
        store_user_memberships(user, user.payload, read_at=now)
        key = OperatorMembership.make_key(group_kind, group.pk, "user", member.pk)
        membership = OperatorMembership.objects.filter(key=key).first()
        _log_operator_change(push.actor, added, group, user, role)
    return membership


def _store_room_change(push, group_kind, group, member, *, role, added, now):
    collection = push.read(endpoints.operators(group_kind, group.pk))
    if collection is not None:
        entry = _room_entry(collection, member.pk)
        present = entry is not None
        # Dialpad's operator listing carries no role for rooms; the sync stores
        # "operator" then, and so do we, so that a sync after this push changes nothing.
        stored_role = (entry or {}).get("role") or "operator"
    else:
        present, stored_role = added, role or "operator"
    with push.storing():
        membership = store_room_membership(group_kind, group, member, role=stored_role,
                                           present=present, read_at=now)
        _log_operator_change(push.actor, added, group, member, role)
    return membership


def _log_operator_change(actor, added, group, member, role):
    member_text = str(member) if isinstance(member, DialpadUser) else f"room {member}"
    if added:
        log(actor, group, f"Added {member_text} as {_role_label(role)} {VIA}")
        log(actor, member, f"Added as {_role_label(role)} of {object_label(group)} {VIA}")
    else:
        log(actor, group, f"Removed operator {member_text} {VIA}")
        log(actor, member, f"Removed as operator of {object_label(group)} {VIA}")
