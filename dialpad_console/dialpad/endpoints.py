"""Dialpad's paths and request shapes: the one module that knows how Dialpad spells them.

Services, the sync engine, the benchmark and the `dialpad_check` command build every request
here, so a new endpoint is one edit and the contract tests (tests/contract/test_endpoints.py)
check one place against Dialpad's OpenAPI spec.

Two kinds of names live here:

- **Listings**: what the sync pages through (`LISTINGS`), with their query parameters.
- **Request builders**: a function per write, returning an `ApiRequest` (method, path, JSON
  body, query) exactly as it goes on the wire; the services show it on confirmation pages
  and journal it.

Object kinds are Dialpad's own names: "office", "department", "callcenter", "room", "user",
"number".

Messaging's reads of one user's bulk messages and schedules carry a JSON body (`user_id`,
and `cursor`/`limit` for the lists) even on GET and DELETE: that is how Dialpad's spec
declares them, so those builders return a body too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

API = "/api/v2"

# Dialpad's collection of each kind that has one.
COLLECTIONS = {
    "office": "offices",
    "department": "departments",
    "callcenter": "callcenters",
    "room": "rooms",
    "user": "users",
}

COMPANY = f"{API}/company"
NUMBERS = f"{API}/numbers"
SMS = f"{API}/sms"
BULK_MESSAGES = f"{API}/message/bulk"
SCHEDULES = f"{API}/message/schedule"
CHANNELS = f"{API}/channels"
WEBHOOKS = f"{API}/webhooks"
# The event subscriptions the console uses, by Dialpad's name of their kind.
SUBSCRIPTION_KINDS = ("changelog", "sms")

# Endpoints with a rate limit of their own, tighter than the company's (requests a minute),
# as the spec states them; the client paces each apart (see client.get_client).
ENDPOINT_RATE_LIMITS = (
    # GET /company/{id}/smsoptout: "Rate limit: 250 per minute".
    ("sms_opt_outs", re.compile(r"^/api/v2/company/[^/]+/smsoptout$"), 250),
    # POST /sms: 100 a minute on tier 0, 800 on tier 1: the console assumes tier 0.
    ("sms", re.compile(r"^/api/v2/sms$"), 100),
)


@dataclass(frozen=True)
class ApiRequest:
    """One request as sent: method, path, JSON body (None: no body) and query parameters."""

    method: str
    path: str
    body: dict | None = None
    query: dict | None = None

    @property
    def url(self):
        if not self.query:
            return self.path
        query = "&".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}"
                         for k, v in self.query.items())
        return f"{self.path}?{query}"

    def as_text(self):
        """'POST /api/v2/...' and the JSON body, indented, as an admin reads it."""
        text = f"{self.method} {self.url}"
        if self.body is not None:
            text += "\n" + json.dumps(self.body, indent=2, ensure_ascii=False)
        return text

    def __str__(self):
        return self.as_text()


# --- paths ---------------------------------------------------------------------------------


def collection(kind):
    """/api/v2/offices, /api/v2/users, ..."""
    return f"{API}/{COLLECTIONS[kind]}"


def entity(kind, ident):
    """/api/v2/{collection}/{id}; a number's path for kind "number"."""
    if kind == "number":
        return number(ident)
    return f"{collection(kind)}/{ident}"


def number(e164):
    # An E.164 number's "+" is a legal path character (RFC 3986), sent as it is.
    return f"{NUMBERS}/{e164}"


def operators(group_kind, group_id):
    return f"{entity(group_kind, group_id)}/operators"


def e911(kind, ident):
    """An office's or a user's E911 address."""
    return f"{entity(kind, ident)}/e911"


def office_groups(office_id, group_kind):
    """The departments or call centers of one office."""
    return f"{entity('office', office_id)}/{COLLECTIONS[group_kind]}"


def room_deskphones(room_id):
    return f"{entity('room', room_id)}/deskphones"


def item(collection, ident, *more):
    """A member of one of messaging's collections by its id, or the key string Dialpad gave
    it (bulk messages, schedules), and what is below it: item(CHANNELS, 7, "members")."""
    return "/".join((collection, str(ident), *more))


def sms_opt_outs(company_id):
    return item(COMPANY, company_id, "smsoptout")

def webhook(ident):
    return f"{WEBHOOKS}/{ident}"


def subscriptions(kind):
    """/api/v2/subscriptions/changelog or /sms: the listing, and where one is created."""
    if kind not in SUBSCRIPTION_KINDS:
        raise ValueError(f"unknown event subscription kind {kind!r}")
    return f"{API}/subscriptions/{kind}"


def subscription(kind, ident):
    return f"{subscriptions(kind)}/{ident}"


# --- listings the sync pages through -------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    path: str
    params: dict | None = None


LISTINGS = {
    "offices": Listing(collection("office")),
    "departments": Listing(collection("department")),
    "callcenters": Listing(collection("callcenter")),
    "rooms": Listing(collection("room")),
    # state=all: suspended and deleted users too, so that a complete listing can mark gone.
    "users": Listing(collection("user"), {"state": "all"}),
    "numbers": Listing(NUMBERS),
    "channels": Listing(CHANNELS),
}


def channel_member_listing(channel_id):
    return Listing(item(CHANNELS, channel_id, "members"))


def sms_opt_out_listing(company_id, state="opted_out"):
    """The company's SMS opt-out list in one `state`: "opted_out" or "opted_back_in" (the
    parameter is required)."""
    return Listing(sms_opt_outs(company_id), {"opt_out_state": state})


# --- writes --------------------------------------------------------------------------------


def operator_body(group_kind, operator_type, operator_id):
    """Who the operator is, as the group's operators endpoint wants it."""
    if group_kind == "callcenter":  # call centers take users only, by user_id
        return {"user_id": operator_id}
    return {"operator_id": operator_id, "operator_type": operator_type}


def operator_add(group_kind, group_id, *, operator_type, operator_id, role):
    body = {**operator_body(group_kind, operator_type, operator_id), "role": role}
    return ApiRequest("POST", operators(group_kind, group_id), body)


def operator_remove(group_kind, group_id, *, operator_type, operator_id):
    return ApiRequest("DELETE", operators(group_kind, group_id),
                      operator_body(group_kind, operator_type, operator_id))


def e911_update(kind, ident, address, **options):
    """PUT an office's or user's E911 address; `options` are update_all (offices only) and
    use_validated_option."""
    return ApiRequest("PUT", e911(kind, ident), {**address, **options})


def number_assign(e164, *, target_type, target_id, primary):
    return ApiRequest("POST", f"{number(e164)}/assign",
                      {"target_type": target_type, "target_id": target_id, "primary": primary})


def number_assign_in_area(*, target_type, target_id, area_code, primary):
    """Dialpad picks a free number of the company in that area code (or gets a new one)."""
    return ApiRequest("POST", f"{NUMBERS}/assign", {
        "target_type": target_type, "target_id": target_id, "area_code": area_code,
        "primary": primary})


def number_unassign(e164, *, release):
    return ApiRequest("DELETE", number(e164), query={"release": release})


def create(kind, body):
    """Create a room, department or call center."""
    return ApiRequest("POST", collection(kind), body)


def update(kind, ident, body):
    return ApiRequest("PATCH", entity(kind, ident), body)


def delete(kind, ident):
    return ApiRequest("DELETE", entity(kind, ident))


def user_move_office(user_id, office_id):
    return ApiRequest("PATCH", f"{entity('user', user_id)}/move_office",
                      {"office_id": office_id})


# --- messaging -----------------------------------------------------------------------------


def _given(**fields):
    """The fields that have a value (Dialpad's bodies leave unset fields out)."""
    return {name: value for name, value in fields.items() if value is not None}


def sms_send(*, to_numbers, text, from_number=None, user_id=None, sender_group_type=None,
             sender_group_id=None, media=None):
    """Send an SMS: from a number, as a user, or as a user on behalf of a group."""
    return ApiRequest("POST", SMS, _given(
        to_numbers=list(to_numbers), text=text, from_number=from_number, user_id=user_id,
        sender_group_type=sender_group_type, sender_group_id=sender_group_id, media=media))


def bulk_message_send(*, user_id, from_number, to_numbers, text, title, media=None):
    """One bulk message (up to 50 recipients); `title` names the batch (the console's key
    for finding it again)."""
    return ApiRequest("POST", BULK_MESSAGES, _given(
        user_id=user_id, from_number=from_number, to_numbers=list(to_numbers), text=text,
        title=title, media=media))


def bulk_message_get(key, *, user_id):
    return ApiRequest("GET", item(BULK_MESSAGES, key), {"user_id": user_id})


def bulk_messages_list(*, user_id, cursor=None, limit=100):
    """One page of a user's bulk messages, newest first."""
    return ApiRequest("GET", BULK_MESSAGES, _given(user_id=user_id, cursor=cursor,
                                                   limit=limit))


def schedule_create(*, user_id, to_numbers, text, start_date, timezone, from_number=None,
                    media=None):
    """Schedule a message for `start_date` (Unix seconds); more than 10 recipients make it a
    bulk schedule (up to 50)."""
    to_numbers = list(to_numbers)
    return ApiRequest("POST", SCHEDULES, _given(
        user_id=user_id, to_numbers=to_numbers, text=text, start_date=start_date,
        timezone=timezone, from_number=from_number, media=media,
        is_bulk=True if len(to_numbers) > 10 else None))


def schedule_update(key, *, user_id, **fields):
    """PATCH a schedule: the fields given (to_numbers, text, start_date, timezone, ...)."""
    return ApiRequest("PATCH", item(SCHEDULES, key), _given(user_id=user_id, **fields))


def schedule_delete(key, *, user_id):
    return ApiRequest("DELETE", item(SCHEDULES, key), {"user_id": user_id})


def schedule_send_now(key, *, user_id):
    return ApiRequest("POST", item(SCHEDULES, key, "send"), {"user_id": user_id})


def schedule_get(key, *, user_id):
    return ApiRequest("GET", item(SCHEDULES, key), {"user_id": user_id})


def schedules_list(*, user_id, cursor=None, limit=100):
    """One page of a user's active schedules."""
    return ApiRequest("GET", SCHEDULES, _given(user_id=user_id, cursor=cursor, limit=limit))


def channel_create(*, name, description, privacy_type, user_id):
    return ApiRequest("POST", CHANNELS, {"name": name, "description": description,
                                         "privacy_type": privacy_type, "user_id": user_id})


def channel_delete(channel_id):
    return ApiRequest("DELETE", item(CHANNELS, channel_id))


def channel_member_add(channel_id, *, user_id):
    return ApiRequest("POST", item(CHANNELS, channel_id, "members"), {"user_id": user_id})


def channel_member_remove(channel_id, *, user_id):
    return ApiRequest("DELETE", item(CHANNELS, channel_id, "members"), {"user_id": user_id})

# Webhooks and event subscriptions (the events app sets them up). A webhook's body holds its
# secret: never show or log these requests (the push journal stores them without it).


def webhook_create(*, hook_url, secret):
    return ApiRequest("POST", WEBHOOKS, {"hook_url": hook_url, "secret": secret})


def webhook_update(ident, *, hook_url, secret):
    return ApiRequest("PATCH", webhook(ident), {"hook_url": hook_url, "secret": secret})


def subscription_create(kind, body):
    """Subscribe a webhook (`endpoint_id` in `body`) to change-log or SMS events."""
    return ApiRequest("POST", subscriptions(kind), body)


def subscription_update(kind, ident, body):
    return ApiRequest("PATCH", subscription(kind, ident), body)
