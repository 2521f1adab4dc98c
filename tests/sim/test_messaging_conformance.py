"""The simulator's messaging answers fit the shapes Dialpad's spec documents."""

import time

import pytest

from tests.sim.messaging_helpers import a2p_sender, customers
from tests.sim.test_spec_conformance import problems, response_schema, spec_bodies

pytestmark = pytest.mark.skipif(spec_bodies is None, reason="Dialpad's OpenAPI spec not found")


def test_every_messaging_answer_fits_the_spec(sim, api):
    s = sim.state
    uid, number = a2p_sender(s)
    channel = next(iter(s.messaging.channels))
    bulk = api.post("/message/bulk", json={"user_id": uid, "from_number": number,
                                           "text": "hi", "to_numbers": customers(2)}).json()
    key = bulk["bulk_message"]["bulk_message_id"]
    schedule = api.post("/message/schedule", json={
        "user_id": uid, "to_numbers": customers(1), "text": "later",
        "start_date": int(time.time()) + 900}).json()
    s.messaging.advance(5)
    calls = [
        ("post", "/api/v2/message/bulk", None, bulk),
        ("get", "/api/v2/message/bulk/{id}", f"/message/bulk/{key}", None),
        ("get", "/api/v2/message/bulk", "/message/bulk", {"user_id": uid}),
        ("post", "/api/v2/message/schedule", None, schedule),
        ("get", "/api/v2/message/schedule/{id}", f"/message/schedule/{schedule['schedule_id']}",
         None),
        ("get", "/api/v2/message/schedule", "/message/schedule", {"user_id": uid}),
        ("post", "/api/v2/message/schedule/{id}/send",
         f"/message/schedule/{schedule['schedule_id']}/send", {}),
        ("get", "/api/v2/channels", "/channels", None),
        ("get", "/api/v2/channels/{id}", f"/channels/{channel}", None),
        ("get", "/api/v2/channels/{id}/members", f"/channels/{channel}/members", None),
        ("get", "/api/v2/company/{id}/smsoptout",
         f"/company/{s.company['id']}/smsoptout?opt_out_state=opted_out", None),
    ]
    found = []
    for method, template, path, body in calls:
        if path is None:  # the answer is already at hand
            answer = body
        else:
            response = api.request(method.upper(), path, json=body)
            assert response.status_code == 200, (path, response.text)
            answer = response.json()
        found += [f"{method.upper()} {template}: {p}"
                  for p in problems(answer, response_schema(method, template))]

    assert found == []
