"""Messaging's part of the full sync: channels with their members, and the SMS opt-out list.

Channels come from one listing, their members from one listing per channel (after the
users, whom members point at). The opt-out list is listed in both of its states (opted out,
opted back in), so a number that texted START again is updated, not "gone"; the client paces
that endpoint under its own limit of 250 requests a minute (endpoints.ENDPOINT_RATE_LIMITS).

A key that may not read these (403) skips the step with a note: messaging is not what the
org mirror needs, and nothing is marked gone for a listing that was not read.
"""

from __future__ import annotations

from dialpad_console.dialpad import AuthError, NotFoundError, endpoints
from messaging import mirror as mm
from messaging.models import ChannelMember
from orgs.models import DialpadUser

from .applier import Applier


def sync_channels(sync):
    """Channels (and their gone pass), then every listed channel's members."""
    channels = Applier.for_mirror(sync, mm.CHANNELS)
    names = {}
    try:
        sync.sync_listing(mm.CHANNELS, lambda rows, _read_at: names.update(
            (cid, values["name"]) for cid, values in rows.items()), applier=channels)
    except AuthError as exc:
        return _skipped(sync, "channels", exc)
    members = Applier(sync, entity="channel_members", table=mm.CHANNEL_MEMBERS,
                      describe=lambda key, values: f"{values['name'] or values['user_dialpad_id']}"
                                                   f" in #{names.get(values['channel_dialpad_id'])}")
    known_users = sync.known[DialpadUser]
    for channel_id in names:
        listing = endpoints.channel_member_listing(channel_id)
        try:
            for read_at, page in sync.pages(listing, label=f"#{names[channel_id]} members"):
                members.apply(mm.member_rows(channel_id, page, known_users=known_users),
                              read_at=read_at)
        except NotFoundError:
            # Deleted since it was listed: its members stay as they are until the next sync
            # marks the channel gone.
            members.seen.update(ChannelMember.objects.filter(
                channel_dialpad_id=channel_id).values_list("key", flat=True))
    members.finish()


def sync_sms_opt_outs(sync):
    """The company's opt-out list, opted out and opted back in, then its gone pass."""
    applier = Applier.for_mirror(sync, mm.SMS_OPT_OUTS)
    try:
        for state in ("opted_out", "opted_back_in"):
            listing = endpoints.sms_opt_out_listing(sync.company_id, state)
            for read_at, page in sync.pages(listing, label=f"SMS opt-outs ({state})"):
                applier.apply(sync.rows_from(mm.SMS_OPT_OUTS, page, applier), read_at=read_at)
    except AuthError as exc:
        return _skipped(sync, "sms_opt_outs", exc)
    applier.finish()


def _skipped(sync, entity, exc):
    sync.run.append_log(f"{entity}: skipped: Dialpad refused the listing ({exc}); nothing of "
                        "it was marked gone.")
    sync.run.add_outcome(entity=entity, identity="*", outcome="skipped",
                         reason=f"Dialpad refused the listing: {exc}")
