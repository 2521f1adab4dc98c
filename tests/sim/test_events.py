"""The simulator sends signed events to its registered webhooks: a change-log event for every
change made through its API or "outside" it, and SMS events; delivery never blocks an answer
and a failed delivery is retried."""

import threading

import jwt
import pytest
import requests

from tests.sim.helpers import active_user_ids, error_message
from tests.sim.receiver import Receiver

SECRET = "a-shared-secret-of-some-length-42"


@pytest.fixture
def receiver():
    made = Receiver()
    yield made
    made.close()


@pytest.fixture
def hooked(sim, api, receiver):
    """The simulator delivering to `receiver`: a webhook with SECRET, subscribed to the
    change log and to every SMS with delivery statuses. The demo org's own webhook is
    removed, so that only ours is delivered to."""
    sim.state.webhooks.clear()
    sim.state.subscriptions_changelog.clear()
    sim.state.subscriptions_sms.clear()
    hook = api.post("/webhooks", json={"hook_url": receiver.url, "secret": SECRET}).json()
    api.post("/subscriptions/changelog", json={"endpoint_id": hook["id"]})
    api.post("/subscriptions/sms", json={"endpoint_id": hook["id"], "direction": "all",
                                         "status": True})
    sim.events.deliver = True
    return hook


def test_a_change_through_the_api_sends_a_signed_change_log_event(sim, api, receiver, hooked):
    uid = active_user_ids(sim.state)[0]

    api.patch(f"/users/{uid}", json={"job_title": "Chief Listener"})

    [(content_type, body)] = receiver.wait_for(1)
    event = jwt.decode(body, SECRET, algorithms=["HS256"])
    assert content_type == "application/jwt"
    assert (event["action"], event["target"]) == ("updated_user", {"id": str(uid),
                                                                   "type": "user"})
    assert event["changed_by"]["type"] == "api"
    assert isinstance(event["date"], int) and event["date"] > 1_600_000_000_000


def test_a_created_object_is_the_target_of_its_event(sim, api, receiver, hooked):
    office_id = next(iter(sim.state.offices))

    room = api.post("/rooms", json={"name": "Lobby", "office_id": office_id}).json()

    [event] = [jwt.decode(b, SECRET, algorithms=["HS256"]) for _, b in receiver.wait_for(1)]
    assert (event["action"], event["target"]["id"]) == ("created_room", room["id"])


def test_an_operator_change_names_the_group(sim, api, receiver, hooked):
    dept_id = next(iter(sim.state.departments))
    uid = next(u for u in active_user_ids(sim.state)
               if ("user", u) not in sim.state.memberships.get(("department", dept_id), {}))

    api.post(f"/departments/{dept_id}/operators",
             json={"operator_id": uid, "operator_type": "user", "role": "operator"})

    [event] = [jwt.decode(b, SECRET, algorithms=["HS256"]) for _, b in receiver.wait_for(1)]
    assert event["action"] == "added_operator"
    assert event["target"] == {"id": str(dept_id), "type": "department"}
    assert event["additional_data"]["operator_id"] == str(uid)


def test_an_outside_change_is_applied_and_sent(sim, receiver, hooked):
    uid = active_user_ids(sim.state)[0]

    sim.outside.rename_user(uid, "Ada", "Lovelace", by="Grace Hopper")

    [event] = [jwt.decode(b, SECRET, algorithms=["HS256"]) for _, b in receiver.wait_for(1)]
    assert sim.state.users[uid]["display_name"] == "Ada Lovelace"
    assert event["action"] == "updated_user"
    assert event["changed_by"]["name"] == "Grace Hopper"
    assert event["changed_by"]["type"] == "admin portal"


def test_outside_changes_over_http_need_the_key(sim, receiver, hooked):
    uid = active_user_ids(sim.state)[0]
    url = f"{sim.base_url}/_sim/outside/rename_user"

    refused = requests.post(url, json={"user_id": uid, "first_name": "X"}, timeout=5)
    done = requests.post(url, json={"user_id": uid, "first_name": "Ada"}, timeout=5,
                         headers={"Authorization": f"Bearer {sim.api_key}"})

    assert refused.status_code == 401
    assert done.status_code == 200 and done.json()["first_name"] == "Ada"
    receiver.wait_for(1)


def test_an_unknown_outside_action_is_a_404(sim):
    response = requests.post(f"{sim.base_url}/_sim/outside/delete_everything", json={},
                             headers={"Authorization": f"Bearer {sim.api_key}"}, timeout=5)

    assert response.status_code == 404
    assert "rename_user" in error_message(response)


def test_a_sent_sms_sends_its_event_then_its_delivery_status(sim, api, receiver, hooked):
    uid = next(u for u in active_user_ids(sim.state) if sim.state.users[u]["phone_numbers"])
    sim.events.sms_status_after = 0

    sms = api.post("/sms", json={"user_id": uid, "to_numbers": ["+14155550100"],
                                 "text": "hello"}).json()

    events = [jwt.decode(b, SECRET, algorithms=["HS256"]) for _, b in receiver.wait_for(2)]
    assert [(e["id"], e["direction"], e["message_status"]) for e in events] == [
        (sms["id"], "outbound", "pending"), (sms["id"], "outbound", "success")]
    first = events[0]
    assert first["contact"]["phone_number"] == "+14155550100"
    assert first["to_number"] == ["+14155550100"]
    assert first["target"]["id"] == str(uid) and first["target"]["type"] == "user"
    assert first["text"] == "hello"


def test_an_inbound_sms_is_sent(sim, receiver, hooked):
    number, row = next((n, r) for n, r in sim.state.numbers.items()
                       if r["target_type"] == "user")

    sim.outside.inbound_sms(number, "+14155550199", "hi there", contact_name="Pat")

    receiver.wait_for(1)
    [event] = receiver.events(SECRET)
    assert (event["direction"], event["from_number"]) == ("inbound", "+14155550199")
    assert event["contact"] == {"id": event["contact"]["id"], "name": "Pat",
                                "phone_number": "+14155550199"}
    assert event["target"]["id"] == str(row["target_id"])


def test_the_text_needs_the_message_content_scope(sim, receiver, hooked):
    number = next(n for n, r in sim.state.numbers.items() if r["target_type"] == "user")
    sim.scopes = {"change_log"}

    sim.outside.inbound_sms(number, "+14155550199", "secret plans")

    receiver.wait_for(1)
    [event] = receiver.events(SECRET)
    assert "text" not in event


def test_a_change_log_subscription_needs_the_change_log_scope(sim, api):
    sim.scopes = {"message_content_export"}
    hook = api.post("/webhooks", json={"hook_url": "https://console.example/h"}).json()

    response = api.post("/subscriptions/changelog", json={"endpoint_id": hook["id"]})

    assert response.status_code == 403
    assert "change_log" in error_message(response)


def test_a_webhook_without_secret_gets_plain_json(sim, api, receiver):
    sim.state.webhooks.clear()
    sim.state.subscriptions_changelog.clear()
    hook = api.post("/webhooks", json={"hook_url": receiver.url}).json()
    api.post("/subscriptions/changelog", json={"endpoint_id": hook["id"]})
    sim.events.deliver = True

    sim.outside.rename_group("office", next(iter(sim.state.offices)), "HQ")

    [(content_type, _body)] = receiver.wait_for(1)
    assert content_type == "application/json"
    assert receiver.events()[0]["action"] == "updated_office"


def test_a_failed_delivery_is_retried(sim, receiver, hooked):
    sim.events.retry_base = 0.01
    receiver.answers = [500, 503]

    sim.outside.rename_group("office", next(iter(sim.state.offices)), "HQ")

    bodies = [body for _, body in receiver.wait_for(3)]
    assert sim.events.wait_idle()
    assert len(set(bodies)) >= 1 and len(sim.events.sent) == 1
    assert sim.events.sent[0].attempts == 3


def test_delivery_never_holds_the_api_answer(sim, api, receiver, hooked):
    receiver.hold = threading.Event()
    uid = active_user_ids(sim.state)[0]
    try:
        answer = api.patch(f"/users/{uid}", json={"job_title": "Waiting"})
        receiver.wait_for(1)
        # The receiver has the event and has not answered it: the API answered anyway.
        assert answer.status_code == 200
        assert sim.events.in_flight == 1
    finally:
        receiver.hold.set()
    assert sim.events.wait_idle()
    assert len(sim.events.sent) == 1


def test_nothing_is_sent_unless_delivery_is_on(sim, api, receiver, hooked):
    sim.events.deliver = False

    api.patch(f"/users/{active_user_ids(sim.state)[0]}", json={"job_title": "Quiet"})

    assert sim.events.wait_idle()
    assert receiver.received == []


def test_a_stuck_receiver_never_delays_another(sim, api, receiver, hooked):
    stuck = Receiver()
    stuck.hold = threading.Event()
    try:
        other = api.post("/webhooks", json={"hook_url": stuck.url}).json()
        api.post("/subscriptions/changelog", json={"endpoint_id": other["id"]})

        sim.outside.rename_group("office", next(iter(sim.state.offices)), "One")
        sim.outside.rename_group("office", next(iter(sim.state.offices)), "Two")

        stuck.wait_for(1)  # holding the first event
        assert [e["additional_data"]["name"] for e in
                (jwt.decode(b, SECRET, algorithms=["HS256"]) for _, b in receiver.wait_for(2))
                ] == ["One", "Two"]
    finally:
        stuck.hold.set()
        stuck.close()
