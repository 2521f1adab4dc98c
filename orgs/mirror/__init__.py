"""The org mirror's writing side: how Dialpad payloads become rows.

- `fields`: payload -> columns, one function per kind (and membership parsing);
- `entities`: each synced entity's description (model, identity, columns, references);
- `pages`: THE writer of mirrored rows (`write_rows`, `mark_gone`), with its rule for time:
  never older data over newer; the sync writes its pages through it, and so do
- `writer`, `memberships`, `e911`, `numbers`: storing single answers after a push;
- `contain`: values a column cannot hold, stored safely and reported.
"""

from .e911 import store_e911, store_office_users_e911
from .entities import (
    CALLCENTERS,
    COMPANY,
    DEPARTMENTS,
    DESKPHONES,
    ENTITY_MIRRORS,
    NUMBERS,
    OFFICES,
    ROOMS,
    USERS,
    EntityMirror,
)
from .fields import (
    E911_FIELDS,
    GROUP_COLUMNS,
    GROUP_MODELS,
    MEMBERSHIP_COMPARED_FIELDS,
    NUMBER_TARGET_COLUMNS,
    OPERATOR_COLUMNS,
    SECRET_KEYS,
    VOLATILE_KEYS,
    call_group_fields,
    clean_payload,
    company_fields,
    deskphone_fields,
    e911_fields,
    membership_fields,
    number_fields,
    office_fields,
    room_fields,
    user_fields,
    user_membership_details,
    user_memberships,
)
from .memberships import MEMBERSHIPS, store_room_membership, store_user_memberships
from .numbers import mark_number_released
from .pages import Table, Written, mark_gone, write_rows
from .writer import upsert_from_payload

__all__ = [
    "call_group_fields", "CALLCENTERS", "clean_payload", "COMPANY", "company_fields",
    "DEPARTMENTS", "deskphone_fields", "DESKPHONES", "E911_FIELDS", "e911_fields",
    "ENTITY_MIRRORS", "EntityMirror", "GROUP_COLUMNS", "GROUP_MODELS", "mark_gone",
    "mark_number_released", "MEMBERSHIP_COMPARED_FIELDS", "membership_fields", "MEMBERSHIPS",
    "number_fields", "NUMBER_TARGET_COLUMNS", "NUMBERS", "office_fields", "OFFICES",
    "OPERATOR_COLUMNS", "room_fields", "ROOMS", "SECRET_KEYS", "store_e911",
    "store_office_users_e911", "store_room_membership", "store_user_memberships", "Table",
    "upsert_from_payload", "user_fields", "user_membership_details", "user_memberships",
    "USERS", "VOLATILE_KEYS", "write_rows", "Written",
]
