"""Dialpad's OpenAPI spec as the contract for every request the client sends.

The spec is read from $DIALPAD_OPENAPI_SPEC, else `<repo>/../shared/dialpad-openapi.json`,
once and lazily; it is never copied into the repository. Where it is absent, `get_spec()`
returns None and validation is skipped (tests/contract/test_spec_available.py says why).

Validation is openapi-core's (path, method, security, parameters, body) plus two checks the
spec cannot express by itself, because Dialpad's schemas leave `additionalProperties` open:
- a body field the schema does not name is an error (openapi-core's "forbid" policy), so a
  misspelt field is not silently ignored by Dialpad;
- a query parameter the operation does not declare is an error, for the same reason.

openapi-core costs a few milliseconds per request against this 510 KB spec, and a sync sends
thousands of near-identical requests (page after page of the same listing), so
`ContractSpec.validate_cached` validates each request *shape* once and reuses the result;
see `_signature` for what makes two requests the same shape.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs

SPEC_ENV = "DIALPAD_OPENAPI_SPEC"
REPO_DIR = Path(__file__).resolve().parents[2]
DEFAULT_SPEC_PATH = REPO_DIR.parent / "shared" / "dialpad-openapi.json"
# Recorded requests hit the simulator's host; the spec declares Dialpad's.
SPEC_HOST_URL = "https://dialpad.com"


def spec_path() -> Path:
    return Path(os.environ.get(SPEC_ENV) or DEFAULT_SPEC_PATH)


def spec_missing_reason() -> str | None:
    path = spec_path()
    if path.is_file():
        return None
    return f"Dialpad OpenAPI spec not found at {path}; set {SPEC_ENV}"


@lru_cache(maxsize=None)
def _load(path: str) -> ContractSpec:
    with open(path, encoding="utf-8") as handle:
        return ContractSpec(json.load(handle))


def get_spec() -> ContractSpec | None:
    """The loaded spec (cached per path), or None where the file is absent."""
    if spec_missing_reason():
        return None
    return _load(str(spec_path()))


def validate_recorded_request(rec) -> list[str]:
    """Errors (empty if valid) for one simulator RecordedRequest; [] if there is no spec."""
    spec = get_spec()
    return [] if spec is None else spec.validate_recorded(rec)


class _Route:
    __slots__ = ("template", "regex", "params", "literal_segments")

    def __init__(self, template: str):
        self.template = template
        pieces = re.split(r"({[^}/]+})", template)
        self.params = [piece[1:-1] for piece in pieces[1::2]]
        self.regex = re.compile("^" + "".join(
            "([^/]+)" if index % 2 else re.escape(piece) for index, piece in enumerate(pieces)
        ) + "$")
        self.literal_segments = sum(1 for seg in template.split("/") if seg and "{" not in seg)


class ContractSpec:
    def __init__(self, data: dict):
        from openapi_core import Config, OpenAPI

        self.data = data
        self.openapi = OpenAPI.from_dict(
            data,
            config=Config(
                # The spec is the contract, not the thing under test: skip the (slow) check
                # that it is itself valid OpenAPI.
                spec_validator_cls=None,
                additional_properties_default_policy="forbid",
            ),
        )
        # Most specific first, so /offices/primary wins over /offices/{id}.
        self._routes = sorted(
            (_Route(template) for template in data.get("paths", {})),
            key=lambda route: (-route.literal_segments, len(route.params)),
        )
        self._cache: dict = {}
        self._lock = threading.Lock()
        self.validated = 0  # requests run through openapi-core
        self.cache_hits = 0
        self.seconds = 0.0  # spent in openapi-core

    # --- the spec ---------------------------------------------------------------------

    def route(self, method: str, path: str) -> tuple[str, dict] | None:
        """(path template, path params) of the operation `method path`, or None."""
        method = method.lower()
        for route in self._routes:
            match = route.regex.match(path)
            if match and method in self.data["paths"][route.template]:
                return route.template, dict(zip(route.params, match.groups()))
        return None

    def _parameters(self, template: str, method: str) -> list[dict]:
        item = self.data["paths"][template]
        params = list(item.get("parameters", [])) + list(item[method].get("parameters", []))
        return [self._deref(p) for p in params]

    def _deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            target = self.data
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    # --- validation -------------------------------------------------------------------

    def validate_recorded(self, rec) -> list[str]:
        method, path, query, headers, body = _unpack(rec)
        return self.validate(method, path, query=query, headers=headers, body=body)

    def validate(self, method: str, path: str, *, query: dict[str, list[str]] | None = None,
                 headers: dict | None = None, body: bytes | None = None) -> list[str]:
        """Every way `method path?query` with `body` breaks the spec; [] if it is valid."""
        from openapi_core.testing import MockRequest

        method = method.lower()
        query = query or {}
        headers = dict(headers or {})
        content_type = _header(headers, "Content-Type") or "application/json"
        request = MockRequest(
            SPEC_HOST_URL, method, path, args=query, headers=headers, data=body,
            content_type=content_type.split(";")[0].strip(),
        )
        started = time.perf_counter()
        errors = [_describe(exc) for exc in self.openapi.request_validator.iter_errors(request)]
        with self._lock:
            self.seconds += time.perf_counter() - started
            self.validated += 1
        found = self.route(method, path)
        if found is not None:
            template, _ = found
            declared = {
                p["name"] for p in self._parameters(template, method) if p.get("in") == "query"
            }
            for name in sorted(set(query) - declared):
                errors.append(f"Query parameter {name!r} is not declared for "
                              f"{method.upper()} {template} (declared: {sorted(declared)})")
        return errors

    def validate_cached(self, rec) -> list[str]:
        """validate_recorded(), run once per request shape (see _signature)."""
        method, path, query, headers, body = _unpack(rec)
        key = self._signature(method, path, query, headers, body)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self.cache_hits += 1
                return list(cached)
        errors = self.validate(method, path, query=query, headers=headers, body=body)
        with self._lock:
            self._cache[key] = tuple(errors)
        return errors

    def _signature(self, method, path, query, headers, body):
        """What validation depends on, with the values that cannot change the outcome blurred.

        Writes are few, so their exact path, query and body are the key. For reads, a value
        that is all digits (an id: int64 in the spec) is the same as any other such value,
        and `cursor` (an opaque string) is the same whatever it holds; enum-like values such
        as state=active are kept.
        """
        auth = _header(headers, "Authorization") or ""
        auth_scheme = auth.split(" ", 1)[0].lower() if auth else ""
        content_type = _header(headers, "Content-Type") or ""
        if method.upper() != "GET":
            return (method.upper(), path, _freeze(query), auth_scheme, content_type, body)
        blurred_path = re.sub(r"(?<=/)\d{1,18}(?=/|$)", "<digits>", path)
        blurred_query = tuple(sorted(
            (name, tuple("<cursor>" if name == "cursor" else _blur(v) for v in values))
            for name, values in query.items()
        ))
        return ("GET", blurred_path, blurred_query, auth_scheme)

    def cost_summary(self) -> str:
        if not self.validated:
            return "no requests validated"
        per_request_ms = self.seconds / self.validated * 1000
        return (f"{self.validated} request shapes validated in {self.seconds:.2f} s "
                f"({per_request_ms:.1f} ms each), {self.cache_hits} repeats served from cache")


def _blur(value: str) -> str:
    return "<digits>" if value.isdigit() and len(value) <= 18 else value


def _freeze(query: dict[str, list[str]]):
    return tuple(sorted((name, tuple(values)) for name, values in query.items()))


def _header(headers: dict, name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def _unpack(rec) -> tuple[str, str, dict[str, list[str]], dict, bytes | None]:
    """(method, path, query as name -> [values], headers, body bytes) of a RecordedRequest."""
    method = rec.method.upper()
    path = rec.path
    raw_query = getattr(rec, "query", None)
    if "?" in path:  # a recorder that kept the query string on the path
        path, _, inline = path.partition("?")
        raw_query = raw_query or inline
    query: dict[str, list[str]] = {}
    if isinstance(raw_query, (str, bytes)):
        if isinstance(raw_query, bytes):
            raw_query = raw_query.decode("utf-8")
        query = parse_qs(raw_query, keep_blank_values=True)
    elif raw_query:
        items = raw_query.lists() if hasattr(raw_query, "lists") else raw_query.items()
        for name, value in items:
            values = value if isinstance(value, (list, tuple)) else [value]
            query[name] = [str(v) for v in values]
    headers = dict(getattr(rec, "headers", None) or {})
    body = getattr(rec, "body", None)
    if isinstance(body, str):
        body = body.encode("utf-8")
    if not body:
        payload = getattr(rec, "json", None)
        body = json.dumps(payload).encode("utf-8") if payload is not None else None
    return method, path, query, headers, body


def describe_request(rec) -> str:
    """One line naming a recorded request, without its headers (they hold the key)."""
    method, path, query, _headers, body = _unpack(rec)
    line = f"{method} {path}"
    if query:
        line += "?" + "&".join(f"{k}={v}" for k, values in sorted(query.items()) for v in values)
    if body:
        text = body.decode("utf-8", "replace")
        line += " body=" + (text if len(text) <= 500 else text[:500] + "...")
    return line


def _describe(exc: BaseException) -> str:
    """openapi-core's error with its causes, down to the JSON-schema messages."""
    parts = [str(exc).split(": Value ", 1)[0]]  # the schema errors below say it better
    seen = {id(exc)}
    cause = exc.__cause__ or exc.__context__
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        schema_errors = getattr(cause, "schema_errors", None)
        if schema_errors:
            for error in schema_errors:
                where = "/".join(str(p) for p in error.absolute_path) or "(root)"
                parts.append(f"{where}: {error.message}")
            break
        if str(cause) and str(cause) not in parts[-1]:
            parts.append(str(cause))
        cause = cause.__cause__ or cause.__context__
    return " | ".join(parts)
