"""Assigning and unassigning numbers keeps numbers and targets in step."""

from tests.sim.helpers import error_message


def _available(sim, area_code=None):
    return next(n for n, row in sim.state.numbers.items()
                if row["status"] == "available"
                and (area_code is None or row["area_code"] == area_code))


def _user(sim):
    return next(u for u, row in sim.state.users.items()
                if row["state"] == "active" and row["phone_numbers"])


def test_number_assignment_defaults_to_primary(sim, api):
    uid = _user(sim)
    number = _available(sim)

    response = api.post(f"/users/{uid}/assign_number", json={"number": number})

    assert response.status_code == 200
    assert response.json()["target_id"] == str(uid)
    assert response.json()["status"] == "user"
    assert api.get(f"/users/{uid}").json()["phone_numbers"][0] == number


def test_a_non_primary_number_goes_last(sim, api):
    uid = _user(sim)
    number = _available(sim)

    api.post(f"/users/{uid}/assign_number", json={"number": number, "primary": False})

    numbers = api.get(f"/users/{uid}").json()["phone_numbers"]
    assert numbers[-1] == number and numbers[0] != number


def test_the_number_shows_its_new_target(sim, api):
    room_id = next(iter(sim.state.rooms))
    number = _available(sim)

    api.post(f"/rooms/{room_id}/assign_number", json={"number": number})

    row = api.get(f"/numbers/{number}").json()
    assert (row["target_type"], row["target_id"], row["status"]) == \
        ("room", str(room_id), "room")
    assert row["office_id"] == str(sim.state.rooms[room_id]["office_id"])


def test_without_a_number_it_takes_one_from_the_reserved_pool(sim, api):
    office_id = next(iter(sim.state.offices))
    pool = sum(1 for n in sim.state.numbers.values() if n["status"] == "available")

    response = api.post(f"/offices/{office_id}/assign_number", json={})

    assert response.status_code == 200
    assert response.json()["target_type"] == "office"
    assert sum(1 for n in sim.state.numbers.values() if n["status"] == "available") == pool - 1


def test_an_area_code_picks_a_number_in_it(sim, api):
    uid = _user(sim)

    response = api.post(f"/users/{uid}/assign_number", json={"area_code": "919"})

    assert response.status_code == 200
    assert response.json()["number"].startswith("+1919")
    assert response.json()["area_code"] == "919"


def test_a_number_assigned_elsewhere_is_refused(sim, api):
    uid = _user(sim)
    other = next(u for u, row in sim.state.users.items()
                 if u != uid and row["phone_numbers"])
    taken = sim.state.users[other]["phone_numbers"][0]

    response = api.post(f"/users/{uid}/assign_number", json={"number": taken})

    assert response.status_code == 400
    assert "already assigned" in error_message(response)
    assert taken in sim.state.users[other]["phone_numbers"]


def test_a_number_outside_the_company_is_a_404(sim, api):
    uid = _user(sim)

    response = api.post(f"/users/{uid}/assign_number", json={"number": "+14155550000"})

    assert response.status_code == 404


def test_unassign_returns_the_number_to_the_pool(sim, api):
    uid = _user(sim)
    number = sim.state.users[uid]["phone_numbers"][0]

    response = api.post(f"/users/{uid}/unassign_number", json={"number": number})

    assert response.status_code == 200
    assert response.json()["status"] == "available"
    assert "target_id" not in response.json()
    assert number not in api.get(f"/users/{uid}").json().get("phone_numbers", [])
    assert api.get(f"/numbers/{number}").json()["status"] == "available"


def test_unassigning_a_number_of_another_target_is_a_400(sim, api):
    uid = _user(sim)
    other_number = next(n for n, row in sim.state.numbers.items()
                        if row["target_type"] == "office")

    response = api.post(f"/users/{uid}/unassign_number", json={"number": other_number})

    assert response.status_code == 400
    assert f"is not assigned to user {uid}" in error_message(response)


def test_numbers_assign_assigns_to_a_department(sim, api):
    dept_id = next(iter(sim.state.departments))
    number = _available(sim)

    response = api.post("/numbers/assign", json={"number": number, "target_type": "department",
                                                 "target_id": dept_id})

    assert response.status_code == 200
    assert response.json()["status"] == "department"
    assert api.get(f"/departments/{dept_id}").json()["phone_numbers"][0] == number


def test_numbers_number_assign_reassigns_a_number(sim, api):
    room_id = next(iter(sim.state.rooms))
    number = next(n for n, row in sim.state.numbers.items() if row["target_type"] == "user")
    previous_owner = sim.state.numbers[number]["target_id"]

    response = api.post(f"/numbers/{number}/assign",
                        json={"target_type": "room", "target_id": room_id})

    assert response.status_code == 200
    assert number not in sim.state.users[previous_owner]["phone_numbers"]
    assert number in sim.state.rooms[room_id]["phone_numbers"]


def test_deleting_a_number_with_release_takes_it_out_of_the_company(sim, api):
    number = next(n for n, row in sim.state.numbers.items() if row["target_type"] == "user")

    response = api.delete(f"/numbers/{number}", params={"release": "true"})

    assert response.status_code == 200
    assert api.get(f"/numbers/{number}").status_code == 404


def test_a_number_in_the_path_may_be_percent_encoded(sim, api):
    number = next(iter(sim.state.numbers))

    response = api.get(f"/numbers/{number.replace('+', '%2B')}")

    assert response.status_code == 200
    assert response.json()["number"] == number
