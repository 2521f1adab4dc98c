"""Users: move one to another office. Needs `orgs.manage_groups`."""

from django.utils import timezone

from dialpad_console.dialpad import endpoints, parse_id

from .. import permissions
from ..kinds import object_label
from ..mirror import mark_number_released, store_user_memberships
from ..models import DialpadUser, Office, PhoneNumber
from ._push import (
    VIA, Push, check_chosen, is_object_with, log, raise_errors, upsert, validated_by,
    with_changes,
)
from .numbers import numbers_held, read_numbers


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
                        f"Followed {user} to {object_label(office)} {VIA}", number_changes))
            else:
                phone = PhoneNumber.objects.filter(number=n).first()
                if phone is not None and phone.gone_at is None:
                    mark_number_released(phone, {"deleted": True}, now)
                    log(actor, phone, f"Released when {user} moved office {VIA}")
        log(actor, user, with_changes(
            f"Moved from {old_office or 'no office'} to {office} {VIA}", changes))
    return user
