"""Request validation: hand-written request-body schemas, and the spec's when it is at hand.

The hand-written schemas (``BODIES``) list every top-level field of each request body the
simulator accepts, with its type, enum, required-ness and the rules the spec states in prose
(ring_seconds 10-45, "Max 100 characters", "[single-line only]", E.164 numbers, at most 10
SMS recipients...). They make the simulator self-sufficient: it needs no spec file to run.

When Dialpad's OpenAPI spec is found (``DIALPAD_OPENAPI_SPEC`` or ``../shared/`` next to
the repository), each body is also checked against the operation's own requestBody schema,
which adds the nested objects' types and enums (routing_options, hold_queue, ...).

The schema language is a JSON-schema subset plus a few ``x-`` keywords for the prose rules.
Every failure is a ``SimError(400)`` whose message starts with the field's path.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers

from .state import SimError

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
TARGET_TYPE_ENUM = ["callcenter", "callrouter", "channel", "coachinggroup", "coachingteam",
                    "department", "office", "room", "staffgroup", "unknown", "user"]
ROUTING_ACTIONS = ["ai_agent", "bridge_target", "call_service_target", "company_directory",
                   "department", "directory", "disabled", "extension", "google_dialogflow",
                   "last_name_company_directory", "last_name_directory", "menu", "message",
                   "operator", "person", "scripted_ivr", "voicemail"]
LICENSES = ["admins", "agents", "dpde_all", "dpde_one", "lite_lines", "lite_support_agents",
            "magenta_lines", "talk", "user"]
OFFICE_COUNTRIES = [
    "AR", "AT", "AU", "BD", "BE", "BG", "BH", "BR", "CA", "CH", "CI", "CL", "CN", "CO", "CR",
    "CY", "CZ", "DE", "DK", "DO", "DP", "EC", "EE", "EG", "ES", "FI", "FR", "GB", "GH", "GR",
    "GT", "HK", "HR", "HU", "ID", "IE", "IL", "IN", "IS", "IT", "JP", "KE", "KH", "KR", "KZ",
    "LK", "LT", "LU", "LV", "MA", "MD", "MM", "MT", "MX", "MY", "NG", "NL", "NO", "NZ", "PA",
    "PE", "PH", "PK", "PL", "PR", "PT", "PY", "RO", "RU", "SA", "SE", "SG", "SI", "SK", "SV",
    "TH", "TR", "TW", "UA", "US", "UY", "VE", "VN", "ZA"]


# --- schema constructors --------------------------------------------------------------

def S(**kw):
    return {"type": "string", **kw}


def Line(**kw):
    """A "[single-line only]" string."""
    return {"type": "string", "x-single-line": True, **kw}


def Name(max_length=None):
    rule = {"type": "string", "x-single-line": True, "x-nonblank": True}
    if max_length:
        rule["maxLength"] = max_length
    return rule


def I(**kw):
    return {"type": "integer", "format": "int64", **kw}


def B():
    return {"type": "boolean"}


def E(*values, **kw):
    return {"type": "string", "enum": list(values), **kw}


def A(items=None, **kw):
    return {"type": "array", "items": items or {}, **kw}


def O(props=None, required=(), **kw):
    rule = {"type": "object", **kw}
    if props is not None:
        rule["properties"] = props
    if required:
        rule["required"] = list(required)
    return rule


E164 = {"type": "string", "x-e164": True}
HOURS = {"type": "array", "items": {"type": "string"}, "x-hours": True}
RING_SECONDS = I(minimum=10, maximum=45, **{"x-unit": "seconds"})
DESCRIPTION = S(maxLength=256)
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HOURS_FIELDS = {f"{day}_hours": HOURS for day in DAYS}
ROUTING_INNER = O({
    "action": E(*ROUTING_ACTIONS),
    "action_target_id": I(),
    "action_target_type": E("callcenter", "callrouter", "channel", "coachinggroup", "contact",
                            "contactgroup", "department", "office", "room", "staffgroup",
                            "unknown", "user"),
    "dtmf": A(O()),
    "operator_routing": E("fixedorder", "longestidle", "mostskilled", "random", "roundrobin",
                          "simultaneous"),
    "try_dial_operators": B(),
}, required=("action", "try_dial_operators"))
ROUTING_OPTIONS = O({"closed": ROUTING_INNER, "open": ROUTING_INNER},
                    required=("closed", "open"))
VOICE_INTELLIGENCE = O({"allow_pause": B(), "auto_start": B()})
HOLD_QUEUE_DEPARTMENT = O({
    "allow_queuing": B(),
    "max_hold_count": I(minimum=1, maximum=50),
    "max_hold_seconds": I(minimum=30, maximum=18000, **{"x-unit": "seconds"}),
})
HOLD_QUEUE_CALLCENTER = O({
    "allow_queue_callback": B(),
    "announce_estimated_wait_time": B(),
    "announce_position": B(),
    "announcement_interval_seconds": I(),
    "estimated_wait_time_max": I(),
    "max_hold_count": I(minimum=1, maximum=1000),
    "max_hold_seconds": I(minimum=30, maximum=18000, **{"x-unit": "seconds"}),
    "queue_callback_dtmf": E("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#"),
    "queue_callback_threshold": I(),
    "queue_escape_dtmf": E("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#"),
    "stay_in_queue_after_closing": B(),
    "unattended_queue": B(),
})
ADVANCED_SETTINGS = O({
    "auto_call_recording": O({"allow_pause_recording": B(), "call_recording_inbound": B(),
                              "call_recording_outbound": B()}),
    "max_wrap_up_seconds": I(minimum=0),
})
ALERTS = O({"cc_service_level": I(minimum=0, maximum=100), "cc_service_level_seconds": I()})
E911_FIELDS = {
    "address": Name(),
    "address2": Line(),
    "city": Name(),
    "country": {"type": "string", "x-nonblank": True, "x-country": True},
    "state": Name(),
    "zip": Name(),
}
E911_REQUIRED = ("address", "city", "country", "state", "zip")
ADD_OPERATOR = O({
    "operator_id": I(),
    "operator_type": E("room", "user"),
    "role": E("admin", "operator"),
}, required=("operator_id", "operator_type"))
REMOVE_OPERATOR = O({"operator_id": I(), "operator_type": E("room", "user")},
                    required=("operator_id", "operator_type"))
ASSIGN_NUMBER = O({"area_code": S(pattern=r"^\d{1,5}$", **{"x-pattern-text": "digits"}),
                   "number": E164, "primary": B()})
UNASSIGN_NUMBER = O({"number": E164}, required=("number",))
GROUP_FIELDS = {
    **HOURS_FIELDS,
    "group_description": DESCRIPTION,
    "hours_on": B(),
    "name": Name(100),
    "ring_seconds": RING_SECONDS,
    "routing_options": ROUTING_OPTIONS,
    "voice_intelligence": VOICE_INTELLIGENCE,
}
DEPARTMENT_FIELDS = {**GROUP_FIELDS, "auto_call_recording": B(),
                     "hold_queue": HOLD_QUEUE_DEPARTMENT}
CALLCENTER_FIELDS = {**GROUP_FIELDS, "advanced_settings": ADVANCED_SETTINGS, "alerts": ALERTS,
                     "hold_queue": HOLD_QUEUE_CALLCENTER}
SMS_SUBSCRIPTION_FIELDS = {
    "direction": E("all", "inbound", "outbound"),
    "enabled": B(),
    "endpoint_id": I(),
    "include_internal": B(),
    "status": B(),
    "target_id": I(),
    "target_type": E(*TARGET_TYPE_ENUM),
}

# (method, path template) -> request body schema.
BODIES = {
    ("post", "/api/v2/offices"): O({
        **HOURS_FIELDS,
        "annual_commit_monthly_billing": B(),
        "auto_call_recording": B(),
        "billing_address": O({
            "address_line_1": Name(), "address_line_2": Line(), "city": Name(),
            "country": S(), "postal_code": Name(), "region": Name(),
        }, required=("address_line_1", "city", "country", "postal_code", "region")),
        "billing_contact": O({"email": S(**{"x-email": True}), "name": Name(),
                              "phone": S()}, required=("email", "name")),
        "country": E(*OFFICE_COUNTRIES),
        "currency": E("AUD", "CAD", "EUR", "GBP", "JPY", "NZD", "USD"),
        "e911_address": O(E911_FIELDS, required=E911_REQUIRED),
        "first_action": E("menu", "operators"),
        "group_description": DESCRIPTION,
        "hours_on": B(),
        "international_enabled": B(),
        "invoiced": B(),
        "mainline_number": E164,
        "name": Name(),
        "no_operators_action": E(*ROUTING_ACTIONS),
        "plan_period": E("monthly", "yearly"),
        "ring_seconds": RING_SECONDS,
        "routing_options": ROUTING_OPTIONS,
        "timezone": S(**{"x-nonblank": True}),
        "unified_billing": B(),
        "use_same_address": B(),
        "voice_intelligence": VOICE_INTELLIGENCE,
    }, required=("annual_commit_monthly_billing", "billing_address", "country", "currency",
                 "invoiced", "name", "plan_period", "unified_billing")),
    ("patch", "/api/v2/offices/{id}"): O({**HOURS_FIELDS, "hours_on": B()}),
    ("put", "/api/v2/offices/{id}/e911"): O({
        **E911_FIELDS, "update_all": B(), "use_validated_option": B()}, required=E911_REQUIRED),
    ("post", "/api/v2/offices/{id}/operators"): ADD_OPERATOR,
    ("delete", "/api/v2/offices/{id}/operators"): REMOVE_OPERATOR,
    ("post", "/api/v2/offices/{id}/assign_number"): ASSIGN_NUMBER,
    ("post", "/api/v2/offices/{id}/unassign_number"): UNASSIGN_NUMBER,
    ("post", "/api/v2/departments"): O({**DEPARTMENT_FIELDS, "office_id": I()},
                                       required=("name", "office_id")),
    ("patch", "/api/v2/departments/{id}"): O(DEPARTMENT_FIELDS),
    ("post", "/api/v2/departments/{id}/operators"): ADD_OPERATOR,
    ("delete", "/api/v2/departments/{id}/operators"): REMOVE_OPERATOR,
    ("post", "/api/v2/callcenters"): O({**CALLCENTER_FIELDS, "office_id": I()},
                                       required=("name", "office_id")),
    ("patch", "/api/v2/callcenters/{id}"): O(CALLCENTER_FIELDS),
    ("post", "/api/v2/callcenters/{id}/operators"): O({
        "keep_paid_numbers": B(),
        "license_type": E("agents", "lite_support_agents"),
        "role": E("admin", "operator", "supervisor"),
        "skill_level": I(minimum=1, maximum=100),
        "user_id": I(),
    }, required=("user_id",)),
    ("delete", "/api/v2/callcenters/{id}/operators"): O({"user_id": I()},
                                                        required=("user_id",)),
    ("post", "/api/v2/rooms"): O({"name": Name(), "office_id": I()},
                                 required=("name", "office_id")),
    ("patch", "/api/v2/rooms/{id}"): O({"name": Name(), "phone_numbers": A(E164)}),
    ("post", "/api/v2/rooms/{id}/assign_number"): ASSIGN_NUMBER,
    ("post", "/api/v2/rooms/{id}/unassign_number"): UNASSIGN_NUMBER,
    ("patch", "/api/v2/users/{id}"): O({
        "admin_office_ids": A(I()),
        "emails": A(S(**{"x-email": True}), minItems=1),
        "extension": S(pattern=r"^\d{1,10}$", **{"x-pattern-text": "digits"}),
        "first_name": Name(),
        "forwarding_numbers": A(E164),
        "international_dialing_enabled": B(),
        "is_super_admin": B(),
        "job_title": Line(),
        "keep_paid_numbers": B(),
        "last_name": Name(),
        "license": E(*LICENSES),
        "office_id": I(),
        "phone_numbers": A(E164),
        "presence_status": O({"message": S(), "provider": S(),
                              "type": E("conference", "default")}),
        "state": E("active", "suspended"),
    }),
    ("put", "/api/v2/users/{id}/e911"): O({**E911_FIELDS, "use_validated_option": B()},
                                          required=E911_REQUIRED),
    ("post", "/api/v2/users/{id}/assign_number"): ASSIGN_NUMBER,
    ("post", "/api/v2/users/{id}/unassign_number"): UNASSIGN_NUMBER,
    ("patch", "/api/v2/users/{id}/move_office"): O({"office_id": I()},
                                                   required=("office_id",)),
    ("post", "/api/v2/numbers/assign"): O({
        "area_code": ASSIGN_NUMBER["properties"]["area_code"],
        "number": E164,
        "primary": B(),
        "target_id": I(),
        "target_type": E(*TARGET_TYPE_ENUM),
    }, required=("target_id", "target_type")),
    ("post", "/api/v2/numbers/{number}/assign"): O({
        "primary": B(), "target_id": I(), "target_type": E(*TARGET_TYPE_ENUM),
    }, required=("target_id", "target_type")),
    ("post", "/api/v2/sms"): O({
        "channel_hashtag": Line(),
        "from_number": E164,
        "infer_country_code": B(),
        "media": S(),
        "sender_group_id": I(),
        "sender_group_type": E("callcenter", "department", "office"),
        "text": S(maxLength=1600),
        "to_numbers": A(S(), maxItems=10, **{"x-item-name": "recipients"}),
        "user_id": I(),
    }),
    ("post", "/api/v2/webhooks"): O({"hook_url": S(**{"x-url": True}), "secret": Line()},
                                    required=("hook_url",)),
    ("patch", "/api/v2/webhooks/{id}"): O({"hook_url": S(**{"x-url": True}),
                                           "secret": Line()}),
    ("post", "/api/v2/subscriptions/sms"): O(SMS_SUBSCRIPTION_FIELDS,
                                             required=("direction", "endpoint_id")),
    ("patch", "/api/v2/subscriptions/sms/{id}"): O(SMS_SUBSCRIPTION_FIELDS),
    ("post", "/api/v2/subscriptions/changelog"): O({"enabled": B(), "endpoint_id": I()},
                                                   required=("endpoint_id",)),
    ("patch", "/api/v2/subscriptions/changelog/{id}"): O({"enabled": B(), "endpoint_id": I()}),
}


# --- the validator ----------------------------------------------------------------------

_TYPE_NAMES = {"string": "a string", "integer": "an integer", "boolean": "true or false",
               "array": "a list", "object": "an object", "number": "a number"}
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


# bool before int: True is an int to isinstance.
_JSON_TYPES = ((type(None), "null"), (bool, "boolean"), (int, "integer"), (float, "number"),
               (str, "string"), (list, "array"), (dict, "object"))


def _json_type(value) -> str:
    for python_type, name in _JSON_TYPES:
        if isinstance(value, python_type):
            return name
    return type(value).__name__


def _fail(path: str, message: str):
    raise SimError(400, f"{path or 'request body'}: {message}")


def is_e164(value: str) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\+[1-9]\d{6,14}", value):
        return False
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(value))
    except phonenumbers.NumberParseException:
        return False


def check_e164(path: str, value) -> None:
    if not is_e164(value):
        _fail(path, f"must be an E.164 phone number such as +14155550123 (got {value!r})")


def validate(value, schema: dict, path: str = "", *, resolve=None,
             reject_unknown: bool = True) -> None:
    """Validate ``value`` against ``schema``; raise SimError(400) at the first failure."""
    if "$ref" in schema:
        schema = resolve(schema["$ref"])
    types = schema.get("type")
    if isinstance(types, str):
        types = [types]
    if value is None:
        return  # null is "not given" for proto3 JSON; "required" is checked by the parent
    actual = _json_type(value)
    if types:
        ok = actual in types or (actual == "integer" and "number" in types)
        if (not ok and "integer" in types and actual == "string"
                and schema.get("format") == "int64"):
            # Protobuf JSON carries int64 as strings; accept "123" as well as 123.
            ok = bool(re.fullmatch(r"-?\d{1,19}", value))
            if ok:
                value = int(value)
        if not ok:
            wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in types if t != "null")
            _fail(path, f"must be {wanted} (got {actual})")
        if isinstance(value, int) and not isinstance(value, bool):
            if not INT64_MIN <= value <= INT64_MAX:
                _fail(path, "is out of the int64 range")
    if "enum" in schema and value not in schema["enum"]:
        options = ", ".join(repr(v) for v in schema["enum"])
        _fail(path, f"must be one of {options} (got {value!r})")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        lo, hi = schema.get("minimum"), schema.get("maximum")
        unit = f" {schema['x-unit']}" if "x-unit" in schema else ""
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            if lo is not None and hi is not None:
                _fail(path, f"must be between {lo} and {hi}{unit} (got {value})")
            if lo is not None:
                _fail(path, f"must be at least {lo}{unit} (got {value})")
            _fail(path, f"must be at most {hi}{unit} (got {value})")
    if isinstance(value, str):
        _check_string(value, schema, path)
    elif isinstance(value, list):
        _check_list(value, schema, path, resolve, reject_unknown)
    elif isinstance(value, dict):
        _check_object(value, schema, path, resolve, reject_unknown)


def _check_string(value: str, schema: dict, path: str) -> None:
    if schema.get("x-nonblank") and not value.strip():
        _fail(path, "must not be blank")
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        _fail(path, f"must be at most {schema['maxLength']} characters (got {len(value)})")
    if "minLength" in schema and len(value) < schema["minLength"]:
        _fail(path, f"must be at least {schema['minLength']} characters (got {len(value)})")
    if schema.get("x-single-line") and ("\n" in value or "\r" in value):
        _fail(path, "must be a single line (no line breaks)")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        _fail(path, f"must be {schema.get('x-pattern-text', 'in the expected format')} "
                    f"(got {value!r})")
    if schema.get("x-e164"):
        check_e164(path, value)
    if schema.get("x-email") and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        _fail(path, f"must be an email address (got {value!r})")
    if schema.get("x-url"):
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            _fail(path, f"must be an http(s) URL (got {value!r})")
    if schema.get("x-country") and value.upper() not in phonenumbers.SUPPORTED_REGIONS:
        _fail(path, f"must be a two-letter ISO 3166 country code such as 'us' (got {value!r})")


def _check_list(value: list, schema: dict, path: str, resolve, reject_unknown) -> None:
    noun = schema.get("x-item-name", "items")
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        _fail(path, f"must have at most {schema['maxItems']} {noun} (got {len(value)})")
    if "minItems" in schema and len(value) < schema["minItems"]:
        _fail(path, f"must have at least {schema['minItems']} {noun} (got {len(value)})")
    items = schema.get("items") or {}
    for i, item in enumerate(value):
        if item is None:
            _fail(f"{path}[{i}]", "must not be null")
        validate(item, items, f"{path}[{i}]", resolve=resolve, reject_unknown=reject_unknown)
    if schema.get("x-hours"):
        if len(value) % 2:
            _fail(path, f"must list opening and closing times in pairs, e.g. "
                        f"[\"08:00\", \"18:00\"] (got {len(value)} times)")
        for i, item in enumerate(value):
            if not _HHMM.match(item):
                _fail(f"{path}[{i}]", f"must be a time as HH:MM (got {item!r})")
        if value != sorted(value) or len(set(value)) != len(value):
            _fail(path, "times must be in increasing order")


def _check_object(value: dict, schema: dict, path: str, resolve, reject_unknown) -> None:
    props = schema.get("properties")
    prefix = f"{path}." if path else ""
    for name in schema.get("required") or ():
        if value.get(name) is None:
            _fail(f"{prefix}{name}", "is required")
    if props is None:
        return
    for name, item in value.items():
        if name not in props:
            if reject_unknown:
                _fail(f"{prefix}{name}", "unknown field")
            continue
        validate(item, props[name], f"{prefix}{name}", resolve=resolve,
                 reject_unknown=reject_unknown)


# --- the spec, when present -------------------------------------------------------------

def default_spec_path() -> Path | None:
    env = os.environ.get("DIALPAD_OPENAPI_SPEC")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent.parent / "shared" / "dialpad-openapi.json",
                      here.parent / "shared" / "dialpad-openapi.json"):
        if candidate.is_file():
            return candidate
    return None


class SpecBodies:
    """The requestBody schemas of Dialpad's spec, by (method, path template)."""

    def __init__(self, spec: dict):
        self.spec = spec
        self.schemas = spec.get("components", {}).get("schemas", {})

    @classmethod
    def load(cls, path) -> "SpecBodies | None":
        if path is False:
            return None
        path = Path(path) if path else default_spec_path()
        if not path or not Path(path).is_file():
            return None
        return _load_spec(str(Path(path).resolve()), cls)

    def resolve(self, ref: str) -> dict:
        return self.schemas[ref.rsplit("/", 1)[-1]]

    def body_schema(self, method: str, template: str) -> dict | None:
        op = self.spec.get("paths", {}).get(template, {}).get(method)
        if not op or "requestBody" not in op:
            return None
        content = op["requestBody"].get("content", {}).get("application/json", {})
        return content.get("schema")

    def validate(self, method: str, template: str, body) -> None:
        schema = self.body_schema(method, template)
        if schema is not None and body is not None:
            validate(body, schema, resolve=self.resolve, reject_unknown=True)


@functools.lru_cache(maxsize=4)
def _load_spec(path: str, cls) -> SpecBodies:
    # Read-only after loading, so servers in one process can share it.
    with open(path, encoding="utf-8") as fh:
        return cls(json.load(fh))


def validate_body(method: str, template: str, body, spec: SpecBodies | None = None) -> dict:
    """Validate a request body for an operation; return it (an empty dict for no body)."""
    schema = BODIES.get((method, template))
    if body is None:
        body = {}
    if schema is not None:
        if not isinstance(body, dict):
            _fail("", f"must be a JSON object (got {_json_type(body)})")
        validate(body, schema)
        if spec is not None:
            spec.validate(method, template, body)
    return body


# The messaging endpoints' bodies live in their own module (it builds them with the
# constructors above, hence the import at the end).
from .schemas_messaging import MESSAGING_BODIES  # noqa: E402

BODIES.update(MESSAGING_BODIES)
