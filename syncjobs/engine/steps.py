"""The run's steps, in the order they run: `OrgSync`, one method per entity.

Entities are synced in dependency order (a row's references are mirrored before it):

    company, offices (+ their E911 addresses), departments, call centers, rooms,
    users (+ users' operator memberships, from each user's `group_details`), numbers,
    channels (+ their members) and the SMS opt-out list (engine.messaging),
    rooms' operator memberships, and rooms' desk phones (when DIALPAD_SYNC_DESKPHONES is on).

Each listing step pages through its listing (dialpad_console.dialpad.endpoints.LISTINGS),
applies each page (engine.applier) and, once the listing is complete, runs the gone pass
(engine.gone). The per-group operator listings and per-room desk phone listings run in the
background (engine.concurrency) from the moment the rooms are listed; the run keeps the names
and ids of offices, departments and rooms (a few thousand) for them and for membership History.
"""

from __future__ import annotations

from django.utils import timezone

from dialpad_console.dialpad import DialpadError, endpoints
from orgs import kinds
from orgs import mirror as m
from orgs.mirror.e911 import OFFICE_E911

from .applier import Applier
from .concurrency import FanOut
from .context import RunContext
from .messaging import sync_channels, sync_sms_opt_outs
from .memberships import (
    ROOM_GROUP_KINDS,
    keep_memberships_of,
    membership_applier,
    operator_rooms,
    room_membership_rows,
    user_membership_rows,
)

# Entities in the order they are synced (and shown in counts).
ENTITIES = (
    "company", "offices", "office_e911", "departments", "callcenters", "rooms", "users",
    "numbers", "memberships", "deskphones", "channels", "channel_members", "sms_opt_outs",
)
# Groups in these states have no operators worth a call.
INACTIVE_STATES = ("cancelled", "deleted")


class OrgSync(RunContext):
    """One sync run: `steps()` in order (RunContext.execute runs them and ends the run)."""

    def __init__(self, run, **kwargs):
        super().__init__(run, **kwargs)
        # Names for membership History entries, and the groups / rooms to list.
        self.group_names = {}
        self.room_names = {}
        self.user_names = {}
        self.listed_groups = {kind: [] for kind in ROOM_GROUP_KINDS}
        self.listed_rooms = []
        self.company_id = None  # the opt-out list's path names the company

    def steps(self):
        steps = [
            ("company", self.sync_company),
            ("offices", self.sync_offices),
            ("departments", lambda: self.sync_groups(kinds.DEPARTMENT)),
            ("callcenters", lambda: self.sync_groups(kinds.CALLCENTER)),
            ("rooms", self.sync_rooms),
            ("users", self.sync_users),
            ("numbers", self.sync_numbers),
            ("channels", lambda: sync_channels(self)),
            ("sms_opt_outs", lambda: sync_sms_opt_outs(self)),
            ("room_operators", self.sync_room_operators),
        ]
        if self.deskphones:
            steps.append(("deskphones", self.sync_deskphones))
        return steps

    def sync_company(self):
        read_at = timezone.now()
        payload = self.client.get(endpoints.COMPANY)
        if not isinstance(payload, dict) or not payload.get("id"):
            raise DialpadError(f"GET {endpoints.COMPANY} answered without a company id",
                               method="GET", path=endpoints.COMPANY, status=200)
        self.company_id = payload["id"]
        applier = Applier.for_mirror(self, m.COMPANY)
        applier.apply(self.rows_from(m.COMPANY, [payload], applier), read_at=read_at)
        applier.finish()

    def sync_offices(self):
        offices = Applier.for_mirror(self, m.OFFICES)
        # An office's address goes with the office: no gone pass of its own.
        e911 = Applier(self, entity="office_e911", table=OFFICE_E911)

        def each_page(rows, read_at):
            self.note_groups(kinds.OFFICE, rows)
            e911.apply({
                oid: m.e911_fields(values["payload"]["e911_address"])
                for oid, values in rows.items()
                if isinstance(values["payload"].get("e911_address"), dict)
            }, read_at=read_at)

        self.sync_listing(m.OFFICES, each_page, applier=offices)

    def sync_groups(self, kind):
        self.sync_listing(kind.mirror, lambda rows, _read_at: self.note_groups(kind, rows))

    def sync_rooms(self):
        self.sync_listing(m.ROOMS, self.note_rooms)
        self.start_fan_outs()

    def sync_users(self):
        users = Applier.for_mirror(self, m.USERS)
        memberships = membership_applier(self, "user", self.user_names)

        def each_page(rows, read_at):
            memberships.apply(user_membership_rows(self, rows, self.user_names),
                              read_at=read_at)

        self.sync_listing(m.USERS, each_page, applier=users)
        # A user we could not read keeps the memberships it had.
        keep_memberships_of(memberships, "user", self.skipped.get("users", ()))
        # Users are listed with state=all, so every membership a listed user does not name
        # in its group_details (and every membership of a user not listed) is gone.
        memberships.finish()

    def sync_numbers(self):
        self.sync_listing(m.NUMBERS)

    def sync_room_operators(self):
        """Rooms' memberships, from the operators listings started after the rooms step."""
        memberships = membership_applier(self, "room", self.room_names)
        # Every listing was sent after the fan-out started: its rows were read since then.
        read_at = self.fan_outs["room_operators"].started_at
        rows = {}
        for (group_type, group_id), rooms in self.fan_out_results("room_operators",
                                                                   "room operators"):
            rows.update(room_membership_rows(self, group_type, group_id, rooms))
            if len(rows) >= 500:
                memberships.apply(rows, read_at=read_at)
                rows = {}
        memberships.apply(rows, read_at=read_at)
        memberships.finish()

    def sync_deskphones(self):
        """Rooms' desk phones: one call per active room (so off unless configured)."""
        applier = Applier.for_mirror(self, m.DESKPHONES)
        read_at = self.fan_outs["deskphones"].started_at
        rows = {}
        for _rid, items in self.fan_out_results("deskphones", "desk phones"):
            rows.update(self.rows_from(m.DESKPHONES, items, applier))
            if len(rows) >= 200:
                applier.apply(rows, read_at=read_at)
                rows = {}
        applier.apply(rows, read_at=read_at)
        applier.finish()

    # --- what the steps share -------------------------------------------------------------

    def sync_listing(self, mirror, each_page=None, *, applier=None):
        """Apply the entity's listing page by page (then `each_page(rows, read_at)`), then its
        gone pass. A step passes its `applier` when it made it first: the run's counts list
        entities in the order their appliers were made."""
        applier = applier or Applier.for_mirror(self, mirror)
        for read_at, page in self.pages(endpoints.LISTINGS[mirror.name], label=mirror.name):
            rows = self.rows_from(mirror, page, applier)
            applier.apply(rows, read_at=read_at)
            if each_page is not None:
                each_page(rows, read_at)
        applier.finish()

    def note_groups(self, kind, rows):
        for gid, values in rows.items():
            self.group_names[(kind.name, gid)] = values["name"]
            if kind.name in self.listed_groups and values["state"] not in INACTIVE_STATES:
                self.listed_groups[kind.name].append(gid)

    def note_rooms(self, rows, _read_at=None):
        for rid, values in rows.items():
            self.room_names[rid] = values["name"]
            if values["state"] not in INACTIVE_STATES:
                self.listed_rooms.append(rid)

    def group_name(self, group_type, group_id):
        return self.group_names.get((group_type, group_id)) or f"{group_type} {group_id}"

    def start_fan_outs(self):
        """Start the per-group and per-room listings in the background, right after rooms.

        They need only the offices, departments and rooms just listed, and cost the
        simulator (or Dialpad) time rather than us, so they overlap the users and numbers
        pages; their compact answers wait until their step applies them. Rooms' memberships
        take one call per active office and department, none when the org has no room.
        """
        calls = []
        if self.listed_rooms:
            calls = [((kind, gid), endpoints.operators(kind, gid))
                     for kind in ROOM_GROUP_KINDS for gid in self.listed_groups[kind]]
        self.fan_outs["room_operators"] = FanOut(self.client, calls, operator_rooms)
        if self.deskphones:
            calls = [(rid, endpoints.room_deskphones(rid)) for rid in self.listed_rooms]
            self.fan_outs["deskphones"] = FanOut(self.client, calls, _deskphone_items)


def _deskphone_items(answer):
    return [item for item in (answer or {}).get("items") or [] if isinstance(item, dict)]
