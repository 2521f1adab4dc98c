"""Fixtures for the events tests: the receiver with a secret, a synced mirror of the
simulator's demo org, and processing as the worker does it (services, real client)."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from dialpad_console.dialpad import DialpadClient
from events.models import Event
from events.services import event_process, refresh_run
from syncjobs.engine import run_sync

from .helpers import RECEIVER, SECRET, signed
from .processes import processes  # noqa: F401 -- a fixture, for the end-to-end tests


def make_client(sim):
    """The real client with test-sized retry waits."""
    return DialpadClient(api_key=sim.api_key, base_url=sim.base_url, rate_limit_per_minute=None,
                         timeout=(2, 5), max_retries=1, max_retry_wait=0.05, backoff_base=0.01)


@pytest.fixture
def webhook_secret(settings):
    settings.DIALPAD_WEBHOOK_SECRET = SECRET
    settings.DIALPAD_WEBHOOK_PREVIOUS_SECRET = ""
    return SECRET


@pytest.fixture
def deliver(client, webhook_secret):
    """deliver(claims or raw body) -> the receiver's response."""
    def post(claims_or_body, **kwargs):
        body = signed(claims_or_body) if isinstance(claims_or_body, dict) else claims_or_body
        return client.post(RECEIVER, data=body, content_type="application/jwt", **kwargs)
    return post


@pytest.fixture
def receive(deliver):
    """receive(claims) -> the Event the receiver stored."""
    def store(claims):
        response = deliver(claims)
        assert response.status_code == 200, response.content
        return Event.objects.get(pk=response.json()["event_id"])
    return store


@pytest.fixture
def synced(use_sim, db):
    """The simulator's demo org, mirrored by a full sync."""
    with make_client(use_sim) as client:
        run = run_sync(trigger="command", client=client)
    assert run.status == "succeeded", run.error
    return use_sim


@pytest.fixture
def process(use_sim):
    """process(event) processes it as the worker does (and its re-read); the event, reloaded."""
    def run(event):
        processed = event_process(event_id=event.pk)
        if processed.refresh_id is not None:
            with make_client(use_sim) as client:
                refresh_run(refresh_id=processed.refresh_id, client=client)
        event.refresh_from_db()
        return event
    return run


@pytest.fixture
def history():
    """history(obj) -> its History messages, oldest first."""
    def messages(obj):
        return list(LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk)).order_by("pk").values_list("change_message", flat=True))
    return messages


@pytest.fixture
def api_for_sim(use_sim):
    """Set up the simulator as someone else would, over its API: api_for_sim.post(path,
    json=...) -> the answer's JSON."""
    from tests.sim.helpers import Api

    api = Api(use_sim)

    class Calls:
        @staticmethod
        def post(path, json):
            response = api.post(path, json=json)
            assert response.status_code == 200, response.text
            return response.json()

    yield Calls
    api.close()
