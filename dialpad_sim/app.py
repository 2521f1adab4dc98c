"""The simulator's HTTP layer: auth, rate limit, faults, validation, routing, pagination.

``SimulatorApp.handle()`` turns one request into one ``Response``; ``SimulatorApp`` is also a
WSGI callable, so it runs under any WSGI server (the bundled one in ``server.py`` adds
keep-alive and the dropped-connection fault). The handlers, one module per resource, are in
``handlers/``; Dialpad's JSON, error bodies and cursors are in ``wire.py``.
"""

from __future__ import annotations

import hmac
import json
import re
import threading
import time
import traceback
from bisect import bisect_right
from dataclasses import dataclass, field
from http import HTTPStatus
from itertools import islice
from urllib.parse import parse_qs

from . import schemas
from .events import EventHub
from .faults import Faults, RateLimiter
from .handlers import register_routes
from .outside import CONTROL_PREFIX, Outside
from .schemas import validate_body
from .state import OrgState, SimError
from .wire import decode_cursor, encode_cursor, error_body, to_wire


class DropConnection(Exception):
    """Raised by the app to have the server close the connection without an answer."""


@dataclass
class RecordedRequest:
    """One request the simulator received (status 0: the connection was dropped)."""

    method: str
    path: str
    query: dict
    headers: dict
    json: object
    status: int = 0
    user_agent: str = ""


class RequestLog(list):
    """The requests received, in order (a plain list; ``clear()`` empties it)."""

    def for_path(self, path: str, method: str | None = None) -> list[RecordedRequest]:
        return [r for r in self if r.path == path and (method is None or r.method == method)]


@dataclass
class Response:
    status: int
    body: bytes
    headers: list = field(default_factory=list)


@dataclass
class Request:
    """What a handler is given: the path's parameters, the query and the validated body."""

    method: str
    path: str
    template: str
    params: dict
    query: dict
    body: object


# --- the app ------------------------------------------------------------------------------

class SimulatorApp:
    """The Dialpad API simulator as a request handler (and a WSGI app)."""

    def __init__(self, state: OrgState, *, api_key: str = "sim-key", page_size: int = 100,
                 faults: Faults | None = None, rate_limiter: RateLimiter | None = None,
                 requests: RequestLog | None = None, spec_path=None, record: bool = True):
        self.state = state
        self.api_key = api_key
        self.page_size = page_size
        self.faults = faults or Faults()
        self.rate_limiter = rate_limiter or RateLimiter()
        self.requests = requests if requests is not None else RequestLog()
        self.record = record
        self.spec = schemas.SpecBodies.load(spec_path)
        self.routes = list(_ROUTES)
        self._in_flight = 0
        self._idle = threading.Condition()
        self._hooks = []
        self._hooks_lock = threading.Lock()
        # The API key's OAuth scopes (None: every scope). A change-log subscription needs
        # "change_log"; SMS events carry the text only with "message_content_export[:all]".
        self.scopes: set | None = None
        self.events = EventHub(self)  # events to the registered webhooks (events.py)
        self.outside = Outside(self)  # changes made outside the API (outside.py)

    def after_answer(self, match, action, *, once=True):
        """Run `action()` when a request matching `match(method, path, query)` has been
        answered, before the answer is sent: whatever `action` changes (another client's
        push, say) happens after the request read the org and before its client sees it.
        Runs in the server's thread; with `once`, for the first matching request only."""
        with self._hooks_lock:
            self._hooks.append((match, action, once))

    def clear_hooks(self) -> None:
        with self._hooks_lock:
            self._hooks.clear()

    def _run_hooks(self, method, path, query) -> None:
        with self._hooks_lock:
            due = [hook for hook in self._hooks if hook[0](method, path, query)]
            self._hooks = [hook for hook in self._hooks if not (hook in due and hook[2])]
        for _match, action, _once in due:
            try:
                action()
            except Exception:  # a test's hook failing must not drop the answer
                traceback.print_exc()

    def wait_until_idle(self, timeout: float = 30.0) -> bool:
        """Block until no request is being handled (e.g. one sleeping in a slow fault)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout=timeout)

    # --- WSGI -------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
        headers = {}
        for key, value in environ.items():
            if key.startswith("HTTP_"):
                headers[key[5:].replace("_", "-").title()] = value
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length) if length else b""
        try:
            response = self.handle(environ["REQUEST_METHOD"], path,
                                   environ.get("QUERY_STRING", ""), headers, body)
        except DropConnection:
            response = self._error(503, "connection dropped (simulated)")
        start_response(f"{response.status} {HTTPStatus(response.status).phrase}",
                       response.headers)
        return [response.body]

    # --- one request ------------------------------------------------------------------

    def handle(self, method: str, path: str, query_string: str, headers: dict,
               body: bytes) -> Response:
        """Answer one request. Raises DropConnection for the dropped-connection fault."""
        with self._idle:
            self._in_flight += 1
        try:
            return self._handle(method, path, query_string, headers, body)
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def _handle(self, method: str, path: str, query_string: str, headers: dict,
                body: bytes) -> Response:
        method = method.upper()
        query = {k: v[-1] for k, v in parse_qs(query_string, keep_blank_values=True).items()}
        parsed_json, json_error = None, None
        if body:
            try:
                parsed_json = json.loads(body)
            except ValueError as exc:
                json_error = f"request body: invalid JSON ({exc})"
        if path.startswith(CONTROL_PREFIX):  # the simulator's own controls: no faults
            return self._control(method, path, headers, query, parsed_json, json_error)
        record = None
        if self.record:
            record = RecordedRequest(method=method, path=path, query=query, headers=headers,
                                     json=parsed_json, user_agent=headers.get("User-Agent", ""))
            self.requests.append(record)

        decision = self.faults.next_request()
        if decision.slow_seconds:
            time.sleep(decision.slow_seconds)
        if decision.drop:
            raise DropConnection()
        if decision.error_status:
            response = self._error(decision.error_status,
                                   "The service is temporarily unavailable (simulated fault)")
        else:
            response = self._answer(method, path, query, headers, parsed_json, json_error)
        self._run_hooks(method, path, query)
        if decision.garble:
            status, text, content_type = decision.garble
            body = text.encode()
            response = Response(status, body, [("Content-Type", content_type),
                                               ("Content-Length", str(len(body)))])
        if record is not None:
            record.status = response.status
        return response

    def _answer(self, method, path, query, headers, parsed_json, json_error) -> Response:
        retry_after = self.rate_limiter.acquire()
        if retry_after is not None:
            return self._error(429, f"Rate limit of {self.rate_limiter.per_minute} requests "
                                    f"per minute exceeded; retry in {retry_after} s",
                               [("Retry-After", str(retry_after))])
        auth_error = self._check_auth(headers, query)
        if auth_error:
            return self._error(401, auth_error, [("WWW-Authenticate", "Bearer")])
        handler, template, params, allowed = self._route(method, path)
        if handler is None:
            if allowed:
                return self._error(405, f"Method {method} is not allowed on {path}; "
                                        f"allowed: {', '.join(allowed)}",
                                   [("Allow", ", ".join(allowed))])
            return self._error(404, f"No such API route: {path}")
        if json_error:
            return self._error(400, json_error)
        try:
            body = validate_body(method.lower(), template, parsed_json, self.spec)
            request = Request(method, path, template, params, query, body)
            with self.state.lock:
                # Rendered under the lock too: the payload dicts are the live state.
                payload = to_wire(handler(self, request))
            status = 200
        except SimError as exc:
            return self._error(exc.status, exc.message, list(exc.headers.items()))
        except Exception as exc:  # a simulator bug: answer 500 rather than drop the connection
            traceback.print_exc()
            return self._error(500, f"Internal simulator error: {type(exc).__name__}: {exc}")
        if method != "GET":
            # Every write the API applied tells the webhooks, from this one place.
            self.events.api_write(request, payload)
        return self._json(status, payload)

    def _control(self, method, path, headers, query, parsed_json, json_error) -> Response:
        """A call to the simulator's controls (outside.py), with the API key."""
        auth_error = self._check_auth(headers, query)
        if auth_error:
            return self._error(401, auth_error, [("WWW-Authenticate", "Bearer")])
        if json_error:
            return self._error(400, json_error)
        try:
            with self.state.lock:
                payload = to_wire(self.outside.handle_http(method, path, parsed_json))
        except SimError as exc:
            return self._error(exc.status, exc.message)
        return self._json(200, payload)

    def _check_auth(self, headers: dict, query: dict) -> str | None:
        auth = headers.get("Authorization")
        key = None
        if auth:
            scheme, _, token = auth.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return "Authorization header must be 'Bearer <api key>'"
            key = token.strip()
        elif query.get("apikey"):
            key = query["apikey"]
        if key is None:
            return "Missing API key: send 'Authorization: Bearer <api key>'"
        if not hmac.compare_digest(key.encode(), (self.api_key or "").encode()):
            return "Invalid API key"
        return None

    def _route(self, method: str, path: str):
        if len(path) > 1 and path.endswith("/"):
            path = path[:-1]
        for regex, template, handlers in self.routes:
            match = regex.match(path)
            if match:
                handler = handlers.get(method)
                if handler is None:
                    return None, template, {}, sorted(handlers)
                params = match.groupdict()  # the path is already percent-decoded
                return handler, template, params, None
        return None, None, {}, None

    @staticmethod
    def _json(status: int, payload, extra_headers=()) -> Response:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = [("Content-Type", "application/json; charset=utf-8"),
                   ("Content-Length", str(len(body)))]
        headers.extend(extra_headers)
        return Response(status, body, headers)

    def _error(self, status: int, message: str, extra_headers=()) -> Response:
        return self._json(status, error_body(status, message), extra_headers)

    # --- pagination ---------------------------------------------------------------------

    def paginate(self, request: Request, kind: str, table: dict, predicate=None,
                 render=None) -> dict:
        """One page of a table in key order, after the cursor's key.

        Keys are the entities' ids (E.164 strings for numbers), so rows added or removed
        between pages neither repeat nor shift the rest of the listing.
        """
        keys = sorted(table)
        cursor = request.query.get("cursor")
        start = 0
        if cursor:
            last = decode_cursor(kind, cursor)
            try:
                start = bisect_right(keys, last)
            except TypeError:
                raise SimError(400, "cursor: this cursor belongs to another listing") from None
        items, last_key, more = [], None, False
        size = max(1, int(self.page_size))
        for key in islice(keys, start, None):
            row = table.get(key)
            if row is None or (predicate is not None and not predicate(row)):
                continue
            if len(items) == size:
                more = True
                break
            items.append(render(row) if render else row)
            last_key = key
        page = {"items": items}
        if more:
            page["cursor"] = encode_cursor(kind, last_key)
        return page


def _build_routes() -> list:
    """(path regex, template, {method: handler}) for every route, in matching order."""
    routes = []

    def route(template: str, **handlers):
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
        routes.append((re.compile(f"^{pattern}$"), template, {
            method.upper(): handler for method, handler in handlers.items()}))

    register_routes(route)
    return routes


# Handlers read the state through the app they are given, so one table serves every app.
_ROUTES = _build_routes()

__all__ = ["SimulatorApp", "RecordedRequest", "RequestLog", "Response", "DropConnection",
           "to_wire", "error_body"]
