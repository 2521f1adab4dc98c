"""The company's SMS opt-out list (its own limit of 250 requests a minute), and what an SMS
to an opted-out, unreachable or from an unusable number answers."""

from tests.sim.helpers import error_message
from tests.sim.messaging_helpers import a2p_sender, opted_out_number


def opt_outs(api, sim, **params):
    return api.get(f"/company/{sim.state.company['id']}/smsoptout",
                   params={"opt_out_state": "opted_out", **params})


def test_the_demo_org_has_opted_out_and_opted_back_in_numbers(sim, api):
    out = api.list_all(f"/company/{sim.state.company['id']}/smsoptout",
                       {"opt_out_state": "opted_out"})
    back = api.list_all(f"/company/{sim.state.company['id']}/smsoptout",
                        {"opt_out_state": "opted_back_in"})

    assert len(out) >= 3 and len(back) == 1
    assert out[0]["opt_out_scope_info"]["opt_out_scope_level"] == "company"


def test_the_opt_out_state_is_required(sim, api):
    response = api.get(f"/company/{sim.state.company['id']}/smsoptout")

    assert response.status_code == 400
    assert error_message(response).startswith("opt_out_state: is required")


def test_only_the_keys_company_can_be_read(sim, api):
    response = api.get("/company/123/smsoptout", params={"opt_out_state": "opted_out"})

    assert response.status_code == 403


def test_more_than_250_reads_a_minute_are_answered_429(sim, api):
    limiter = sim.state.messaging.opt_out_limiter
    for _ in range(limiter.per_minute):
        assert limiter.acquire() is None

    response = opt_outs(api, sim)

    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1


def sms(api, uid, to, **extra):
    return api.post("/sms", json={"user_id": uid, "to_numbers": to, "text": "hi", **extra})


def test_an_sms_to_an_opted_out_number_is_rejected(sim, api):
    uid, _ = a2p_sender(sim.state)

    answer = sms(api, uid, [opted_out_number(sim.state)]).json()

    assert (answer["message_status"], answer["message_delivery_result"]) == (
        "failed", "rejected")


def test_an_sms_to_an_unreachable_number_is_an_invalid_destination(sim, api):
    uid, _ = a2p_sender(sim.state)

    answer = sms(api, uid, ["+14155550000"]).json()

    assert answer["message_delivery_result"] == "invalid_destination"


def test_an_sms_from_a_toll_free_number_is_an_invalid_source(sim, api):
    uid, _ = a2p_sender(sim.state)
    tollfree = next(n for n, row in sim.state.numbers.items() if row["type"] == "tollfree")

    answer = sms(api, uid, ["+14155552001"], from_number=tollfree).json()

    assert answer["message_delivery_result"] == "invalid_source"


def test_a_user_sends_for_a_group_only_if_it_operates_it(sim, api):
    uid, _ = a2p_sender(sim.state)
    operated = {(g, i) for (g, i), members in sim.state.memberships.items()
                if ("user", uid) in members}
    other = next(did for did in sim.state.departments if ("department", did) not in operated)

    response = sms(api, uid, ["+14155552001"], sender_group_type="department",
                   sender_group_id=other)

    assert response.status_code == 400
    assert "is not an operator of department" in error_message(response)
