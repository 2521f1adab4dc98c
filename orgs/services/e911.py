"""E911 addresses: set an office's (optionally for all its users) or a user's, and read a
user's from Dialpad. Pushes need `orgs.change_e911`."""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from dialpad_console.dialpad import DialpadError, endpoints, get_client

from .. import permissions, validators
from ..exceptions import DialpadReadFailed
from ..history import CHANGE, describe_changes, log_entries
from ..kinds import object_label
from ..mirror import E911_FIELDS, e911_fields, store_e911, store_office_users_e911
from ..models import DialpadUser, E911Address, Office
from ._push import (
    VIA, Push, is_object_with, check, check_chosen, log, raise_errors, short_reason, upsert,
    validated_by, with_changes,
)

# A read made while an admin page opens: a slow Dialpad must not hold the page, so it gets a
# short timeout and no retries (the page says the read failed and shows what it has).
QUICK_READ = {"timeout": (3, 5), "max_retries": 0}


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
        limit = validators.E911_MAX_LENGTHS[name]
        if name in validators.E911_REQUIRED:
            value = check(errors, name, validators.required_single_line, raw[name],
                          label=labels[name], max_length=limit)
        else:
            value = check(errors, name, validators.single_line, raw[name], label=labels[name])
            if value and len(value) > limit:
                errors.setdefault(name, []).append(
                    f"{labels[name]} can have at most {limit} characters.")
        cleaned[name] = value or ""
    cleaned["country"] = check(errors, "country", validators.country_code, raw["country"]) or ""
    return cleaned


def e911_address_rules(*, address, **_):
    """The address alone (a bulk action then applies it to each user)."""
    errors = {}
    fields = clean_e911_address(address, errors)
    raise_errors(errors)
    return fields


def _chosen_address(field, obj, model, message, address):
    errors = {}
    check_chosen(errors, field, obj, model, message)
    fields = clean_e911_address(address, errors)
    raise_errors(errors)
    return fields


def office_e911_rules(*, office, address, **_):
    return _chosen_address("office", office, Office, "Choose an office.", address)


def user_e911_rules(*, user, address, **_):
    return _chosen_address("user", user, DialpadUser, "Choose a user.", address)


def same_address(a, b):
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
                     applied=lambda state: same_address(state, fields),
                     what="the new address", expect=is_object_with("address"))


@validated_by(office_e911_rules)
def office_e911_update(*, actor, office, address, apply_to_users=False,
                       use_validated_option=False, preview=False):
    """Set an office's E911 address; with `apply_to_users`, also every user of the office.
    Needs `orgs.change_e911`.

    PUT /api/v2/offices/{id}/e911 {address, address2, city, state, zip, country, update_all,
    use_validated_option}, then GET /api/v2/offices/{id} so the office's payload (which
    carries its e911_address) matches. `address` is a mapping (or object) with the fields
    address, address2, city, state, zip, country. Returns the office's E911Address.
    """
    push = Push(actor=actor, operation="office_e911_update", permission=permissions.CHANGE_E911,
                target=office, preview=preview)
    push.authorize()
    fields = push.validate(office_e911_rules, office=office, address=address)

    note = ""
    if apply_to_users:
        count = DialpadUser.objects.filter(office=office, gone_at__isnull=True).count()
        note = (f"The address will also replace the E911 address of every user of {office} "
                f"({count} in the console).")
    plan = push.plan(endpoints.e911_update("office", office.pk, fields,
                                           update_all=bool(apply_to_users),
                                           use_validated_option=bool(use_validated_option)),
                     note=note)
    if preview:
        return plan
    with push:
        answer = _send_e911(push, fields)
        office_payload = push.read(endpoints.entity("office", office.pk))
        now = timezone.now()
        with push.storing():
            row, changes = store_e911(office=office, answer=answer, read_at=now)
            if office_payload is None:
                office_payload = {**(office.payload or {}), "e911_address": dict(answer or {})}
            office, _ = upsert("office", office_payload)
            text = _address_text(e911_fields(answer))
            log(actor, office, with_changes(
                f"Changed E911 address to {text}"
                + (" and applied it to all users of the office" if apply_to_users else "")
                + f" {VIA}", changes, E911Address))
            users = []
            if apply_to_users:
                users = store_office_users_e911(office, answer, now)
                if users:
                    applied = f"E911 address set to {text} (applied from {object_label(office)})"
                    log_entries(actor=actor, action_flag=CHANGE,
                                entries=[(u, f"{applied} {VIA}") for u in users])
        return push.succeeded(
            f"E911 address of {object_label(office)} set to {text}"
            + (f", applied to its {len(users)} user(s)" if apply_to_users else ""), row)


@validated_by(user_e911_rules)
def user_e911_update(*, actor, user, address, use_validated_option=False, preview=False):
    """Set a user's E911 address. Needs `orgs.change_e911`.

    PUT /api/v2/users/{id}/e911 {address, address2, city, state, zip, country,
    use_validated_option}. Returns the user's E911Address.
    """
    push = Push(actor=actor, operation="user_e911_update", permission=permissions.CHANGE_E911,
                target=user, preview=preview)
    push.authorize()
    fields = push.validate(user_e911_rules, user=user, address=address)

    plan = push.plan(endpoints.e911_update("user", user.pk, fields,
                                           use_validated_option=bool(use_validated_option)))
    if preview:
        return plan
    with push:
        answer = _send_e911(push, fields)
        with push.storing():
            row, changes = store_e911(user=user, answer=answer, read_at=timezone.now())
            text = _address_text(e911_fields(answer))
            log(actor, user, with_changes(f"Changed E911 address to {text} {VIA}", changes,
                                          E911Address))
        return push.succeeded(f"E911 address of {object_label(user)} set to {text}", row)


def user_e911_get(*, actor, user, quick=False):
    """Read a user's E911 address from Dialpad and store it (done when an admin opens the
    user: a full sync does not read it, one call per user). Needs `orgs.view_dialpaduser`
    (reading an address is viewing the user). A read, not a push: no journal row.

    GET /api/v2/users/{id}/e911. A stored address that Dialpad now has different is noted
    in the user's History. Raises DialpadReadFailed when Dialpad cannot be read, or answers
    something that is not an address (a JSON list, an empty body): nothing is stored then.
    With `quick`, the read uses QUICK_READ's short timeout and no retries (for a page
    opening).
    """
    if actor is None or not getattr(actor, "is_active", False) or not actor.has_perm(
            permissions.VIEW_USER):
        raise PermissionDenied("You may not view this user.")
    failed = "Could not read the E911 address from Dialpad"
    try:
        with get_client(**(QUICK_READ if quick else {})) as client:
            answer = client.get(endpoints.e911("user", user.pk))
    except DialpadError as exc:
        raise DialpadReadFailed(f"{failed}: {short_reason(exc)}",
                                status=getattr(exc, "status", None)) from None
    if not isinstance(answer, dict):  # a 200 that is not what Dialpad documents
        shape = "an empty body" if answer is None else f"a JSON {type(answer).__name__}"
        raise DialpadReadFailed(f"{failed}: its answer is not an address ({shape})")
    with transaction.atomic():
        had_row = E911Address.objects.filter(user=user).exists()
        row, changes = store_e911(user=user, answer=answer, read_at=timezone.now())
        if had_row and changes:
            log(actor, user, "E911 address read from Dialpad, changed there: "
                + describe_changes(changes, E911Address))
    return row

