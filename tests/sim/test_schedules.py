"""The simulator's scheduled messages: at least 10 minutes ahead, fired at their time,
cancelled or sent now, listed while active."""

import time

from tests.sim.helpers import error_message
from tests.sim.messaging_helpers import a2p_sender, customers


def create(api, uid, **fields):
    body = {"user_id": uid, "to_numbers": customers(2), "text": "Standup moved",
            "start_date": int(time.time()) + 900, "timezone": "America/New_York", **fields}
    return api.post("/message/schedule", json=body)


def test_a_schedule_is_created_active(sim, api):
    uid, number = a2p_sender(sim.state)

    response = create(api, uid)

    assert response.status_code == 200, response.text
    schedule = response.json()
    assert (schedule["status"], schedule["from_number"], schedule["timezone"]) == (
        "active", number, "America/New_York")


def test_a_start_less_than_10_minutes_ahead_is_a_400(sim, api):
    uid, _ = a2p_sender(sim.state)

    response = create(api, uid, start_date=int(time.time()) + 540)

    assert response.status_code == 400
    assert error_message(response) == "start_date: must be at least 10 minutes in the future"


def test_an_unknown_timezone_is_a_400(sim, api):
    uid, _ = a2p_sender(sim.state)

    response = create(api, uid, timezone="Mars/Olympus")

    assert response.status_code == 400
    assert error_message(response).startswith("timezone:")


def test_more_than_10_recipients_needs_is_bulk(sim, api):
    uid, _ = a2p_sender(sim.state)

    assert create(api, uid, to_numbers=customers(11)).status_code == 400
    assert create(api, uid, to_numbers=customers(11), is_bulk=True).status_code == 200


def test_a_schedule_fires_at_its_time(sim, api):
    uid, _ = a2p_sender(sim.state)
    key = create(api, uid).json()["schedule_id"]

    sim.state.messaging.advance(901)
    schedule = api.get(f"/message/schedule/{key}").json()

    assert schedule["status"] == "sent"
    assert sim.state.sms_sent[-1]["schedule_id"] == key


def test_a_cancelled_schedule_is_deleted_and_never_sent(sim, api):
    uid, _ = a2p_sender(sim.state)
    key = create(api, uid).json()["schedule_id"]

    answer = api.delete(f"/message/schedule/{key}", json={"user_id": uid}).json()
    sim.state.messaging.advance(901)

    assert (answer["success"], answer["schedule_id"]) == (True, key)
    assert api.get(f"/message/schedule/{key}").json()["status"] == "deleted"
    assert sim.state.sms_sent == []


def test_send_now_sends_it_and_it_can_no_longer_change(sim, api):
    uid, _ = a2p_sender(sim.state)
    key = create(api, uid).json()["schedule_id"]

    assert api.post(f"/message/schedule/{key}/send", json={"user_id": uid}).status_code == 200
    again = api.patch(f"/message/schedule/{key}", json={"text": "too late"})

    assert api.get(f"/message/schedule/{key}").json()["status"] == "sent"
    assert again.status_code == 400


def test_an_update_changes_the_text_and_time(sim, api):
    uid, _ = a2p_sender(sim.state)
    key = create(api, uid).json()["schedule_id"]
    later = int(time.time()) + 7200

    schedule = api.patch(f"/message/schedule/{key}",
                         json={"text": "Standup at 10", "start_date": later}).json()

    assert (schedule["text"], schedule["scheduled_time"]) == ("Standup at 10", str(later))


def test_the_list_shows_a_users_active_schedules(sim, api):
    uid, _ = a2p_sender(sim.state)
    keep = create(api, uid).json()["schedule_id"]
    gone = create(api, uid).json()["schedule_id"]
    api.delete(f"/message/schedule/{gone}")

    listed = api.get("/message/schedule", json={"user_id": uid}).json()

    assert [s["schedule_id"] for s in listed["schedules"]] == [keep]
