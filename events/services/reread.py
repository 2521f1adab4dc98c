"""One object re-read from Dialpad and written through the one mirror writer.

`read(client, kind, ident, events)` only sends reads; `store(found, read_at=..., header=...)`
writes what they found, in the caller's transaction, with the History of what changed
(attributed to the inactive "dialpad-events" user, the message naming the change-log actions
and who made them). Whatever the action says, the object is read back and the mirror writer
decides what changed: Dialpad's list of actions is long, grows, and is not documented.

What is read, per kind:
- every kind: the object itself; a 404 marks its row gone (Dialpad says it has no such
  object; the writer's rule for time keeps a row written after the read);
- office, department, call center: its operators listing too (see `memberships`);
- room: the listings of the groups the mirror says it operates;
- office and user: the E911 address as well when an event's action mentions e911;
- numbers an object's payload gains or loses, and the old and new owner of a number whose
  assignment changed, are re-read after (follow-ups, coalesced like any other request).
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from dialpad_console.dialpad import MalformedResponseError, NotFoundError, endpoints
from orgs.history import ADDITION, CHANGE, describe_changes, log_entries
from orgs.kinds import GROUP_KINDS, KINDS, NUMBER_TARGET_KINDS, object_label
from orgs.mirror import COMPANY, Table, mark_gone, store_e911, store_user_memberships
from orgs.mirror import upsert_from_payload
from orgs.models import E911Address, PhoneNumber

from . import memberships

EVENTS_USERNAME = "dialpad-events"


def events_user():
    """The inactive Django user that History entries of change-log re-reads are by."""
    user, _ = get_user_model().objects.get_or_create(
        username=EVENTS_USERNAME,
        defaults={"is_active": False, "first_name": "Dialpad", "last_name": "events"})
    return user


@dataclass
class Found:
    """What the reads of one object returned (None: Dialpad answered 404)."""

    kind: str
    ident: object
    payload: dict | None
    e911: dict | None = None
    operators: dict | None = None  # a group's operators listing
    users: dict = field(default_factory=dict)  # {user id: payload or None}, for a group
    room_groups: dict = field(default_factory=dict)  # {(group kind, id): listing or None}


@dataclass
class Stored:
    summary: str
    follow_ups: list = field(default_factory=list)  # [(kind, identity)] to re-read next


def _mirror(kind):
    return COMPANY if kind == "company" else KINDS[kind].mirror


def _identity(kind, ident):
    return ident if kind in ("number", "company") else int(ident)


def _get(client, path):
    """Dialpad's answer to GET `path`: a JSON object, or None for a 404."""
    try:
        answer = client.get(path)
    except NotFoundError:
        return None
    if not isinstance(answer, dict):
        raise MalformedResponseError("the answer is not a JSON object", method="GET",
                                     path=path, status=200)
    return answer


def read(client, kind, ident, events):
    """Send the reads a re-read of one object needs; a Found. DialpadError if one fails."""
    ident = _identity(kind, ident)
    path = endpoints.COMPANY if kind == "company" else endpoints.entity(kind, ident)
    found = Found(kind, ident, _get(client, path))
    if found.payload is None:
        return found
    if kind in ("office", "user") and any("e911" in e.action.lower() for e in events):
        found.e911 = _get(client, endpoints.e911(kind, ident))
    if kind in GROUP_KINDS:
        found.operators = _get(client, endpoints.operators(kind, ident)) or {}
        for uid in memberships.users_to_reread(kind, ident, found.operators):
            found.users[uid] = _get(client, endpoints.entity("user", uid))
    if kind == "room":
        for group_kind, group_id in memberships.groups_of_room(ident):
            found.room_groups[(group_kind, group_id)] = _get(
                client, endpoints.operators(group_kind, group_id))
    return found


def store(found, *, read_at, header):
    """Write what `found` holds through the mirror writer, with History; a Stored."""
    mirror = _mirror(found.kind)
    actor = events_user()
    if found.payload is None:
        return _store_missing(found, mirror, read_at, header, actor)
    owner_before = _number_owner(found.ident) if found.kind == "number" else None
    obj, changes = upsert_from_payload(mirror, found.payload, read_at=read_at)
    entries = [_entry(obj, header, changes)] if changes else []
    before = memberships.snapshot(found.kind, obj)
    users = _store_memberships(found, obj, read_at)
    entries += [_entry(user, header, user_changes) for user, user_changes in users
                if user_changes]
    entries += [(member, message, CHANGE) for member, message in memberships.history_entries(
        header, before, memberships.snapshot(found.kind, obj))]
    if found.e911 is not None:
        owner = {"office": {"office": obj}, "user": {"user": obj}}[found.kind]
        _, e911_changes = store_e911(**owner, answer=found.e911, read_at=read_at)
        if e911_changes:
            entries.append((obj, f"{header}: E911 address "
                                 f"({describe_changes(e911_changes, E911Address)}).", CHANGE))
    _log(actor, entries)
    follow_ups = (_owners_changed(owner_before, obj) if found.kind == "number"
                  else _numbers_changed(found.kind, obj, found.payload))
    return Stored(_summary(found, obj, changes, len(entries), follow_ups), follow_ups)


def _store_memberships(found, obj, read_at):
    if found.kind == "user":
        store_user_memberships(obj, found.payload, read_at=read_at)
    elif found.kind in GROUP_KINDS:
        return memberships.store_group_operators(found.kind, obj, found.operators,
                                                 found.users, read_at=read_at)
    elif found.kind == "room":
        memberships.store_room_groups(obj, found.room_groups, read_at=read_at)
    return []


def _store_missing(found, mirror, read_at, header, actor):
    label = _label(found)
    rows = list(mirror.model.objects.filter(**{mirror.identity_field: found.ident}))
    if not rows:
        return Stored(f"Dialpad has no {label}, and the console never had it: nothing to do.")
    marked = set(mark_gone(Table.of(mirror), [row.pk for row in rows], read_at=read_at))
    _log(actor, [(row, f"{header}: gone (Dialpad answers 404 for it).", CHANGE)
                 for row in rows if row.pk in marked])
    follow_ups = []
    if found.kind == "number":
        follow_ups = _owners_changed(_owner_of(rows[0]), None)
    if marked:
        return Stored(f"Dialpad has no {label} any more: marked gone.", follow_ups)
    return Stored(f"Dialpad has no {label}; the console's row was already gone or is newer.",
                  follow_ups)


def _entry(obj, header, changes):
    """(obj, History message, flag) for the `changes` upsert_from_payload reported."""
    if "__created__" in changes:
        return obj, f"{header}: created from Dialpad.", ADDITION
    text = describe_changes({k: v for k, v in changes.items() if k != "gone_at"}, type(obj))
    if "gone_at" in changes:
        text = "back in Dialpad" + (f"; {text}" if text else "")
    return obj, f"{header}: {text or 'changed'}.", CHANGE


def _log(actor, entries):
    """Write (obj, message, flag) History entries, in bulk per flag."""
    for flag in (ADDITION, CHANGE):
        chosen = [(obj, message) for obj, message, entry_flag in entries if entry_flag == flag]
        if chosen:
            log_entries(actor=actor, entries=chosen, action_flag=flag)


# --- numbers ---------------------------------------------------------------------------


def _owner_of(number_row):
    return (number_row.target_type, number_row.target_id) if number_row else None


def _number_owner(number):
    return _owner_of(PhoneNumber.objects.filter(number=number).first())


def _owners_changed(before, number_row):
    """Re-read the old and new owner of a number whose assignment changed: their payloads
    list their numbers."""
    after = _owner_of(number_row)
    if before == after:
        return []
    owners = [owner for owner in (before, after) if owner is not None]
    return [(kind, ident) for kind, ident in owners
            if kind in NUMBER_TARGET_KINDS and ident is not None]


def _numbers_changed(kind, obj, payload):
    """The numbers the payload of `obj` gains or loses against the mirror's assignments."""
    column = getattr(KINDS.get(kind), "number_column", "")
    if not column:
        return []
    listed = {n for n in payload.get("phone_numbers") or [] if isinstance(n, str)}
    mirrored = set(PhoneNumber.objects.filter(gone_at__isnull=True, **{column: obj.pk})
                   .values_list("number", flat=True))
    return [("number", number) for number in sorted(listed ^ mirrored)]


def _label(found):
    return "company" if found.kind == "company" else f"{KINDS[found.kind].label} {found.ident}"


def _summary(found, obj, changes, entries, follow_ups):
    what = "the company" if found.kind == "company" else object_label(obj)
    if "__created__" in changes:
        text = f"Re-read {what}: new to the console, created."
    elif changes:
        text = f"Re-read {what}: {describe_changes(changes, type(obj)) or 'changed'}."
    else:
        text = f"Re-read {what}: already up to date."
    if entries > (1 if changes else 0):
        text += " Operators or related rows changed too (see History)."
    if follow_ups:
        text += f" Re-reading {len(follow_ups)} related object(s) next."
    return text
