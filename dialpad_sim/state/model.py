"""The simulated org's model: plain dicts of Dialpad payloads, ids, lookups, and ``SimError``.

Payloads are stored the way the spec's protos describe them, with ids as Python ints (the
HTTP layer turns every int64 into a JSON string on the way out, as Dialpad does). Tables are
dicts keyed by int id (``numbers`` by E.164 string), so a test may poke a field directly
(``state.users[uid]["first_name"] = "X"``) and the next GET shows it.

``OrgModel`` holds the tables and the lock, hands out ids and finds entities; the changes
that span tables are ``OrgState``'s, in ``operations.py``. ``SimError`` is what every layer
raises for the API to answer with.
"""

from __future__ import annotations

import random
import threading
from datetime import datetime, timezone

from ..messaging import MessagingState

GROUP_TYPES = ("office", "department", "callcenter")
OPERATOR_TYPES = ("user", "room")
TARGET_TYPES = ("user", "room", "office", "department", "callcenter")
# NumberProto.status for a number assigned to each target type.
NUMBER_STATUS = {
    "user": "user",
    "room": "room",
    "office": "office",
    "department": "department",
    "callcenter": "call_center",
}
ROLES = ("admin", "operator")
CALLCENTER_ROLES = ("admin", "operator", "supervisor")
INACTIVE_USER_STATES = ("cancelled", "deleted")


class SimError(Exception):
    """An error the API answers with: HTTP status plus Dialpad-style message."""

    def __init__(self, status: int, message: str, *, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0).isoformat()


class OrgModel:
    """One company's tables (plain dicts), ids and lookups; ``lock`` guards compound changes.

    ``OrgState`` (``operations.py``) adds the operations that change them consistently.
    """

    def __init__(self, *, org: str = "empty", seed: int = 0):
        self.lock = threading.RLock()
        self.org = org
        self.seed = seed
        self.rng = random.Random(f"dialpad-sim/runtime/{org}/{seed}")
        self.company: dict = {}
        self.offices: dict[int, dict] = {}
        self.departments: dict[int, dict] = {}
        self.callcenters: dict[int, dict] = {}
        self.rooms: dict[int, dict] = {}
        self.users: dict[int, dict] = {}
        self.numbers: dict[str, dict] = {}
        self.user_e911: dict[int, dict] = {}
        self.deskphones: dict[int, list[dict]] = {}
        self.webhooks: dict[int, dict] = {}
        self.subscriptions_sms: dict[int, dict] = {}
        self.subscriptions_changelog: dict[int, dict] = {}
        self.sms_sent: list[dict] = []
        # (group_type, group_id) -> {(operator_type, operator_id): role}, in insertion order.
        self.memberships: dict[tuple[str, int], dict[tuple[str, int], str]] = {}
        self.plans: dict[int, dict] = {}
        # Bulk messages, schedules, channels, opt-outs (dialpad_sim.messaging).
        self.messaging = MessagingState(org=org, seed=seed)
        self._ids: set[int] = set()

    # --- bookkeeping --------------------------------------------------------------------

    _TABLES = (
        "company", "offices", "departments", "callcenters", "rooms", "users", "numbers",
        "user_e911", "deskphones", "webhooks", "subscriptions_sms", "subscriptions_changelog",
        "sms_sent", "memberships", "plans", "messaging", "_ids", "org", "seed", "rng",
    )

    def load(self, other: "OrgModel") -> None:
        """Take over another state's contents in place (keeps references to self valid)."""
        with self.lock:
            for name in self._TABLES:
                setattr(self, name, getattr(other, name))

    def counts(self) -> dict[str, int]:
        with self.lock:
            return {
                "offices": len(self.offices),
                "departments": len(self.departments),
                "callcenters": len(self.callcenters),
                "rooms": len(self.rooms),
                "users": len(self.users),
                "numbers": len(self.numbers),
                "numbers_available": sum(
                    1 for n in self.numbers.values() if n.get("status") == "available"),
                "operator_memberships": sum(len(m) for m in self.memberships.values()),
                "deskphones": sum(len(d) for d in self.deskphones.values()),
                "webhooks": len(self.webhooks),
                "subscriptions_sms": len(self.subscriptions_sms),
                "subscriptions_changelog": len(self.subscriptions_changelog),
            }

    def new_id(self) -> int:
        """A fresh 16-digit id, unique across every table (deterministic per org and seed)."""
        with self.lock:
            while True:
                candidate = self.rng.randrange(10**15, 10**16)
                if candidate not in self._ids:
                    self._ids.add(candidate)
                    return candidate

    def table(self, kind: str) -> dict:
        try:
            return {
                "office": self.offices,
                "department": self.departments,
                "callcenter": self.callcenters,
                "room": self.rooms,
                "user": self.users,
            }[kind]
        except KeyError:
            raise SimError(400, f"unsupported type {kind!r}") from None

    def get(self, kind: str, ident: int, *, field: str | None = None) -> dict:
        """The payload of one entity, or a 404 naming it (and the request field, if any)."""
        row = self.table(kind).get(ident)
        if row is None:
            label = "call center" if kind == "callcenter" else kind
            prefix = f"{field}: " if field else ""
            raise SimError(404, f"{prefix}{label} {ident} not found")
        return row
