"""Users: move one to another office (needs `orgs.manage_groups`), what the move leaves
wrong, and the pushes that fix it in the same flow."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from dialpad_console.dialpad import endpoints, parse_id

from .. import permissions
from ..exceptions import PushRefused
from ..kinds import object_label
from ..mirror import E911_FIELDS, mark_number_released, store_user_memberships
from ..models import DialpadUser, E911Address, Office, OperatorMembership, PhoneNumber
from ._push import (
    VIA, Push, check_chosen, is_object_with, log, raise_errors, upsert, validated_by,
    with_changes,
)
from .e911 import same_address, user_e911_update
from .numbers import numbers_held, read_numbers
from .operators import operator_remove


def user_move_office_rules(*, user, office, **_):
    errors = {}
    check_chosen(errors, "user", user, DialpadUser, "Choose a user.")
    if check_chosen(errors, "office", office, Office, "Choose an office.") and (
            isinstance(user, DialpadUser) and user.office_id == office.pk):
        errors["office"] = [f"{user} is already in {office}."]
    raise_errors(errors)
    return {}


def move_changes_country(user, office):
    """Whether moving `user` to `office` crosses a border (Dialpad then swaps its numbers)."""
    current = user.office
    return bool(office and current and (office.country or "").lower()
                != (current.country or "").lower())


@validated_by(user_move_office_rules)
def user_move_office(*, actor, user, office, preview=False):
    """Move a user to another office. Needs `orgs.manage_groups`.

    PATCH /api/v2/users/{id}/move_office {office_id}. Per Dialpad's spec, a move to an office
    in another country unassigns the user's numbers and assigns a new one; the user's old and
    new numbers are re-read so the mirror follows. Returns the DialpadUser.
    """
    push = Push(actor=actor, operation="user_move_office", permission=permissions.MANAGE_GROUPS,
                target=user if isinstance(user, DialpadUser) else None, preview=preview)
    push.authorize()
    push.validate(user_move_office_rules, user=user, office=office)

    old_office = user.office
    old_numbers = numbers_held(user)
    note = ""
    if move_changes_country(user, office):
        note = (f"{office} is in another country than {old_office}: Dialpad will unassign "
                f"{user}'s numbers and assign a new one of {office}.")
    plan = push.plan(endpoints.user_move_office(user.pk, office.pk), note=note)
    if preview:
        return plan
    with push:
        answer = push.send(
            reread=lambda: push.client.get(endpoints.entity("user", user.pk)),
            applied=lambda state: parse_id(state.get("office_id")) == office.pk,
            what=f"moving {user} to {office}", expect=is_object_with("id"),
        )
        numbers = sorted(old_numbers | set(answer.get("phone_numbers") or []))
        user = _store_user_moved(push, answer, office, old_office,
                                 read_numbers(push, numbers))
        return push.succeeded(f"Moved {user} from {old_office or 'no office'} to {office}",
                              user)


def _store_user_moved(push, answer, office, old_office, number_payloads):
    actor = push.actor
    now = timezone.now()
    with push.storing():
        user, changes = upsert("user", answer)
        store_user_memberships(user, user.payload, read_at=now)
        for n, payload in number_payloads.items():
            if payload is not None:
                phone, number_changes = upsert("number", payload)
                if number_changes:
                    log(actor, phone, with_changes(
                        f"Followed {user} to {object_label(office)} {VIA}", number_changes,
                        PhoneNumber))
            else:
                phone = PhoneNumber.objects.filter(number=n).first()
                if phone is not None and phone.gone_at is None:
                    mark_number_released(phone, {"deleted": True}, now)
                    log(actor, phone, f"Released when {user} moved office {VIA}")
        log(actor, user, with_changes(
            f"Moved from {old_office or 'no office'} to {office} {VIA}", changes, DialpadUser))
    return user


# --- what a move leaves wrong, and fixing it in the same flow --------------------------------


@dataclass
class MoveConsequences:
    """What moving `user` to `office` changes or leaves wrong, per the console's mirror."""

    user: DialpadUser
    office: Office
    e911_now: E911Address | None  # the user's address, if the console has it
    e911_new: E911Address | None  # the new office's, if the console has it
    memberships: list  # the user's memberships in the old office's groups
    numbers_swapped: list  # E.164 numbers Dialpad unassigns (a move to another country)

    @property
    def e911_wrong(self):
        """The user's E911 address will not be the new office's (when that one is known)."""
        return self.e911_new is not None and not (
            self.e911_now is not None and same_address(_fields(self.e911_now),
                                                       _fields(self.e911_new)))


def _fields(address):
    return {name: getattr(address, name) for name in E911_FIELDS}


def office_memberships(user, office):
    """The user's present memberships in `office` itself, its departments and call
    centers (the groups a move away from `office` leaves the user in)."""
    if office is None:
        return []
    return list(OperatorMembership.objects.filter(
        Q(office=office) | Q(department__office=office) | Q(callcenter__office=office),
        user=user, gone_at__isnull=True).select_related("office", "department", "callcenter")
        .order_by("group_type", "role", "group_id"))


def user_move_consequences(*, user, office):
    """MoveConsequences of moving `user` (still in its old office) to `office`."""
    return MoveConsequences(
        user=user, office=office,
        e911_now=E911Address.objects.filter(user=user).first(),
        e911_new=E911Address.objects.filter(office=office).first(),
        memberships=office_memberships(user, user.office),
        numbers_swapped=(sorted(numbers_held(user)) if move_changes_country(user, office)
                         else []))


@dataclass
class FollowUp:
    """One push made after a move, and how it went."""

    what: str  # "set the E911 address to office London's"
    ok: bool
    message: str  # the push's journal message, or why it did not go through
    record: object = None  # its PushRecord, if it was journaled


def user_move_follow_ups(*, actor, user, old_office, office, set_e911=False,
                         remove_memberships=False):
    """After a move Dialpad accepted, the pushes the admin ticked on its confirmation: set
    the user's E911 address to the new office's (user_e911_update), remove the user from the
    old office's groups (operator_remove, one per group). Each is its own push, journaled;
    one failing does not stop the others. Returns [FollowUp]."""
    done = []
    if set_e911:
        address = E911Address.objects.filter(office=office).first()
        what = f"setting the E911 address to {object_label(office)}'s"
        done.append(FollowUp(what, False, f"The console has no E911 address for "
                                          f"{object_label(office)}.") if address is None
                    else _follow_up(what, user_e911_update, actor=actor, user=user,
                                    address=address))
    if remove_memberships:
        for membership in office_memberships(user, old_office):
            done.append(_follow_up(
                f"removing them from the operators of {object_label(membership.group)}",
                operator_remove, actor=actor, group=membership.group, member=user))
    return done


def _follow_up(what, service, **kwargs):
    try:
        result = service(**kwargs)
    except PushRefused as exc:
        return FollowUp(what, False, exc.message, exc.record)
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return FollowUp(what, False, text, getattr(exc, "record", None))
    return FollowUp(what, True, result.push_record.message, result.push_record)
