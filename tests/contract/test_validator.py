"""The contract validator: it must pass what the client legitimately sends, and catch the rest."""

from types import SimpleNamespace

import pytest

from .plugin import check_requests_against_spec
from .spec import get_spec, spec_missing_reason, validate_recorded_request

pytestmark = pytest.mark.skipif(bool(spec_missing_reason()), reason=spec_missing_reason() or "")

HEADERS = {
    "Authorization": "Bearer sk-test-SECRET-123",
    "User-Agent": "dialpad-console/0.1",
    "Content-Type": "application/json",
}


def recorded(method, path, query="", json=None, headers=HEADERS):
    return SimpleNamespace(method=method, path=path, query=query, headers=dict(headers),
                           json=json, status=200, user_agent=headers.get("User-Agent", ""))


def test_a_listing_with_a_cursor_and_a_boolean_filter_is_valid():
    rec = recorded("GET", "/api/v2/users", "cursor=abc&state=active&company_admin=true")
    assert validate_recorded_request(rec) == []


def test_a_query_given_as_a_dict_of_lists_is_understood():
    rec = recorded("GET", "/api/v2/users", {"state": ["active"], "cursor": "x"})
    assert validate_recorded_request(rec) == []


def test_an_operator_removal_with_a_json_body_is_valid():
    rec = recorded("DELETE", "/api/v2/offices/123/operators",
                   json={"operator_id": 456, "operator_type": "user"})
    assert validate_recorded_request(rec) == []


def test_a_literal_path_wins_over_a_templated_one():
    assert get_spec().route("GET", "/api/v2/offices/primary") == ("/api/v2/offices/primary", {})


def test_an_id_that_is_not_an_integer_is_rejected_in_a_path():
    errors = validate_recorded_request(recorded("GET", "/api/v2/offices/abc"))
    assert any("id" in error for error in errors)


def test_an_id_sent_as_a_string_in_a_body_is_rejected():
    rec = recorded("DELETE", "/api/v2/offices/123/operators",
                   json={"operator_id": "456", "operator_type": "user"})
    errors = validate_recorded_request(rec)
    assert any("operator_id" in error and "integer" in error for error in errors)


def test_a_value_outside_an_enum_is_rejected():
    rec = recorded("POST", "/api/v2/offices/123/operators",
                   json={"operator_id": 456, "operator_type": "robot"})
    assert any("robot" in error for error in validate_recorded_request(rec))


def test_a_body_field_the_schema_does_not_name_is_rejected():
    rec = recorded("DELETE", "/api/v2/offices/123/operators",
                   json={"operator_id": 456, "operator_type": "user", "operatr_role": "x"})
    assert any("operatr_role" in error for error in validate_recorded_request(rec))


def test_a_query_parameter_the_operation_does_not_declare_is_rejected():
    errors = validate_recorded_request(recorded("GET", "/api/v2/users", "office=1"))
    assert any("'office'" in error for error in errors)


def test_a_path_the_spec_does_not_have_is_rejected():
    assert validate_recorded_request(recorded("GET", "/api/v2/nothing/here")) != []


def test_a_method_the_path_does_not_allow_is_rejected():
    assert validate_recorded_request(recorded("DELETE", "/api/v2/company")) != []


def test_a_request_without_the_bearer_key_is_rejected():
    headers = {k: v for k, v in HEADERS.items() if k != "Authorization"}
    assert validate_recorded_request(recorded("GET", "/api/v2/users", headers=headers)) != []


def test_the_same_request_shape_is_validated_once():
    spec = get_spec()
    before = spec.validated
    for page in range(5):
        spec.validate_cached(recorded("GET", "/api/v2/users/%d" % (900 + page), f"cursor=c{page}"))
    assert spec.validated - before <= 1


def test_a_cached_failure_is_still_reported():
    spec = get_spec()
    rec = recorded("GET", "/api/v2/users", "offfice=1")
    assert spec.validate_cached(rec) != []
    assert spec.validate_cached(rec) != []


def test_the_check_fails_the_test_and_names_the_request_without_the_key(request):
    bad = recorded("GET", "/api/v2/offices/abc")
    with pytest.raises(pytest.fail.Exception) as failure:
        check_requests_against_spec([bad], request.node)
    assert "GET /api/v2/offices/abc" in str(failure.value)
    assert "sk-test-SECRET-123" not in str(failure.value)


def test_the_check_ignores_requests_from_other_user_agents(request):
    other = recorded("GET", "/api/v2/offices/abc", headers={**HEADERS, "User-Agent": "curl/8"})
    check_requests_against_spec([other], request.node)


@pytest.mark.contract_exempt("checks the opt-out itself")
def test_a_test_marked_contract_exempt_is_not_checked(request):
    check_requests_against_spec([recorded("GET", "/api/v2/offices/abc")], request.node)
