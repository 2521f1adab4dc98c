"""Whether events flow, where an admin looks: /readyz's last_event check, the sync status on
the admin index and the sync runs list; and the Events pages, unknown events included."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from tests.factories import superuser

from .helpers import changelog

pytestmark = pytest.mark.django_db


def last_event(client):
    return client.get("/readyz").json()["checks"]["last_event"]


def test_without_a_secret_the_check_says_not_configured(client, settings):
    settings.DIALPAD_WEBHOOK_SECRET = ""

    check = last_event(client)

    assert (check["status"], check["configured"]) == ("unknown", False)
    assert "DIALPAD_WEBHOOK_SECRET" in check["detail"]


def test_configured_but_nothing_received_yet(client, webhook_secret):
    assert last_event(client)["status"] == "unknown"


def test_the_age_of_the_last_event(client, receive):
    event = receive(changelog())
    Event.objects.filter(pk=event.pk).update(received_at=timezone.now() - timedelta(seconds=40),
                                             status="done")

    check = last_event(client)

    assert check["status"] == "ok" and check["required"] is False
    assert 39 <= check["age_seconds"] <= 45
    assert "The last event came 4" in check["detail"]


def test_events_waiting_too_long_are_a_warning(client, receive):
    event = receive(changelog())
    Event.objects.filter(pk=event.pk).update(received_at=timezone.now() - timedelta(minutes=3))

    check = last_event(client)

    assert (check["status"], check["waiting"]) == ("warning", 1)
    assert "is a worker running?" in check["detail"]


def test_the_admin_index_shows_the_last_events_age(client, receive):
    receive(changelog())
    client.force_login(superuser())

    html = client.get(reverse("admin:index")).content.decode()

    assert 'id="event-flow"' in html and "Dialpad events: the last one came" in html


def test_the_sync_runs_list_shows_it_too(client, receive):
    receive(changelog())
    client.force_login(superuser())

    html = client.get(reverse("admin:syncjobs_syncrun_changelist")).content.decode()

    assert "Dialpad events: the last one came" in html


def test_unknown_events_are_listed_and_shown(client, receive, process):
    unknown_target = process(receive({**changelog(), "target": {"type": "ivr", "id": "9"}}))
    unknown_kind = process(receive({"fax": True, "pages": 3}))
    client.force_login(superuser())

    listing = client.get(reverse("admin:events_event_changelist")).content.decode()
    page = client.get(reverse("admin:events_event_change", args=[unknown_kind.pk]))

    assert "stored, nothing to do" in listing and "ivr 9" in listing
    assert unknown_target.status == unknown_kind.status == "unhandled"
    assert page.status_code == 200 and "&quot;pages&quot;: 3" in page.content.decode()


def test_events_are_records_nobody_edits(client, receive):
    event = receive(changelog())
    client.force_login(superuser())

    assert client.get(reverse("admin:events_event_add")).status_code == 403
    assert client.post(reverse("admin:events_event_delete", args=[event.pk]),
                       {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_an_event_page_links_its_mirrored_target(client, synced, receive):
    user = next(u for u in synced.state.users.values() if u["state"] == "active")
    event = receive(changelog(target_id=user["id"]))
    client.force_login(superuser())

    html = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()

    assert reverse("admin:orgs_dialpaduser_change", args=[user["id"]]) in html
