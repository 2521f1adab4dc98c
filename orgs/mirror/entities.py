"""Each mirrored entity's description: its model, identity, columns and references.

The sync pages through an entity's listing and diffs it by these descriptions; the writers
store single payloads by the same ones (orgs.mirror.writer).
"""

from dataclasses import dataclass
from typing import Callable

from dialpad_console.dialpad.ids import parse_id

from ..kinds import KINDS
from .contain import contain
from ..models import (
    CallCenter, Company, Department, DialpadUser, Deskphone, Office, PhoneNumber, Room,
)
from .fields import (
    NUMBER_TARGET_COLUMNS,
    call_group_fields,
    company_fields,
    deskphone_fields,
    number_fields,
    office_fields,
    room_fields,
    user_fields,
)


@dataclass(frozen=True)
class EntityMirror:
    """How one kind of Dialpad object is mirrored."""

    name: str  # the entity's name in sync counts and messages, e.g. "users"
    model: type
    identity_field: str  # the model column that holds Dialpad's identity
    identity: Callable  # payload -> identity value
    fields: Callable  # payload -> {column: value}
    # Foreign-key columns that must point at a mirrored row (else they are stored as None).
    references: dict  # {column: model}
    # Columns `fields` derives from its other columns (a search column): written along with
    # a change, never a change of their own (no History line of their own either).
    derived: tuple = ()

    def columns(self, payload):
        """(the columns `payload` sets, [(column, raw value)] that had to be contained)."""
        values = self.fields(payload)
        return values, contain(self.model, values)

    @property
    def compared_fields(self):
        return [f for f in self.fields({}) if f not in self.derived] + ["payload"]


def _id_of(p):
    return parse_id(p.get("id"))


COMPANY = EntityMirror("company", Company, "dialpad_id", _id_of, company_fields, {})
OFFICES = EntityMirror("offices", Office, "dialpad_id", _id_of, office_fields, {})
DEPARTMENTS = EntityMirror(
    "departments", Department, "dialpad_id", _id_of, call_group_fields, {"office_id": Office}
)
CALLCENTERS = EntityMirror(
    "callcenters", CallCenter, "dialpad_id", _id_of, call_group_fields, {"office_id": Office}
)
ROOMS = EntityMirror("rooms", Room, "dialpad_id", _id_of, room_fields, {"office_id": Office})
USERS = EntityMirror("users", DialpadUser, "dialpad_id", _id_of, user_fields, {"office_id": Office},
                     derived=("search_text",))
NUMBERS = EntityMirror(
    "numbers", PhoneNumber, "number", lambda p: p.get("number") or None, number_fields,
    {"office_id": Office, **{column: KINDS[name].model
                             for name, column in NUMBER_TARGET_COLUMNS.items()}},
)
DESKPHONES = EntityMirror(
    "deskphones", Deskphone, "dialpad_id", lambda p: (str(p["id"]) if p.get("id") else None),
    deskphone_fields, {"room_id": Room},
)

ENTITY_MIRRORS = {m.name: m for m in (
    COMPANY, OFFICES, DEPARTMENTS, CALLCENTERS, ROOMS, USERS, NUMBERS, DESKPHONES)}

