"""Bursts of events for one object cost one read: a re-read waiting or running absorbs the
events that come meanwhile, and reads again only for those it may have missed."""

import pytest
from django.utils import timezone

from dialpad_console.dialpad import DialpadClient
from events.choices import EventStatus
from events.models import Event, RefreshTarget
from events.services import event_process, refresh_run
from orgs.models import DialpadUser

from .conftest import make_client
from .helpers import changelog

pytestmark = pytest.mark.django_db


def user_reads(sim, uid):
    return len(sim.requests.for_path(f"/api/v2/users/{uid}", "GET"))


def a_user(sim):
    return next(u for u in sim.state.users.values() if u["state"] == "active")


def test_a_burst_for_one_object_is_one_read(synced, receive):
    user = a_user(synced)
    events = [receive(changelog(target_id=user["id"], action=f"change_{n}")) for n in range(5)]
    synced.requests.clear()

    results = [event_process(event_id=e.pk) for e in events]
    refreshes = [r.refresh_id for r in results if r.refresh_id is not None]
    with make_client(synced) as client:
        refresh_run(refresh_id=refreshes[0], client=client)

    assert len(refreshes) == 1
    assert user_reads(synced, user["id"]) == 1
    assert set(Event.objects.values_list("status", flat=True)) == {EventStatus.DONE}
    assert not RefreshTarget.objects.exists()


class EventsDuringTheRead(DialpadClient):
    """The real client; while its first read is in flight, more events for the same object
    are processed (as another worker would, between the read and its write)."""

    def __init__(self, *args, during_first_read, **kwargs):
        super().__init__(*args, **kwargs)
        self.during_first_read = during_first_read

    def get(self, path, params=None):
        answer = super().get(path, params)
        action, self.during_first_read = self.during_first_read, None
        if action is not None:
            action()
        return answer


def test_an_event_during_the_read_is_read_again_once(synced, receive):
    user = a_user(synced)
    first = receive(changelog(target_id=user["id"], action="first"))
    late = [receive(changelog(target_id=user["id"], action=f"late_{n}")) for n in range(3)]
    refresh_id = event_process(event_id=first.pk).refresh_id
    synced.requests.clear()

    def more_events():
        synced.outside.rename_user(user["id"], "Late", "Change")
        for event in late:
            assert event_process(event_id=event.pk).refresh_id is None  # folded in

    client = EventsDuringTheRead(api_key=synced.api_key, base_url=synced.base_url,
                                 rate_limit_per_minute=None, during_first_read=more_events)
    with client:
        refresh_run(refresh_id=refresh_id, client=client)

    assert user_reads(synced, user["id"]) == 2  # the first read may predate the late events
    assert Event.objects.get(pk=first.pk).status == EventStatus.DONE
    assert all(Event.objects.get(pk=e.pk).status == EventStatus.DONE for e in late)
    assert not RefreshTarget.objects.exists()
    assert DialpadUser.objects.get(pk=user["id"]).first_name == "Late"


def test_a_claimed_re_read_is_not_run_twice(synced, receive):
    user = a_user(synced)
    refresh_id = event_process(
        event_id=receive(changelog(target_id=user["id"])).pk).refresh_id
    # Another worker holds it (its claim is fresh).
    RefreshTarget.objects.filter(pk=refresh_id).update(claim_token="x", claimed_at=timezone.now())
    synced.requests.clear()

    with make_client(synced) as client:
        assert refresh_run(refresh_id=refresh_id, client=client) is None

    assert user_reads(synced, user["id"]) == 0


def test_events_for_different_objects_are_read_separately(synced, receive):
    users = [u for u in synced.state.users.values() if u["state"] == "active"][:2]

    results = [event_process(event_id=receive(changelog(target_id=u["id"])).pk)
               for u in users]

    assert all(r.refresh_id is not None for r in results)
    assert RefreshTarget.objects.count() == 2
