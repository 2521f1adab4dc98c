"""The rules the spec states: a broken rule is a 400 whose message names the field."""

import pytest

from dialpad_sim.app import SimulatorApp
from dialpad_sim.generate import generate
from tests.sim.helpers import error_message

E911 = {"address": "500 Howard St", "city": "San Francisco", "state": "CA", "zip": "94105",
        "country": "us"}


def _office_id(sim):
    return next(iter(sim.state.offices))


@pytest.mark.parametrize("seconds", [9, 46, 0, 600])
def test_ring_seconds_outside_10_to_45_is_a_400_naming_the_field(sim, api, seconds):
    dept_id = next(iter(sim.state.departments))
    before = sim.state.departments[dept_id]["ring_seconds"]

    response = api.patch(f"/departments/{dept_id}", json={"ring_seconds": seconds})

    assert response.status_code == 400
    assert error_message(response) == \
        f"ring_seconds: must be between 10 and 45 seconds (got {seconds})"
    assert sim.state.departments[dept_id]["ring_seconds"] == before


@pytest.mark.parametrize("seconds", [10, 45])
def test_ring_seconds_at_the_bounds_is_accepted(sim, api, seconds):
    cc_id = next(iter(sim.state.callcenters))

    response = api.patch(f"/callcenters/{cc_id}", json={"ring_seconds": seconds})

    assert response.status_code == 200
    assert response.json()["ring_seconds"] == str(seconds)


def test_a_department_name_over_100_characters_is_a_400(sim, api):
    response = api.post("/departments", json={"name": "x" * 101,
                                              "office_id": _office_id(sim)})

    assert response.status_code == 400
    assert error_message(response) == "name: must be at most 100 characters (got 101)"


def test_a_call_center_description_over_256_characters_is_a_400(sim, api):
    response = api.post("/callcenters", json={"name": "Queue", "office_id": _office_id(sim),
                                              "group_description": "d" * 257})

    assert response.status_code == 400
    assert error_message(response).startswith("group_description: must be at most 256")


def test_a_blank_name_is_a_400(sim, api):
    response = api.post("/rooms", json={"name": "   ", "office_id": _office_id(sim)})

    assert response.status_code == 400
    assert error_message(response) == "name: must not be blank"


def test_a_single_line_field_with_a_line_break_is_a_400(sim, api):
    uid = next(iter(sim.state.users))

    response = api.patch(f"/users/{uid}", json={"first_name": "Ann\nEvil"})

    assert response.status_code == 400
    assert error_message(response) == "first_name: must be a single line (no line breaks)"


def test_a_missing_required_field_is_a_400_naming_it(sim, api):
    response = api.post("/departments", json={"name": "Sales 2"})

    assert response.status_code == 400
    assert error_message(response) == "office_id: is required"


@pytest.mark.parametrize("field", ["address", "city", "state", "zip", "country"])
def test_e911_address_requires_each_field(sim, api, field):
    body = dict(E911)
    del body[field]

    response = api.put(f"/offices/{_office_id(sim)}/e911", json=body)

    assert response.status_code == 400
    assert error_message(response) == f"{field}: is required"


def test_an_e911_country_must_be_a_country_code(sim, api):
    uid = next(iter(sim.state.users))

    response = api.put(f"/users/{uid}/e911", json=dict(E911, country="Narnia"))

    assert response.status_code == 400
    assert error_message(response).startswith("country: must be a two-letter")


@pytest.mark.parametrize("number", ["4155550123", "+1415555012", "+1 415 555 0123",
                                    "+15555550100", "tel:+14155550123"])
def test_a_number_that_is_not_e164_is_a_400(sim, api, number):
    uid = next(iter(sim.state.users))

    response = api.post(f"/users/{uid}/assign_number", json={"number": number})

    assert response.status_code == 400
    assert error_message(response).startswith("number: must be an E.164 phone number")


def test_a_wrong_type_is_a_400_naming_the_field(sim, api):
    uid = next(iter(sim.state.users))

    response = api.post(f"/users/{uid}/assign_number", json={"primary": "yes"})

    assert response.status_code == 400
    assert error_message(response) == "primary: must be true or false (got string)"


def test_an_int64_may_come_as_a_string_or_a_number(sim, api):
    office_id = _office_id(sim)

    as_string = api.post("/rooms", json={"name": "Studio", "office_id": str(office_id)})
    as_number = api.post("/rooms", json={"name": "Studio 2", "office_id": office_id})

    assert as_string.status_code == as_number.status_code == 200


def test_an_sms_to_more_than_10_recipients_is_a_400(sim, api):
    uid = next(u for u, row in sim.state.users.items()
               if row["state"] == "active" and row["phone_numbers"])
    recipients = [f"+1415555{n:04d}" for n in range(11)]

    response = api.post("/sms", json={"user_id": uid, "to_numbers": recipients,
                                      "text": "hi"})

    assert response.status_code == 400
    assert error_message(response) == "to_numbers: must have at most 10 recipients (got 11)"
    assert sim.state.sms_sent == []


def test_an_sms_over_1600_characters_is_a_400(sim, api):
    uid = next(u for u, row in sim.state.users.items()
               if row["state"] == "active" and row["phone_numbers"])

    response = api.post("/sms", json={"user_id": uid, "to_numbers": ["+14155550100"],
                                      "text": "x" * 1601})

    assert response.status_code == 400
    assert error_message(response) == "text: must be at most 1600 characters (got 1601)"


def test_an_sms_recipient_must_be_e164(sim, api):
    uid = next(u for u, row in sim.state.users.items()
               if row["state"] == "active" and row["phone_numbers"])

    response = api.post("/sms", json={"user_id": uid, "to_numbers": ["0123"], "text": "hi"})

    assert response.status_code == 400
    assert error_message(response).startswith("to_numbers[0]: must be an E.164")


def test_hours_must_be_pairs_of_hh_mm(sim, api):
    office_id = _office_id(sim)

    odd = api.patch(f"/offices/{office_id}", json={"monday_hours": ["08:00"]})
    bad = api.patch(f"/offices/{office_id}", json={"monday_hours": ["8am", "18:00"]})

    assert odd.status_code == bad.status_code == 400
    assert error_message(odd).startswith("monday_hours: must list opening and closing times")
    assert error_message(bad) == "monday_hours[0]: must be a time as HH:MM (got '8am')"


def test_a_nested_enum_is_checked(sim, api):
    dept_id = next(iter(sim.state.departments))
    routing = {"open": {"action": "dance", "try_dial_operators": True},
               "closed": {"action": "voicemail", "try_dial_operators": False}}

    response = api.patch(f"/departments/{dept_id}", json={"routing_options": routing})

    assert response.status_code == 400
    assert error_message(response).startswith("routing_options.open.action: must be one of")


def test_office_creation_requires_an_e911_address_in_the_us(sim, api):
    body = {"name": "Reno", "country": "US", "currency": "USD", "plan_period": "monthly",
            "annual_commit_monthly_billing": False, "invoiced": False,
            "unified_billing": True,
            "billing_address": {"address_line_1": "1 Main St", "city": "Reno",
                                "region": "NV", "postal_code": "89501", "country": "us"}}

    response = api.post("/offices", json=body)

    assert response.status_code == 400
    assert error_message(response) == "e911_address: is required for offices in US"
    assert len(sim.state.offices) == 3


def test_the_rules_hold_without_the_spec_file():
    app = SimulatorApp(generate("demo", 1), spec_path=False)
    dept_id = next(iter(app.state.departments))
    headers = {"Authorization": "Bearer sim-key"}

    response = app.handle("PATCH", f"/api/v2/departments/{dept_id}", "", headers,
                          b'{"ring_seconds": 50}')

    assert app.spec is None
    assert response.status == 400
    assert b"ring_seconds: must be between 10 and 45 seconds" in response.body


def test_announcing_the_queue_position_needs_two_minutes_of_wait(sim, api):
    cc_id = next(iter(sim.state.callcenters))

    response = api.patch(f"/callcenters/{cc_id}", json={"hold_queue": {
        "max_hold_seconds": 60, "announce_position": True}})

    assert response.status_code == 400
    assert error_message(response).startswith("hold_queue.announce_position: not available")


def test_sms_media_over_500_kib_is_a_400(sim, api):
    import base64

    uid = next(u for u, row in sim.state.users.items()
               if row["state"] == "active" and row["phone_numbers"])
    media = base64.b64encode(b"x" * (501 * 1024)).decode()

    response = api.post("/sms", json={"user_id": uid, "to_numbers": ["+14155550100"],
                                      "media": media})

    assert response.status_code == 400
    assert error_message(response) == "media: must be at most 500 KiB (got 501 KiB)"


def test_patching_a_users_office_abroad_needs_the_numbers_gone_first(sim, api):
    london = next(o for o, row in sim.state.offices.items() if row["country"] == "gb")
    uid = next(u for u, row in sim.state.users.items()
               if row["phone_numbers"] and sim.state.offices[row["office_id"]]["country"] == "us")

    response = api.patch(f"/users/{uid}", json={"office_id": london})

    assert response.status_code == 400
    assert error_message(response).startswith("office_id: for an office in another country")
    assert sim.state.users[uid]["office_id"] != london
