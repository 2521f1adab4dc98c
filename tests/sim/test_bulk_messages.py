"""The simulator's bulk messages: the 50-recipient limit, the A2P and sender rules, and
recipients that move from pending to delivered (or failed) as the clock moves."""

from tests.sim.helpers import error_message
from tests.sim.messaging_helpers import a2p_sender, customers, opted_out_number, \
    unregistered_sender


def send(api, uid, from_number, to_numbers, **extra):
    return api.post("/message/bulk", json={"user_id": uid, "from_number": from_number,
                                           "text": "Office closed Friday",
                                           "to_numbers": to_numbers, **extra})


def test_a_bulk_message_is_created_pending(sim, api):
    uid, number = a2p_sender(sim.state)

    response = send(api, uid, number, customers(3), title="notice 1")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    message = body["bulk_message"]
    assert (message["status"], message["num_recipients"], message["title"]) == (
        "pending", "3", "notice 1")
    assert {r["delivery_status"] for r in message["recipients"]} == {"pending"}


def test_recipients_are_delivered_or_fail_once_the_clock_moves(sim, api):
    uid, number = a2p_sender(sim.state)
    key = send(api, uid, number, ["+14155552001", "+14155550000"]).json()[
        "bulk_message"]["bulk_message_id"]

    sim.state.messaging.advance(5)
    message = api.get(f"/message/bulk/{key}", json={"user_id": uid}).json()

    assert message["status"] == "complete"
    by_number = {r["phone_number"]: r for r in message["recipients"]}
    assert by_number["+14155552001"]["delivery_status"] == "delivered"
    failed = by_number["+14155550000"]
    assert (failed["delivery_status"], failed["attempted_send"]) == ("failed", True)
    assert failed["error_message"]


def test_an_opted_out_recipient_fails_at_once(sim, api):
    uid, number = a2p_sender(sim.state)
    stopped = opted_out_number(sim.state)

    message = send(api, uid, number, [stopped]).json()["bulk_message"]

    [recipient] = message["recipients"]
    assert recipient["delivery_status"] == "failed"
    assert "opted out" in recipient["error_message"]


def test_more_than_50_recipients_is_a_400(sim, api):
    uid, number = a2p_sender(sim.state)

    response = send(api, uid, number, customers(51))

    assert response.status_code == 400
    assert error_message(response) == "to_numbers: must have at most 50 recipients (got 51)"
    assert sim.state.messaging.bulk_messages == {}


def test_the_from_number_must_be_the_senders_own(sim, api):
    uid, _ = a2p_sender(sim.state)
    _, someone_elses = unregistered_sender(sim.state)

    response = send(api, uid, someone_elses, customers(1))

    assert response.status_code == 400
    assert error_message(response).startswith(f"from_number: {someone_elses} does not belong")


def test_the_from_number_must_be_a2p_registered(sim, api):
    uid, number = unregistered_sender(sim.state)

    response = send(api, uid, number, customers(1))

    assert response.status_code == 400
    assert "is not A2P-registered" in error_message(response)


def test_a_bulk_message_is_read_by_its_sender_only(sim, api):
    uid, number = a2p_sender(sim.state)
    other, _ = unregistered_sender(sim.state)
    key = send(api, uid, number, customers(1)).json()["bulk_message"]["bulk_message_id"]

    assert api.get(f"/message/bulk/{key}", json={"user_id": other}).status_code == 404
    assert api.get("/message/bulk/nope", json={"user_id": uid}).status_code == 404


def test_the_list_pages_a_users_bulk_messages_newest_first(sim, api):
    uid, number = a2p_sender(sim.state)
    keys = [send(api, uid, number, customers(1), title=f"t{i}").json()["bulk_message"][
        "bulk_message_id"] for i in range(3)]

    first = api.get("/message/bulk", json={"user_id": uid, "limit": 2}).json()
    rest = api.get("/message/bulk", json={"user_id": uid, "limit": 2,
                                          "cursor": first["cursor"]}).json()

    assert first["has_more"] is True and rest["has_more"] is False
    listed = [m["bulk_message_id"] for m in first["bulk_messages"] + rest["bulk_messages"]]
    assert listed == keys[::-1]


def test_the_text_can_change_until_sending_starts(sim, api):
    uid, number = a2p_sender(sim.state)
    key = send(api, uid, number, customers(1)).json()["bulk_message"]["bulk_message_id"]

    changed = api.patch(f"/message/bulk/{key}", json={"text": "Closed Monday"})
    sim.state.messaging.advance(5)
    too_late = api.patch(f"/message/bulk/{key}", json={"text": "Closed Tuesday"})

    assert changed.json()["bulk_message"]["text"] == "Closed Monday"
    assert too_late.status_code == 400
