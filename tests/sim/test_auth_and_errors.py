"""Auth, routing and Dialpad's error bodies."""

import requests

from tests.sim.helpers import error_message


def test_it_answers_with_a_valid_bearer_key(api):
    response = api.get("/company")

    assert response.status_code == 200
    assert response.json()["name"] == "Northwind Logistics"


def test_it_rejects_a_wrong_key_with_401(sim, api_for):
    response = api_for(sim, key="not-the-key").get("/company")

    assert response.status_code == 401
    assert error_message(response) == "Invalid API key"


def test_it_rejects_a_missing_key_with_401(sim):
    response = requests.get(f"{sim.base_url}/api/v2/company", timeout=5)

    assert response.status_code == 401
    assert "Bearer" in error_message(response)


def test_it_accepts_the_key_as_apikey_query_parameter(sim):
    response = requests.get(f"{sim.base_url}/api/v2/company",
                            params={"apikey": sim.api_key}, timeout=5)

    assert response.status_code == 200


def test_errors_have_dialpads_error_body(sim, api_for):
    body = api_for(sim, key="nope").get("/company").json()

    assert body == {"error": {
        "code": 401,
        "message": "Invalid API key",
        "errors": [{"domain": "global", "reason": "unauthorized",
                    "message": "Invalid API key"}],
    }}


def test_an_unknown_route_is_a_404(api):
    response = api.get("/no-such-thing")

    assert response.status_code == 404
    assert response.json()["error"]["errors"][0]["reason"] == "notFound"


def test_an_unknown_id_is_a_404_naming_it(api):
    response = api.get("/offices/1234567890123456")

    assert response.status_code == 404
    assert "office 1234567890123456 not found" in error_message(response)


def test_a_wrong_method_on_a_known_path_is_a_405_with_allow(api):
    response = api.delete("/company")

    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"
    assert response.json()["error"]["code"] == 405


def test_a_non_numeric_id_is_a_400_naming_the_parameter(api):
    response = api.get("/offices/abc")

    assert response.status_code == 400
    assert error_message(response).startswith("id:")


def test_invalid_json_is_a_400(api, sim):
    office_id = next(iter(sim.state.offices))
    response = api.request("PUT", f"/offices/{office_id}/e911", data=b"{not json",
                           headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    assert "invalid JSON" in error_message(response)


def test_an_unknown_body_field_is_a_400_naming_it(api, sim):
    office_id = next(iter(sim.state.offices))
    response = api.post(f"/offices/{office_id}/operators",
                        json={"operator_id": 1, "operator_type": "user", "operatorRole": "x"})

    assert response.status_code == 400
    assert error_message(response) == "operatorRole: unknown field"


def test_ids_are_json_strings_of_int64(api):
    company = api.get("/company").json()

    assert isinstance(company["id"], str)
    assert len(company["id"]) == 16 and company["id"].isdigit()
    assert company["office_count"] == "3"
