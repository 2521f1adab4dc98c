"""Cursor pagination and list filters."""

from tests.sim.helpers import error_message


def test_it_paginates_users_with_a_cursor(sim, api):
    sim.page_size = 10

    first = api.get("/users", params={"state": "all"}).json()
    second = api.get("/users", params={"state": "all", "cursor": first["cursor"]}).json()

    assert len(first["items"]) == 10
    assert len(second["items"]) == 10
    assert not {u["id"] for u in first["items"]} & {u["id"] for u in second["items"]}


def test_the_last_page_has_no_cursor(sim, api):
    sim.page_size = 15

    pages = []
    params = {"state": "all"}
    while True:
        page = api.get("/users", params=params).json()
        pages.append(page)
        if "cursor" not in page:
            break
        params["cursor"] = page["cursor"]

    assert [len(p["items"]) for p in pages] == [15, 15, 10]
    assert "cursor" not in pages[-1]


def test_a_full_listing_returns_every_row_once(sim, api):
    sim.page_size = 7

    numbers = api.list_all("/numbers")

    assert sorted(n["number"] for n in numbers) == sorted(sim.state.numbers)


def test_rows_added_and_removed_between_pages_do_not_shift_the_listing(sim, api):
    sim.page_size = 10
    first = api.get("/users", params={"state": "all"}).json()
    seen = [u["id"] for u in first["items"]]
    # Remove a user already served and one not yet served; add one at the end.
    ids = sorted(sim.state.users)
    with sim.state.lock:
        del sim.state.users[ids[0]]
        del sim.state.users[ids[-1]]
        new = dict(sim.state.users[ids[5]], id=9999999999999999)
        sim.state.users[9999999999999999] = new

    rest = api.list_all("/users", params={"state": "all", "cursor": first["cursor"]})
    seen += [u["id"] for u in rest]

    assert len(seen) == len(set(seen))
    assert str(ids[-1]) not in seen
    assert "9999999999999999" in seen
    assert len(seen) == 40  # 40 served or added, one removed after being served, one before


def test_a_garbage_cursor_is_a_400(api):
    response = api.get("/users", params={"cursor": "garbage!"})

    assert response.status_code == 400
    assert error_message(response).startswith("cursor:")


def test_a_cursor_of_another_listing_is_a_400(sim, api):
    sim.page_size = 2
    cursor = api.get("/rooms").json()["cursor"]

    response = api.get("/users", params={"cursor": cursor})

    assert response.status_code == 400
    assert "another listing" in error_message(response)


def test_users_list_defaults_to_active_users(sim, api):
    users = api.list_all("/users")

    assert {u["state"] for u in users} == {"active"}
    assert len(users) == 35


def test_users_list_with_state_all_includes_every_state(sim, api):
    users = api.list_all("/users", params={"state": "all"})

    assert len(users) == 40
    assert {u["state"] for u in users} == {"active", "suspended", "cancelled", "deleted",
                                           "pending"}


def test_users_list_filters_by_email(sim, api):
    user = next(iter(sim.state.users.values()))

    users = api.get("/users", params={"email": user["emails"][0].upper(),
                                      "state": "all"}).json()["items"]

    assert [u["id"] for u in users] == [str(user["id"])]


def test_users_list_filters_by_number(sim, api):
    user = next(u for u in sim.state.users.values() if u["phone_numbers"])

    users = api.get("/users", params={"number": user["phone_numbers"][0],
                                      "state": "all"}).json()["items"]

    assert [u["id"] for u in users] == [str(user["id"])]


def test_an_unknown_user_state_filter_is_a_400(api):
    response = api.get("/users", params={"state": "sleeping"})

    assert response.status_code == 400
    assert error_message(response).startswith("state: must be one of")


def test_departments_list_filters_by_office(sim, api):
    office_id = next(iter(sim.state.offices))

    departments = api.list_all("/departments", params={"office_id": office_id})

    expected = [d for d in sim.state.departments.values() if d["office_id"] == office_id]
    assert len(departments) == len(expected) > 0
    assert {d["office_id"] for d in departments} == {str(office_id)}


def test_office_departments_and_callcenters_are_listed_per_office(sim, api):
    office_id = next(iter(sim.state.offices))

    departments = api.list_all(f"/offices/{office_id}/departments")
    callcenters = api.list_all(f"/offices/{office_id}/callcenters")

    assert len(departments) == sum(1 for d in sim.state.departments.values()
                                   if d["office_id"] == office_id)
    assert len(callcenters) == sum(1 for c in sim.state.callcenters.values()
                                   if c["office_id"] == office_id)


def test_numbers_list_filters_by_status(sim, api):
    numbers = api.list_all("/numbers", params={"status": "available"})

    assert len(numbers) == sum(1 for n in sim.state.numbers.values()
                               if n["status"] == "available") > 5
    assert {n["status"] for n in numbers} == {"available"}
    assert all("target_id" not in n for n in numbers)
