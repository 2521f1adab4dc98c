"""Generate a realistic org from a seed: same org name and seed, same org, in any process.

This module makes the company, offices, users, rooms, departments and call centers;
``generate_links.py`` then connects them (numbers, operators, licenses, E911, deskphones,
webhooks).

Only ``random.Random`` instances seeded from (org, seed) are used, never the global random,
and nothing depends on set iteration order of strings or on the clock.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from . import data
from .generate_links import (make_deskphones, make_licenses, make_memberships, make_numbers,
                             make_user_e911, make_webhooks)
from .messaging import seed_messaging
from .state import OrgState

SIZES = {
    "demo": dict(offices=3, departments=6, callcenters=3, rooms=5, users=40, numbers=70),
    "medium": dict(offices=20, departments=100, callcenters=50, rooms=200, users=1000,
                   numbers=1500),
    "large": dict(offices=200, departments=1000, callcenters=500, rooms=2000, users=10000,
                  numbers=15000),
    # For benchmarks only (scripts/bench_search.py): ten times large, groups in proportion.
    "xlarge": dict(offices=2000, departments=10000, callcenters=5000, rooms=20000,
                   users=100000, numbers=150000),
}
ORGS = tuple(SIZES)

_COMPANIES = {
    "demo": ("Northwind Logistics", "northwind.example"),
    "medium": ("Contoso Health", "contoso-health.example"),
    "large": ("Globex Corporation", "globex.example"),
    "xlarge": ("Initech Worldwide", "initech.example"),
}
# The demo org tells the same story whatever the seed: names per office, in office order.
_DEMO_NAMES = {
    "department": [["Sales", "Customer Support", "IT Help Desk"], ["Sales", "Finance"],
                   ["Customer Support"]],
    "callcenter": [["Customer Care"], ["Order Desk"], ["Customer Care EMEA"]],
    "room": [["Board Room", "Reception Desk"], ["Lobby Phone", "Conference Room A"],
             ["Reception Desk"]],
}
_BASE_DATE = datetime(2019, 1, 7, 9, 0, 0)
_WEEKDAY_HOURS = ["08:00", "18:00"]


def generate(org: str = "demo", seed: int = 1) -> OrgState:
    """Build an OrgState for a named org size ("demo", "medium", "large" or "xlarge")."""
    if org not in SIZES:
        raise ValueError(f"unknown org {org!r}: choose one of {', '.join(ORGS)}")
    return _Generator(org, seed).build()


class _Generator:
    def __init__(self, org: str, seed: int):
        self.org = org
        self.seed = seed
        self.sizes = SIZES[org]
        self.rng = random.Random(f"dialpad-sim/{org}/{seed}")
        self.state = OrgState(org=org, seed=seed)
        self.company_id = None
        self.domain = _COMPANIES[org][1]
        self.office_city: dict[int, tuple] = {}
        self.office_users: dict[int, list[int]] = {}
        self.office_rooms: dict[int, list[int]] = {}
        self.emails: set[str] = set()
        self.super_admins_done = False

    # --- helpers ------------------------------------------------------------------------

    def new_id(self) -> int:
        ids = self.state._ids
        rng = self.rng
        while True:
            candidate = rng.randrange(10**15, 10**16)
            if candidate not in ids:
                ids.add(candidate)
                return candidate

    def date(self, start: datetime = _BASE_DATE, max_days: int = 2000) -> datetime:
        return start + timedelta(days=self.rng.randrange(max_days),
                                 seconds=self.rng.randrange(8 * 3600))

    def split(self, total: int, n_offices: int, minimum: int = 0) -> list[int]:
        """Split total over offices with uneven (but seeded) weights; each gets >= minimum."""
        if self.org == "demo":
            fixed = {40: [20, 12, 8], 6: [3, 2, 1], 3: [1, 1, 1], 5: [2, 2, 1]}
            if total in fixed and n_offices == 3:
                return list(fixed[total])
        base = minimum * n_offices
        weights = [self.rng.paretovariate(2.0) for _ in range(n_offices)]
        weights[0] *= 3  # headquarters is the biggest
        wsum = sum(weights)
        spare = total - base
        counts = [minimum + int(spare * w / wsum) for w in weights]
        i = 0
        while sum(counts) < total:
            counts[i % n_offices] += 1
            i += 1
        return counts

    # --- build --------------------------------------------------------------------------

    def build(self) -> OrgState:
        s = self.sizes
        self.make_company()
        offices = self.make_offices(s["offices"])
        n = len(offices)
        users_per = self.split(s["users"], n, minimum=min(5, s["users"] // n))
        depts_per = self.split(s["departments"], n, minimum=min(2, s["departments"] // n))
        cc_per = self.split(s["callcenters"], n, minimum=min(1, s["callcenters"] // n))
        rooms_per = self.split(s["rooms"], n, minimum=min(3, s["rooms"] // n))
        # Enough distinct extensions for every user: 4 digits, 5 past 5,000 users, 6 past 50,000.
        digits = 4 if s["users"] <= 5000 else 5 if s["users"] <= 50000 else 6
        self.extensions = iter(self.rng.sample(range(10 ** (digits - 1), 10 ** digits),
                                               s["users"]))
        for office_id, n_users in zip(offices, users_per):
            self.make_users(office_id, n_users)
        if self.org == "demo":
            self.demo_user_states()
        for office_id, n_rooms in zip(offices, rooms_per):
            self.make_rooms(office_id, n_rooms)
        departments = []
        callcenters = []
        for office_id, n_depts, n_cc in zip(offices, depts_per, cc_per):
            departments += self.make_groups(office_id, n_depts, "department")
            callcenters += self.make_groups(office_id, n_cc, "callcenter")
        make_numbers(self, s["numbers"])
        make_memberships(self, offices, departments, callcenters)
        make_licenses(self)
        make_user_e911(self)
        make_deskphones(self)
        make_webhooks(self)
        seed_messaging(self.state)
        self.state.company["office_count"] = len(self.state.offices)
        # Tables in key order: listings sort their keys per page, and sorted input is cheap.
        st = self.state
        for name in ("offices", "departments", "callcenters", "rooms", "users", "numbers",
                     "user_e911", "deskphones", "webhooks", "subscriptions_sms",
                     "subscriptions_changelog", "plans"):
            table = getattr(st, name)
            setattr(st, name, {key: table[key] for key in sorted(table)})
        return st

    def make_company(self):
        name, domain = _COMPANIES[self.org]
        self.company_id = self.new_id()
        self.state.company.update({
            "account_type": "enterprise",
            "admin_email": f"it-admin@{domain}",
            "country": "us",
            "domain": domain,
            "id": self.company_id,
            "name": name,
            "office_count": 0,
            "settings": {"allow_ai_training": False, "has_callai": True},
            "state": "active",
        })

    def pick_cities(self, n: int) -> list[tuple]:
        if self.org == "demo":
            return [data.CITY_BY_NAME[c] for c in ("San Francisco", "New York", "London")][:n]
        cities = [data.CITY_BY_NAME["San Francisco"]]
        # Bigger US cities get more offices; every city gets at least one before repeats.
        pool = list(data.CITIES)
        self.rng.shuffle(pool)
        pool = [c for c in pool if c[0] != "San Francisco"]
        while len(cities) < n:
            if len(cities) < len(data.CITIES):
                cities.append(pool[len(cities) - 1])
            else:
                us = [c for c in data.CITIES if c[2] in ("us", "ca")]
                cities.append(self.rng.choice(us if self.rng.random() < 0.85 else data.CITIES))
        return cities

    def address(self, city: tuple, *, office: bool) -> dict:
        name, region, country, _tz, _acs, postal, streets = city
        rng = self.rng
        addr = {
            "address": f"{rng.randrange(1, 999) if office else rng.randrange(10, 4999)} "
                       f"{rng.choice(streets)}",
            "address2": (f"Suite {rng.randrange(1, 40) * 100}" if office and rng.random() < .6
                         else (f"Apt {rng.randrange(1, 30)}" if not office and rng.random() < .4
                               else "")),
            "city": name,
            "country": country,
            "state": region,
            "zip": postal,
        }
        return addr

    def make_offices(self, n: int) -> list[int]:
        rng = self.rng
        used_names: dict[str, int] = {}
        ids = []
        for i, city in enumerate(self.pick_cities(n)):
            oid = self.new_id()
            name = city[0]
            count = used_names.get(name, 0)
            used_names[name] = count + 1
            if i == 0:
                label = f"{name} HQ"
            elif count == 0:
                label = name
            else:
                label = f"{name} {data.OFFICE_SUFFIXES[(count - 1) % len(data.OFFICE_SUFFIXES)]}"
                if count > len(data.OFFICE_SUFFIXES):
                    label += f" {count // len(data.OFFICE_SUFFIXES) + 1}"
            hours_on = rng.random() < 0.3
            office = {
                "availability_status": "open",
                "country": city[2],
                "e911_address": self.address(city, office=True),
                "first_action": "menu" if rng.random() < 0.3 else "operators",
                "id": oid,
                "is_primary_office": i == 0,
                "name": label,
                "no_operators_action": "voicemail",
                "office_id": oid,
                "office_settings": {
                    "allow_device_guest_login": False,
                    "block_caller_id_disabled": False,
                    "bridged_target_recording_allowed": True,
                    "disable_desk_phone_self_provision": False,
                    "disable_ivr_voicemail": False,
                    "no_recording_message_on_user_calls": False,
                    "set_caller_id_disabled": False,
                },
                "phone_numbers": [],
                "ring_seconds": rng.choice([20, 25, 30, 30, 30, 35]),
                "routing_options": {
                    "closed": {"action": "voicemail", "operator_routing": "simultaneous",
                               "try_dial_operators": False},
                    "open": {"action": "voicemail", "operator_routing": "simultaneous",
                             "try_dial_operators": True},
                },
                "state": "active",
                "timezone": city[3],
                "voicemail_notification_emails": [f"voicemail@{self.domain}"],
            }
            for day in ("monday", "tuesday", "wednesday", "thursday", "friday"):
                office[f"{day}_hours"] = list(_WEEKDAY_HOURS) if hours_on else []
            office["saturday_hours"] = []
            office["sunday_hours"] = []
            self.state.offices[oid] = office
            self.state.plans[oid] = {
                "additional_number_lines": 10,
                "balance": "0.00",
                "contact_center_lines": 0,
                "fax_lines": 0,
                "room_lines": 50,
                "sell_lines": 0,
                "talk_lines": 500,
                "tollfree_additional_number_lines": 0,
                "tollfree_room_lines": 0,
                "tollfree_uberconference_lines": 0,
                "uberconference_lines": 0,
            }
            self.office_city[oid] = city
            self.office_users[oid] = []
            self.office_rooms[oid] = []
            ids.append(oid)
        return ids

    def email_for(self, first: str, last: str) -> str:
        base = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        email = f"{base}@{self.domain}"
        k = 2
        while email in self.emails:
            email = f"{base}{k}@{self.domain}"
            k += 1
        self.emails.add(email)
        return email

    def make_users(self, office_id: int, n: int):
        rng = self.rng
        city = self.office_city[office_id]
        big = self.sizes["users"] > 9000
        users = self.state.users
        for _ in range(n):
            uid = self.new_id()
            first = rng.choice(data.FIRST_NAMES)
            last = rng.choice(data.LAST_NAMES)
            r = rng.random()
            state = ("active" if r < 0.93 else "suspended" if r < 0.96 else
                     "cancelled" if r < 0.98 else "deleted" if r < 0.99 else "pending")
            added = self.date()
            active = state != "pending"
            user = {
                "admin_office_ids": [],
                "company_id": self.company_id,
                "country": city[2],
                "date_active": (added + timedelta(hours=rng.randrange(1, 72))).isoformat()
                if active else None,
                "date_added": added.isoformat(),
                "date_first_login": (added + timedelta(hours=rng.randrange(2, 96))).isoformat()
                if active else None,
                "display_name": f"{first} {last}",
                "do_not_disturb": rng.random() < 0.05,
                "emails": [self.email_for(first, last)],
                "extension": str(next(self.extensions)),
                "first_name": first,
                "forwarding_numbers": [],
                "group_details": [],
                "id": uid,
                "image_url": f"https://dialpad.example.com/avatar/user/{uid}.png",
                "international_dialing_enabled": rng.random() < 0.2,
                "is_admin": False,
                "is_available": True,
                "is_on_duty": False,
                "is_online": state == "active" and rng.random() < 0.4,
                "is_super_admin": False,
                "job_title": rng.choice(data.JOB_TITLES),
                "language": data.LANGUAGE_BY_COUNTRY.get(city[2], "en"),
                "last_name": last,
                "license": "talk",
                "location": f"{city[0]}, {city[1]}",
                "muted": False,
                "office_id": office_id,
                "onboarding_completed": active,
                "phone_numbers": [],
                "state": state,
                "timezone": city[3],
                "voicemail": {"is_default_voicemail": True, "name": "default",
                              "voicemail_notifications_enabled": True},
            }
            users[uid] = user
            self.office_users[office_id].append(uid)
        if not self.super_admins_done:
            # The first active users of the primary office run the company.
            admins = [u for u in self.office_users[office_id]
                      if users[u]["state"] == "active"][:2 if not big else 5]
            for uid in admins:
                users[uid]["is_super_admin"] = True
                users[uid]["is_admin"] = True
                users[uid]["license"] = "admins"
                users[uid]["job_title"] = "IT Administrator"
            self.super_admins_done = True

    def demo_user_states(self):
        """The demo org shows each state once or twice, whatever the seed."""
        users = self.state.users
        for user in users.values():
            self.set_user_state(user, "active")
        candidates = [uid for uid, u in users.items() if not u["is_super_admin"]]
        chosen = self.rng.sample(candidates, 5)
        for uid, state in zip(chosen, ("suspended", "suspended", "cancelled", "deleted",
                                       "pending")):
            self.set_user_state(users[uid], state)

    @staticmethod
    def set_user_state(user: dict, state: str):
        user["state"] = state
        active = state != "pending"
        added = datetime.fromisoformat(user["date_added"])
        user["onboarding_completed"] = active
        user["date_active"] = (added + timedelta(hours=5)).isoformat() if active else None
        user["date_first_login"] = (added + timedelta(hours=7)).isoformat() if active else None
        if state != "active":
            user["is_online"] = False

    def demo_names(self, kind: str, office_id: int, n: int) -> list[str] | None:
        if self.org != "demo":
            return None
        names = _DEMO_NAMES[kind][list(self.state.offices).index(office_id)]
        return names if len(names) == n else None

    def make_rooms(self, office_id: int, n: int):
        rng = self.rng
        city = self.office_city[office_id]
        names = list(data.ROOM_NAMES)
        rng.shuffle(names)
        names = self.demo_names("room", office_id, n) or names
        for i in range(n):
            rid = self.new_id()
            name = names[i % len(names)]
            if i >= len(names):
                name = f"{name} {i // len(names) + 1}"
            self.state.rooms[rid] = {
                "company_id": self.company_id,
                "country": city[2],
                "id": rid,
                "image_url": f"https://dialpad.example.com/avatar/room/{rid}.png",
                "is_free": False,
                "is_on_duty": False,
                "name": name,
                "office_id": office_id,
                "phone_numbers": [],
                "state": "active",
            }
            self.office_rooms[office_id].append(rid)

    def make_groups(self, office_id: int, n: int, kind: str) -> list[int]:
        rng = self.rng
        city = self.office_city[office_id]
        names = list(data.DEPARTMENT_NAMES if kind == "department" else data.CALL_CENTER_NAMES)
        rng.shuffle(names)
        names = self.demo_names(kind, office_id, n) or names
        table = self.state.departments if kind == "department" else self.state.callcenters
        ids = []
        for i in range(n):
            gid = self.new_id()
            name = names[i % len(names)]
            if i >= len(names):
                name = f"{name} {i // len(names) + 1}"
            hours_on = rng.random() < 0.4
            group = {
                "auto_call_recording": rng.random() < 0.2,
                "availability_status": "open",
                "country": city[2],
                "first_action": "operators",
                "group_description": f"{name} line for {self.state.offices[office_id]['name']}",
                "hours_on": hours_on,
                "id": gid,
                "name": name,
                "no_operators_action": "voicemail",
                "office_id": office_id,
                "phone_numbers": [],
                "ring_seconds": rng.choice([15, 20, 25, 30, 30, 30, 45]),
                "routing_options": {
                    "closed": {"action": "voicemail", "operator_routing": "simultaneous",
                               "try_dial_operators": False},
                    "open": {"action": "voicemail",
                             "operator_routing": ("longestidle" if kind == "callcenter"
                                                  else "simultaneous"),
                             "try_dial_operators": True},
                },
                "state": "active",
                "timezone": city[3],
                "voice_intelligence": {"allow_pause": True, "auto_start": True},
                "voicemail_notification_emails": [],
            }
            for day in ("monday", "tuesday", "wednesday", "thursday", "friday"):
                group[f"{day}_hours"] = list(_WEEKDAY_HOURS)
            group["saturday_hours"] = []
            group["sunday_hours"] = []
            if kind == "department":
                group["hold_queue"] = {"allow_queuing": rng.random() < 0.5,
                                       "max_hold_count": 50, "max_hold_seconds": 900}
            else:
                group.pop("auto_call_recording")
                group["advanced_settings"] = {
                    "auto_call_recording": {
                        "allow_pause_recording": False,
                        "call_recording_inbound": rng.random() < 0.3,
                        "call_recording_outbound": False,
                    },
                    "max_wrap_up_seconds": rng.choice([0, 0, 30, 60]),
                }
                group["alerts"] = {"cc_service_level": 95, "cc_service_level_seconds": 60}
                group["hold_queue"] = {
                    "allow_queue_callback": False, "announce_estimated_wait_time": True,
                    "announce_position": True, "announcement_interval_seconds": 120,
                    "estimated_wait_time_max": 30, "max_hold_count": 50,
                    "max_hold_seconds": 900, "queue_callback_dtmf": "9",
                    "queue_callback_threshold": 5, "queue_escape_dtmf": "*",
                    "stay_in_queue_after_closing": False, "unattended_queue": False,
                }
            table[gid] = group
            ids.append(gid)
        return ids
