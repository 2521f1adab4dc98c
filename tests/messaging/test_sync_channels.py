"""The full sync mirrors channels and their members, and marks gone what Dialpad lost."""

import pytest

from messaging.models import Channel, ChannelMember
from tests.orgs.helpers_push import history_of, sync_changes

pytestmark = pytest.mark.django_db


def test_the_sync_mirrors_every_channel_and_its_members(org):
    m = org.state.messaging

    assert set(Channel.objects.values_list("pk", "name")) == {
        (cid, c["name"]) for cid, c in m.channels.items()}
    for cid, members in m.channel_members.items():
        rows = ChannelMember.objects.filter(channel_id=cid)
        assert set(rows.values_list("user_id", flat=True)) == set(members)


def test_a_second_sync_changes_nothing(org):
    assert sync_changes() == {}


def test_a_channel_deleted_in_dialpad_is_marked_gone_with_its_members(org, settings):
    settings.DIALPAD_SYNC_MAX_GONE_SHARE = 0.5  # one of the demo's three channels
    m = org.state.messaging
    cid = min(m.channels, key=lambda c: len(m.channel_members[c]))
    del org.state.messaging.channels[cid]
    del org.state.messaging.channel_members[cid]

    changes = sync_changes()

    assert changes["channels"]["gone"] == 1
    channel = Channel.objects.get(pk=cid)
    assert channel.gone_at is not None
    assert not ChannelMember.objects.filter(channel_id=cid, gone_at__isnull=True).exists()
    assert history_of(channel)[-1].endswith("gone from Dialpad (not in a complete listing).")


def test_a_member_removed_in_dialpad_is_marked_gone(org):
    cid, members = next(iter(org.state.messaging.channel_members.items()))
    uid = next(iter(members))
    del members[uid]

    changes = sync_changes()

    assert changes["channel_members"]["gone"] == 1
    member = ChannelMember.objects.get(key=ChannelMember.make_key(cid, uid))
    assert member.gone_at is not None


def test_a_new_channel_in_dialpad_is_mirrored_with_its_members(org):
    m = org.state.messaging
    owner = next(u for u, row in org.state.users.items() if row["state"] == "active")
    m.channels[42] = {"id": 42, "name": "facilities", "description": "", "owner_id": owner,
                      "privacy_type": "public", "state": "active"}
    m.channel_members[42] = {owner: org.state.users[owner]["display_name"]}

    sync_changes()

    assert Channel.objects.get(pk=42).name == "facilities"
    assert ChannelMember.objects.get(channel_id=42).user_id == owner
