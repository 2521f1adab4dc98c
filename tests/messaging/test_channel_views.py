"""Channels from the admin: create, delete (confirmed, the request shown first), add and
remove members; 403 without the permission, 404 for what does not exist, 405 for PUT."""

import pytest
from django.test import Client
from django.urls import reverse

from messaging.models import Channel, ChannelMember
from orgs.models import DialpadUser
from tests.orgs.helpers_push import mirror_snapshot, writes

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:messaging_channel_{name}", args=args)


@pytest.fixture
def channel(org):
    m = org.state.messaging
    return Channel.objects.get(pk=min(m.channels, key=lambda c: len(m.channel_members[c])))


def test_the_channel_list_offers_create_to_who_may(org, messenger_client, viewer):
    viewers = Client()
    viewers.force_login(viewer)

    assert url("create") in messenger_client.get(url("changelist")).content.decode()
    assert url("create") not in viewers.get(url("changelist")).content.decode()


def test_it_creates_a_channel(org, messenger_client):
    owner = DialpadUser.objects.filter(state="active").first()

    response = messenger_client.post(url("create"), {"name": "facilities",
                                                     "privacy_type": "public",
                                                     "owner": owner.pk})

    channel = Channel.objects.get(name="facilities")
    assert response.url == url("change", channel.pk)


def test_a_blank_name_is_a_field_error(org, messenger_client):
    owner = DialpadUser.objects.filter(state="active").first()

    page = messenger_client.post(url("create"), {"name": "#", "privacy_type": "public",
                                                 "owner": owner.pk})

    assert page.context["form"].errors["name"] == ["The name is required."]
    assert writes(org) == []


def test_delete_shows_the_request_then_deletes(org, messenger_client, channel):
    confirm = messenger_client.get(url("delete_in_dialpad", channel.pk))
    response = messenger_client.post(url("delete_in_dialpad", channel.pk), {"_confirmed": "1"})

    assert (confirm.context["planned"].method, confirm.context["planned"].path) == (
        "DELETE", f"/api/v2/channels/{channel.pk}")
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.gone_at is not None


def test_a_refused_delete_shows_dialpads_reason_and_changes_nothing(org, messenger_client,
                                                                    channel):
    org.faults.fail_nth = {1}
    before = mirror_snapshot()

    page = messenger_client.post(url("delete_in_dialpad", channel.pk), {"_confirmed": "1"})

    [error] = page.context["failure"]
    assert error.startswith("Dialpad refused: ")
    assert mirror_snapshot() == before and Channel.objects.get(pk=channel.pk).gone_at is None


def test_a_member_is_added_and_removed_from_the_channels_page(org, messenger_client, channel):
    members = ChannelMember.objects.filter(channel=channel).values("user_dialpad_id")
    user = DialpadUser.objects.filter(state="active").exclude(pk__in=members).first()

    messenger_client.post(url("member_add", channel.pk), {"user": user.pk})
    page = messenger_client.get(url("change", channel.pk)).content.decode()
    remove = url("member_remove", channel.pk, user.pk)
    confirm = messenger_client.get(remove)
    messenger_client.post(remove, {"_confirmed": "1"})

    assert remove in page
    assert confirm.context["planned"].body == {"user_id": user.pk}
    assert user.pk not in org.state.messaging.channel_members[channel.pk]


def test_channel_pushes_need_the_manage_channels_permission(org, client, viewer, channel):
    client.force_login(viewer)

    assert client.get(url("delete_in_dialpad", channel.pk)).status_code == 403
    assert client.post(url("create"), {"name": "x"}).status_code == 403


def test_missing_channels_and_users_are_404(org, messenger_client, channel):
    assert messenger_client.get(url("delete_in_dialpad", 42)).status_code == 404
    assert messenger_client.get(url("member_remove", channel.pk, 42)).status_code == 404


def test_a_wrong_method_is_405(org, messenger_client, channel):
    assert messenger_client.put(url("delete_in_dialpad", channel.pk)).status_code == 405


def test_the_opt_out_list_is_listed(org, messenger_client):
    page = messenger_client.get(reverse("admin:messaging_smsoptout_changelist"))

    opted_out = next(n for n, e in org.state.messaging.opt_outs.items()
                     if e["opt_out_state"] == "opted_out")
    assert opted_out in page.content.decode()
