"""Writes change the state, and later reads show them."""

import pytest

from tests.sim.helpers import error_message

E911 = {"address": "1 Ferry Building", "address2": "Suite 50", "city": "San Francisco",
        "state": "CA", "zip": "94111", "country": "us"}


def _office(sim, city):
    return next(oid for oid, o in sim.state.offices.items() if o["name"].startswith(city))


def _user(sim, **where):
    return next(u for u, row in sim.state.users.items()
                if row["state"] == "active" and all(row.get(k) == v for k, v in where.items()))


def test_a_direct_state_change_shows_in_the_next_get(sim, api):
    uid = next(iter(sim.state.users))
    sim.state.users[uid]["first_name"] = "Zed"

    assert api.get(f"/users/{uid}").json()["first_name"] == "Zed"


def test_patching_a_user_shows_in_later_reads(sim, api):
    uid = _user(sim)

    response = api.patch(f"/users/{uid}", json={"first_name": "Ada", "last_name": "Lovelace",
                                                "job_title": "Countess"})

    assert response.status_code == 200
    user = api.get(f"/users/{uid}").json()
    assert (user["first_name"], user["display_name"], user["job_title"]) == \
        ("Ada", "Ada Lovelace", "Countess")


def test_suspending_a_user_hides_it_from_the_default_listing(sim, api):
    uid = _user(sim)

    api.patch(f"/users/{uid}", json={"state": "suspended"})

    assert str(uid) not in [u["id"] for u in api.list_all("/users")]
    assert api.get(f"/users/{uid}").json()["state"] == "suspended"


def test_an_email_used_by_another_user_is_refused(sim, api):
    uid, other = list(sim.state.users)[:2]
    taken = sim.state.users[other]["emails"][0]

    response = api.patch(f"/users/{uid}", json={"emails": [taken]})

    assert response.status_code == 400
    assert error_message(response).startswith("emails[0]:")


def test_admin_office_ids_make_the_user_an_office_admin(sim, api):
    uid = _user(sim)
    office_id = _office(sim, "New York")

    api.patch(f"/users/{uid}", json={"admin_office_ids": [str(office_id)]})

    assert ("user", uid, "admin") in sim.state.operators("office", office_id)
    assert api.get(f"/users/{uid}").json()["admin_office_ids"] == [str(office_id)]


def test_moving_a_user_changes_its_office_and_its_numbers_office(sim, api):
    sf, ny = _office(sim, "San Francisco"), _office(sim, "New York")
    uid = next(u for u, row in sim.state.users.items()
               if row["office_id"] == sf and row["phone_numbers"] and row["state"] == "active")
    numbers = list(sim.state.users[uid]["phone_numbers"])

    response = api.patch(f"/users/{uid}/move_office", json={"office_id": ny})

    assert response.status_code == 200
    assert response.json()["office_id"] == str(ny)
    assert api.get(f"/users/{uid}").json()["phone_numbers"] == numbers
    assert {api.get(f"/numbers/{n}").json()["office_id"] for n in numbers} == {str(ny)}


def test_an_international_move_gives_the_user_a_number_of_the_new_country(sim, api):
    sf, london = _office(sim, "San Francisco"), _office(sim, "London")
    uid = next(u for u, row in sim.state.users.items()
               if row["office_id"] == sf and row["phone_numbers"] and row["state"] == "active")
    old_numbers = list(sim.state.users[uid]["phone_numbers"])

    api.patch(f"/users/{uid}/move_office", json={"office_id": london})

    user = api.get(f"/users/{uid}").json()
    assert user["office_id"] == str(london)
    assert [n[:3] for n in user["phone_numbers"]] == ["+44"]
    assert all(sim.state.numbers[n]["status"] == "available" for n in old_numbers)


def test_moving_to_an_unknown_office_is_a_404_naming_the_field(sim, api):
    uid = _user(sim)

    response = api.patch(f"/users/{uid}/move_office", json={"office_id": 1})

    assert response.status_code == 404
    assert error_message(response) == "office_id: office 1 not found"


def test_office_e911_update_shows_in_later_reads(sim, api):
    office_id = next(iter(sim.state.offices))

    response = api.put(f"/offices/{office_id}/e911", json=E911)

    assert response.status_code == 200
    assert api.get(f"/offices/{office_id}/e911").json() == E911
    assert api.get(f"/offices/{office_id}").json()["e911_address"] == E911


def test_office_e911_update_all_updates_the_offices_users(sim, api):
    office_id = next(iter(sim.state.offices))
    uid = _user(sim, office_id=office_id)

    api.put(f"/offices/{office_id}/e911", json=dict(E911, update_all=True))

    assert api.get(f"/users/{uid}/e911").json() == E911


def test_user_e911_update_shows_in_later_reads(sim, api):
    uid = _user(sim)

    api.put(f"/users/{uid}/e911", json=E911)

    assert api.get(f"/users/{uid}/e911").json() == E911


def test_creating_a_department_lists_it(sim, api):
    office_id = next(iter(sim.state.offices))

    response = api.post("/departments", json={"name": "Returns", "office_id": office_id,
                                              "ring_seconds": 20})

    assert response.status_code == 200
    created = response.json()
    assert (created["name"], created["ring_seconds"], created["state"]) == \
        ("Returns", "20", "active")
    listed = api.list_all("/departments", params={"office_id": office_id})
    assert created["id"] in [d["id"] for d in listed]


def test_creating_a_call_center_in_an_unknown_office_is_a_404(api):
    response = api.post("/callcenters", json={"name": "Queue", "office_id": 5})

    assert response.status_code == 404
    assert error_message(response) == "office_id: office 5 not found"


def test_updating_a_call_center_merges_its_hold_queue(sim, api):
    cc_id = next(iter(sim.state.callcenters))

    response = api.patch(f"/callcenters/{cc_id}", json={"hold_queue": {"max_hold_count": 20}})

    hold_queue = response.json()["hold_queue"]
    assert hold_queue["max_hold_count"] == "20"
    assert hold_queue["announce_position"] is True


@pytest.mark.parametrize("kind,collection", [("department", "departments"),
                                             ("callcenter", "callcenters")])
def test_deleting_a_call_group_frees_its_numbers_and_operators(sim, api, kind, collection):
    # The spec's DELETE /departments/{id} and /callcenters/{id} answer the group and say
    # nothing of its numbers: the simulator unassigns them as the spec's unassign does
    # (back to the company's reserved pool) and ends its operators' memberships.
    group_id = next(g for g, row in getattr(sim.state, collection).items()
                    if row["phone_numbers"] and sim.state.operators(kind, g))
    numbers = list(getattr(sim.state, collection)[group_id]["phone_numbers"])
    members = [oid for otype, oid, _ in sim.state.operators(kind, group_id) if otype == "user"]

    response = api.delete(f"/{collection}/{group_id}")

    assert response.status_code == 200
    assert response.json()["state"] == "deleted"
    assert api.get(f"/{collection}/{group_id}").status_code == 404
    assert api.get(f"/{collection}/{group_id}/operators").status_code == 404
    for number in numbers:
        assert api.get(f"/numbers/{number}").json()["status"] == "available"
        assert api.get(f"/numbers/{number}").json().get("target_id") is None
    for uid in members:
        details = api.get(f"/users/{uid}").json().get("group_details", [])
        assert str(group_id) not in [d["group_id"] for d in details]


def test_creating_patching_and_deleting_a_room(sim, api):
    office_id = next(iter(sim.state.offices))

    room = api.post("/rooms", json={"name": "Studio", "office_id": office_id}).json()
    renamed = api.patch(f"/rooms/{room['id']}", json={"name": "Studio B"}).json()
    deleted = api.delete(f"/rooms/{room['id']}")

    assert renamed["name"] == "Studio B"
    assert deleted.status_code == 200
    assert api.get(f"/rooms/{room['id']}").status_code == 404


def test_patching_a_rooms_numbers_removes_the_left_out_ones(sim, api):
    room_id = next(r for r, row in sim.state.rooms.items() if row["phone_numbers"])
    number = sim.state.rooms[room_id]["phone_numbers"][0]

    response = api.patch(f"/rooms/{room_id}", json={"phone_numbers": []})

    assert response.status_code == 200
    assert api.get(f"/numbers/{number}").json()["status"] == "available"


def test_deskphones_are_listed_per_room(sim, api):
    room_id = next(iter(sim.state.deskphones))

    items = api.get(f"/rooms/{room_id}/deskphones").json()["items"]

    assert items and items[0]["owner_id"] == str(room_id)
    assert items[0]["owner_type"] == "room"


def test_creating_an_office_returns_it_with_its_plan(sim, api):
    body = {"name": "Reno", "country": "US", "currency": "USD", "plan_period": "monthly",
            "annual_commit_monthly_billing": False, "invoiced": False,
            "unified_billing": True, "timezone": "America/Los_Angeles",
            "billing_address": {"address_line_1": "1 Main St", "city": "Reno",
                                "region": "NV", "postal_code": "89501", "country": "us"},
            "e911_address": {"address": "1 Main St", "city": "Reno", "state": "NV",
                             "zip": "89501", "country": "us"}}

    response = api.post("/offices", json=body)

    assert response.status_code == 200
    office = response.json()["office"]
    assert "plan" in response.json()
    assert (office["name"], office["country"], office["is_primary_office"]) == \
        ("Reno", "us", False)
    assert api.get("/company").json()["office_count"] == "4"


def test_updating_office_hours(sim, api):
    office_id = next(iter(sim.state.offices))

    response = api.patch(f"/offices/{office_id}", json={"monday_hours": ["09:00", "17:00"]})

    assert response.json()["office"]["monday_hours"] == ["09:00", "17:00"]
    assert api.get(f"/offices/{office_id}").json()["monday_hours"] == ["09:00", "17:00"]


def test_sending_an_sms_records_it(sim, api):
    uid = _user(sim)
    sender = sim.state.users[uid]

    response = api.post("/sms", json={"user_id": uid, "to_numbers": ["+14155550100"],
                                      "text": "Hello from the console"})

    assert response.status_code == 200
    sms = response.json()
    assert (sms["direction"], sms["message_status"], sms["from_number"]) == \
        ("outbound", "pending", sender["phone_numbers"][0])
    assert sim.state.sms_sent[-1]["text"] == "Hello from the console"


def test_an_sms_needs_a_sender(api):
    response = api.post("/sms", json={"to_numbers": ["+14155550100"], "text": "hi"})

    assert response.status_code == 400
    assert error_message(response) == "user_id: is required (or from_number)"


def test_the_primary_office_endpoint(sim, api):
    office = api.get("/offices/primary").json()

    assert office["is_primary_office"] is True
    assert office["name"] == "San Francisco HQ"
