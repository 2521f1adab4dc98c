"""The org mirror's writing side: how Dialpad payloads become rows.

- `fields`: payload -> columns, one function per kind (and membership parsing);
- `entities`: each synced entity's description (model, identity, columns, references);
- `writer`, `memberships`, `e911`, `numbers`: storing single answers after a push.

The sync engine (syncjobs) writes the same columns in bulk.
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
from .memberships import (
    mark_membership_gone,
    put_membership,
    store_room_membership,
    store_user_memberships,
)
from .numbers import mark_number_released
from .writer import upsert_from_payload
