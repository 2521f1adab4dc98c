"""Channels: create and delete one, add and remove its members. Needs
`messaging.manage_channels`.

Like the org's pushes: confirmed (the admin sees the request), journaled, the mirror updated
through its one writer only after Dialpad accepted, with History on the channel.
"""

from __future__ import annotations

from django.utils import timezone

from dialpad_console.dialpad import DialpadError, NotFoundError, endpoints, parse_id
from orgs import validators
from orgs.history import ADDITION, CHANGE, DELETION
from orgs.mirror import mark_gone, write_rows
from orgs.models import DialpadUser
from orgs.services._push import (
    VIA, Push, check, check_chosen, is_object_with, log, raise_errors, validated_by,
)

from .. import permissions
from ..mirror import CHANNEL_MEMBERS, CHANNEL_TABLE, channel_fields, member_rows
from ..models import Channel, ChannelMember

PRIVACY_TYPES = ("public", "private")
NAME_MAX = 255


def _name(value):
    name = validators.required_single_line(value, label="The name", max_length=NAME_MAX)
    return name.lstrip("#").strip() or validators.required_single_line("", label="The name")


def channel_create_rules(*, name, description="", privacy_type="public", owner=None, **_):
    errors = {}
    name = check(errors, "name", _name, name)
    if name and Channel.objects.filter(name__iexact=name, gone_at__isnull=True).exists():
        errors.setdefault("name", []).append(f"#{name} already exists.")
    if privacy_type not in PRIVACY_TYPES:
        errors.setdefault("privacy_type", []).append("Choose public or private.")
    if check_chosen(errors, "owner", owner, DialpadUser, "Choose who owns the channel.") and \
            owner.state != "active":
        errors.setdefault("owner", []).append(f"{owner} is {owner.state or 'not active'}.")
    raise_errors(errors)
    return {"name": name, "description": (description or "").strip()}


def _members_of(push, channel_id):
    return list(push.client.iter_items(endpoints.item(endpoints.CHANNELS, channel_id, "members")))


def _store_members(channel, items, *, read_at):
    """The channel's members as a listing read at `read_at` has them (the others gone)."""
    rows = member_rows(channel.pk, items)
    write_rows(CHANNEL_MEMBERS, rows, read_at=read_at, touch=True)
    stale = channel.members.filter(gone_at__isnull=True).exclude(key__in=rows)
    mark_gone(CHANNEL_MEMBERS, stale.values_list("pk", flat=True), read_at=read_at)


@validated_by(channel_create_rules)
def channel_create(*, actor, name, description="", privacy_type="public", owner=None,
                   preview=False):
    """Create a channel owned by `owner` (its first member). POST /api/v2/channels.
    Returns the Channel."""
    push = Push(actor=actor, operation="channel_create",
                permission=permissions.MANAGE_CHANNELS, target_type="channel",
                target_repr=f"#{(name or '').lstrip('#')}", preview=preview)
    push.authorize()
    values = push.validate(channel_create_rules, name=name, description=description,
                           privacy_type=privacy_type, owner=owner)
    plan = push.plan(endpoints.channel_create(name=values["name"],
                                              description=values["description"],
                                              privacy_type=privacy_type, user_id=owner.pk))
    if preview:
        return plan
    with push:
        answer = push.send(reread=lambda: _find_new(push, values["name"]),
                           applied=lambda found: bool(found.get("id")),
                           what=f"creating #{values['name']}", expect=is_object_with("id"))
        read_at = timezone.now()
        members = _members_of_or_owner(push, answer, owner)
        with push.storing():
            channel = _store_channel(answer, read_at)
            _store_members(channel, members, read_at=read_at)
            log(actor, channel, f"Created channel {channel} owned by {owner} {VIA}", ADDITION)
        push.target_id = str(channel.pk)
        return push.succeeded(f"Created channel {channel}", channel)


def _find_new(push, name):
    known = set(Channel.objects.values_list("pk", flat=True))
    for item in push.client.iter_items(endpoints.CHANNELS):
        if item.get("name") == name and parse_id(item.get("id")) not in known:
            return item
    return {}


def _members_of_or_owner(push, answer, owner):
    try:
        return _members_of(push, parse_id(answer["id"]))
    except DialpadError:  # a follow-up read: the new channel's member is its owner
        return [{"id": owner.pk, "name": str(owner)}]


def _store_channel(answer, read_at):
    cid = parse_id(answer["id"])
    write_rows(CHANNEL_TABLE, {cid: {**channel_fields(answer), "payload": answer}},
               read_at=read_at, touch=True)
    return Channel.objects.get(pk=cid)


def _alive_channel(errors, channel):
    check_chosen(errors, "channel", channel, Channel, "Choose a channel.")


def channel_delete_rules(*, channel, **_):
    errors = {}
    _alive_channel(errors, channel)
    raise_errors(errors)
    return {}


@validated_by(channel_delete_rules)
def channel_delete(*, actor, channel, preview=False):
    """Delete a channel in Dialpad; its row is kept, marked gone, with its members.
    DELETE /api/v2/channels/{id}. Returns the Channel."""
    push = Push(actor=actor, operation="channel_delete",
                permission=permissions.MANAGE_CHANNELS, target=channel, preview=preview)
    push.authorize()
    push.validate(channel_delete_rules, channel=channel)

    def reread():
        try:
            return push.client.get(endpoints.item(endpoints.CHANNELS, channel.pk))
        except NotFoundError:
            return {"__missing__": True}

    count = channel.members.filter(gone_at__isnull=True).count()
    plan = push.plan(endpoints.channel_delete(channel.pk),
                     note=f"Its {count} members lose the channel and its messages.")
    if preview:
        return plan
    with push:
        push.send(reread=reread, applied=lambda state: bool(state.get("__missing__")),
                  what="deleting it")
        now = timezone.now()
        with push.storing():
            mark_gone(CHANNEL_TABLE, [channel.pk], read_at=now)
            mark_gone(CHANNEL_MEMBERS, channel.members.filter(gone_at__isnull=True)
                      .values_list("pk", flat=True), read_at=now)
            log(actor, channel, f"Deleted channel {channel} {VIA}", DELETION)
        channel.refresh_from_db()
        return push.succeeded(f"Deleted channel {channel}", channel)


def channel_member_rules(*, channel, user, adding=True, **_):
    errors = {}
    _alive_channel(errors, channel)
    if check_chosen(errors, "user", user, DialpadUser, "Choose a user.") and isinstance(
            channel, Channel):
        member = ChannelMember.objects.filter(key=ChannelMember.make_key(channel.pk, user.pk),
                                              gone_at__isnull=True).exists()
        if adding and member:
            errors.setdefault("user", []).append(f"{user} is already a member of {channel}.")
        if not adding and not member:
            errors.setdefault("user", []).append(f"{user} is not a member of {channel}.")
        if adding and user.state != "active":
            errors.setdefault("user", []).append(f"{user} is {user.state or 'not active'}.")
    raise_errors(errors)
    return {}


def _member_push(*, actor, channel, user, preview, adding):
    operation = "channel_member_add" if adding else "channel_member_remove"
    push = Push(actor=actor, operation=operation, permission=permissions.MANAGE_CHANNELS,
                target=channel, preview=preview)
    push.authorize()
    push.validate(channel_member_rules, channel=channel, user=user, adding=adding)
    request = (endpoints.channel_member_add if adding else endpoints.channel_member_remove)(
        channel.pk, user_id=user.pk)
    plan = push.plan(request)
    if preview:
        return plan
    with push:
        listed = {}

        def reread():
            listed["items"] = _members_of(push, channel.pk)
            return {"member": any(parse_id(i.get("id")) == user.pk for i in listed["items"])}

        push.send(reread=reread, applied=lambda state: state["member"] == adding,
                  what=f"{'adding' if adding else 'removing'} {user}")
        read_at = timezone.now()
        items = listed.get("items") or _members_after(push, channel, user, adding)
        with push.storing():
            _store_members(channel, items, read_at=read_at)
            done = (f"Added {user} to" if adding else f"Removed {user} from")
            log(actor, channel, f"{done} the members {VIA}", CHANGE)
        return push.succeeded(f"{done} channel {channel}", channel)


def _members_after(push, channel, user, adding):
    """The members as Dialpad lists them now; if that read fails, the mirror's with the
    change Dialpad accepted."""
    try:
        return _members_of(push, channel.pk)
    except DialpadError:
        members = [{"id": m.user_dialpad_id, "name": m.name}
                   for m in channel.members.filter(gone_at__isnull=True)
                   if m.user_dialpad_id != user.pk]
        return members + ([{"id": user.pk, "name": str(user)}] if adding else [])


def channel_member_add_rules(**kwargs):
    return channel_member_rules(**kwargs, adding=True)


def channel_member_remove_rules(**kwargs):
    return channel_member_rules(**kwargs, adding=False)


@validated_by(channel_member_add_rules)
def channel_member_add(*, actor, channel, user, preview=False):
    """Add a user to a channel. POST /api/v2/channels/{id}/members. Returns the Channel."""
    return _member_push(actor=actor, channel=channel, user=user, preview=preview, adding=True)


@validated_by(channel_member_remove_rules)
def channel_member_remove(*, actor, channel, user, preview=False):
    """Remove a user from a channel. DELETE /api/v2/channels/{id}/members."""
    return _member_push(actor=actor, channel=channel, user=user, preview=preview,
                        adding=False)
