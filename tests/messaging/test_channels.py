"""Channels: create and delete one, add and remove members; confirmed, journaled, with
History, the mirror changed only once Dialpad accepted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from messaging import services
from messaging.models import Channel, ChannelMember
from orgs.exceptions import PushRefused
from orgs.models import DialpadUser
from tests import factories
from tests.orgs.helpers_push import history_of, journal, set_read_timeout, \
    slow_only_the_first_write, sync_changes, writes

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(org):
    m = org.state.messaging
    return Channel.objects.get(pk=min(m.channels, key=lambda c: len(m.channel_members[c])))


def an_outsider_of(channel):
    members = ChannelMember.objects.filter(channel=channel).values("user_dialpad_id")
    return DialpadUser.objects.filter(state="active").exclude(pk__in=members).first()


def a_member_of(channel):
    return ChannelMember.objects.filter(channel=channel, gone_at__isnull=True).first().user


def test_it_creates_a_channel_owned_by_a_user(org, messenger):
    owner = DialpadUser.objects.filter(state="active").first()

    channel = services.channel_create(actor=messenger, name="#facilities",
                                      description="Doors and lights", privacy_type="private",
                                      owner=owner)

    [post] = writes(org)
    assert post.json == {"name": "facilities", "description": "Doors and lights",
                         "privacy_type": "private", "user_id": owner.pk}
    assert channel.name == "facilities" and channel.pk in org.state.messaging.channels
    assert list(channel.members.values_list("user_id", flat=True)) == [owner.pk]
    assert history_of(channel) == [f"Created channel #facilities owned by {owner} via Dialpad "
                                   "Console"]
    assert sync_changes() == {}


def test_a_name_that_exists_is_refused_on_its_field(org, messenger, channel):
    with pytest.raises(ValidationError) as error:
        services.channel_create(actor=messenger, name=channel.name.upper(), owner=a_member_of(
            channel))

    assert error.value.message_dict["name"] == [f"#{channel.name.upper()} already exists."]
    assert writes(org) == []


def test_it_requires_the_manage_channels_permission(org, channel):
    with pytest.raises(PermissionDenied):
        services.channel_delete(actor=factories.admin_who_may_push(), channel=channel)

    assert writes(org) == [] and journal()[0].outcome == "denied"


def test_it_deletes_a_channel_and_keeps_its_row_gone(org, messenger, channel):
    services.channel_delete(actor=messenger, channel=channel)

    channel.refresh_from_db()
    assert channel.gone_at is not None and channel.pk not in org.state.messaging.channels
    assert not channel.members.filter(gone_at__isnull=True).exists()
    assert history_of(channel)[-1] == f"Deleted channel {channel} via Dialpad Console"


def test_a_refused_delete_changes_nothing(org, messenger, channel):
    del org.state.messaging.channels[channel.pk]

    with pytest.raises(PushRefused) as error:
        services.channel_delete(actor=messenger, channel=channel)

    assert str(error.value).startswith(f"Dialpad refused: channel {channel.pk} not found")
    channel.refresh_from_db()
    assert channel.gone_at is None


def test_it_adds_and_removes_a_member(org, messenger, channel):
    user = an_outsider_of(channel)

    services.channel_member_add(actor=messenger, channel=channel, user=user)
    added = ChannelMember.objects.get(key=ChannelMember.make_key(channel.pk, user.pk))
    services.channel_member_remove(actor=messenger, channel=channel, user=user)

    added.refresh_from_db()
    assert added.gone_at is not None
    assert user.pk not in org.state.messaging.channel_members[channel.pk]
    assert history_of(channel)[-2:] == [f"Added {user} to the members via Dialpad Console",
                                        f"Removed {user} from the members via Dialpad Console"]
    assert [r.outcome for r in journal()] == ["succeeded", "succeeded"]


def test_adding_a_member_twice_is_refused_before_sending(org, messenger, channel):
    with pytest.raises(ValidationError) as error:
        services.channel_member_add(actor=messenger, channel=channel, user=a_member_of(channel))

    assert "is already a member" in error.value.message_dict["user"][0]
    assert writes(org) == []


def test_a_lost_answer_is_settled_by_reading_the_members(org, messenger, channel, settings):
    user = an_outsider_of(channel)
    set_read_timeout(settings, 0.3)
    watcher = slow_only_the_first_write(org, 0.6, until_requests=2)

    services.channel_member_add(actor=messenger, channel=channel, user=user)
    watcher.join()

    assert ChannelMember.objects.get(key=ChannelMember.make_key(channel.pk, user.pk)
                                     ).gone_at is None
    assert "took effect" in journal()[0].message
