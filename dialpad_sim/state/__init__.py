"""The simulated org: its model (plain dicts of Dialpad payloads) and the operations on it.

- ``model.py``: the org model. ``OrgModel`` (the tables, the lock, ids, ``get``/``table``
  lookups), ``SimError``, ``now_iso`` and the constants (``TARGET_TYPES``, ``NUMBER_STATUS``,
  ``INACTIVE_USER_STATES``...);
- ``operations.py``: ``OrgState``, the model plus the change operations (operators, numbers,
  E911, deletions, office moves) that keep relations across tables in step.

Import from here: ``from dialpad_sim.state import OrgState, SimError``.
"""

from .model import (
    CALLCENTER_ROLES,
    GROUP_TYPES,
    INACTIVE_USER_STATES,
    NUMBER_STATUS,
    OPERATOR_TYPES,
    ROLES,
    TARGET_TYPES,
    OrgModel,
    SimError,
    now_iso,
)
from .operations import OrgState

__all__ = [
    "CALLCENTER_ROLES", "GROUP_TYPES", "INACTIVE_USER_STATES", "NUMBER_STATUS",
    "OPERATOR_TYPES", "ROLES", "TARGET_TYPES", "OrgModel", "OrgState", "SimError", "now_iso",
]
