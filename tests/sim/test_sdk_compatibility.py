"""The simulator answers requests shaped like the public python-dialpad SDK's.

The SDK (dialpad/dialpad-python-sdk, `DialpadClient._raw_request` and `iter_request`) sends
`Authorization: Bearer <token>`, an optional `DP-Company-ID` header, query parameters, a JSON
body on writes, and follows `cursor` in the query string until an answer has none. These tests
send exactly that shape with plain `requests`, without the SDK installed.
"""

import requests


def sdk_request(sim, method, sub_path, params=None, body=None, company_id=None):
    headers = {"Authorization": f"Bearer {sim.api_key}"}
    if company_id:
        headers["DP-Company-ID"] = str(company_id)
    url = f"{sim.base_url}/{sub_path.lstrip('/')}"
    return requests.request(method, url, headers=headers, params=params, json=body, timeout=10)


def sdk_iter(sim, sub_path, params=None, company_id=None):
    params = dict(params or {})
    while True:
        answer = sdk_request(sim, "GET", sub_path, params=params, company_id=company_id)
        answer.raise_for_status()
        payload = answer.json()
        yield from payload.get("items") or []
        if not payload.get("cursor"):
            return
        params["cursor"] = payload["cursor"]


def test_it_answers_the_sdks_company_get_with_a_company_id_header(sim):
    company_id = sim.state.company["id"]
    answer = sdk_request(sim, "GET", "api/v2/company", company_id=company_id)
    assert answer.status_code == 200
    assert answer.json()["name"] == sim.state.company["name"]


def test_the_sdks_cursor_iteration_lists_every_user(sim):
    sim.page_size = 7
    listed = list(sdk_iter(sim, "api/v2/users", params={"state": "all"}))
    assert len(listed) == len(sim.state.users)
    assert len({user["id"] for user in listed}) == len(listed)


def test_the_sdks_write_with_a_json_body_changes_the_state(sim):
    office_id = next(iter(sim.state.offices))
    answer = sdk_request(sim, "POST", "api/v2/rooms", body={"name": "SDK lobby", "office_id": office_id})
    assert answer.status_code == 200, answer.text
    assert any(room["name"] == "SDK lobby" for room in sim.state.rooms.values())
