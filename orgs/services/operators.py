"""Operators: add a user or room to an office's, department's or call center's operators,
remove one, or change a user operator's role. Needs `orgs.assign_operator`."""

from django.utils import timezone

from dialpad_console.dialpad import endpoints, parse_id

from .. import permissions
from ..choices import OperatorRole, OperatorType
from ..exceptions import PushRefused
from ..history import DELETION
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


def _check_role(role, errors):
    role = str(role or "")
    if role not in OperatorRole.values:
        errors.setdefault("role", []).append(
            f"Choose a role: {', '.join(OperatorRole.values)}.")
    return role


def operator_add_rules(*, group, member, role=OperatorRole.OPERATOR, **_):
    errors = {}
    group_kind = _check_group_and_member(group, member, errors)
    role = _check_role(role, errors)
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
    membership = _store_membership(
        push, group_kind, group, member, role=role, present=added,
        history=lambda actor, row: _log_operator_change(actor, added, group, member, role, row))
    verb = "Added" if added else "Removed"
    role_text = f" as {_role_label(role)}" if added and role else ""
    return push.succeeded(f"{verb} {object_label(member)}{role_text} "
                          f"{'to' if added else 'from'} {object_label(group)}", membership)


def _store_membership(push, group_kind, group, member, *, role, present, history):
    """Mirror what Dialpad now has of `member` in `group` (after a push it accepted: `present`
    with `role`, or removed) and call history(actor, membership row or None) in the same
    transaction. Returns the row: an unsaved one if the console has none (never mirrored,
    or Dialpad's re-read does not list it yet), saying what was pushed."""
    now = timezone.now()
    store = _store_user_change if isinstance(member, DialpadUser) else _store_room_change
    membership = store(push, group_kind, group, member, role=role, added=present, now=now,
                       history=history)
    if membership is None:
        membership = OperatorMembership(
            key=OperatorMembership.make_key(group_kind, group.pk, _operator_type(member),
                                            member.pk),
            last_seen_at=now, gone_at=None if present else now,
            **membership_fields(group_type=group_kind, group_id=group.pk,
                                operator_type=_operator_type(member), operator_id=member.pk,
                                role=role))
    return membership


def _store_user_change(push, group_kind, group, member, *, role, added, now, history):
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
        history(push.actor, membership)
    return membership


def _store_room_change(push, group_kind, group, member, *, role, added, now, history):
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
        history(push.actor, membership)
    return membership


def _member_text(member):
    return str(member) if isinstance(member, DialpadUser) else f"room {member}"


def _log_operator_change(actor, added, group, member, role, membership):
    member_text = _member_text(member)
    if added:
        log(actor, group, f"Added {member_text} as {_role_label(role)} {VIA}")
        log(actor, member, f"Added as {_role_label(role)} of {object_label(group)} {VIA}")
    else:
        log(actor, group, f"Removed operator {member_text} {VIA}")
        log(actor, member, f"Removed as operator of {object_label(group)} {VIA}")
        _log_membership_gone(actor, membership, f"Removed {member_text} as operator of "
                                                f"{object_label(group)} {VIA}")


def _log_membership_gone(actor, membership, message):
    """The History of a membership the push ended (what its page's banner names)."""
    if membership is not None and membership.pk and membership.gone_at is not None:
        log(actor, membership, message, DELETION)


# --- changing a role: remove, then add back with the new role --------------------------------


def operator_role_change_rules(*, group, member, role=None, **_):
    """{"group_kind", "role", "membership": the present one, "old_role"}."""
    errors = {}
    group_kind = _check_group_and_member(group, member, errors)
    role = _check_role(role, errors)
    if isinstance(member, Room) and "member" not in errors:
        errors["member"] = ["Only a user's role can be changed: Dialpad does not report the "
                            "role of a room operator."]
    membership = None
    if group_kind and not errors.get("group") and not errors.get("member"):
        membership = OperatorMembership.objects.filter(
            key=OperatorMembership.make_key(group_kind, group.pk, _operator_type(member),
                                            member.pk), gone_at__isnull=True).first()
        if membership is None:
            errors["member"] = [f"{member} is not an operator of {object_label(group)}."]
        elif membership.role == role:
            errors.setdefault("role", []).append(
                f"{member} is already {_role_label(role)} of {object_label(group)}.")
    raise_errors(errors)
    return {"group_kind": group_kind, "role": role, "membership": membership,
            "old_role": membership.role}


@validated_by(operator_role_change_rules)
def operator_role_change(*, actor, group, member, role, preview=False):
    """Change a user operator's role in an office, department or call center. Needs
    `orgs.assign_operator`.

    Dialpad has no call for it (a second add answers 409), so this is one push of two
    requests, journaled as one change: the DELETE of operator_remove, then the POST of
    operator_add with the new role. If the add fails after the remove went through, the
    user is no longer an operator: the mirror and History say so, and the refusal (or
    unknown outcome) raised says it first. Returns the OperatorMembership.
    """
    push = Push(actor=actor, operation="operator_role_change",
                permission=permissions.ASSIGN_OPERATOR,
                target=group if _group_kind(group) else None, preview=preview)
    push.authorize()
    cleaned = push.validate(operator_role_change_rules, group=group, member=member, role=role)
    group_kind, role, old_role = cleaned["group_kind"], cleaned["role"], cleaned["old_role"]
    who = dict(operator_type=_operator_type(member), operator_id=member.pk)
    remove = endpoints.operator_remove(group_kind, group.pk, **who)
    add = endpoints.operator_add(group_kind, group.pk, **who, role=role)
    plan = push.plan(remove, then=[add], note=(
        f"Dialpad cannot change a role in place: the console removes {member} from the "
        f"operators of {object_label(group)}, then adds them back as {_role_label(role)}. "
        f"Should the second step fail, {member} is left removed, and the console offers to "
        "add them back."))
    if preview:
        return plan
    with push:
        reread, applied = _operator_reread(push, group_kind, group, member, present=False)
        push.send(reread=reread, applied=applied, what=f"removing {member}")
        push.applied_before = (f"{member} was removed from the operators of "
                               f"{object_label(group)} (to change their role)")
        reread, applied = _operator_reread(push, group_kind, group, member, present=True,
                                           role=role)
        try:
            push.send(request=add, reread=reread, applied=applied,
                      what=f"adding {member} back as {_role_label(role)}")
        except PushRefused as exc:
            _store_left_removed(push, group_kind, group, member, old_role, exc)
            raise
        membership = _store_membership(
            push, group_kind, group, member, role=role, present=True,
            history=lambda actor, row: _log_role_change(actor, group, member, old_role, role))
        return push.succeeded(f"Changed the role of {object_label(member)} in "
                              f"{object_label(group)} from {_role_label(old_role)} to "
                              f"{_role_label(role)}", membership)


def _store_left_removed(push, group_kind, group, member, old_role, exc):
    """The add of a role change failed after the remove: mirror the removal, and say so."""
    def history(actor, row):
        text = (f"Removed as {_role_label(old_role)} to change the role; adding back failed "
                f"({exc.message}) {VIA}")
        log(actor, group, f"Operator {member}: {text}")
        log(actor, member, f"{object_label(group)}: {text}")
        _log_membership_gone(actor, row, text)
    _store_membership(push, group_kind, group, member, role=old_role, present=False,
                      history=history)


def _log_role_change(actor, group, member, old_role, role):
    change = f"from {_role_label(old_role)} to {_role_label(role)}"
    log(actor, group, f"Changed the role of operator {member} {change} {VIA}")
    log(actor, member, f"Role in {object_label(group)} changed {change} {VIA}")
