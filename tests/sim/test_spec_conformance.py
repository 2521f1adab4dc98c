"""The simulator against Dialpad's OpenAPI spec: the answers' shapes and the request rules.

Skipped when the spec file is absent (it lives outside the repository, at ../shared/).
"""

import re

import pytest

from dialpad_sim.schemas import BODIES, SpecBodies

spec_bodies = SpecBodies.load(None)
pytestmark = pytest.mark.skipif(spec_bodies is None, reason="Dialpad's OpenAPI spec not found")


def _resolve(schema):
    while "$ref" in schema:
        schema = spec_bodies.resolve(schema["$ref"])
    return schema


def problems(value, schema, path="$"):
    """Where the value leaves the schema (ids as int64 strings, as Dialpad answers)."""
    schema = _resolve(schema)
    found = []
    types = schema.get("type") or []
    if isinstance(types, str):
        types = [types]
    if value is None:
        return [] if "null" in types or not types else [f"{path}: null"]
    if "integer" in types:
        if not (isinstance(value, str) and re.fullmatch(r"-?\d+", value)):
            found.append(f"{path}: int64 should be a digit string, got {value!r}")
    elif "boolean" in types and not isinstance(value, bool):
        found.append(f"{path}: should be a boolean, got {value!r}")
    elif "string" in types and not isinstance(value, str):
        found.append(f"{path}: should be a string, got {value!r}")
    elif "array" in types:
        if not isinstance(value, list):
            return [f"{path}: should be a list"]
        for i, item in enumerate(value):
            found += problems(item, schema.get("items") or {}, f"{path}[{i}]")
    elif "object" in types or "properties" in schema:
        if not isinstance(value, dict):
            return [f"{path}: should be an object"]
        props = schema.get("properties")
        if props is not None:
            for key, item in value.items():
                if key not in props:
                    found.append(f"{path}.{key}: not in the spec")
                else:
                    found += problems(item, props[key], f"{path}.{key}")
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{path}: {value!r} not in {schema['enum']}")
    return found


def response_schema(method, template):
    op = spec_bodies.spec["paths"][template][method]
    return op["responses"]["200"]["content"]["application/json"]["schema"]


def _some(table):
    return next(iter(table))


@pytest.fixture
def calls(sim):
    """(method, spec path template, concrete path, body) for every read the console uses."""
    s = sim.state
    office = _some(s.offices)
    room = _some(s.deskphones)
    user = next(u for u, row in s.users.items() if row["group_details"])
    return [
        ("get", "/api/v2/company", "/company", None),
        ("get", "/api/v2/offices", "/offices", None),
        ("get", "/api/v2/offices/{id}", f"/offices/{office}", None),
        ("get", "/api/v2/offices/primary", "/offices/primary", None),
        ("get", "/api/v2/offices/{id}/e911", f"/offices/{office}/e911", None),
        ("get", "/api/v2/offices/{id}/operators", f"/offices/{office}/operators", None),
        ("get", "/api/v2/offices/{office_id}/departments", f"/offices/{office}/departments",
         None),
        ("get", "/api/v2/offices/{office_id}/callcenters", f"/offices/{office}/callcenters",
         None),
        ("get", "/api/v2/departments", "/departments", None),
        ("get", "/api/v2/departments/{id}", f"/departments/{_some(s.departments)}", None),
        ("get", "/api/v2/departments/{id}/operators",
         f"/departments/{_some(s.departments)}/operators", None),
        ("get", "/api/v2/callcenters", "/callcenters", None),
        ("get", "/api/v2/callcenters/{id}", f"/callcenters/{_some(s.callcenters)}", None),
        ("get", "/api/v2/callcenters/{id}/operators",
         f"/callcenters/{_some(s.callcenters)}/operators", None),
        ("get", "/api/v2/rooms", "/rooms", None),
        ("get", "/api/v2/rooms/{id}", f"/rooms/{room}", None),
        ("get", "/api/v2/rooms/{parent_id}/deskphones", f"/rooms/{room}/deskphones", None),
        ("get", "/api/v2/users", "/users?state=all", None),
        ("get", "/api/v2/users/{id}", f"/users/{user}", None),
        ("get", "/api/v2/users/{id}/e911", f"/users/{user}/e911", None),
        ("get", "/api/v2/numbers", "/numbers", None),
        ("get", "/api/v2/numbers/{number}", f"/numbers/{_some(s.numbers)}", None),
        ("get", "/api/v2/webhooks", "/webhooks", None),
        ("get", "/api/v2/subscriptions/sms", "/subscriptions/sms", None),
        ("get", "/api/v2/subscriptions/changelog", "/subscriptions/changelog", None),
        ("post", "/api/v2/offices/{id}/operators", f"/offices/{office}/operators",
         {"operator_id": next(u for u, row in s.users.items() if row["state"] == "active"
                              and not any(d["group_type"] == "office" and
                                          d["group_id"] == office
                                          for d in row["group_details"])),
          "operator_type": "user"}),
        ("post", "/api/v2/users/{id}/assign_number", f"/users/{user}/assign_number", {}),
        ("post", "/api/v2/sms", "/sms", {"user_id": user, "to_numbers": ["+14155550100"],
                                         "text": "hi"}),
    ]


def test_every_answer_fits_the_spec_response_schema(sim, api, calls):
    found = []
    for method, template, path, body in calls:
        response = api.request(method.upper(), path, json=body)
        assert response.status_code == 200, (path, response.text)
        found += [f"{method.upper()} {path}: {p}"
                  for p in problems(response.json(), response_schema(method, template))]

    assert found == []


def test_every_operation_the_simulator_accepts_a_body_for_is_in_the_spec():
    missing = [key for key in BODIES if spec_bodies.body_schema(*key) is None]

    assert missing == []


def test_hand_written_bodies_list_the_specs_fields_enums_and_required():
    mismatches = []
    for (method, template), mine in BODIES.items():
        theirs = _resolve(spec_bodies.body_schema(method, template))
        their_props = theirs.get("properties", {})
        if set(mine["properties"]) != set(their_props):
            mismatches.append((template, method, "fields",
                               set(mine["properties"]) ^ set(their_props)))
        if not set(theirs.get("required", [])) <= set(mine.get("required", [])):
            mismatches.append((template, method, "required", theirs.get("required")))
        for name, rule in mine["properties"].items():
            their_rule = _resolve(their_props.get(name, {}))
            if "enum" in their_rule and rule.get("enum") != their_rule["enum"]:
                mismatches.append((template, method, name, "enum"))

    assert mismatches == []


@pytest.mark.parametrize("collection,template", [
    ("departments", "/api/v2/departments/{id}"),
    ("callcenters", "/api/v2/callcenters/{id}"),
    ("rooms", "/api/v2/rooms/{id}"),
])
def test_a_delete_answers_the_deleted_object_as_the_spec_documents(sim, api, collection,
                                                                  template):
    ident = next(i for i, row in getattr(sim.state, collection).items()
                 if row.get("phone_numbers"))

    response = api.delete(f"/{collection}/{ident}")

    assert response.status_code == 200
    assert problems(response.json(), response_schema("delete", template)) == []
    assert response.json()["state"] == "deleted"
