"""Messaging's part of the simulated org: bulk messages, schedules, channels, SMS opt-outs.

Kept apart from ``state/`` (the org itself) in one object, ``OrgState.messaging``, which
``OrgState.load`` swaps with the rest of a fresh org.

Time moves by itself, lazily: every messaging request first calls ``tick()``, which

- moves each bulk message's recipients from ``pending`` to ``delivered`` (or ``failed`` for a
  number the simulator treats as unreachable) once ``delivery_seconds`` have passed since the
  message was created, and marks the message ``complete`` when none is pending;
- fires every active schedule whose ``scheduled_time`` has come (status ``sent``; the message
  is recorded in ``sms_sent`` like any other).

Tests move the clock with ``advance(seconds)`` instead of sleeping.

Numbers the simulator cannot deliver to: those in ``unreachable``, and every number whose
last four digits are ``0000`` (so a demo admin can try a failing recipient).
"""

from __future__ import annotations

import base64
import random
import threading
import time

import phonenumbers

from .faults import RateLimiter

# GET /company/{id}/smsoptout: "Rate limit: 250 per minute" (x-ratelimit [500, 120]).
OPT_OUT_RATE_PER_MINUTE = 250
# A bulk message's recipients stay pending this long before they are delivered (or fail).
DEFAULT_DELIVERY_SECONDS = 3.0
# Final delivery statuses of a bulk message's external recipients.
FAILED_ERROR = ("30003", "Unreachable destination handset",
                "The recipient's phone is unreachable (simulated).")
OPTED_OUT_ERROR = "The recipient has opted out of messages from this company."
# How many opted-out numbers and channels each org size starts with.
_SEED_SIZES = {"demo": (5, 3), "medium": (60, 10), "large": (450, 40)}


class MessagingState:
    """Bulk messages, schedules, channels and opt-outs of one company, and the clock."""

    def __init__(self, *, org: str = "empty", seed: int = 0):
        self.rng = random.Random(f"dialpad-sim/messaging/{org}/{seed}")
        self.bulk_messages: dict[str, dict] = {}  # bulk_message_id -> BulkMessageProto
        self.bulk_owner: dict[str, int] = {}  # bulk_message_id -> user id
        self.schedules: dict[str, dict] = {}  # schedule_id -> ScheduleProto
        self.channels: dict[int, dict] = {}  # id -> {id, name, description, ...}
        self.channel_members: dict[int, dict[int, str]] = {}  # channel -> {user id: name}
        self.opt_outs: dict[str, dict] = {}  # E.164 -> SmsOptOutEntryProto
        self.a2p_numbers: set[str] = set()  # from-numbers registered for A2P (10DLC)
        self.unreachable: set[str] = set()
        self.delivery_seconds = DEFAULT_DELIVERY_SECONDS
        self.clock_offset = 0.0
        self.opt_out_limiter = RateLimiter(OPT_OUT_RATE_PER_MINUTE)
        self._lock = threading.RLock()

    # --- time ---------------------------------------------------------------------------

    def now(self) -> float:
        """The simulator's clock: Unix seconds, moved on by ``advance``."""
        return time.time() + self.clock_offset

    def advance(self, seconds: float) -> None:
        """Move the clock on (deliveries happen, schedules fire at the next request)."""
        with self._lock:
            self.clock_offset += seconds

    def new_key(self) -> str:
        """A key string such as Dialpad gives bulk messages and schedules."""
        raw = self.rng.getrandbits(128).to_bytes(16, "big")
        return "ag" + base64.urlsafe_b64encode(raw).decode().rstrip("=")

    # --- rules --------------------------------------------------------------------------

    def is_unreachable(self, number: str) -> bool:
        return number in self.unreachable or number.endswith("0000")

    def is_opted_out(self, number: str) -> bool:
        entry = self.opt_outs.get(number)
        return entry is not None and entry.get("opt_out_state") == "opted_out"

    def opt_out(self, number: str, company_id: int, *, back_in: bool = False) -> dict:
        """Record that `number` opted out (texted STOP), or opted back in."""
        entry = {"date": int(self.now() * 1000), "external_endpoint": number,
                 "opt_out_state": "opted_back_in" if back_in else "opted_out"}
        if not back_in:
            entry["opt_out_scope_info"] = {"opt_out_scope_level": "company",
                                           "scope_id": company_id}
        self.opt_outs[number] = entry
        return entry

    # --- the clock's effects ------------------------------------------------------------

    def tick(self, sms_sent: list) -> None:
        """Deliver what is due and fire the schedules whose time has come."""
        with self._lock:
            now = self.now()
            for message in self.bulk_messages.values():
                if message["status"] == "pending":
                    self._deliver(message, now)
            for schedule in self.schedules.values():
                if schedule["status"] == "active" and schedule["scheduled_time"] <= now:
                    self.fire(schedule, sms_sent)

    def _deliver(self, message: dict, now: float) -> None:
        if now - message["created_date"] < self.delivery_seconds:
            return
        stamp = int(now)
        for recipient in message["recipients"]:
            if recipient.get("attempted_send"):
                continue
            recipient["attempted_send"] = True
            if recipient.get("delivery_method") == "internal":
                continue  # delivery receipts exist for external contacts only
            recipient["delivery_status_timestamp"] = stamp
            if self.is_unreachable(recipient["phone_number"]):
                code, details, error = FAILED_ERROR
                recipient.update(delivery_status="failed", delivery_error_code=code,
                                 delivery_error_details=details, error_message=error)
                message["sms_has_errors"] = True
            else:
                recipient["delivery_status"] = "delivered"
        message["status"] = "complete"

    def fire(self, schedule: dict, sms_sent: list, *, status: str = "sent") -> None:
        """Send a schedule's message now (its time came, or "send now")."""
        schedule["status"] = status
        sms_sent.append({
            "created_date": int(self.now()), "direction": "outbound",
            "from_number": schedule.get("from_number"), "schedule_id": schedule["schedule_id"],
            "text": schedule.get("text") or "", "to_numbers": list(schedule.get("to_numbers")
                                                                    or []),
            "user_id": schedule.get("user_id"),
        })


# --- the org's starting point ------------------------------------------------------------


def seed_messaging(state) -> None:
    """Opt-outs, channels and A2P registrations for a generated org (its own random stream,
    so the rest of the org is the same as without messaging)."""
    messaging = MessagingState(org=state.org, seed=state.seed)
    state.messaging = messaging
    rng = messaging.rng
    opted_out, channel_count = _SEED_SIZES.get(state.org, (3, 2))
    active = [u for u in state.users.values() if u.get("state") == "active"]
    us_offices = {oid for oid, office in state.offices.items()
                  if (office.get("country") or "us") == "us"}
    # US users' own numbers are registered for A2P messaging; the others' are not.
    for user in active:
        if user.get("office_id") in us_offices and user.get("phone_numbers"):
            messaging.a2p_numbers.add(user["phone_numbers"][0])
    company_id = state.company.get("id")
    for number in _external_numbers(rng, state, opted_out + 1):
        messaging.opt_out(number, company_id)
        messaging.opt_outs[number]["date"] = 1_700_000_000_000 + rng.randrange(10**10)
    # The last one texted START again: listed as opted back in, not opted out.
    last = list(messaging.opt_outs)[-1]
    messaging.opt_outs[last] = {"date": messaging.opt_outs[last]["date"] + 86_400_000,
                                "external_endpoint": last, "opt_out_state": "opted_back_in"}
    _seed_channels(messaging, state, active, channel_count)


def _external_numbers(rng, state, count: int) -> list[str]:
    """`count` valid US numbers outside the company (what customers text from)."""
    found: list[str] = []
    while len(found) < count:
        number = f"+1415555{rng.randrange(2000, 9999):04d}"
        if number in state.numbers or number in found or number.endswith("0000"):
            continue
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            found.append(number)
    return found


_CHANNEL_NAMES = ["general", "it-announcements", "sales-team", "support-escalations",
                  "office-news", "random"]


def _seed_channels(messaging: MessagingState, state, active: list, count: int) -> None:
    rng = messaging.rng
    for n in range(count):
        name = _CHANNEL_NAMES[n] if n < len(_CHANNEL_NAMES) else f"team-{n:03d}"
        cid = _new_id(rng, state)
        owner = active[n % len(active)] if active else None
        messaging.channels[cid] = {
            "description": f"The #{name} channel", "id": cid, "name": name,
            "owner_id": owner["id"] if owner else None,
            "privacy_type": "public" if n % 3 else "private", "state": "active",
        }
        size = len(active) if n == 0 and len(active) <= 60 else min(len(active), 12)
        members = [owner] + rng.sample(active, size) if owner else []
        messaging.channel_members[cid] = {u["id"]: u["display_name"] for u in members}


def _new_id(rng, state) -> int:
    while True:
        candidate = rng.randrange(10**15, 10**16)
        if candidate not in state._ids:
            state._ids.add(candidate)
            return candidate
