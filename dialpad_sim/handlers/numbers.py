"""Phone numbers: the company's listing, one number, assigning and unassigning them."""

from __future__ import annotations

from functools import partial

from ..schemas import check_e164
from ..state import SimError
from .common import API, as_int, path_id, query_bool, user_path_id


def _primary(body: dict) -> bool:
    primary = body.get("primary")
    return True if primary is None else primary


def numbers_list(app, r):
    status = r.query.get("status") or None
    pred = (lambda n: n.get("status") == status) if status else None
    return app.paginate(r, "numbers", app.state.numbers, pred)


def number_param(r) -> str:
    number = r.params["number"]
    if number.startswith(" "):  # a "+" that went through form decoding
        number = "+" + number[1:]
    number = number.strip()
    check_e164("number", number)
    return number


def number_get(app, r):
    number = number_param(r)
    row = app.state.numbers.get(number)
    if row is None:
        raise SimError(404, f"number {number} not found")
    return row


def number_delete(app, r):
    release = query_bool(r.query, "release", False)
    return app.state.unassign_number(number_param(r), release=release)


def numbers_assign(app, r):
    b = r.body
    return app.state.assign_number(b["target_type"], as_int(b["target_id"], "target_id"),
                                   b.get("number"), area_code=b.get("area_code"),
                                   primary=_primary(b), allow_reassign=False)


def number_assign(app, r):
    b = r.body
    return app.state.assign_number(b["target_type"], as_int(b["target_id"], "target_id"),
                                   number_param(r), primary=_primary(b), allow_reassign=True)


# --- numbers of an office, a room or a user ------------------------------------------------

def _target_id(r, target_type: str) -> int:
    return user_path_id(r) if target_type == "user" else path_id(r)


def assign_to(app, r, *, target_type):
    tid = _target_id(r, target_type)
    app.state.get(target_type, tid)
    b = r.body
    return app.state.assign_number(target_type, tid, b.get("number"),
                                   area_code=b.get("area_code"), primary=_primary(b))


def unassign_from(app, r, *, target_type):
    tid = _target_id(r, target_type)
    return app.state.unassign_number(r.body["number"], target_type=target_type, target_id=tid)


def register_target_numbers(route, target_path: str, target_type: str) -> None:
    """``{target_path}/assign_number`` and ``/unassign_number`` for one kind of target."""
    route(f"{target_path}/assign_number", post=partial(assign_to, target_type=target_type))
    route(f"{target_path}/unassign_number", post=partial(unassign_from, target_type=target_type))


def register(route) -> None:
    # /numbers/assign before /numbers/{number}, which would take "assign" for a number.
    route(f"{API}/numbers", get=numbers_list)
    route(f"{API}/numbers/assign", post=numbers_assign)
    route(f"{API}/numbers/{{number}}", get=number_get, delete=number_delete)
    route(f"{API}/numbers/{{number}}/assign", post=number_assign)
