"""Deleting an object in Dialpad (a room, a department, a call center): the steps the
services share. Dialpad unassigns what the object held (its numbers: back to the company's
reserved pool if it has one, else released) and ends its operator memberships; the console
keeps every row, marked gone, and re-reads the numbers to know which way each went."""

from django.utils import timezone

from dialpad_console.dialpad import NotFoundError, endpoints

from ..history import DELETION
from ..kinds import KINDS, object_label
from ..mirror import MEMBERSHIPS, Table, clean_payload, mark_gone, mark_number_released
from ..models import OperatorMembership, PhoneNumber
from ._push import VIA, is_object_with, log, upsert
from .numbers import numbers_held, read_numbers

POOL_OR_RELEASED = ("they go back to the company's reserved pool if it has one; otherwise "
                    "Dialpad releases them and the company loses them for good")


def send_delete(push, kind, obj):
    """Send the planned DELETE; a lost answer is settled by re-reading the object (a 404 or
    state "deleted": it was deleted)."""
    def reread():
        try:
            return push.client.get(endpoints.entity(kind, obj.pk))
        except NotFoundError:
            return {"id": obj.pk, "state": "deleted", "__missing__": True}

    return push.send(
        reread=reread,
        applied=lambda state: state.get("__missing__") or state.get("state") == "deleted",
        what="deleting it", expect=is_object_with("id"))


def store_deleted(push, kind, obj, answer, *, numbers, memberships):
    """Mirror a delete Dialpad accepted: `obj` marked gone (state deleted), its `numbers`
    (E.164, held before) and the users of its present `memberships` (a queryset) as Dialpad
    now has them, those memberships marked gone; History on each, and on the other end of
    each membership."""
    number_payloads = read_numbers(push, numbers)
    # The users it ended memberships of: their payload lists their groups.
    operators = memberships.filter(gone_at__isnull=True, operator_type="user").values_list(
        "operator_id", flat=True)
    user_payloads = [payload for payload in (push.read(endpoints.entity("user", uid))
                                             for uid in operators) if payload is not None]
    actor, now, label = push.actor, timezone.now(), object_label(obj)
    with push.storing():
        for payload in user_payloads:
            upsert("user", payload)
        payload = {**(obj.payload or {}), **{k: v for k, v in (answer or {}).items()
                                              if not k.startswith("__")}, "state": "deleted"}
        mark_gone(Table.of(KINDS[kind].mirror), [obj.pk], read_at=now,
                  values={"payload": clean_payload(payload), "state": "deleted"})
        obj.refresh_from_db()
        ended = mark_gone(MEMBERSHIPS, memberships.filter(gone_at__isnull=True).values_list(
            "pk", flat=True), read_at=now)
        for membership in OperatorMembership.objects.filter(pk__in=ended).select_related(
                "office", "department", "callcenter", "user", "room"):
            log(actor, membership, f"Ended: {label} was deleted {VIA}", DELETION)
            _log_other_end(actor, membership, obj, label)
        for n, number_payload in number_payloads.items():
            phone = PhoneNumber.objects.filter(number=n).first()
            if number_payload is not None:
                phone, _ = upsert("number", number_payload)
            elif phone is not None:
                mark_number_released(phone, {"deleted": True}, now)
            if phone is not None:
                log(actor, phone, f"Unassigned: {label} was deleted {VIA}")
        log(actor, obj, f"Deleted {label} {VIA}", DELETION)
    return obj


def _log_other_end(actor, membership, obj, label):
    """The History of the group whose operator was deleted, or of the operator whose group
    was deleted."""
    if membership.group == obj:
        other, message = membership.operator, (
            f"No longer {membership.get_role_display().lower()} of {label}: it was deleted")
    else:
        other, message = membership.group, f"Operator {label} was deleted"
    if not isinstance(other, str):  # a row the console mirrors
        log(actor, other, f"{message} {VIA}")


def held_numbers(obj):
    return sorted(numbers_held(obj))
