"""The receiver: a verified event is stored and answered 200 at once; anything else is
refused with a 4xx and a log line that holds no token, and nothing is stored."""

import logging
import time

import jwt
import pytest
from django.test import Client

from events.choices import EventKind, EventStatus, Verified
from events.models import Event
from events.services.receive import MAX_BODY_BYTES

from .helpers import PREVIOUS_SECRET, RECEIVER, SECRET, changelog, signed, unsigned_token

pytestmark = pytest.mark.django_db


def test_it_stores_a_signed_event_and_answers_200(deliver):
    claims = changelog(target_id=123)

    response = deliver(claims)

    assert response.status_code == 200
    event = Event.objects.get()
    assert response.json() == {"status": "stored", "event_id": event.pk}
    assert (event.kind, event.status, event.verified) == (
        EventKind.CHANGELOG, EventStatus.PENDING, Verified.CURRENT)
    assert event.payload == claims  # the token's own iat is not part of the event
    assert (event.action, event.target_type, event.target_id, event.changed_by) == (
        "updated_user", "user", "123", "Jane Doe (admin portal)")
    assert len(event.dedupe_key) == 64


def test_the_previous_secret_is_accepted_during_a_rotation(deliver, settings):
    settings.DIALPAD_WEBHOOK_PREVIOUS_SECRET = PREVIOUS_SECRET

    response = deliver(signed(changelog(), secret=PREVIOUS_SECRET))

    assert response.status_code == 200
    assert Event.objects.get().verified == Verified.PREVIOUS


def test_the_previous_secret_is_refused_once_unset(deliver):
    response = deliver(signed(changelog(), secret=PREVIOUS_SECRET))

    assert response.status_code == 403
    assert not Event.objects.exists()


@pytest.mark.parametrize("case, body, status", [
    ("wrong secret", lambda: signed(changelog(), secret="another-secret-of-enough-length-xyz"),
     403),
    ("no signature (plain JSON)", lambda: '{"action": "updated_user"}', 401),
    ("alg none", lambda: unsigned_token(changelog(), "none"), 403),
    ("HS512 with the right secret", lambda: signed(changelog(), algorithm="HS512"), 403),
    # The receiver refuses on the header's algorithm before trying any key, so a token
    # whose header says RS256 is all an RS256 token is to it (cryptography is not installed).
    ("RS256", lambda: unsigned_token(changelog(), "RS256"), 403),
    ("expired", lambda: signed({**changelog(), "exp": int(time.time()) - 3600}), 403),
    ("not valid yet", lambda: signed({**changelog(), "nbf": int(time.time()) + 3600}), 403),
    # Cut in its signature: unreadable base64 (400) or a wrong signature (403), by length.
    ("truncated", lambda: signed(changelog())[:-12], (400, 403)),
    ("truncated in its payload", lambda: signed(changelog())[:40], 400),
    ("not JSON", lambda: "hello, world", 400),
    ("not text", lambda: b"\xff\xfe\x00binary", 400),
    ("empty", lambda: "", 400),
    ("claims that are not an object", lambda: jwt.api_jws.encode(b"[1, 2]", SECRET), 400),
])
# HS512 signed with a 37-byte key: PyJWT warns about the key's length, which is the point.
@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_it_refuses(deliver, caplog, case, body, status):
    token = body()
    with caplog.at_level(logging.WARNING, logger="events.receiver"):
        response = deliver(token)

    assert response.status_code in (status if isinstance(status, tuple) else (status,)), (
        case, response.content)
    assert not Event.objects.exists()
    [line] = [r.getMessage() for r in caplog.records if r.name == "events.receiver"]
    assert "Refused a Dialpad webhook delivery" in line
    text = token.decode("latin-1") if isinstance(token, bytes) else token
    for part in [text, *text.split(".")]:
        if len(part) > 8:
            assert part not in line


def test_an_oversized_body_is_refused_unread(deliver):
    response = deliver("x" * (MAX_BODY_BYTES + 1))

    assert response.status_code == 413
    assert not Event.objects.exists()


def test_a_replayed_event_is_stored_once(deliver):
    claims = changelog()

    first = deliver(signed(claims))
    again = deliver(signed(claims))
    # Dialpad may re-sign a redelivery: another iat, the same event.
    resigned = deliver(signed({**claims, "iat": int(time.time()) + 5}))

    assert [r.status_code for r in (first, again, resigned)] == [200, 200, 200]
    assert [r.json()["status"] for r in (again, resigned)] == ["duplicate", "duplicate"]
    assert Event.objects.count() == 1


def test_two_different_events_are_two_rows(deliver):
    deliver(changelog(target_id=1))
    deliver(changelog(target_id=2))

    assert Event.objects.count() == 2


def test_it_needs_no_login_and_no_csrf_token(webhook_secret):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(RECEIVER, data=signed(changelog()), content_type="application/jwt")

    assert response.status_code == 200


def test_the_path_without_its_slash_works_too(deliver, client):
    response = client.post(RECEIVER.rstrip("/"), data=signed(changelog()),
                           content_type="application/jwt")

    assert response.status_code == 200


def test_get_is_not_allowed(client, webhook_secret):
    assert client.get(RECEIVER).status_code == 405


def test_without_a_configured_secret_everything_is_refused(client, settings):
    settings.DIALPAD_WEBHOOK_SECRET = ""

    response = client.post(RECEIVER, data=signed(changelog()), content_type="application/jwt")

    assert response.status_code == 403
    assert "DIALPAD_WEBHOOK_SECRET" in response.json()["error"]
    assert not Event.objects.exists()


def test_a_token_sent_as_a_json_string_is_accepted(deliver):
    response = deliver(f'"{signed(changelog())}"')

    assert response.status_code == 200


def test_an_event_of_an_unknown_kind_is_stored(deliver):
    response = deliver({"something": "new", "id": "5"})

    assert response.status_code == 200
    assert Event.objects.get().kind == EventKind.UNKNOWN


def test_a_database_outage_is_a_503_that_dialpad_retries(deliver, monkeypatch):
    # The database cannot be stopped under the test; inserting fails as it does when it is.
    from django.db import OperationalError

    def database_down(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")
    monkeypatch.setattr(Event.objects, "create", database_down)

    response = deliver(changelog())

    assert (response.status_code, response["Retry-After"]) == (503, "30")
