"""Operators of offices, departments and call centers."""

from tests.sim.helpers import active_user_ids, error_message


def _non_member(sim, group_type, group_id, office_id=None):
    members = {oid for otype, oid, _ in sim.state.operators(group_type, group_id)
               if otype == "user"}
    return next(u for u in active_user_ids(sim.state, office_id) if u not in members)


def test_group_details_match_operator_listings(sim, api):
    listed = set()
    for gtype, plural, table in (("office", "offices", sim.state.offices),
                                 ("department", "departments", sim.state.departments),
                                 ("callcenter", "callcenters", sim.state.callcenters)):
        for gid in table:
            body = api.get(f"/{plural}/{gid}/operators").json()
            for user in body["users"]:
                listed.add((user["id"], gtype, str(gid)))
    details = set()
    for user in api.list_all("/users", params={"state": "all"}):
        for d in user.get("group_details", []):
            details.add((user["id"], d["group_type"], d["group_id"]))

    assert listed == details
    assert len(listed) > 20


def test_operators_listing_has_users_and_rooms(sim, api):
    office_id = next(iter(sim.state.offices))

    body = api.get(f"/offices/{office_id}/operators").json()

    assert set(body) == {"users", "rooms"}
    assert body["users"] and body["rooms"]
    assert "emails" in body["users"][0]
    assert "is_free" in body["rooms"][0]


def test_it_adds_a_user_operator_and_shows_it_everywhere(sim, api):
    dept_id = next(iter(sim.state.departments))
    uid = _non_member(sim, "department", dept_id)

    response = api.post(f"/departments/{dept_id}/operators",
                        json={"operator_id": uid, "operator_type": "user", "role": "admin"})

    assert response.status_code == 200
    assert response.json()["id"] == str(uid)
    assert response.json()["name"] == sim.state.users[uid]["display_name"]
    users = api.get(f"/departments/{dept_id}/operators").json()["users"]
    assert str(uid) in [u["id"] for u in users]
    details = api.get(f"/users/{uid}").json()["group_details"]
    assert {"group_id": str(dept_id), "group_type": "department", "role": "admin",
            "do_not_disturb": False} in details


def test_role_defaults_to_operator(sim, api):
    dept_id = next(iter(sim.state.departments))
    uid = _non_member(sim, "department", dept_id)

    api.post(f"/departments/{dept_id}/operators", json={"operator_id": uid,
                                                        "operator_type": "user"})

    assert ("user", uid, "operator") in sim.state.operators("department", dept_id)


def test_making_a_user_office_admin_adds_the_office_to_admin_office_ids(sim, api):
    office_id = next(iter(sim.state.offices))
    uid = _non_member(sim, "office", office_id, office_id)

    api.post(f"/offices/{office_id}/operators",
             json={"operator_id": str(uid), "operator_type": "user", "role": "admin"})

    user = api.get(f"/users/{uid}").json()
    assert str(office_id) in user["admin_office_ids"]
    assert user["is_admin"] is True


def test_a_room_can_operate_a_department(sim, api):
    dept_id = next(iter(sim.state.departments))
    room_id = next(r for r in sim.state.rooms
                   if ("room", r, "operator") not in sim.state.operators("department", dept_id))

    response = api.post(f"/departments/{dept_id}/operators",
                        json={"operator_id": room_id, "operator_type": "room"})

    assert response.status_code == 200
    rooms = api.get(f"/departments/{dept_id}/operators").json()["rooms"]
    assert str(room_id) in [r["id"] for r in rooms]


def test_it_refuses_a_room_as_call_center_operator(sim, api):
    cc_id = next(iter(sim.state.callcenters))
    room_id = next(iter(sim.state.rooms))

    response = api.post(f"/callcenters/{cc_id}/operators", json={"user_id": room_id})

    assert response.status_code == 400
    assert "call centers take users only" in error_message(response)
    assert not any(otype == "room" for otype, _, _ in sim.state.operators("callcenter", cc_id))


def test_it_refuses_operator_type_room_for_a_call_center_in_state(sim):
    import pytest

    from dialpad_sim.state import SimError

    cc_id = next(iter(sim.state.callcenters))
    with pytest.raises(SimError) as info:
        sim.state.add_operator("callcenter", cc_id, "room", next(iter(sim.state.rooms)))
    assert info.value.status == 400


def test_it_adds_a_call_center_operator_with_a_supervisor_role(sim, api):
    cc_id = next(iter(sim.state.callcenters))
    uid = _non_member(sim, "callcenter", cc_id)

    response = api.post(f"/callcenters/{cc_id}/operators",
                        json={"user_id": uid, "role": "supervisor", "skill_level": 80})

    assert response.status_code == 200
    assert ("user", uid, "supervisor") in sim.state.operators("callcenter", cc_id)


def test_skill_level_outside_1_to_100_is_a_400(sim, api):
    cc_id = next(iter(sim.state.callcenters))
    uid = _non_member(sim, "callcenter", cc_id)

    response = api.post(f"/callcenters/{cc_id}/operators",
                        json={"user_id": uid, "skill_level": 101})

    assert response.status_code == 400
    assert error_message(response) == "skill_level: must be between 1 and 100 (got 101)"


def test_adding_an_existing_operator_is_a_409(sim, api):
    dept_id = next(iter(sim.state.departments))
    otype, oid, _ = sim.state.operators("department", dept_id)[0]

    response = api.post(f"/departments/{dept_id}/operators",
                        json={"operator_id": oid, "operator_type": otype})

    assert response.status_code == 409
    assert "already an operator" in error_message(response)


def test_an_unknown_operator_type_is_a_400_naming_the_enum(sim, api):
    dept_id = next(iter(sim.state.departments))

    response = api.post(f"/departments/{dept_id}/operators",
                        json={"operator_id": 1, "operator_type": "robot"})

    assert response.status_code == 400
    assert error_message(response) == \
        "operator_type: must be one of 'room', 'user' (got 'robot')"


def test_an_unknown_role_is_a_400(sim, api):
    dept_id = next(iter(sim.state.departments))
    uid = _non_member(sim, "department", dept_id)

    response = api.post(f"/departments/{dept_id}/operators",
                        json={"operator_id": uid, "operator_type": "user", "role": "boss"})

    assert response.status_code == 400
    assert error_message(response).startswith("role: must be one of")


def test_adding_an_unknown_user_is_a_404(sim, api):
    dept_id = next(iter(sim.state.departments))

    response = api.post(f"/departments/{dept_id}/operators",
                        json={"operator_id": 42, "operator_type": "user"})

    assert response.status_code == 404
    assert error_message(response) == "operator_id: user 42 not found"


def test_it_removes_an_operator_with_a_json_body_on_delete(sim, api):
    dept_id = next(iter(sim.state.departments))
    otype, oid, _ = next(o for o in sim.state.operators("department", dept_id)
                         if o[0] == "user")

    response = api.delete(f"/departments/{dept_id}/operators",
                          json={"operator_id": oid, "operator_type": otype})

    assert response.status_code == 200
    users = api.get(f"/departments/{dept_id}/operators").json()["users"]
    assert str(oid) not in [u["id"] for u in users]
    details = api.get(f"/users/{oid}").json().get("group_details", [])
    assert str(dept_id) not in [d["group_id"] for d in details]


def test_removing_a_call_center_operator_uses_user_id(sim, api):
    cc_id = next(iter(sim.state.callcenters))
    _, oid, _ = sim.state.operators("callcenter", cc_id)[0]

    response = api.delete(f"/callcenters/{cc_id}/operators", json={"user_id": oid})

    assert response.status_code == 200
    assert oid not in [o for _, o, _ in sim.state.operators("callcenter", cc_id)]


def test_removing_a_non_member_is_a_400(sim, api):
    dept_id = next(iter(sim.state.departments))
    uid = _non_member(sim, "department", dept_id)

    response = api.delete(f"/departments/{dept_id}/operators",
                          json={"operator_id": uid, "operator_type": "user"})

    assert response.status_code == 400
    assert "is not an operator of" in error_message(response)


def test_a_cancelled_user_cannot_become_an_operator(sim, api):
    dept_id = next(iter(sim.state.departments))
    uid = next(u for u, row in sim.state.users.items() if row["state"] == "cancelled")

    response = api.post(f"/departments/{dept_id}/operators",
                        json={"operator_id": uid, "operator_type": "user"})

    assert response.status_code == 400
    assert "cancelled" in error_message(response)
