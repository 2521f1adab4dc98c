"""Users: listing and filters, updates, E911, numbers and moving office."""

from __future__ import annotations

from ..schemas import check_e164
from ..state import INACTIVE_USER_STATES, SimError
from .common import API, as_int, e911_address, query_bool, user_path_id
from .numbers import register_target_numbers

_LIST_STATES = ("active", "all", "cancelled", "deleted", "pending", "suspended")
_SIMPLE_FIELDS = ("extension", "first_name", "last_name", "job_title", "license",
                  "international_dialing_enabled", "forwarding_numbers", "state")


def users_list(app, r):
    s = app.state
    state = r.query.get("state") or "active"
    if state not in _LIST_STATES:
        raise SimError(400, f"state: must be one of {', '.join(_LIST_STATES)} (got {state!r})")
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


def user_get(app, r):
    return app.state.get("user", user_path_id(r))


def user_patch(app, r):
    s = app.state
    uid = user_path_id(r)
    user = s.get("user", uid)
    # Check everything first, so a refused update changes nothing.
    _check_user_patch(s, uid, user, r.body)
    _apply_user_patch(s, uid, user, r.body)
    return user


def _check_user_patch(s, uid: int, user: dict, b: dict) -> None:
    if b.get("state") is not None and user.get("state") in INACTIVE_USER_STATES:
        raise SimError(400, f"state: user {uid} is {user['state']} and cannot be "
                            f"{b['state']}")
    if b.get("emails") is not None:
        _check_emails(s, uid, b["emails"])
    if b.get("admin_office_ids") is not None:
        for i, oid in enumerate(b["admin_office_ids"]):
            s.get("office", as_int(oid, "admin_office_ids"), field=f"admin_office_ids[{i}]")
    if b.get("office_id") is not None:
        _check_office_change(s, user, b)
    if b.get("phone_numbers") is not None:
        current = user.get("phone_numbers") or []
        for i, n in enumerate(b["phone_numbers"]):
            if n not in current:
                raise SimError(400, f"phone_numbers[{i}]: {n} is not assigned to user "
                                    f"{uid}; use the assign number API to add one")


def _check_emails(s, uid: int, emails: list) -> None:
    taken = {e.lower(): other_id for other_id, other in s.users.items()
             if other_id != uid for e in other.get("emails") or []}
    for i, email in enumerate(emails):
        if email.lower() in taken:
            raise SimError(400, f"emails[{i}]: {email} is already used by user "
                                f"{taken[email.lower()]}")
    if len({e.lower() for e in emails}) != len(emails):
        raise SimError(400, "emails: an address is listed twice")


def _check_office_change(s, user: dict, b: dict) -> None:
    target = s.get("office", as_int(b["office_id"], "office_id"), field="office_id")
    current = s.offices.get(user.get("office_id")) or {}
    numbers = b["phone_numbers"] if b.get("phone_numbers") is not None \
        else user.get("phone_numbers")
    if target.get("country") != current.get("country") and numbers:
        raise SimError(400, "office_id: for an office in another country the user must "
                            "not have phone numbers assigned (unassign them first, or "
                            "use move_office)")


def _apply_user_patch(s, uid: int, user: dict, b: dict) -> None:
    for name in _SIMPLE_FIELDS:
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
        user["status_message"] = _status_message(b["presence_status"])
    if b.get("phone_numbers") is not None:
        s.set_phone_numbers("user", uid, b["phone_numbers"])
    if b.get("admin_office_ids") is not None:
        s.set_admin_offices(uid, [as_int(o, "admin_office_ids")
                                  for o in b["admin_office_ids"]])
    if b.get("office_id") is not None and as_int(b["office_id"], "office_id") != \
            user.get("office_id"):
        s.move_user(uid, as_int(b["office_id"], "office_id"))


def _status_message(presence: dict) -> str:
    provider, message = presence.get("provider"), presence.get("message")
    if presence.get("type") == "conference" and provider and message:
        return f"On {provider}: in the {message} meeting"
    if provider and message:
        return f"{provider}: {message}"
    return provider or message or ""


def user_e911_get(app, r):
    uid = user_path_id(r)
    app.state.get("user", uid)
    return app.state.user_e911.get(uid) or {}


def user_e911_put(app, r):
    return app.state.set_user_e911(user_path_id(r), e911_address(r.body))


def user_move_office(app, r):
    s = app.state
    uid = user_path_id(r)
    s.get("user", uid)
    office_id = as_int(r.body["office_id"], "office_id")
    s.get("office", office_id, field="office_id")
    if s.users[uid].get("office_id") == office_id:
        return s.users[uid]
    return s.move_user(uid, office_id)


def register(route) -> None:
    route(f"{API}/users", get=users_list)
    route(f"{API}/users/{{id}}", get=user_get, patch=user_patch)
    route(f"{API}/users/{{id}}/e911", get=user_e911_get, put=user_e911_put)
    register_target_numbers(route, f"{API}/users/{{id}}", "user")
    route(f"{API}/users/{{id}}/move_office", patch=user_move_office)
