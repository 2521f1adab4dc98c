"""The request validator: a body against the hand-written schemas, and the spec's when found.

``validate_body()`` checks a request body against its hand-written schema in ``BODIES``
(see ``language.py`` for the rules a schema can state) and, when Dialpad's OpenAPI spec is
at hand (``DIALPAD_OPENAPI_SPEC``, or ``../shared/dialpad-openapi.json`` next to the
repository), against the operation's own requestBody schema too, which adds the nested
objects' types and enums (routing_options, hold_queue, ...).

Every failure is a ``SimError(400)`` whose message starts with the field's path.
``check_e164()`` is also used by the handlers for numbers that arrive outside a body.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers

from ..state import SimError
from .bodies import BODIES

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


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
    here = Path(__file__).resolve().parent.parent  # the dialpad_sim package
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
