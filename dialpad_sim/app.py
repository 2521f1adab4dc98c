"""The simulator's HTTP layer: routing, auth, rate limit, faults, validation, handlers.

``SimulatorApp.handle()`` turns one request into one ``Response``; ``SimulatorApp`` is also a
WSGI callable, so it runs under any WSGI server (the bundled one in ``server.py`` adds
keep-alive and the dropped-connection fault).

Answers follow Dialpad's shapes: every int64 is a JSON string, unset fields are left out,
lists are ``{"items": [...], "cursor": "..."}`` with no cursor on the last page, and every
error is ``{"error": {"code", "message", "errors": [{"domain", "reason", "message"}]}}``.
"""

from __future__ import annotations

import base64
import binascii
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
from .faults import Faults, RateLimiter
from .schemas import check_e164, validate_body
from .state import INACTIVE_USER_STATES, OrgState, SimError, now_iso

API = "/api/v2"
_REASONS = {
    400: "badRequest", 401: "unauthorized", 403: "forbidden", 404: "notFound",
    405: "methodNotAllowed", 409: "conflict", 429: "rateLimitExceeded",
}


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
    method: str
    path: str
    template: str
    params: dict
    query: dict
    body: object


# --- output -------------------------------------------------------------------------------

def to_wire(value):
    """Dialpad's JSON: int64 as strings, unset (None) fields left out."""
    t = type(value)
    if t is dict:
        out = {}
        for k, v in value.items():
            tv = type(v)
            # Scalars inline: a page of 100 users holds ~5,000 of them.
            if tv is str or tv is bool or tv is float:
                out[k] = v
            elif tv is int:
                out[k] = str(v)
            elif v is not None:
                out[k] = to_wire(v)
        return out
    if t is list:
        return [v if type(v) is str else to_wire(v) for v in value]
    if t is int:
        return str(value)
    return value


def error_body(status: int, message: str) -> dict:
    reason = _REASONS.get(status, "backendError" if status >= 500 else "error")
    return {"error": {"code": status, "message": message,
                      "errors": [{"domain": "global", "reason": reason, "message": message}]}}


def mask_secret(secret: str | None) -> str | None:
    """Never echo a webhook secret: show at most its last 4 characters."""
    if not secret:
        return secret
    return "********" + (secret[-4:] if len(secret) >= 16 else "")


# --- cursors --------------------------------------------------------------------------------

def encode_cursor(kind: str, last) -> str:
    raw = json.dumps([kind, last], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        got_kind, last = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, binascii.Error):
        raise SimError(400, "cursor: not a cursor this API returned") from None
    if got_kind != kind:
        raise SimError(400, "cursor: this cursor belongs to another listing")
    return last


# --- small parsing helpers ----------------------------------------------------------------

def as_int(value, name: str) -> int:
    if isinstance(value, bool):
        raise SimError(400, f"{name}: must be an integer (got boolean)")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,19}", value):
        return int(value)
    raise SimError(400, f"{name}: must be an integer id (got {value!r})")


def query_bool(query: dict, name: str, default=None):
    raw = query.get(name)
    if raw is None:
        return default
    low = raw.lower()
    if low in ("true", "1"):
        return True
    if low in ("false", "0"):
        return False
    raise SimError(400, f"{name}: must be true or false (got {raw!r})")


def query_int(query: dict, name: str):
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    return as_int(raw, name)


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
        self.routes = _build_routes(self)
        self._in_flight = 0
        self._idle = threading.Condition()

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
                payload = to_wire(handler(request))
            status = 200
        except SimError as exc:
            return self._error(exc.status, exc.message, list(exc.headers.items()))
        except Exception as exc:  # a simulator bug: answer 500 rather than drop the connection
            traceback.print_exc()
            return self._error(500, f"Internal simulator error: {type(exc).__name__}: {exc}")
        return self._json(status, payload)

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

    # --- helpers used by handlers ---------------------------------------------------------

    def path_id(self, request: Request, name: str = "id") -> int:
        raw = request.params[name]
        if not re.fullmatch(r"\d{1,19}", raw):
            raise SimError(400, f"{name}: must be an integer id (got {raw!r})")
        return int(raw)

    def user_id(self, request: Request) -> int:
        raw = request.params["id"]
        if raw == "me":
            raise SimError(400, "id: 'me' needs a user-level API key; the simulator's key is "
                                "a company key")
        if not re.fullmatch(r"\d{1,19}", raw):
            raise SimError(404, f"user {raw} not found")
        return int(raw)


# --- payload renderers -----------------------------------------------------------------------

def operator_proto(state: OrgState, operator_type: str, operator: dict) -> dict:
    """UserOrRoomProto of a user or a room."""
    name = operator.get("name") if operator_type == "room" else operator.get("display_name")
    return {
        "company_id": operator.get("company_id"),
        "country": operator.get("country"),
        "id": operator.get("id"),
        "image_url": operator.get("image_url"),
        "is_on_duty": operator.get("is_on_duty"),
        "name": name,
        "office_id": operator.get("office_id"),
        "phone_numbers": operator.get("phone_numbers"),
        "state": operator.get("state"),
    }


def webhook_proto(hook: dict | None) -> dict | None:
    if hook is None:
        return None
    out = {"hook_url": hook.get("hook_url"), "id": hook.get("id")}
    signature = hook.get("signature")
    if signature:
        out["signature"] = dict(signature, secret=mask_secret(signature.get("secret")))
    return out


# --- handlers ---------------------------------------------------------------------------------

def _build_routes(app: SimulatorApp):
    st = lambda: app.state  # noqa: E731 - read at call time: app.state may be swapped

    routes = []

    def route(template: str, **handlers):
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
        routes.append((re.compile(f"^{pattern}$"), template, {
            method.upper(): handler for method, handler in handlers.items()}))

    # --- company ---

    def company_get(r):
        company = dict(st().company)
        return company

    # --- offices ---

    def offices_list(r):
        active_only = query_bool(r.query, "active_only", False)
        pred = (lambda o: o.get("state") == "active") if active_only else None
        return app.paginate(r, "offices", st().offices, pred)

    def office_primary(r):
        for office in st().offices.values():
            if office.get("is_primary_office"):
                return office
        raise SimError(404, "the company has no primary office")

    def office_get(r):
        return st().get("office", app.path_id(r))

    def office_create(r):
        b = r.body
        s = st()
        country = b["country"].lower()
        if b.get("e911_address") is None and b["country"] in ("US", "CA", "AU", "FR", "GB",
                                                                "NZ"):
            raise SimError(400, f"e911_address: is required for offices in {b['country']}")
        oid = s.new_id()
        primary = next((o for o in s.offices.values() if o.get("is_primary_office")), {})
        office = {
            "availability_status": "open",
            "country": country,
            "e911_address": _e911(b["e911_address"]) if b.get("e911_address") else None,
            "first_action": b.get("first_action") or "operators",
            "id": oid,
            "is_primary_office": False,
            "name": b["name"],
            "no_operators_action": b.get("no_operators_action") or "voicemail",
            "office_id": oid,
            "office_settings": dict(primary.get("office_settings") or {}),
            "phone_numbers": [],
            "ring_seconds": as_int(_or(b.get("ring_seconds"), 30), "ring_seconds"),
            "routing_options": b.get("routing_options") or {
                "closed": {"action": "voicemail", "try_dial_operators": False},
                "open": {"action": "voicemail", "try_dial_operators": True}},
            "state": "active",
            "timezone": b.get("timezone") or primary.get("timezone"),
            "voicemail_notification_emails": [],
        }
        _apply_hours(office, b, default_weekdays=["08:00", "18:00"])
        s.offices[oid] = office
        s.plans[oid] = {"additional_number_lines": 0, "balance": "0.00",
                        "contact_center_lines": 0, "fax_lines": 0, "room_lines": 0,
                        "sell_lines": 0, "talk_lines": 0}
        s.company["office_count"] = len(s.offices)
        if b.get("mainline_number"):
            try:
                s.assign_number("office", oid, b["mainline_number"])
            except SimError:
                del s.offices[oid]
                s.plans.pop(oid, None)
                s.company["office_count"] = len(s.offices)
                raise
        return {"office": office, "plan": s.plans[oid]}

    def office_update(r):
        office = st().get("office", app.path_id(r))
        _apply_hours(office, r.body)
        return {"office": office}

    def office_e911_get(r):
        office = st().get("office", app.path_id(r))
        return office.get("e911_address") or {}

    def office_e911_put(r):
        oid = app.path_id(r)
        address = _e911(r.body)
        return st().set_office_e911(oid, address, update_all=bool(r.body.get("update_all")))

    # --- operators (offices, departments, call centers) ---

    def operators_get(group_type):
        def handler(r):
            s = st()
            users, rooms = [], []
            for otype, oid, _role in s.operators(group_type, app.path_id(r)):
                if otype == "user" and oid in s.users:
                    users.append(s.users[oid])
                elif otype == "room" and oid in s.rooms:
                    rooms.append(s.rooms[oid])
            return {"users": users, "rooms": rooms}
        return handler

    def operators_post(group_type):
        def handler(r):
            b = r.body
            gid = app.path_id(r)
            if group_type == "callcenter":
                operator_type, oid = "user", as_int(b["user_id"], "user_id")
                if oid in st().rooms:
                    raise SimError(400, f"user_id: {oid} is a room; call centers take users "
                                        "only as operators (rooms can operate offices and "
                                        "departments)")
                st().get("callcenter", gid)
            else:
                operator_type, oid = b["operator_type"], as_int(b["operator_id"], "operator_id")
            operator = st().add_operator(group_type, gid, operator_type, oid,
                                         b.get("role") or "operator")
            return operator_proto(st(), operator_type, operator)
        return handler

    def operators_delete(group_type):
        def handler(r):
            b = r.body
            if group_type == "callcenter":
                operator_type, oid = "user", as_int(b["user_id"], "user_id")
            else:
                operator_type, oid = b["operator_type"], as_int(b["operator_id"], "operator_id")
            operator = st().remove_operator(group_type, app.path_id(r), operator_type, oid)
            return operator_proto(st(), operator_type, operator)
        return handler

    # --- numbers on targets ---

    def assign_to(target_type):
        def handler(r):
            tid = app.user_id(r) if target_type == "user" else app.path_id(r)
            st().get(target_type, tid)
            b = r.body
            primary = b.get("primary")
            return st().assign_number(target_type, tid, b.get("number"),
                                      area_code=b.get("area_code"),
                                      primary=True if primary is None else primary)
        return handler

    def unassign_from(target_type):
        def handler(r):
            tid = app.user_id(r) if target_type == "user" else app.path_id(r)
            return st().unassign_number(r.body["number"], target_type=target_type,
                                        target_id=tid)
        return handler

    # --- departments & call centers ---

    def groups_list(kind, by_office=False):
        table_name = "departments" if kind == "department" else "callcenters"

        def handler(r):
            s = st()
            if by_office:
                office_id = app.path_id(r, "office_id")
                s.get("office", office_id)
            else:
                office_id = query_int(r.query, "office_id")
            name_search = (r.query.get("name_search") or "").lower() or None

            def pred(g):
                if office_id is not None and g.get("office_id") != office_id:
                    return False
                return name_search is None or name_search in (g.get("name") or "").lower()
            return app.paginate(r, table_name, getattr(s, table_name), pred)
        return handler

    def group_get(kind):
        return lambda r: st().get(kind, app.path_id(r))

    def group_create(kind):
        def handler(r):
            b = r.body
            s = st()
            office_id = as_int(b["office_id"], "office_id")
            office = s.get("office", office_id, field="office_id")
            gid = s.new_id()
            group = {
                "availability_status": "open",
                "country": office.get("country"),
                "first_action": "operators",
                "group_description": b.get("group_description") or "",
                "hours_on": bool(b.get("hours_on", False)),
                "id": gid,
                "name": b["name"],
                "no_operators_action": "voicemail",
                "office_id": office_id,
                "phone_numbers": [],
                "ring_seconds": as_int(_or(b.get("ring_seconds"), 30), "ring_seconds"),
                "routing_options": b.get("routing_options") or {
                    "closed": {"action": "voicemail", "operator_routing": "simultaneous",
                               "try_dial_operators": False},
                    "open": {"action": "voicemail", "operator_routing": "simultaneous",
                             "try_dial_operators": True}},
                "state": "active",
                "timezone": office.get("timezone"),
                "voice_intelligence": b.get("voice_intelligence") or {
                    "allow_pause": True, "auto_start": True},
                "voicemail_notification_emails": [],
            }
            if kind == "department":
                group["auto_call_recording"] = bool(b.get("auto_call_recording", False))
                group["hold_queue"] = {"allow_queuing": False, "max_hold_count": 50,
                                       "max_hold_seconds": 900}
            else:
                group["advanced_settings"] = {"max_wrap_up_seconds": 0}
                group["alerts"] = {"cc_service_level": 95, "cc_service_level_seconds": 60}
                group["hold_queue"] = {"allow_queue_callback": False,
                                       "announce_estimated_wait_time": True,
                                       "announce_position": True, "max_hold_count": 50,
                                       "max_hold_seconds": 900}
            _apply_group_fields(group, b)
            _apply_hours(group, b, default_weekdays=["08:00", "18:00"])
            s.table(kind)[gid] = group
            return group
        return handler

    def group_update(kind):
        def handler(r):
            group = st().get(kind, app.path_id(r))
            _apply_group_fields(group, r.body)
            _apply_hours(group, r.body)
            return group
        return handler

    def group_delete(kind):
        return lambda r: st().delete_group(kind, app.path_id(r))

    # --- rooms ---

    def rooms_list(r):
        office_id = query_int(r.query, "office_id")
        pred = (lambda room: room.get("office_id") == office_id) if office_id is not None \
            else None
        return app.paginate(r, "rooms", st().rooms, pred)

    def room_get(r):
        return st().get("room", app.path_id(r))

    def room_create(r):
        s = st()
        office_id = as_int(r.body["office_id"], "office_id")
        office = s.get("office", office_id, field="office_id")
        rid = s.new_id()
        room = {"company_id": s.company.get("id"), "country": office.get("country"),
                "id": rid, "image_url": None, "is_free": False, "is_on_duty": False,
                "name": r.body["name"], "office_id": office_id, "phone_numbers": [],
                "state": "active"}
        s.rooms[rid] = room
        return room

    def room_patch(r):
        s = st()
        rid = app.path_id(r)
        room = s.get("room", rid)
        if r.body.get("phone_numbers") is not None:
            s.set_phone_numbers("room", rid, r.body["phone_numbers"])
        if r.body.get("name") is not None:
            room["name"] = r.body["name"]
        return room

    def room_delete(r):
        return st().delete_room(app.path_id(r))

    def deskphones_list(r):
        rid = app.path_id(r, "parent_id")
        st().get("room", rid)
        return {"items": list(st().deskphones.get(rid, []))}

    def deskphone_get(r):
        rid = app.path_id(r, "parent_id")
        st().get("room", rid)
        for phone in st().deskphones.get(rid, []):
            if phone.get("id") == r.params["id"]:
                return phone
        raise SimError(404, f"deskphone {r.params['id']} not found in room {rid}")

    # --- users ---

    def users_list(r):
        s = st()
        state = r.query.get("state") or "active"
        allowed = ("active", "all", "cancelled", "deleted", "pending", "suspended")
        if state not in allowed:
            raise SimError(400, f"state: must be one of {', '.join(allowed)} (got {state!r})")
        company_admin = query_bool(r.query, "company_admin")
        email = (r.query.get("email") or "").strip().lower() or None
        number = r.query.get("number") or None
        if number is not None:
            check_e164("number", number)
            owner = s.numbers.get(number)
            number_owner = (owner.get("target_id") if owner and owner.get("target_type") ==
                            "user" else -1)

        def pred(u):
            if state != "all" and u.get("state") != state:
                return False
            if company_admin is not None and bool(u.get("is_super_admin")) != company_admin:
                return False
            if email is not None and email not in [e.lower() for e in u.get("emails") or []]:
                return False
            if number is not None and u.get("id") != number_owner:
                return False
            return True
        return app.paginate(r, "users", s.users, pred)

    def user_get(r):
        return st().get("user", app.user_id(r))

    def user_patch(r):
        s = st()
        uid = app.user_id(r)
        user = s.get("user", uid)
        b = r.body
        # Check everything first, so a refused update changes nothing.
        if b.get("state") is not None and user.get("state") in INACTIVE_USER_STATES:
            raise SimError(400, f"state: user {uid} is {user['state']} and cannot be "
                                f"{b['state']}")
        if b.get("emails") is not None:
            taken = {e.lower(): other_id for other_id, other in s.users.items()
                     if other_id != uid for e in other.get("emails") or []}
            for i, email in enumerate(b["emails"]):
                if email.lower() in taken:
                    raise SimError(400, f"emails[{i}]: {email} is already used by user "
                                        f"{taken[email.lower()]}")
            if len({e.lower() for e in b["emails"]}) != len(b["emails"]):
                raise SimError(400, "emails: an address is listed twice")
        if b.get("admin_office_ids") is not None:
            for i, oid in enumerate(b["admin_office_ids"]):
                s.get("office", as_int(oid, "admin_office_ids"),
                      field=f"admin_office_ids[{i}]")
        if b.get("office_id") is not None:
            target = s.get("office", as_int(b["office_id"], "office_id"), field="office_id")
            current = s.offices.get(user.get("office_id")) or {}
            numbers = b["phone_numbers"] if b.get("phone_numbers") is not None \
                else user.get("phone_numbers")
            if target.get("country") != current.get("country") and numbers:
                raise SimError(400, "office_id: for an office in another country the user must "
                                    "not have phone numbers assigned (unassign them first, or "
                                    "use move_office)")
        if b.get("phone_numbers") is not None:
            current = user.get("phone_numbers") or []
            for i, n in enumerate(b["phone_numbers"]):
                if n not in current:
                    raise SimError(400, f"phone_numbers[{i}]: {n} is not assigned to user "
                                        f"{uid}; use the assign number API to add one")
        # Apply.
        for name in ("extension", "first_name", "last_name", "job_title", "license",
                     "international_dialing_enabled", "forwarding_numbers", "state"):
            if b.get(name) is not None:
                user[name] = b[name]
        if b.get("first_name") is not None or b.get("last_name") is not None:
            user["display_name"] = " ".join(
                p for p in (user.get("first_name"), user.get("last_name")) if p)
        if b.get("emails") is not None:
            user["emails"] = list(b["emails"])
        if b.get("is_super_admin") is not None:
            user["is_super_admin"] = b["is_super_admin"]
            user["is_admin"] = bool(user.get("admin_office_ids")) or b["is_super_admin"]
        if b.get("presence_status") is not None:
            p = b["presence_status"]
            provider, message = p.get("provider"), p.get("message")
            if p.get("type") == "conference" and provider and message:
                user["status_message"] = f"On {provider}: in the {message} meeting"
            elif provider and message:
                user["status_message"] = f"{provider}: {message}"
            else:
                user["status_message"] = provider or message or ""
        if b.get("phone_numbers") is not None:
            s.set_phone_numbers("user", uid, b["phone_numbers"])
        if b.get("admin_office_ids") is not None:
            s.set_admin_offices(uid, [as_int(o, "admin_office_ids")
                                      for o in b["admin_office_ids"]])
        if b.get("office_id") is not None and as_int(b["office_id"], "office_id") != \
                user.get("office_id"):
            s.move_user(uid, as_int(b["office_id"], "office_id"))
        return user

    def user_e911_get(r):
        uid = app.user_id(r)
        st().get("user", uid)
        return st().user_e911.get(uid) or {}

    def user_e911_put(r):
        return st().set_user_e911(app.user_id(r), _e911(r.body))

    def user_move_office(r):
        s = st()
        uid = app.user_id(r)
        s.get("user", uid)
        office_id = as_int(r.body["office_id"], "office_id")
        s.get("office", office_id, field="office_id")
        if s.users[uid].get("office_id") == office_id:
            return s.users[uid]
        return s.move_user(uid, office_id)

    # --- numbers ---

    def numbers_list(r):
        status = r.query.get("status") or None
        pred = (lambda n: n.get("status") == status) if status else None
        return app.paginate(r, "numbers", st().numbers, pred)

    def number_param(r) -> str:
        number = r.params["number"]
        if number.startswith(" "):  # a "+" that went through form decoding
            number = "+" + number[1:]
        number = number.strip()
        check_e164("number", number)
        return number

    def number_get(r):
        number = number_param(r)
        row = st().numbers.get(number)
        if row is None:
            raise SimError(404, f"number {number} not found")
        return row

    def number_delete(r):
        release = query_bool(r.query, "release", False)
        return st().unassign_number(number_param(r), release=release)

    def numbers_assign(r):
        b = r.body
        primary = b.get("primary")
        return st().assign_number(b["target_type"], as_int(b["target_id"], "target_id"),
                                  b.get("number"), area_code=b.get("area_code"),
                                  primary=True if primary is None else primary,
                                  allow_reassign=False)

    def number_assign(r):
        b = r.body
        primary = b.get("primary")
        return st().assign_number(b["target_type"], as_int(b["target_id"], "target_id"),
                                  number_param(r), primary=True if primary is None else primary,
                                  allow_reassign=True)

    # --- sms ---

    def sms_send(r):
        import phonenumbers

        s = st()
        b = r.body
        to_numbers = list(b.get("to_numbers") or [])
        if not to_numbers and not b.get("channel_hashtag"):
            raise SimError(400, "to_numbers: give 1 to 10 recipients (or a channel_hashtag)")
        text, media = b.get("text") or "", b.get("media")
        if not text.strip() and not media:
            raise SimError(400, "text: is required (or a media attachment)")
        if media:
            try:
                raw = base64.b64decode(media, validate=True)
            except (binascii.Error, ValueError):
                raise SimError(400, "media: must be base64-encoded") from None
            if len(raw) > 500 * 1024:
                raise SimError(400, f"media: must be at most 500 KiB (got "
                                    f"{len(raw) // 1024} KiB)")
        sender = None
        if b.get("user_id") is not None:
            sender = s.get("user", as_int(b["user_id"], "user_id"), field="user_id")
            if sender.get("state") != "active":
                raise SimError(400, f"user_id: user {sender['id']} is {sender.get('state')} "
                                    "and cannot send messages")
        from_number = b.get("from_number")
        if from_number is not None:
            row = s.numbers.get(from_number)
            if row is None or row.get("status") not in (
                    "user", "office", "department", "call_center"):
                raise SimError(400, f"from_number: {from_number} is not assigned to a user or "
                                    "a user group of the company")
        elif sender is None:
            raise SimError(400, "user_id: is required (or from_number)")
        group = None
        if (b.get("sender_group_id") is None) != (b.get("sender_group_type") is None):
            raise SimError(400, "sender_group_type: give sender_group_id and sender_group_type "
                                "together")
        if b.get("sender_group_id") is not None:
            gtype = b["sender_group_type"]
            gid = as_int(b["sender_group_id"], "sender_group_id")
            group = s.get(gtype, gid, field="sender_group_id")
        country = ((sender or {}).get("country") or "us").upper()
        normalized = []
        for i, n in enumerate(to_numbers):
            if not isinstance(n, str):
                raise SimError(400, f"to_numbers[{i}]: must be a string")
            if b.get("infer_country_code") and not n.startswith("+"):
                try:
                    parsed = phonenumbers.parse(n, country)
                    n = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
                except phonenumbers.NumberParseException:
                    pass
            check_e164(f"to_numbers[{i}]", n)
            normalized.append(n)
        if from_number is None:
            source = group if group is not None else sender
            numbers = source.get("phone_numbers") or []
            if not numbers:
                raise SimError(400, "user_id: the sender has no phone number to send from")
            from_number = numbers[0]
        if group is not None:
            target_type, target_id = b["sender_group_type"], group["id"]
        elif sender is not None:
            target_type, target_id = "user", sender["id"]
        else:
            row = s.numbers[from_number]
            target_type, target_id = row["target_type"], row["target_id"]
        sms = {
            "created_date": now_iso(),
            "device_type": "public_api",
            "direction": "outbound",
            "from_number": from_number,
            "id": s.new_id(),
            "message_delivery_result": None,
            "message_status": "pending",
            "target_id": target_id,
            "target_type": target_type,
            "text": text,
            "to_numbers": normalized,
            "user_id": sender["id"] if sender else None,
        }
        s.sms_sent.append(sms)
        return sms

    # --- webhooks & subscriptions ---

    def webhooks_list(r):
        return app.paginate(r, "webhooks", st().webhooks, render=webhook_proto)

    def webhook_get(r):
        return webhook_proto(_get_webhook(app.path_id(r)))

    def _get_webhook(wid, field=None):
        hook = st().webhooks.get(wid)
        if hook is None:
            raise SimError(404, f"{field + ': ' if field else ''}webhook {wid} not found")
        return hook

    def webhook_create(r):
        s = st()
        wid = s.new_id()
        hook = {"hook_url": r.body["hook_url"], "id": wid, "signature": None}
        if r.body.get("secret"):
            hook["signature"] = {"algo": "HS256", "secret": r.body["secret"], "type": "jwt"}
        s.webhooks[wid] = hook
        return webhook_proto(hook)

    def webhook_patch(r):
        hook = _get_webhook(app.path_id(r))
        if r.body.get("hook_url") is not None:
            hook["hook_url"] = r.body["hook_url"]
        if r.body.get("secret") is not None:
            hook["signature"] = ({"algo": "HS256", "secret": r.body["secret"], "type": "jwt"}
                                 if r.body["secret"] else None)
        return webhook_proto(hook)

    def webhook_delete(r):
        wid = app.path_id(r)
        hook = _get_webhook(wid)
        del st().webhooks[wid]
        return webhook_proto(hook)

    def subscription_proto(sub: dict) -> dict:
        out = {k: v for k, v in sub.items() if k != "endpoint_id"}
        out["webhook"] = webhook_proto(st().webhooks.get(sub.get("endpoint_id")))
        return out

    def _check_target(b):
        ttype, tid = b.get("target_type"), b.get("target_id")
        if (ttype is None) != (tid is None):
            raise SimError(400, "target_type: give target_type and target_id together")
        if ttype is not None:
            if ttype not in ("user", "room", "office", "department", "callcenter"):
                raise SimError(400, f"target_type: the simulator supports user, room, office, "
                                    f"department, callcenter (got {ttype!r})")
            st().get(ttype, as_int(tid, "target_id"), field="target_id")

    def subs(table_name, fields, defaults):
        def table():
            return getattr(st(), table_name)

        def get_sub(sid):
            sub = table().get(sid)
            if sub is None:
                raise SimError(404, f"event subscription {sid} not found")
            return sub

        def list_(r):
            pred = None
            if table_name == "subscriptions_sms":
                ttype = r.query.get("target_type")
                tid = query_int(r.query, "target_id")
                if ttype is not None and ttype not in schemas.TARGET_TYPE_ENUM:
                    raise SimError(400, f"target_type: must be one of "
                                        f"{', '.join(schemas.TARGET_TYPE_ENUM)} (got {ttype!r})")

                def pred(sub):
                    return ((ttype is None or sub.get("target_type") == ttype)
                            and (tid is None or sub.get("target_id") == tid))
            return app.paginate(r, table_name, table(), pred, render=subscription_proto)

        def create(r):
            b = r.body
            _get_webhook(as_int(b["endpoint_id"], "endpoint_id"), field="endpoint_id")
            _check_target(b)
            s = st()
            sid = s.new_id()
            sub = {"id": sid, **defaults}
            for name in fields:
                if b.get(name) is not None:
                    sub[name] = b[name]
            for name in ("endpoint_id", "target_id"):
                if sub.get(name) is not None:
                    sub[name] = as_int(sub[name], name)
            table()[sid] = sub
            return subscription_proto(sub)

        def get(r):
            return subscription_proto(get_sub(app.path_id(r)))

        def patch(r):
            sub = get_sub(app.path_id(r))
            b = r.body
            if b.get("endpoint_id") is not None:
                _get_webhook(as_int(b["endpoint_id"], "endpoint_id"), field="endpoint_id")
            merged = {**sub, **{k: v for k, v in b.items() if v is not None}}
            _check_target(merged)
            for name in fields:
                if b.get(name) is not None:
                    sub[name] = b[name]
            for name in ("endpoint_id", "target_id"):
                if sub.get(name) is not None:
                    sub[name] = as_int(sub[name], name)
            return subscription_proto(sub)

        def delete(r):
            sid = app.path_id(r)
            sub = get_sub(sid)
            del table()[sid]
            return subscription_proto(sub)

        return list_, create, get, patch, delete

    sms_subs = subs("subscriptions_sms",
                    ("direction", "enabled", "endpoint_id", "include_internal", "status",
                     "target_id", "target_type"),
                    {"direction": "all", "enabled": True, "include_internal": False,
                     "status": False, "target_id": None, "target_type": None})
    changelog_subs = subs("subscriptions_changelog", ("enabled", "endpoint_id"),
                          {"enabled": True})

    # --- the table (specific paths before {id} ones) ---

    route(f"{API}/company", get=company_get)
    route(f"{API}/offices", get=offices_list, post=office_create)
    route(f"{API}/offices/primary", get=office_primary)
    route(f"{API}/offices/{{id}}", get=office_get, patch=office_update)
    route(f"{API}/offices/{{id}}/e911", get=office_e911_get, put=office_e911_put)
    route(f"{API}/offices/{{id}}/operators", get=operators_get("office"),
          post=operators_post("office"), delete=operators_delete("office"))
    route(f"{API}/offices/{{id}}/assign_number", post=assign_to("office"))
    route(f"{API}/offices/{{id}}/unassign_number", post=unassign_from("office"))
    route(f"{API}/offices/{{office_id}}/departments", get=groups_list("department", True))
    route(f"{API}/offices/{{office_id}}/callcenters", get=groups_list("callcenter", True))
    for kind, plural in (("department", "departments"), ("callcenter", "callcenters")):
        route(f"{API}/{plural}", get=groups_list(kind), post=group_create(kind))
        route(f"{API}/{plural}/{{id}}", get=group_get(kind), patch=group_update(kind),
              delete=group_delete(kind))
        route(f"{API}/{plural}/{{id}}/operators", get=operators_get(kind),
              post=operators_post(kind), delete=operators_delete(kind))
    route(f"{API}/rooms", get=rooms_list, post=room_create)
    route(f"{API}/rooms/{{id}}", get=room_get, patch=room_patch, delete=room_delete)
    route(f"{API}/rooms/{{id}}/assign_number", post=assign_to("room"))
    route(f"{API}/rooms/{{id}}/unassign_number", post=unassign_from("room"))
    route(f"{API}/rooms/{{parent_id}}/deskphones", get=deskphones_list)
    route(f"{API}/rooms/{{parent_id}}/deskphones/{{id}}", get=deskphone_get)
    route(f"{API}/users", get=users_list)
    route(f"{API}/users/{{id}}", get=user_get, patch=user_patch)
    route(f"{API}/users/{{id}}/e911", get=user_e911_get, put=user_e911_put)
    route(f"{API}/users/{{id}}/assign_number", post=assign_to("user"))
    route(f"{API}/users/{{id}}/unassign_number", post=unassign_from("user"))
    route(f"{API}/users/{{id}}/move_office", patch=user_move_office)
    route(f"{API}/numbers", get=numbers_list)
    route(f"{API}/numbers/assign", post=numbers_assign)
    route(f"{API}/numbers/{{number}}", get=number_get, delete=number_delete)
    route(f"{API}/numbers/{{number}}/assign", post=number_assign)
    route(f"{API}/sms", post=sms_send)
    route(f"{API}/webhooks", get=webhooks_list, post=webhook_create)
    route(f"{API}/webhooks/{{id}}", get=webhook_get, patch=webhook_patch,
          delete=webhook_delete)
    for name, (list_, create, get, patch, delete) in (("sms", sms_subs),
                                                      ("changelog", changelog_subs)):
        route(f"{API}/subscriptions/{name}", get=list_, post=create)
        route(f"{API}/subscriptions/{name}/{{id}}", get=get, patch=patch, delete=delete)
    return routes


# --- body helpers -------------------------------------------------------------------------

def _or(value, default):
    return default if value is None else value


def _e911(body: dict) -> dict:
    return {name: body.get(name) or "" for name in
            ("address", "address2", "city", "country", "state", "zip")}


def _apply_hours(target: dict, body: dict, default_weekdays=None) -> None:
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
        key = f"{day}_hours"
        if body.get(key) is not None:
            target[key] = list(body[key])
        elif default_weekdays is not None and key not in target:
            weekend = day in ("saturday", "sunday")
            target[key] = [] if weekend else list(default_weekdays)
    if body.get("hours_on") is not None and "hours_on" in target:
        target["hours_on"] = body["hours_on"]


def _check_hold_queue(group: dict, body: dict) -> None:
    """The spec: announce_position is not available under 2 minutes of maximum wait.

    Asking for both is a 400; lowering the wait below 2 minutes turns the announcement off.
    """
    asked = {k: v for k, v in (body.get("hold_queue") or {}).items() if v is not None}
    queue = {**(group.get("hold_queue") or {}), **asked}
    seconds = queue.get("max_hold_seconds")
    if seconds is None or int(seconds) >= 120:
        return
    if asked.get("announce_position"):
        raise SimError(400, "hold_queue.announce_position: not available with a "
                            f"max_hold_seconds under 120 (got {seconds})")
    if "hold_queue" in body and body["hold_queue"] is not None:
        body["hold_queue"] = dict(asked, announce_position=False)


def _apply_group_fields(group: dict, body: dict) -> None:
    if "advanced_settings" in group:  # call centers
        _check_hold_queue(group, body)
    for name in ("name", "group_description", "auto_call_recording", "routing_options",
                 "voice_intelligence", "hours_on"):
        if body.get(name) is not None and (name != "auto_call_recording"
                                           or "auto_call_recording" in group):
            group[name] = body[name]
    if body.get("ring_seconds") is not None:
        group["ring_seconds"] = as_int(body["ring_seconds"], "ring_seconds")
    for name in ("hold_queue", "advanced_settings", "alerts"):
        if body.get(name) is not None:
            merged = dict(group.get(name) or {})
            merged.update({k: v for k, v in body[name].items() if v is not None})
            group[name] = merged


__all__ = ["SimulatorApp", "RecordedRequest", "RequestLog", "Response", "DropConnection",
           "to_wire", "error_body"]
