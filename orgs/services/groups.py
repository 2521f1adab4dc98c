"""Departments and call centers: create one in an office, change its name, description,
hours or ring seconds, or delete one. Needs `orgs.manage_groups`."""

from django.core.exceptions import ValidationError

from dialpad_console.dialpad import endpoints, parse_id

from .. import permissions, validators
from ..history import ADDITION
from ..kinds import GROUP_KINDS, object_label
from ..models import Office
from ._deleted import POOL_OR_RELEASED, held_numbers, send_delete, store_deleted
from ._push import (
    VIA, Push, is_object_with, check, check_chosen, log, raise_errors, upsert, validated_by,
    with_changes,
)
from .rooms import find_new


DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# How a message names the fields of Dialpad's create / update body.
_BODY_LABELS = {"name": "name", "group_description": "description", "ring_seconds":
                "ring seconds", "hours_on": "hours on or off"}


def sent_fields_label(body):
    """The fields of a group's update body as a message names them: "name, ring seconds and
    hours of Monday, Saturday" (not Dialpad's keys)."""
    labels = [_BODY_LABELS.get(key, key) for key in body
              if key in _BODY_LABELS and key != "office_id"]
    days = [day.capitalize() for day in DAYS if f"{day}_hours" in body]
    if days:
        labels.append("hours of " + ", ".join(days))
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _group_body(errors, *, name, description, hours_on, hours, ring_seconds, require_name):
    """The fields given, validated, as Dialpad's create / update body spells them."""
    body = {}
    if name is not None or require_name:
        cleaned = check(errors, "name", validators.group_name, name)
        if cleaned is not None:
            body["name"] = cleaned
    if description is not None:
        cleaned = check(errors, "description", validators.group_description, description)
        if cleaned is not None:
            body["group_description"] = cleaned
    if ring_seconds is not None:
        cleaned = check(errors, "ring_seconds", validators.ring_seconds, ring_seconds)
        if cleaned is not None:
            body["ring_seconds"] = cleaned
    if hours_on is not None:
        body["hours_on"] = bool(hours_on)
    if hours is not None:
        cleaned = check(errors, "hours", validators.hours_of_operation, hours)
        for day, times in (cleaned or {}).items():
            body[f"{day}_hours"] = times
    return body


def _create_rules(*, office, name, description=None, hours_on=None, hours=None,
                  ring_seconds=None, **_):
    """The create body (without office_id)."""
    errors = {}
    check_chosen(errors, "office", office, Office, "Choose an office.")
    body = _group_body(errors, name=name, description=description, hours_on=hours_on,
                       hours=hours, ring_seconds=ring_seconds, require_name=True)
    raise_errors(errors)
    return body


def _update_rules(kind, group, *, name=None, description=None, hours_on=None, hours=None,
                  ring_seconds=None):
    errors = {}
    label = GROUP_KINDS[kind].label
    check_chosen(errors, kind, group, GROUP_KINDS[kind].model, f"Choose a {label}.")
    body = _group_body(errors, name=name, description=description, hours_on=hours_on,
                       hours=hours, ring_seconds=ring_seconds, require_name=False)
    raise_errors(errors)
    return body


def department_update_rules(*, department, **fields):
    return _update_rules("department", department, **fields)


def callcenter_update_rules(*, callcenter, **fields):
    return _update_rules("callcenter", callcenter, **fields)


_UPDATE_RULES = {"department": department_update_rules, "callcenter": callcenter_update_rules}


def _delete_rules(kind):
    """The rules of deleting a `kind`: the group, given as the keyword argument `kind`."""
    def rules(**kwargs):
        errors = {}
        check_chosen(errors, kind, kwargs.get(kind), GROUP_KINDS[kind].model,
                     f"Choose a {GROUP_KINDS[kind].label}.")
        raise_errors(errors)
        return {}
    return rules


department_delete_rules = _delete_rules("department")
callcenter_delete_rules = _delete_rules("callcenter")
_DELETE_RULES = {"department": department_delete_rules, "callcenter": callcenter_delete_rules}


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


def _group_create(kind, *, actor, office, preview, **fields):
    model, label = GROUP_KINDS[kind].model, GROUP_KINDS[kind].label
    push = Push(actor=actor, operation=f"{kind}_create", permission=permissions.MANAGE_GROUPS,
                target_type=kind, target_repr=str(fields.get("name") or ""), preview=preview)
    push.authorize()
    body = push.validate(_create_rules, office=office, **fields)
    body["office_id"] = office.pk
    plan = push.plan(endpoints.create(kind, body))
    if preview:
        return plan
    with push:
        answer = push.send(
            reread=lambda: find_new(push, endpoints.office_groups(office.pk, kind), None,
                                    model, body["name"]),
            applied=lambda state: bool(state.get("id")),
            what=f"creating {label} {body['name']}", expect=is_object_with("id"),
        )
        with push.storing():
            group, _ = upsert(kind, answer)
            log(actor, group, f"Created {label} {group} in {object_label(office)} {VIA}",
                ADDITION)
        push.target_id = str(group.pk)
        return push.succeeded(f"Created {label} {group} in {object_label(office)}", group)


def _group_update(kind, group, *, actor, preview, **fields):
    label = GROUP_KINDS[kind].label
    push = Push(actor=actor, operation=f"{kind}_update", permission=permissions.MANAGE_GROUPS,
                target=group if isinstance(group, GROUP_KINDS[kind].model) else None,
                preview=preview)
    push.authorize()
    body = push.validate(_UPDATE_RULES[kind], **{kind: group}, **fields)
    if not body:  # valid input, but a push of nothing (e.g. a form submitted unchanged)
        push.invalid(ValidationError({"__all__": ["Nothing to change: give at least one "
                                                  "field."]}))
    plan = push.plan(endpoints.update(kind, group.pk, body))
    if preview:
        return plan
    with push:
        answer = push.send(
            reread=lambda: push.client.get(endpoints.entity(kind, group.pk)),
            applied=lambda state: _sent_fields_match(state, body),
            what="the changes", expect=is_object_with("id"),
        )
        with push.storing():
            group, changes = upsert(kind, answer)
            sent = sent_fields_label(body)
            log(actor, group, with_changes(f"Changed {sent} {VIA}", changes, type(group)))
        return push.succeeded(f"Changed {sent} of {label} {group}", group)


@validated_by(_create_rules)
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


@validated_by(department_update_rules)
def department_update(*, actor, department, name=None, description=None, hours_on=None,
                      hours=None, ring_seconds=None, preview=False):
    """Change a department's name, description, hours or ring seconds (only those given).
    Needs `orgs.manage_groups`. PATCH /api/v2/departments/{id}. Returns the Department."""
    return _group_update("department", department, actor=actor, name=name,
                         description=description, hours_on=hours_on, hours=hours,
                         ring_seconds=ring_seconds, preview=preview)


@validated_by(_create_rules)
def callcenter_create(*, actor, office, name, description=None, hours_on=None, hours=None,
                      ring_seconds=None, preview=False):
    """Create a call center in an office. Needs `orgs.manage_groups`.

    POST /api/v2/callcenters, same fields and rules as department_create.
    Returns the new CallCenter.
    """
    return _group_create("callcenter", actor=actor, office=office, name=name,
                         description=description, hours_on=hours_on, hours=hours,
                         ring_seconds=ring_seconds, preview=preview)


@validated_by(callcenter_update_rules)
def callcenter_update(*, actor, callcenter, name=None, description=None, hours_on=None,
                      hours=None, ring_seconds=None, preview=False):
    """Change a call center's name, description, hours or ring seconds (only those given).
    Needs `orgs.manage_groups`. PATCH /api/v2/callcenters/{id}. Returns the CallCenter."""
    return _group_update("callcenter", callcenter, actor=actor, name=name,
                         description=description, hours_on=hours_on, hours=hours,
                         ring_seconds=ring_seconds, preview=preview)


def group_delete_note(group, numbers):
    """What deleting a department or call center does, in plain words."""
    operators = group.operators.filter(gone_at__isnull=True).count()
    parts = []
    if numbers:
        parts.append(f"Dialpad will unassign its {len(numbers)} number(s) ({', '.join(numbers)}): "
                     f"{POOL_OR_RELEASED}.")
    if operators:
        parts.append(f"Its {operators} operator(s) will no longer be operators of it.")
    return " ".join(parts) or "It has no numbers and no operators."


def _group_delete(kind, group, *, actor, preview):
    label = GROUP_KINDS[kind].label
    push = Push(actor=actor, operation=f"{kind}_delete", permission=permissions.MANAGE_GROUPS,
                target=group if isinstance(group, GROUP_KINDS[kind].model) else None,
                preview=preview)
    push.authorize()
    push.validate(_DELETE_RULES[kind], **{kind: group})
    numbers = held_numbers(group)
    plan = push.plan(endpoints.delete(kind, group.pk), note=group_delete_note(group, numbers))
    if preview:
        return plan
    with push:
        answer = send_delete(push, kind, group)
        store_deleted(push, kind, group, answer, numbers=numbers,
                      memberships=group.operators.all())
        return push.succeeded(
            f"Deleted {label} {group}"
            + (f"; its numbers {', '.join(numbers)} were unassigned" if numbers else ""), group)


@validated_by(department_delete_rules)
def department_delete(*, actor, department, preview=False):
    """Delete a department in Dialpad. Needs `orgs.manage_groups`.

    DELETE /api/v2/departments/{id} (Dialpad answers the department). Its numbers are
    unassigned (the company's reserved pool if it has one, else released: each is re-read
    to know) and its operators are no longer operators of it. The Department row is kept,
    marked gone, with its memberships. Returns the Department.
    """
    return _group_delete("department", department, actor=actor, preview=preview)


@validated_by(callcenter_delete_rules)
def callcenter_delete(*, actor, callcenter, preview=False):
    """Delete a call center in Dialpad. Needs `orgs.manage_groups`. As department_delete,
    with DELETE /api/v2/callcenters/{id}. Returns the CallCenter."""
    return _group_delete("callcenter", callcenter, actor=actor, preview=preview)
