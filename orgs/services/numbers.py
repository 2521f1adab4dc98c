"""Numbers: assign one (given, or any free one of an area code) to an office, room, user,
call center or department, or unassign it. Needs `orgs.assign_number`."""

from django.utils import timezone

from dialpad_console.dialpad import DialpadError, NotFoundError, endpoints, parse_id

from .. import permissions, validators
from ..history import ADDITION, CHANGE
from ..kinds import NUMBER_TARGET_KINDS, kind_name, object_label
from ..mirror import mark_number_released
from ..models import Office, PhoneNumber
from ._push import (
    VIA, Push, check, is_object_with, log, not_gone, raise_errors, upsert, validated_by,
    with_changes,
)

NUMBER_TARGET_MODELS = tuple(kind.model for kind in NUMBER_TARGET_KINDS.values())


def number_region(target):
    """The two-letter region for reading a national number typed for `target` (e.g. "US")."""
    office = target if isinstance(target, Office) else getattr(target, "office", None)
    country = getattr(target, "country", "") or getattr(office, "country", "") or ""
    return country.upper() or None


def number_assign_rules(*, target, number=None, area_code=None, **_):
    """{"number": E.164 or "", "area_code": digits or "", "target_kind"}."""
    errors = {}
    if not isinstance(target, NUMBER_TARGET_MODELS):
        errors["target"] = ["Choose an office, a room, a user, a call center or a department."]
        target_kind = None
    else:
        target_kind = kind_name(target)
        not_gone(target, "target", errors)
    number_given = bool(str(number or "").strip())
    area_given = bool(str(area_code or "").strip())
    if number_given and area_given:
        errors.setdefault("area_code", []).append(
            "Give either a number or an area code, not both.")
    elif not number_given and not area_given:
        errors.setdefault("number", []).append("Give a number, or an area code to pick one in.")
    elif number_given:
        number = check(errors, "number", validators.e164, number,
                       region=number_region(target) if target_kind else None)
    else:
        area_code = check(errors, "area_code", validators.area_code, area_code)
    raise_errors(errors)
    return {"number": number if number_given else "",
            "area_code": area_code if area_given else "", "target_kind": target_kind}


@validated_by(number_assign_rules)
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
    push = Push(actor=actor, operation="number_assign", permission=permissions.ASSIGN_NUMBER,
                target=target if isinstance(target, NUMBER_TARGET_MODELS) else None,
                preview=preview)
    push.authorize()
    cleaned = push.validate(number_assign_rules, target=target, number=number,
                            area_code=area_code)
    number, area_code, target_kind = (cleaned["number"], cleaned["area_code"],
                                      cleaned["target_kind"])
    primary = bool(primary)

    if number:
        plan = push.plan(endpoints.number_assign(number, target_type=target_kind,
                                                 target_id=target.pk, primary=primary),
                         note=number_taken_note(number=number, target=target))
    else:
        plan = push.plan(endpoints.number_assign_in_area(
            target_type=target_kind, target_id=target.pk, area_code=area_code,
            primary=primary))
    if preview:
        return plan
    with push:
        if number:
            answer = _send_number_assign(push, target, target_kind, number)
        else:
            answer = _send_area_assign(push, target, target_kind, area_code)
        return _store_number_assigned(push, target, target_kind, answer.get("number") or number,
                                      answer, primary)


def number_holder(*, number, target=None):
    """What the number (E.164) is assigned to per the console, other than `target`: the
    mirrored object, or "call router 123" for a kind the console does not mirror; None when
    it is free (or unknown to the console, or already `target`'s)."""
    phone = PhoneNumber.objects.filter(number=number).first()
    if phone is None or not phone.target_type:
        return None
    holder = phone.target
    if holder is None:  # assigned to a kind the console does not mirror
        return f"{phone.get_target_type_display().lower()} {phone.target_id or ''}".strip()
    return None if holder == target else holder


def number_taken_note(*, number, target):
    """What assigning `number` to `target` takes from its current holder, in plain words
    ("" for a free number)."""
    holder = number_holder(number=number, target=target)
    if holder is None:
        return ""
    if isinstance(holder, str):
        return (f"{number} is assigned to {holder} now: Dialpad moves it to "
                f"{object_label(target)}, and it will no longer ring there.")
    held = holder.assigned_numbers.filter(gone_at__isnull=True).count()
    only = f" It is {holder}'s only number." if held == 1 else ""
    return (f"{number} is assigned to {object_label(holder)} now: Dialpad moves it to "
            f"{object_label(target)}, and it will no longer ring for {holder}.{only} "
            f"{holder}'s History will record the loss.")


def _send_number_assign(push, target, target_kind, number):
    return push.send(
        reread=lambda: push.client.get(endpoints.number(number)),
        applied=lambda state: (state.get("target_type") == target_kind
                               and parse_id(state.get("target_id")) == target.pk),
        what=f"assigning {number} to {object_label(target)}", expect=is_object_with("number"),
    )


def _send_area_assign(push, target, target_kind, area_code):
    before = set((target.payload or {}).get("phone_numbers") or [])

    def reread():
        fresh = push.client.get(endpoints.entity(target_kind, target.pk)) or {}
        new = [n for n in fresh.get("phone_numbers") or [] if n not in before]
        for candidate in new:
            state = push.client.get(endpoints.number(candidate)) or {}
            if str(state.get("area_code") or "") == area_code:
                return state
        return {}

    return push.send(
        reread=reread, applied=lambda state: bool(state.get("number")),
        what=f"assigning a number of area code {area_code} to {object_label(target)}",
        expect=is_object_with("number"),
    )


def _store_number_assigned(push, target, target_kind, assigned, answer, primary):
    actor = push.actor
    previous = PhoneNumber.objects.filter(number=assigned).first()
    previous_target = previous.target if previous else None
    target_payload = push.read(endpoints.entity(target_kind, target.pk))
    old_payload = None
    if previous_target is not None and previous_target != target:
        old_payload = push.read(endpoints.entity(kind_name(previous_target),
                                                 previous_target.pk))
    with push.storing():
        phone, changes = upsert("number", answer)
        if target_payload is not None:
            target, _ = upsert(target_kind, target_payload)
        if old_payload is not None:
            upsert(kind_name(previous_target), old_payload)
        if previous_target is not None and previous_target != target:
            log(actor, previous_target, f"Lost number {phone.number}: assigned to "
                                        f"{object_label(target)} {VIA}")
        primary_text = "as primary number" if primary else "as an additional number"
        log(actor, phone, with_changes(
            f"Assigned to {object_label(target)} {primary_text} {VIA}",
            {k: v for k, v in changes.items() if k != "__created__"}, PhoneNumber),
            ADDITION if "__created__" in changes else CHANGE)
        log(actor, target, f"Assigned number {phone.number} {primary_text} {VIA}")
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


def number_unassign_rules(*, number, release=False, **_):
    """{"number": the PhoneNumber}; `number` may be an E.164 string of one."""
    errors = {}
    if isinstance(number, str):
        e164 = check(errors, "number", validators.e164, number)
        number = PhoneNumber.objects.filter(number=e164).first() if e164 else None
        if e164 and number is None:
            errors.setdefault("number", []).append(f"{e164} is not one of the company's numbers.")
    elif not isinstance(number, PhoneNumber):
        errors.setdefault("number", []).append("Choose a number.")
    if isinstance(number, PhoneNumber):
        not_gone(number, "number", errors)
        if not number.target_type and not release and "number" not in errors:
            errors["number"] = [f"{number.number} is not assigned to anything: nothing to "
                                "unassign (tick release to give it up)."]
    raise_errors(errors)
    return {"number": number}


@validated_by(number_unassign_rules)
def number_unassign(*, actor, number, release=False, preview=False):
    """Unassign a number from whatever it is assigned to. Needs `orgs.assign_number`.

    DELETE /api/v2/numbers/{number}?release=false|true. Careful: as Dialpad's spec says,
    the number returns to the company's reserved pool if there is one, **otherwise it is
    released and the company loses it for good**; with `release=True` it is released in any
    case (see number_unassign_consequence). A released number's row is kept, marked gone.
    `number` is a PhoneNumber (or an E.164 string of one). Returns the PhoneNumber.
    """
    push = Push(actor=actor, operation="number_unassign", permission=permissions.ASSIGN_NUMBER,
                target=number if isinstance(number, PhoneNumber) else None,
                target_type="number", target_id=number if isinstance(number, str) else "",
                target_repr=number if isinstance(number, str) else "", preview=preview)
    push.authorize()
    release = bool(release)
    number = push.validate(number_unassign_rules, number=number, release=release)["number"]

    def reread():
        try:
            return push.client.get(endpoints.number(number.number))
        except NotFoundError:
            return {"number": number.number, "deleted": True}

    plan = push.plan(endpoints.number_unassign(number.number, release=release),
                     note=number_unassign_consequence(number=number.number, release=release))
    if preview:
        return plan
    with push:
        answer = push.send(
            reread=reread,
            applied=lambda state: _released(state) or not state.get("target_type"),
            what=f"unassigning {number.number}", expect=is_object_with("number"),
        )
        return _store_number_unassigned(push, number, answer)


def _store_number_unassigned(push, number, answer):
    actor = push.actor
    previous_target = number.target
    previous_kind = kind_name(previous_target) if previous_target is not None else None
    released = _released(answer)
    target_payload = None
    if previous_target is not None:
        target_payload = push.read(endpoints.entity(previous_kind, previous_target.pk))
    now = timezone.now()
    with push.storing():
        if released:
            phone = mark_number_released(number, answer, now)
        else:
            # Dialpad's answer is the whole number (absent fields are empty now).
            phone, _ = upsert("number", {"number": number.number, **answer})
        if target_payload is not None:
            upsert(previous_kind, target_payload)
        from_text = f" from {object_label(previous_target)}" if previous_target else ""
        outcome = ("released from the company" if released
                   else "returned to the company's reserved pool")
        log(actor, phone, f"Unassigned{from_text}; {outcome} {VIA}")
        if previous_target is not None:
            log(actor, previous_target, f"Unassigned number {phone.number} {VIA}")
    phone.released = released
    return push.succeeded(f"Unassigned {phone.number}{from_text}; {outcome}", phone)


def numbers_held(obj):
    """The numbers a room or user holds, per its payload or the console's rows."""
    return (set((obj.payload or {}).get("phone_numbers") or [])
            | set(obj.assigned_numbers.values_list("number", flat=True)))


def read_numbers(push, numbers):
    """{number: its payload, or None if Dialpad no longer has it (released)}, after a push
    that may have moved or released them; a number that cannot be read is left out (the
    next sync will tell)."""
    payloads = {}
    for n in numbers:
        try:
            payloads[n] = push.client.get(endpoints.number(n))
        except NotFoundError:
            payloads[n] = None
        except DialpadError:
            pass
    return payloads


def _released(answer):
    answer = answer or {}
    return bool(answer.get("deleted")) or not answer.get("status")
