"""Pushes: the only way the console changes the Dialpad org.

Every service is a plain function, keyword-only, acting user first. Each one

1. checks the acting user's Django permission (PermissionDenied, nothing sent),
2. validates its input (Django ValidationError with per-field messages, nothing sent),
3. calls Dialpad through the API client,
4. updates the mirror from Dialpad's answer or a fresh read, in one transaction, only after
   Dialpad accepted the change (a refused push leaves the mirror exactly as it was),
5. writes the admin History of the changed object(s) as the acting user, saying what was
   pushed, and
6. leaves one PushRecord in the push journal, whatever the outcome.

When Dialpad refuses, the service raises PushRefused whose message starts "Dialpad refused:"
and carries Dialpad's own reason. When Dialpad did not answer after the request may have
reached it (a read timeout), the service re-reads the target before reporting: if the change
is there it carries on as a success; otherwise it raises PushOutcomeUnknown saying what the
re-read found. Callers (forms, admin views, tasks) catch these and show `str(error)`.

On success a service returns the mirror object it changed with its journal row as
`.push_record`. Otherwise the row is on the exception as `.record` (PushRefused, the
PermissionDenied and ValidationError a service raises, and any other error that escapes a
push once it has been journaled). Call a service outside a transaction of your own (or
catch these inside it): the row of a refused push is written in the caller's transaction and
would be rolled back with it.

Every service also takes `preview=True`: it then checks the permission and the input as
usual and returns the PushRequest it would send (for a confirmation page), sending and
journaling nothing.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dialpad_console.dialpad import (
    AuthError,
    ConfigurationError,
    DialpadError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
    get_client,
    parse_id,
)
from dialpad_console.logs import log_push

from . import validators
from .choices import OperatorRole, OperatorType
from .exceptions import DialpadReadFailed, PushOutcomeUnknown, PushRefused
from .history import ADDITION, CHANGE, DELETION, describe_changes, log_entries
from .mirror import (
    E911_FIELDS,
    ENTITY_MIRRORS,
    GROUP_MODELS,
    clean_payload,
    e911_fields,
    membership_fields,
    upsert_from_payload,
    user_memberships,
)
from .models import (
    CallCenter,
    Department,
    DialpadUser,
    E911Address,
    Office,
    OperatorMembership,
    PhoneNumber,
    PushRecord,
    Room,
)

logger = logging.getLogger(__name__)

PERM_ASSIGN_OPERATOR = "orgs.assign_operator"
PERM_CHANGE_E911 = "orgs.change_e911"
PERM_ASSIGN_NUMBER = "orgs.assign_number"
PERM_MANAGE_GROUPS = "orgs.manage_groups"
PERM_VIEW_USER = "orgs.view_dialpaduser"

VIA = "via Dialpad Console"

# Dialpad's name for each mirrored kind, its API collection, and its EntityMirror.
KIND_OF_MODEL = {
    Office: "office",
    Department: "department",
    CallCenter: "callcenter",
    Room: "room",
    DialpadUser: "user",
    PhoneNumber: "number",
}
COLLECTIONS = {
    "office": "offices",
    "department": "departments",
    "callcenter": "callcenters",
    "room": "rooms",
    "user": "users",
}
MIRRORS = {
    "office": ENTITY_MIRRORS["offices"],
    "department": ENTITY_MIRRORS["departments"],
    "callcenter": ENTITY_MIRRORS["callcenters"],
    "room": ENTITY_MIRRORS["rooms"],
    "user": ENTITY_MIRRORS["users"],
    "number": ENTITY_MIRRORS["numbers"],
}
KIND_LABELS = {
    "office": "office",
    "department": "department",
    "callcenter": "call center",
    "room": "room",
    "user": "user",
    "number": "number",
}


def _kind(obj):
    return KIND_OF_MODEL.get(type(obj))


def object_label(obj):
    """A mirrored object as messages name it: 'call center Support', 'user Jane Doe',
    'number +14155550100'."""
    kind = _kind(obj)
    return f"{KIND_LABELS.get(kind, kind or 'object')} {obj}"


def _entity_path(kind, ident):
    return f"/api/v2/{COLLECTIONS[kind]}/{ident}"


def _number_path(number):
    # An E.164 number's "+" is a legal path character (RFC 3986), sent as it is.
    return f"/api/v2/numbers/{number}"


@dataclass(frozen=True)
class PushRequest:
    """Exactly what a push sends to Dialpad (what a confirmation page shows).

    Every service called with `preview=True` checks the permission and the input as usual
    (raising PermissionDenied / ValidationError, journaling nothing) and returns this
    instead of sending. `note` says in plain words what the push will do beyond the obvious
    (e.g. that unassigning may release the number for good).
    """

    method: str
    path: str
    body: dict | None = None
    query: dict | None = None
    note: str = ""

    @property
    def url(self):
        if not self.query:
            return self.path
        query = "&".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}"
                         for k, v in self.query.items())
        return f"{self.path}?{query}"

    def as_text(self):
        """'POST /api/v2/...' and the JSON body, indented, as the admin will read it."""
        text = f"{self.method} {self.url}"
        if self.body is not None:
            text += "\n" + json.dumps(self.body, indent=2, ensure_ascii=False)
        return text

    def __str__(self):
        return self.as_text()


# --- one push: permission, journal, client, outcome ----------------------------------------


class _Push:
    """One push in progress: it owns the client, the timing and the journal row.

    Used as `with push:` around the part that talks to Dialpad; exactly one PushRecord is
    written per push, by `authorize`, `validate`, `refuse`, `unknown` or `succeeded`, or
    by `__exit__` as a last resort when the console itself failed half-way. A preview
    journals nothing.
    """

    def __init__(self, *, actor, operation, permission, target=None, target_type="",
                 target_id="", target_repr="", preview=False):
        self.actor = actor
        self.preview = preview
        self.planned = None
        self.operation = operation
        self.permission = permission
        self.started_at = timezone.now()
        self._started = time.monotonic()
        if target is not None:
            target_type = target_type or _kind(target) or type(target).__name__.lower()
            target_id = target_id or (target.number if isinstance(target, PhoneNumber)
                                      else target.pk)
            target_repr = target_repr or str(target)
        self.target_type = target_type
        self.target_id = "" if target_id is None else str(target_id)
        self.target_repr = str(target_repr)[:255]
        self.request = {}
        self.note = ""
        self.record = None
        self.client = None

    # journal -----------------------------------------------------------------------------

    def _journal(self, outcome, message="", *, status=None):
        if self.record is not None:  # one row per push, whatever happens after
            return self.record
        if self.preview:  # nothing is sent, so nothing is journaled
            return None
        actor = self.actor if getattr(self.actor, "pk", None) else None
        self.record = PushRecord.objects.create(
            actor=actor,
            actor_username=getattr(actor, "username", "") or "",
            started_at=self.started_at,
            duration_ms=int((time.monotonic() - self._started) * 1000),
            operation=self.operation,
            target_type=self.target_type,
            target_id=self.target_id,
            target_repr=self.target_repr,
            request=clean_payload(self.request),
            outcome=outcome,
            dialpad_status=status,
            message=message,
        )
        log_push(self.record)  # one log line per push, with its ids and outcome
        return self.record

    def authorize(self, *alternatives):
        """PermissionDenied unless the actor has the push's permission (or an alternative)."""
        perms = (self.permission, *alternatives)
        actor = self.actor
        if actor is not None and getattr(actor, "is_active", False) and any(
                actor.has_perm(p) for p in perms):
            return
        who = getattr(actor, "username", None) or "This user"
        message = f"{who} does not have the permission {self.permission} needed to push this."
        denied = PermissionDenied(message)
        denied.record = self._journal(PushRecord.Outcome.DENIED, message)
        raise denied

    def validate(self, errors):
        """ValidationError({field: [messages]}) when `errors` has any; nothing is sent."""
        errors = {field: msgs for field, msgs in errors.items() if msgs}
        if not errors:
            return
        error = ValidationError(errors)
        summary = "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
        error.record = self._journal(PushRecord.Outcome.INVALID, summary)
        raise error

    def refuse(self, exc):
        """Journal a refusal and return the PushRefused to raise."""
        message = _refusal_message(exc)
        status = getattr(exc, "status", None)
        record = self._journal(PushRecord.Outcome.REFUSED, message, status=status)
        return PushRefused(message, status=status, reason=getattr(exc, "message", ""),
                           record=record)

    def unknown(self, message):
        record = self._journal(PushRecord.Outcome.UNKNOWN, message)
        return PushOutcomeUnknown(message, record=record)

    def succeeded(self, message, result):
        """Journal the success; returns `result` (the service's mirror object) carrying the
        journal row as `result.push_record`."""
        if self.note:
            message = f"{message} ({self.note})"
        result.push_record = self._journal(PushRecord.Outcome.SUCCEEDED, message)
        return result

    # talking to Dialpad ------------------------------------------------------------------

    def __enter__(self):
        try:
            self.client = get_client()
        except DialpadError as exc:  # no API key, unusable base URL
            raise self.refuse(exc) from None
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.client is not None:
            self.client.close()
        if exc is not None and self.record is None and not isinstance(
                exc, (PushRefused, PermissionDenied, ValidationError)):
            # A bug of ours, after or before Dialpad answered: say so in the journal.
            exc.record = self._journal(
                PushRecord.Outcome.UNKNOWN,
                f"The console failed while pushing ({type(exc).__name__}); check in Dialpad "
                "whether the change was applied.",
            )
        return False

    @property
    def read_timeout(self):
        timeout = getattr(self.client, "timeout", None) or (None, None)
        return timeout[-1]

    def plan(self, method, path, *, json=None, params=None, note=""):
        """What will be sent; a preview (confirmation page) returns this and stops here."""
        self.planned = PushRequest(method=method, path=path, body=json, query=params,
                                   note=note)
        return self.planned

    def send(self, *, reread=None, applied=None, what="the change"):
        """Send the planned request and return Dialpad's answer.

        If Dialpad did not answer after the request may have reached it, `reread()` fetches
        the target and `applied(state)` says whether the push is in it: if so, the re-read
        state is returned in place of the answer (and noted in the journal); if not, or if
        the re-read fails, PushOutcomeUnknown is raised saying what was found.
        """
        method, path = self.planned.method, self.planned.path
        json, params = self.planned.body, self.planned.query
        self.request = {"method": method, "path": path}
        if params:
            self.request["query"] = params
        if json is not None:
            self.request["body"] = json
        try:
            return self.client.request(method, path, params=params, json=json)
        except TransportError as exc:
            if not exc.maybe_applied or reread is None:
                raise self.refuse(exc) from None
            return self._settle(exc, reread, applied, what)
        except DialpadError as exc:
            raise self.refuse(exc) from None

    def _settle(self, exc, reread, applied, what):
        waited = self.read_timeout
        lost = (f"Dialpad did not answer within {waited:g} s" if waited
                else "Dialpad's answer was lost")
        try:
            state = reread()
        except DialpadError as read_exc:
            raise self.unknown(
                f"{lost}, and re-reading {self.target_repr or 'the target'} failed too "
                f"({_short_reason(read_exc)}). The change may or may not have been applied: "
                "check in Dialpad before trying again."
            ) from None
        if applied(state):
            self.note = f"{lost}; re-reading showed that {what} took effect"
            return state
        raise self.unknown(
            f"{lost}. Re-reading {self.target_repr or 'the target'} right after shows that "
            f"{what} has not taken effect (yet). Dialpad may still apply it: reload in a "
            "minute and check before trying again."
        )

    def read(self, path, params=None):
        """A follow-up read after Dialpad accepted the push; None if it fails.

        The push itself succeeded, so a failed read only means the mirror is refreshed from
        what we know instead (and the next sync brings the rest up to date).
        """
        try:
            return self.client.get(path, params)
        except DialpadError as exc:
            logger.warning("Follow-up read %s after %s failed: %s", path, self.operation, exc)
            return None

    def storing(self):
        """The transaction in which the mirror and the History follow Dialpad's answer."""
        return _Storing(self)


class _Storing:
    def __init__(self, push):
        self.push = push
        self.atomic = transaction.atomic()

    def __enter__(self):
        self.atomic.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb):
        result = self.atomic.__exit__(exc_type, exc, tb)
        if exc is not None:
            exc.record = self.push._journal(
                PushRecord.Outcome.SUCCEEDED,
                f"Dialpad applied the change, but updating the console's copy failed "
                f"({type(exc).__name__}: {exc}); the next sync will bring it up to date.",
            )
        return result


def _short_reason(exc):
    if isinstance(exc, TransportError):
        return exc.message
    status = getattr(exc, "status", None)
    return f"{status}: {exc.message}" if status else exc.message


def _refusal_message(exc):
    """'Dialpad refused: <Dialpad's reason>' plus a hint in plain words."""
    reason = (getattr(exc, "message", "") or str(exc)).strip().rstrip(".")
    if isinstance(exc, ConfigurationError):
        return f"The console cannot reach Dialpad: {reason}. Nothing was sent."
    if isinstance(exc, TransportError):
        return f"Could not reach Dialpad: {reason}. Nothing was changed."
    if isinstance(exc, NotFoundError):
        hint = "it may have been deleted in Dialpad; the next sync will update the console"
    elif isinstance(exc, AuthError):
        hint = "the console's API key is not allowed to do this"
    elif isinstance(exc, RateLimitedError):
        hint = "too many requests right now; try again in a minute"
    elif isinstance(exc, ServerError):
        hint = f"a server error ({exc.status}) at Dialpad; try again later"
    else:
        hint = ""
    message = f"Dialpad refused: {reason or 'no reason given'}."
    return f"{message} ({hint[0].upper()}{hint[1:]}.)" if hint else message


def _not_gone(obj, field, errors, label=None):
    if obj is not None and getattr(obj, "gone_at", None) is not None:
        text = label or object_label(obj)
        errors.setdefault(field, []).append(
            f"{text[0].upper()}{text[1:]} no longer exists in Dialpad.")


def _check_chosen(errors, field, obj, model, message):
    """`obj` must be a `model` row that Dialpad still has; else `message` (or "no longer
    exists") on `field`. Returns whether `obj` is a `model` row."""
    if not isinstance(obj, model):
        errors.setdefault(field, []).append(message)
        return False
    _not_gone(obj, field, errors)
    return True


def _check(errors, field, func, *args, **kwargs):
    """Run a validator; its message goes on `field`. Returns the cleaned value (or None)."""
    try:
        return func(*args, **kwargs)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)
        return None


def _log(actor, obj, message, flag=CHANGE):
    log_entries(actor=actor, entries=[(obj, message)], action_flag=flag)


def _with_changes(message, changes):
    described = describe_changes({k: v for k, v in changes.items() if k != "last_seen_at"})
    return f"{message} ({described})" if described else message


def _upsert(kind, payload):
    """upsert_from_payload for one of our kinds; (obj, changes)."""
    return upsert_from_payload(MIRRORS[kind], payload)


# --- operators -----------------------------------------------------------------------------


def _role_label(role):
    return {"admin": "admin operator", "operator": "operator"}.get(role, role)


def _group_kind(group):
    kind = _kind(group)
    if kind not in GROUP_MODELS:
        return None
    return kind


def _operator_path(group_kind, group_id):
    return f"/api/v2/{COLLECTIONS[group_kind]}/{group_id}/operators"


def _user_group_role(payload, group_kind, group_id):
    """The user's role in the group according to a user payload, or None."""
    for gtype, gid, role in user_memberships(payload or {}):
        if gtype == group_kind and gid == group_id:
            return role
    return None


def _room_operates(collection, room_id):
    return _room_entry(collection, room_id) is not None


def _membership_details(payload):
    """(group_type, group_id, role, detail) for each group the user payload names.

    The same entries, roles and payloads as the sync reads them (mirror.user_memberships).
    """
    details = [d for d in (payload or {}).get("group_details") or []
               if isinstance(d, dict) and d.get("group_type") in GROUP_MODELS
               and parse_id(d.get("group_id")) is not None]
    return [(gtype, gid, role, detail)
            for (gtype, gid, role), detail in zip(user_memberships(payload or {}), details)]


def _store_user_memberships(user, payload, *, seen_at):
    """Make the user's OperatorMembership rows match its `group_details` (rows never dropped:
    a membership Dialpad no longer has is marked gone, as the sync does).

    Returns {key: (old_role_or_None, new_role_or_None)} for the rows that changed.
    """
    wanted = {}
    for gtype, gid, role, detail in _membership_details(payload):
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
        _put_membership(row, key, fields, seen_at=seen_at)
    for key, row in existing.items():
        if key not in wanted and row.gone_at is None:
            _mark_membership_gone(row, seen_at)
            changed[key] = (row.role, None)
    return changed


def _put_membership(row, key, fields, *, seen_at):
    """Create the membership row (`row` None), or update `row` with `fields`, not gone."""
    if row is None:
        return OperatorMembership.objects.create(key=key, last_seen_at=seen_at, **fields)
    for column, value in fields.items():
        setattr(row, column, value)
    row.gone_at = None
    row.last_seen_at = seen_at
    row.save()
    return row


def _mark_membership_gone(row, seen_at):
    row.gone_at = seen_at
    row.save(update_fields=["gone_at"])


def _room_entry(collection, room_id):
    for entry in (collection or {}).get("rooms") or []:
        if parse_id(entry.get("id")) == room_id:
            return entry
    return None


def _store_room_membership(group_kind, group, room, *, role, present, seen_at):
    key = OperatorMembership.make_key(group_kind, group.pk, "room", room.pk)
    row = OperatorMembership.objects.filter(key=key).first()
    if present:
        fields = membership_fields(group_type=group_kind, group_id=group.pk,
                                   operator_type="room", operator_id=room.pk, role=role)
        # What the sync stores for a room's membership (rooms have no group_details).
        fields["payload"] = {"group_type": group_kind, "group_id": group.pk, "role": role}
        return _put_membership(row, key, fields, seen_at=seen_at)
    if row is not None and row.gone_at is None:
        _mark_membership_gone(row, seen_at)
    return row


def _validate_operator_args(group, member, errors):
    group_kind = _group_kind(group)
    if group_kind is None:
        errors.setdefault("group", []).append(
            "Choose an office, a department or a call center.")
    else:
        _not_gone(group, "group", errors)
    if not isinstance(member, (DialpadUser, Room)):
        errors.setdefault("member", []).append("Choose a user or a room.")
    else:
        _not_gone(member, "member", errors)
        if isinstance(member, Room) and group_kind == "callcenter":
            errors.setdefault("member", []).append(
                "Call centers take users only as operators; rooms can operate offices and "
                "departments.")
    return group_kind


def operator_add(*, actor, group, member, role=OperatorRole.OPERATOR, preview=False):
    """Make a user or a room an operator (or admin operator) of an office, department or
    call center (rooms: offices and departments only). Needs `orgs.assign_operator`.

    POST /api/v2/{offices|departments}/{id}/operators {operator_id, operator_type, role}, or
    POST /api/v2/callcenters/{id}/operators {user_id, role}. Then re-reads the user (its
    group_details) or the group's operators (for a room) into the mirror.
    Returns the OperatorMembership row (unsaved if Dialpad's re-read does not list it yet).
    """
    push = _Push(actor=actor, operation="operator_add", permission=PERM_ASSIGN_OPERATOR,
                 target=group if _group_kind(group) else None, preview=preview)
    push.authorize()
    errors = {}
    group_kind = _validate_operator_args(group, member, errors)
    role = str(role or "")
    if role not in OperatorRole.values:
        errors.setdefault("role", []).append(
            f"Choose a role: {', '.join(OperatorRole.values)}.")
    push.validate(errors)

    body = {**_operator_body(group_kind, member), "role": role}
    plan = push.plan("POST", _operator_path(group_kind, group.pk), json=body)
    if preview:
        return plan
    with push:
        reread, applied = _operator_reread(push, group_kind, group, member, present=True,
                                           role=role)
        push.send(reread=reread, applied=applied,
                  what=f"adding {member} as {_role_label(role)}")
        return _store_operator_change(push, group_kind, group, member, role=role, added=True)


def operator_remove(*, actor, group, member, preview=False):
    """Remove a user or room from the operators of an office, department or call center.
    Needs `orgs.assign_operator`.

    DELETE /api/v2/{offices|departments}/{id}/operators {operator_id, operator_type}, or
    DELETE /api/v2/callcenters/{id}/operators {user_id}. The membership row is kept, marked
    gone. Returns it (an unsaved one, marked gone, if the console never had it).
    """
    push = _Push(actor=actor, operation="operator_remove", permission=PERM_ASSIGN_OPERATOR,
                 target=group if _group_kind(group) else None, preview=preview)
    push.authorize()
    errors = {}
    group_kind = _validate_operator_args(group, member, errors)
    push.validate(errors)

    key = OperatorMembership.make_key(group_kind, group.pk, _operator_type(member), member.pk)
    previous = OperatorMembership.objects.filter(key=key).first()
    plan = push.plan("DELETE", _operator_path(group_kind, group.pk),
                     json=_operator_body(group_kind, member))
    if preview:
        return plan
    with push:
        reread, applied = _operator_reread(push, group_kind, group, member, present=False)
        push.send(reread=reread, applied=applied, what=f"removing {member}")
        return _store_operator_change(push, group_kind, group, member,
                                      role=previous.role if previous else None, added=False)


def _operator_type(member):
    return str(OperatorType.USER if isinstance(member, DialpadUser) else OperatorType.ROOM)


def _operator_body(group_kind, member):
    """Who the operator is, as Dialpad's operators endpoint of the group wants it."""
    if group_kind == "callcenter":  # call centers take users only, by user_id
        return {"user_id": member.pk}
    return {"operator_id": member.pk, "operator_type": _operator_type(member)}


def _operator_reread(push, group_kind, group, member, *, present, role=None):
    if isinstance(member, DialpadUser):
        def reread():
            return push.client.get(_entity_path("user", member.pk))

        def applied(payload):
            found = _user_group_role(payload, group_kind, group.pk)
            return found == role if present else found is None
    else:
        def reread():
            return push.client.get(_operator_path(group_kind, group.pk))

        def applied(collection):
            return _room_operates(collection, member.pk) == present
    return reread, applied


def _store_operator_change(push, group_kind, group, member, *, role, added):
    actor = push.actor
    now = timezone.now()
    verb = "Added" if added else "Removed"
    if isinstance(member, DialpadUser):
        payload = push.read(_entity_path("user", member.pk))
        with push.storing():
            if payload is not None:
                user, _ = _upsert("user", payload)
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
            _store_user_memberships(user, user.payload, seen_at=now)
            key = OperatorMembership.make_key(group_kind, group.pk, "user", member.pk)
            membership = OperatorMembership.objects.filter(key=key).first()
            _log_operator_change(actor, verb, group, user, role)
    else:
        collection = push.read(_operator_path(group_kind, group.pk))
        if collection is not None:
            entry = _room_entry(collection, member.pk)
            present = entry is not None
            # Dialpad's operator listing carries no role for rooms; the sync stores
            # "operator" then, and so do we, so that a sync after this push changes nothing.
            stored_role = (entry or {}).get("role") or "operator"
        else:
            present, stored_role = added, role or "operator"
        with push.storing():
            membership = _store_room_membership(group_kind, group, member, role=stored_role,
                                                present=present, seen_at=now)
            _log_operator_change(actor, verb, group, member, role)
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


def _log_operator_change(actor, verb, group, member, role):
    member_text = str(member) if isinstance(member, DialpadUser) else f"room {member}"
    if verb == "Added":
        _log(actor, group, f"Added {member_text} as {_role_label(role)} {VIA}")
        _log(actor, member, f"Added as {_role_label(role)} of {object_label(group)} {VIA}")
    else:
        _log(actor, group, f"Removed operator {member_text} {VIA}")
        _log(actor, member, f"Removed as operator of {object_label(group)} {VIA}")


# --- E911 ----------------------------------------------------------------------------------


def _address_values(address):
    """The six E911 fields from a mapping (a form's cleaned_data) or an object."""
    if isinstance(address, Mapping):
        return {name: address.get(name) for name in E911_FIELDS}
    return {name: getattr(address, name, None) for name in E911_FIELDS}


def clean_e911_address(address, errors):
    """Validated E911 fields (single line, required ones present, country 2 letters)."""
    raw = _address_values(address)
    labels = validators.E911_LABELS
    cleaned = {}
    for name in ("address", "address2", "city", "state", "zip"):
        if name in validators.E911_REQUIRED:
            value = _check(errors, name, validators.required_single_line, raw[name],
                           label=labels[name], max_length=validators.E911_MAX_LENGTHS[name])
        else:
            value = _check(errors, name, validators.single_line, raw[name], label=labels[name])
            if value and len(value) > validators.E911_MAX_LENGTHS[name]:
                errors.setdefault(name, []).append(
                    f"{labels[name]} can have at most {validators.E911_MAX_LENGTHS[name]} "
                    "characters.")
        cleaned[name] = value or ""
    cleaned["country"] = _check(errors, "country", validators.country_code, raw["country"]) or ""
    return cleaned


def _same_address(a, b):
    def norm(value):
        return " ".join(str(value or "").replace(",", " ").split()).casefold()
    return all(norm((a or {}).get(f)) == norm((b or {}).get(f)) for f in E911_FIELDS)


def _address_text(fields):
    parts = [fields.get(n) for n in ("address", "address2", "city", "state", "zip")]
    parts.append((fields.get("country") or "").upper())
    return ", ".join(p for p in parts if p)


def _send_e911(push, fields):
    """Send the planned PUT .../e911; a lost answer is settled by re-reading the address."""
    return push.send(reread=lambda: push.client.get(push.planned.path),
                     applied=lambda state: _same_address(state, fields),
                     what="the new address")


def _store_e911(*, office=None, user=None, answer, seen_at):
    """Create or update the stored E911 address; returns (row, changes)."""
    values = e911_fields(answer)
    lookup = {"office": office} if office is not None else {"user": user}
    row = E911Address.objects.filter(**lookup).first()
    if row is None:
        row = E911Address.objects.create(**lookup, **values, fetched_at=seen_at)
        return row, {name: (None, value) for name, value in values.items() if value}
    changes = {name: (getattr(row, name), value) for name, value in values.items()
               if getattr(row, name) != value}
    for name, value in values.items():
        setattr(row, name, value)
    row.fetched_at = seen_at
    row.save()
    return row, changes


def office_e911_update(*, actor, office, address, apply_to_users=False,
                       use_validated_option=False, preview=False):
    """Set an office's E911 address; with `apply_to_users`, also every user of the office.
    Needs `orgs.change_e911`.

    PUT /api/v2/offices/{id}/e911 {address, address2, city, state, zip, country, update_all,
    use_validated_option}, then GET /api/v2/offices/{id} so the office's payload (which
    carries its e911_address) matches. `address` is a mapping (or object) with the fields
    address, address2, city, state, zip, country. Returns the office's E911Address.
    """
    push = _Push(actor=actor, operation="office_e911_update", permission=PERM_CHANGE_E911,
                 target=office, preview=preview)
    push.authorize()
    errors = {}
    _check_chosen(errors, "office", office, Office, "Choose an office.")
    fields = clean_e911_address(address, errors)
    push.validate(errors)

    body = {**fields, "update_all": bool(apply_to_users),
            "use_validated_option": bool(use_validated_option)}
    note = ""
    if apply_to_users:
        count = DialpadUser.objects.filter(office=office, gone_at__isnull=True).count()
        note = (f"The address will also replace the E911 address of every user of {office} "
                f"({count} in the console).")
    plan = push.plan("PUT", f"/api/v2/offices/{office.pk}/e911", json=body, note=note)
    if preview:
        return plan
    with push:
        answer = _send_e911(push, fields)
        office_payload = push.read(_entity_path("office", office.pk))
        now = timezone.now()
        with push.storing():
            row, changes = _store_e911(office=office, answer=answer, seen_at=now)
            if office_payload is None:
                office_payload = {**(office.payload or {}), "e911_address": dict(answer or {})}
            office, _ = _upsert("office", office_payload)
            text = _address_text(e911_fields(answer))
            _log(actor, office, _with_changes(
                f"Changed E911 address to {text}"
                + (" and applied it to all users of the office" if apply_to_users else "")
                + f" {VIA}", changes))
            users = []
            if apply_to_users:
                users = _store_office_users_e911(office, answer, now)
                if users:
                    applied = f"E911 address set to {text} (applied from {object_label(office)})"
                    log_entries(actor=actor, action_flag=CHANGE,
                                entries=[(u, f"{applied} {VIA}") for u in users])
        return push.succeeded(
            f"E911 address of {object_label(office)} set to {text}"
            + (f", applied to its {len(users)} user(s)" if apply_to_users else ""), row)


def _store_office_users_e911(office, answer, now):
    """Dialpad applied the office's address to all its users: store it as theirs."""
    values = e911_fields(answer)
    users = list(DialpadUser.objects.filter(office=office, gone_at__isnull=True))
    existing = {row.user_id: row for row in E911Address.objects.filter(user__in=users)}
    to_update, to_create = [], []
    for user in users:
        row = existing.get(user.pk)
        if row is None:
            to_create.append(E911Address(user=user, **values, fetched_at=now))
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.fetched_at = now
            to_update.append(row)
    E911Address.objects.bulk_create(to_create)
    E911Address.objects.bulk_update(to_update, [*values, "fetched_at"])
    return users


def user_e911_update(*, actor, user, address, use_validated_option=False, preview=False):
    """Set a user's E911 address. Needs `orgs.change_e911`.

    PUT /api/v2/users/{id}/e911 {address, address2, city, state, zip, country,
    use_validated_option}. Returns the user's E911Address.
    """
    push = _Push(actor=actor, operation="user_e911_update", permission=PERM_CHANGE_E911,
                 target=user, preview=preview)
    push.authorize()
    errors = {}
    _check_chosen(errors, "user", user, DialpadUser, "Choose a user.")
    fields = clean_e911_address(address, errors)
    push.validate(errors)

    body = {**fields, "use_validated_option": bool(use_validated_option)}
    plan = push.plan("PUT", f"/api/v2/users/{user.pk}/e911", json=body)
    if preview:
        return plan
    with push:
        answer = _send_e911(push, fields)
        with push.storing():
            row, changes = _store_e911(user=user, answer=answer, seen_at=timezone.now())
            text = _address_text(e911_fields(answer))
            _log(actor, user, _with_changes(f"Changed E911 address to {text} {VIA}", changes))
        return push.succeeded(f"E911 address of {object_label(user)} set to {text}", row)


# A read made while an admin page opens: a slow Dialpad must not hold the page, so it gets a
# short timeout and no retries (the page says the read failed and shows what it has).
QUICK_READ = {"timeout": (3, 5), "max_retries": 0}


def user_e911_get(*, actor, user, quick=False):
    """Read a user's E911 address from Dialpad and store it (done when an admin opens the
    user: a full sync does not read it, one call per user). Needs `orgs.view_dialpaduser`
    or `orgs.change_e911`. A read, not a push: no journal row.

    GET /api/v2/users/{id}/e911. A stored address that Dialpad now has different is noted
    in the user's History. Raises DialpadReadFailed when Dialpad cannot be read. With
    `quick`, the read uses QUICK_READ's short timeout and no retries (for a page opening).
    """
    if actor is None or not getattr(actor, "is_active", False) or not (
            actor.has_perm(PERM_VIEW_USER) or actor.has_perm(PERM_CHANGE_E911)):
        raise PermissionDenied("You may not view this user.")
    try:
        with get_client(**(QUICK_READ if quick else {})) as client:
            answer = client.get(f"/api/v2/users/{user.pk}/e911")
    except DialpadError as exc:
        raise DialpadReadFailed(
            f"Could not read the E911 address from Dialpad: {_short_reason(exc)}",
            status=getattr(exc, "status", None)) from None
    with transaction.atomic():
        had_row = E911Address.objects.filter(user=user).exists()
        row, changes = _store_e911(user=user, answer=answer or {}, seen_at=timezone.now())
        if had_row and changes:
            _log(actor, user, "E911 address read from Dialpad, changed there: "
                 + describe_changes(changes))
    return row


# --- numbers -------------------------------------------------------------------------------


NUMBER_TARGET_MODELS = (Office, Room, DialpadUser, CallCenter, Department)


def number_region(target):
    """The two-letter region for reading a national number typed for `target` (e.g. "US")."""
    office = target if isinstance(target, Office) else getattr(target, "office", None)
    country = getattr(target, "country", "") or getattr(office, "country", "") or ""
    return country.upper() or None


def number_assign(*, actor, target, number=None, area_code=None, primary=False,
                  preview=False):
    """Assign a number to an office, room, user, call center or department. Needs
    `orgs.assign_number`.

    Either `number` (any format; read with the target's country as region and sent as
    E.164), POST /api/v2/numbers/{number}/assign {target_type, target_id, primary}; or
    `area_code`, POST /api/v2/numbers/assign {target_type, target_id, area_code, primary}:
    Dialpad picks a free number of the company's reserved pool in that area code, or gets a
    new one. `primary` is always sent: Dialpad's default would make it the primary number.
    Returns the PhoneNumber.
    """
    push = _Push(actor=actor, operation="number_assign", permission=PERM_ASSIGN_NUMBER,
                 target=target if isinstance(target, NUMBER_TARGET_MODELS) else None,
                 preview=preview)
    push.authorize()
    errors = {}
    if not isinstance(target, NUMBER_TARGET_MODELS):
        errors["target"] = ["Choose an office, a room, a user, a call center or a department."]
        target_kind = None
    else:
        target_kind = _kind(target)
        _not_gone(target, "target", errors)
    number_given = bool(str(number or "").strip())
    area_given = bool(str(area_code or "").strip())
    if number_given and area_given:
        errors.setdefault("area_code", []).append(
            "Give either a number or an area code, not both.")
    elif not number_given and not area_given:
        errors.setdefault("number", []).append("Give a number, or an area code to pick one in.")
    elif number_given:
        number = _check(errors, "number", validators.e164, number,
                        region=number_region(target) if target_kind else None)
    else:
        area_code = _check(errors, "area_code", validators.area_code, area_code)
    push.validate(errors)
    primary = bool(primary)

    before = set((target.payload or {}).get("phone_numbers") or [])
    if number_given:
        plan = push.plan("POST", f"{_number_path(number)}/assign", json={
            "target_type": target_kind, "target_id": target.pk, "primary": primary})
    else:
        plan = push.plan("POST", "/api/v2/numbers/assign", json={
            "target_type": target_kind, "target_id": target.pk, "area_code": area_code,
            "primary": primary})
    if preview:
        return plan
    with push:
        if number_given:
            answer = push.send(
                reread=lambda: push.client.get(_number_path(number)),
                applied=lambda state: (state.get("target_type") == target_kind
                                       and parse_id(state.get("target_id")) == target.pk),
                what=f"assigning {number} to {object_label(target)}",
            )
        else:
            def reread():
                fresh = push.client.get(_entity_path(target_kind, target.pk)) or {}
                new = [n for n in fresh.get("phone_numbers") or [] if n not in before]
                for candidate in new:
                    state = push.client.get(_number_path(candidate)) or {}
                    if str(state.get("area_code") or "") == area_code:
                        return state
                return {}

            answer = push.send(
                reread=reread, applied=lambda state: bool(state.get("number")),
                what=f"assigning a number of area code {area_code} to {object_label(target)}",
            )
        assigned = answer.get("number") or number
        previous = PhoneNumber.objects.filter(number=assigned).first()
        previous_target = previous.target if previous else None
        target_payload = push.read(_entity_path(target_kind, target.pk))
        old_payload = None
        if previous_target is not None and previous_target != target:
            old_payload = push.read(_entity_path(_kind(previous_target), previous_target.pk))
        with push.storing():
            phone, changes = _upsert("number", answer)
            if target_payload is not None:
                target, _ = _upsert(target_kind, target_payload)
            if old_payload is not None:
                _upsert(_kind(previous_target), old_payload)
            primary_text = "as primary number" if primary else "as an additional number"
            _log(actor, phone, _with_changes(
                f"Assigned to {object_label(target)} {primary_text} {VIA}",
                {k: v for k, v in changes.items() if k != "__created__"}),
                ADDITION if "__created__" in changes else CHANGE)
            _log(actor, target, f"Assigned number {phone.number} {primary_text} {VIA}")
        return push.succeeded(
            f"Assigned {phone.number} to {object_label(target)} {primary_text}", phone)


def number_unassign_consequence(*, number, release=False):
    """What unassigning does to the number, in plain words, for a confirmation page.

    Per Dialpad's spec: the number goes back to the company's reserved pool if the company
    has one; otherwise Dialpad releases it, and the company loses it for good. With
    `release` it is released in any case.
    """
    if release:
        return (f"{number} will be released: it leaves the company for good and cannot be "
                "assigned again unless Dialpad happens to offer it again.")
    return (f"{number} goes back to the company's reserved pool if the company has one. "
            "If it has none, Dialpad releases the number and the company loses it for good.")


def number_unassign(*, actor, number, release=False, preview=False):
    """Unassign a number from whatever it is assigned to. Needs `orgs.assign_number`.

    DELETE /api/v2/numbers/{number}?release=false|true. Careful: as Dialpad's spec says,
    the number returns to the company's reserved pool if there is one, **otherwise it is
    released and the company loses it for good**; with `release=True` it is released in any
    case (see number_unassign_consequence). A released number's row is kept, marked gone.
    `number` is a PhoneNumber (or an E.164 string of one). Returns the PhoneNumber.
    """
    push = _Push(actor=actor, operation="number_unassign", permission=PERM_ASSIGN_NUMBER,
                 target=number if isinstance(number, PhoneNumber) else None,
                 target_type="number", target_id=number if isinstance(number, str) else "",
                 target_repr=number if isinstance(number, str) else "", preview=preview)
    push.authorize()
    errors = {}
    if isinstance(number, str):
        e164 = _check(errors, "number", validators.e164, number)
        number = PhoneNumber.objects.filter(number=e164).first() if e164 else None
        if e164 and number is None:
            errors.setdefault("number", []).append(f"{e164} is not one of the company's numbers.")
    elif not isinstance(number, PhoneNumber):
        errors.setdefault("number", []).append("Choose a number.")
    release = bool(release)
    if isinstance(number, PhoneNumber):
        _not_gone(number, "number", errors)
        if not number.target_type and not release and "number" not in errors:
            errors["number"] = [f"{number.number} is not assigned to anything: nothing to "
                                "unassign (tick release to give it up)."]
    push.validate(errors)

    previous_target = number.target
    previous_kind = _kind(previous_target) if previous_target is not None else None

    def reread():
        try:
            return push.client.get(_number_path(number.number))
        except NotFoundError:
            return {"number": number.number, "deleted": True}

    plan = push.plan("DELETE", _number_path(number.number), params={"release": release},
                     note=number_unassign_consequence(number=number.number, release=release))
    if preview:
        return plan
    with push:
        answer = push.send(
            reread=reread,
            applied=lambda state: _released(state) or not state.get("target_type"),
            what=f"unassigning {number.number}",
        )
        released = _released(answer)
        target_payload = None
        if previous_target is not None:
            target_payload = push.read(_entity_path(previous_kind, previous_target.pk))
        now = timezone.now()
        with push.storing():
            if released:
                phone = _mark_number_released(number, answer, now)
            else:
                # Dialpad's answer is the whole number (absent fields are empty now).
                phone, _ = _upsert("number", {"number": number.number, **answer})
            if target_payload is not None:
                _upsert(previous_kind, target_payload)
            from_text = f" from {object_label(previous_target)}" if previous_target else ""
            outcome = ("released from the company" if released
                       else "returned to the company's reserved pool")
            _log(actor, phone, f"Unassigned{from_text}; {outcome} {VIA}")
            if previous_target is not None:
                _log(actor, previous_target, f"Unassigned number {phone.number} {VIA}")
        phone.released = released
        return push.succeeded(f"Unassigned {phone.number}{from_text}; {outcome}", phone)


def _numbers_held(obj):
    """The numbers a room or user holds, per its payload or the console's rows."""
    return (set((obj.payload or {}).get("phone_numbers") or [])
            | set(obj.assigned_numbers.values_list("number", flat=True)))


def _read_numbers(push, numbers):
    """{number: its payload, or None if Dialpad no longer has it (released)}, after a push
    that may have moved or released them; a number that cannot be read is left out (the
    next sync will tell)."""
    payloads = {}
    for n in numbers:
        try:
            payloads[n] = push.client.get(_number_path(n))
        except NotFoundError:
            payloads[n] = None
        except DialpadError:
            pass
    return payloads


def _released(answer):
    answer = answer or {}
    return bool(answer.get("deleted")) or not answer.get("status")


def _mark_number_released(number, answer, now):
    """The number left the company: keep the row, unlinked and marked gone."""
    number.status = ""
    number.target_type = ""
    number.target_id = None
    number.assigned_office = number.assigned_department = number.assigned_callcenter = None
    number.assigned_room = number.assigned_user = None
    number.payload = clean_payload({**(number.payload or {}), **(answer or {}),
                                    "number": number.number})
    number.gone_at = now
    number.save()
    return number


# --- rooms ---------------------------------------------------------------------------------


def room_create(*, actor, office, name, preview=False):
    """Create a room in an office. Needs `orgs.manage_groups`.

    POST /api/v2/rooms {name, office_id}. Returns the new Room.
    """
    push = _Push(actor=actor, operation="room_create", permission=PERM_MANAGE_GROUPS,
                 target_type="room", target_repr=str(name or ""), preview=preview)
    push.authorize()
    errors = {}
    _check_chosen(errors, "office", office, Office, "Choose an office.")
    name = _check(errors, "name", validators.room_name, name)
    push.validate(errors)

    plan = push.plan("POST", "/api/v2/rooms", json={"name": name, "office_id": office.pk})
    if preview:
        return plan
    with push:
        answer = push.send(
            reread=lambda: _find_new(push, "/api/v2/rooms", {"office_id": office.pk}, Room,
                                     name),
            applied=lambda state: bool(state.get("id")),
            what=f"creating room {name}",
        )
        with push.storing():
            room, _ = _upsert("room", answer)
            _log(actor, room, f"Created room {room} in {object_label(office)} {VIA}", ADDITION)
        push.target_id = str(room.pk)
        return push.succeeded(f"Created room {room} in {object_label(office)}", room)


def _find_new(push, path, params, model, name):
    known = set(model.objects.values_list("pk", flat=True))
    for item in push.client.iter_items(path, params):
        if item.get("name") == name and parse_id(item.get("id")) not in known:
            return item
    return {}


def room_rename(*, actor, room, name, preview=False):
    """Rename a room. Needs `orgs.manage_groups`.

    PATCH /api/v2/rooms/{id} {name}. Returns the Room.
    """
    push = _Push(actor=actor, operation="room_rename", permission=PERM_MANAGE_GROUPS,
                 target=room, preview=preview)
    push.authorize()
    errors = {}
    _check_chosen(errors, "room", room, Room, "Choose a room.")
    name = _check(errors, "name", validators.room_name, name)
    push.validate(errors)

    old_name = room.name
    plan = push.plan("PATCH", _entity_path("room", room.pk), json={"name": name})
    if preview:
        return plan
    with push:
        answer = push.send(
            reread=lambda: push.client.get(_entity_path("room", room.pk)),
            applied=lambda state: state.get("name") == name,
            what=f"renaming it to {name}",
        )
        with push.storing():
            room, changes = _upsert("room", answer)
            _log(actor, room, f"Renamed room from {old_name} to {room.name} {VIA}")
        return push.succeeded(f"Renamed room {old_name} to {room.name}", room)


def room_delete(*, actor, room, preview=False):
    """Delete a room in Dialpad. Needs `orgs.manage_groups`.

    DELETE /api/v2/rooms/{id}. Dialpad unassigns its numbers (back to the reserved pool) and
    removes it from the groups it operated. The Room row is kept, marked gone, with its
    memberships; its numbers are re-read. Returns the Room.
    """
    push = _Push(actor=actor, operation="room_delete", permission=PERM_MANAGE_GROUPS,
                 target=room, preview=preview)
    push.authorize()
    errors = {}
    _check_chosen(errors, "room", room, Room, "Choose a room.")
    push.validate(errors)

    numbers = sorted(_numbers_held(room))

    def reread():
        try:
            state = push.client.get(_entity_path("room", room.pk))
        except NotFoundError:
            return {"id": room.pk, "state": "deleted", "__missing__": True}
        return state

    note = (f"Dialpad will unassign the room's numbers ({', '.join(numbers)}) and remove it "
            "from the groups it operates." if numbers else
            "Dialpad will remove the room from the groups it operates.")
    plan = push.plan("DELETE", _entity_path("room", room.pk), note=note)
    if preview:
        return plan
    with push:
        answer = push.send(
            reread=reread,
            applied=lambda state: state.get("__missing__") or state.get("state") == "deleted",
            what="deleting it",
        )
        number_payloads = _read_numbers(push, numbers)
        now = timezone.now()
        with push.storing():
            payload = {**(room.payload or {}), **{k: v for k, v in (answer or {}).items()
                                                   if not k.startswith("__")}}
            payload["state"] = "deleted"
            room.payload = clean_payload(payload)
            room.state = "deleted"
            room.gone_at = now
            room.save(update_fields=["payload", "state", "gone_at"])
            OperatorMembership.objects.filter(room=room, gone_at__isnull=True).update(gone_at=now)
            for n, number_payload in number_payloads.items():
                phone = PhoneNumber.objects.filter(number=n).first()
                if number_payload is not None:
                    phone, _ = _upsert("number", number_payload)
                elif phone is not None:
                    _mark_number_released(phone, {"deleted": True}, now)
                if phone is not None:
                    _log(actor, phone, f"Unassigned: room {room} was deleted {VIA}")
            _log(actor, room, f"Deleted room {room} {VIA}", DELETION)
        return push.succeeded(
            f"Deleted room {room}"
            + (f"; its numbers {', '.join(numbers)} were unassigned" if numbers else ""), room)


# --- departments and call centers ----------------------------------------------------------


def _clean_group_fields(errors, *, name, description, hours_on, hours, ring_seconds,
                        require_name):
    body = {}
    if name is not None or require_name:
        cleaned = _check(errors, "name", validators.group_name, name)
        if cleaned is not None:
            body["name"] = cleaned
    if description is not None:
        cleaned = _check(errors, "description", validators.group_description, description)
        if cleaned is not None:
            body["group_description"] = cleaned
    if ring_seconds is not None:
        cleaned = _check(errors, "ring_seconds", validators.ring_seconds, ring_seconds)
        if cleaned is not None:
            body["ring_seconds"] = cleaned
    if hours_on is not None:
        body["hours_on"] = bool(hours_on)
    if hours is not None:
        cleaned = _check(errors, "hours", validators.hours_of_operation, hours)
        for day, times in (cleaned or {}).items():
            body[f"{day}_hours"] = times
    return body


def _sent_fields_match(state, body):
    state = state or {}
    for key, value in body.items():
        if key == "office_id":
            continue
        got = state.get(key)
        if key == "ring_seconds":
            got = parse_id(got) if got not in (None, "") else None
        if got != value and not (value == "" and got in (None, "")):
            return False
    return True


def _group_create(kind, *, actor, office, name, description, hours_on, hours, ring_seconds,
                  preview):
    model = GROUP_MODELS[kind]
    label = KIND_LABELS[kind]
    push = _Push(actor=actor, operation=f"{kind}_create", permission=PERM_MANAGE_GROUPS,
                 target_type=kind, target_repr=str(name or ""), preview=preview)
    push.authorize()
    errors = {}
    _check_chosen(errors, "office", office, Office, "Choose an office.")
    body = _clean_group_fields(errors, name=name, description=description, hours_on=hours_on,
                               hours=hours, ring_seconds=ring_seconds, require_name=True)
    push.validate(errors)
    body["office_id"] = office.pk
    plan = push.plan("POST", f"/api/v2/{COLLECTIONS[kind]}", json=body)
    if preview:
        return plan
    with push:
        answer = push.send(
            reread=lambda: _find_new(push, f"/api/v2/offices/{office.pk}/{COLLECTIONS[kind]}",
                                     None, model, body["name"]),
            applied=lambda state: bool(state.get("id")),
            what=f"creating {label} {body['name']}",
        )
        with push.storing():
            group, _ = _upsert(kind, answer)
            _log(actor, group, f"Created {label} {group} in {object_label(office)} {VIA}",
                 ADDITION)
        push.target_id = str(group.pk)
        return push.succeeded(f"Created {label} {group} in {object_label(office)}", group)


def _group_update(kind, group, *, actor, name, description, hours_on, hours, ring_seconds,
                  preview):
    label = KIND_LABELS[kind]
    push = _Push(actor=actor, operation=f"{kind}_update", permission=PERM_MANAGE_GROUPS,
                 target=group if isinstance(group, GROUP_MODELS[kind]) else None,
                 preview=preview)
    push.authorize()
    errors = {}
    _check_chosen(errors, kind, group, GROUP_MODELS[kind], f"Choose a {label}.")
    body = _clean_group_fields(errors, name=name, description=description, hours_on=hours_on,
                               hours=hours, ring_seconds=ring_seconds, require_name=False)
    if not body and not errors:
        errors["__all__"] = ["Nothing to change: give at least one field."]
    push.validate(errors)
    plan = push.plan("PATCH", _entity_path(kind, group.pk), json=body)
    if preview:
        return plan
    with push:
        answer = push.send(
            reread=lambda: push.client.get(_entity_path(kind, group.pk)),
            applied=lambda state: _sent_fields_match(state, body),
            what="the changes",
        )
        with push.storing():
            group, changes = _upsert(kind, answer)
            sent = ", ".join(sorted(body))
            _log(actor, group, _with_changes(f"Changed {sent} {VIA}", changes))
        return push.succeeded(f"Changed {sent} of {label} {group}", group)


def department_create(*, actor, office, name, description=None, hours_on=None, hours=None,
                      ring_seconds=None, preview=False):
    """Create a department in an office. Needs `orgs.manage_groups`.

    POST /api/v2/departments {name, office_id, group_description, ring_seconds, hours_on,
    <day>_hours} (only the fields given). `hours` maps "monday".."sunday" to lists like
    ["08:00", "18:00"]; `ring_seconds` is 10-45; name max 100, description max 256 chars.
    Returns the new Department.
    """
    return _group_create("department", actor=actor, office=office, name=name,
                         description=description, hours_on=hours_on, hours=hours,
                         ring_seconds=ring_seconds, preview=preview)


def department_update(*, actor, department, name=None, description=None, hours_on=None,
                      hours=None, ring_seconds=None, preview=False):
    """Change a department's name, description, hours or ring seconds (only those given).
    Needs `orgs.manage_groups`. PATCH /api/v2/departments/{id}. Returns the Department."""
    return _group_update("department", department, actor=actor, name=name,
                         description=description, hours_on=hours_on, hours=hours,
                         ring_seconds=ring_seconds, preview=preview)


def callcenter_create(*, actor, office, name, description=None, hours_on=None, hours=None,
                      ring_seconds=None, preview=False):
    """Create a call center in an office. Needs `orgs.manage_groups`.

    POST /api/v2/callcenters, same fields and rules as department_create.
    Returns the new CallCenter.
    """
    return _group_create("callcenter", actor=actor, office=office, name=name,
                         description=description, hours_on=hours_on, hours=hours,
                         ring_seconds=ring_seconds, preview=preview)


def callcenter_update(*, actor, callcenter, name=None, description=None, hours_on=None,
                      hours=None, ring_seconds=None, preview=False):
    """Change a call center's name, description, hours or ring seconds (only those given).
    Needs `orgs.manage_groups`. PATCH /api/v2/callcenters/{id}. Returns the CallCenter."""
    return _group_update("callcenter", callcenter, actor=actor, name=name,
                         description=description, hours_on=hours_on, hours=hours,
                         ring_seconds=ring_seconds, preview=preview)


# --- users ---------------------------------------------------------------------------------


def user_move_office(*, actor, user, office, preview=False):
    """Move a user to another office. Needs `orgs.manage_groups`.

    PATCH /api/v2/users/{id}/move_office {office_id}. Per Dialpad's spec, a move to an office
    in another country unassigns the user's numbers and assigns a new one; the user's old and
    new numbers are re-read so the mirror follows. Returns the DialpadUser.
    """
    push = _Push(actor=actor, operation="user_move_office", permission=PERM_MANAGE_GROUPS,
                 target=user if isinstance(user, DialpadUser) else None, preview=preview)
    push.authorize()
    errors = {}
    _check_chosen(errors, "user", user, DialpadUser, "Choose a user.")
    if _check_chosen(errors, "office", office, Office, "Choose an office.") and (
            isinstance(user, DialpadUser) and user.office_id == office.pk):
        errors["office"] = [f"{user} is already in {office}."]
    push.validate(errors)

    old_office = user.office
    old_numbers = _numbers_held(user)
    note = ""
    if (old_office is not None and (old_office.country or "").lower()
            != (office.country or "").lower()):
        note = (f"{office} is in another country than {old_office}: Dialpad will unassign "
                f"{user}'s numbers and assign a new one of {office}.")
    plan = push.plan("PATCH", f"/api/v2/users/{user.pk}/move_office",
                     json={"office_id": office.pk}, note=note)
    if preview:
        return plan
    with push:
        answer = push.send(
            reread=lambda: push.client.get(_entity_path("user", user.pk)),
            applied=lambda state: parse_id(state.get("office_id")) == office.pk,
            what=f"moving {user} to {office}",
        )
        numbers = sorted(old_numbers | set(answer.get("phone_numbers") or []))
        number_payloads = _read_numbers(push, numbers)
        now = timezone.now()
        with push.storing():
            user, changes = _upsert("user", answer)
            _store_user_memberships(user, user.payload, seen_at=now)
            for n, payload in number_payloads.items():
                if payload is not None:
                    phone, number_changes = _upsert("number", payload)
                    if number_changes:
                        _log(actor, phone, _with_changes(
                            f"Followed {user} to {object_label(office)} {VIA}", number_changes))
                else:
                    phone = PhoneNumber.objects.filter(number=n).first()
                    if phone is not None and phone.gone_at is None:
                        _mark_number_released(phone, {"deleted": True}, now)
                        _log(actor, phone, f"Released when {user} moved office {VIA}")
            _log(actor, user, _with_changes(
                f"Moved from {old_office or 'no office'} to {office} {VIA}", changes))
        return push.succeeded(f"Moved {user} from {old_office or 'no office'} to {office}",
                              user)
