"""Org generation's second pass: what connects the offices, groups, rooms and users.

Phone numbers for every target and the reserved pool, operator memberships and the licenses
they imply, users' E911 addresses, room deskphones, and the webhook with its subscriptions.
Each step takes the ``_Generator`` of ``generate.py`` and draws from its seeded random in a
fixed order, so the same org and seed still give the same org.
"""

from __future__ import annotations

import random

from . import data
from .state import NUMBER_STATUS


def make_numbers(gen, total: int):
    """Numbers for every target (primary first), then the rest as the reserved pool."""
    rng = gen.rng
    st = gen.state
    used = set()

    def fresh(office_id: int) -> tuple[str, str]:
        city = gen.office_city[office_id]
        ac = rng.choice(city[4])
        cc, lead, width = data.NUMBER_PLANS[city[2]]
        while True:
            local = lead + str(rng.randrange(10 ** width)).zfill(width)
            number = f"+{cc}{ac}{local}"
            if number not in used:
                used.add(number)
                return number, ac

    def give(target_type: str, target_id: int, office_id: int, number_type="local"):
        if number_type == "tollfree":
            while True:
                number = f"+1888555{rng.randrange(10000):04d}"
                if number not in used:
                    used.add(number)
                    break
            ac = "888"
        else:
            number, ac = fresh(office_id)
        st.numbers[number] = {
            "area_code": ac,
            "company_id": gen.company_id,
            "deleted": False,
            "number": number,
            "office_id": office_id,
            "status": NUMBER_STATUS[target_type],
            "target_id": target_id,
            "target_type": target_type,
            "type": number_type,
        }
        st.table(target_type)[target_id]["phone_numbers"].append(number)

    users_with_numbers = [u for u in st.users.values()
                          if u["state"] not in ("cancelled", "deleted")]
    base = (len(st.offices) + len(st.departments) + len(st.callcenters) + len(st.rooms)
            + len(users_with_numbers) + 1)
    extra_budget = max(0, min(int(0.03 * len(users_with_numbers)) + 1,
                              total - base - max(1, total // 20)))
    rooms_without = max(0, base - (total - max(1, total // 20)))
    for oid in st.offices:
        give("office", oid, oid)
    primary = next(iter(st.offices))
    give("office", primary, primary, "tollfree")
    for gid, g in st.departments.items():
        give("department", gid, g["office_id"])
    for gid, g in st.callcenters.items():
        give("callcenter", gid, g["office_id"])
    room_ids = list(st.rooms)
    for i, rid in enumerate(room_ids):
        if i < len(room_ids) - rooms_without:
            give("room", rid, st.rooms[rid]["office_id"])
    for u in users_with_numbers:
        give("user", u["id"], u["office_id"])
    for u in rng.sample(users_with_numbers, min(extra_budget, len(users_with_numbers))):
        give("user", u["id"], u["office_id"])
    offices = list(st.offices)
    while len(st.numbers) < total:
        oid = offices[rng.randrange(len(offices))]
        number, ac = fresh(oid)
        st.numbers[number] = {
            "area_code": ac, "company_id": gen.company_id, "deleted": False,
            "number": number, "office_id": oid, "status": "available",
            "target_id": None, "target_type": None, "type": "local",
        }
    # Users' forwarding numbers: a few have a mobile to ring as well.
    for u in users_with_numbers:
        if rng.random() < 0.1 and u["phone_numbers"]:
            cc_digits = u["phone_numbers"][0][:-4]
            u["forwarding_numbers"] = [f"{cc_digits}{rng.randrange(10000):04d}"]

def make_memberships(gen, offices, departments, callcenters):
    rng = gen.rng
    st = gen.state
    users = st.users

    def eligible(office_id):
        return [u for u in gen.office_users[office_id]
                if users[u]["state"] not in ("cancelled", "deleted")]

    def link(gtype, gid, otype, oid, role):
        members = st.memberships.setdefault((gtype, gid), {})
        if (otype, oid) in members:
            return
        members[(otype, oid)] = role
        if otype == "user":
            user = users[oid]
            user["group_details"].append(
                {"do_not_disturb": False, "group_id": gid, "group_type": gtype,
                 "role": role})
            if gtype == "office" and role == "admin":
                user["admin_office_ids"].append(gid)
                user["is_admin"] = True

    small = gen.org == "demo"
    for oid in offices:
        pool = eligible(oid)
        n = min(len(pool), rng.randint(3, 5) if small else rng.randint(2, 6))
        chosen = rng.sample(pool, n)
        for i, uid in enumerate(chosen):
            link("office", oid, "user", uid, "admin" if i == 0 else "operator")
        rooms = gen.office_rooms[oid]
        if rooms and rng.random() < (1.0 if small else 0.5):
            link("office", oid, "room", rooms[0], "operator")
    for gid in departments:
        oid = st.departments[gid]["office_id"]
        pool = eligible(oid)
        n = min(len(pool), rng.randint(3, 6) if small else rng.randint(3, 10))
        for i, uid in enumerate(rng.sample(pool, n)):
            link("department", gid, "user", uid,
                 "admin" if i == 0 and rng.random() < 0.8 else "operator")
        rooms = gen.office_rooms[oid]
        if rooms and rng.random() < (0.5 if small else 0.1):
            link("department", gid, "room", rng.choice(rooms), "operator")
    for gid in callcenters:
        oid = st.callcenters[gid]["office_id"]
        pool = eligible(oid)
        n = min(len(pool), rng.randint(4, 8) if small else rng.randint(4, 15))
        for i, uid in enumerate(rng.sample(pool, n)):
            link("callcenter", gid, "user", uid, "admin" if i < 1 else "operator")

def make_licenses(gen):
    for (gtype, _gid), members in gen.state.memberships.items():
        if gtype != "callcenter":
            continue
        for (otype, oid) in members:
            user = gen.state.users[oid]
            if user["license"] == "talk":
                user["license"] = "agents"
    rng = gen.rng
    for user in gen.state.users.values():
        if user["license"] == "talk" and rng.random() < 0.05:
            user["license"] = "lite_lines"
        if user["state"] == "active" and any(
                d["group_type"] == "callcenter" for d in user["group_details"]):
            user["on_duty_status"] = rng.choice(["available", "unavailable", "busy"])
            user["is_on_duty"] = user["on_duty_status"] != "unavailable"

def make_user_e911(gen):
    for uid, user in gen.state.users.items():
        office = gen.state.offices[user["office_id"]]
        if gen.rng.random() < 0.85:
            gen.state.user_e911[uid] = dict(office["e911_address"])
        else:  # works from home
            gen.state.user_e911[uid] = gen.address(gen.office_city[user["office_id"]],
                                                     office=False)

def make_deskphones(gen):
    rng = gen.rng
    st = gen.state
    room_ids = list(st.rooms)
    if gen.org == "demo":
        chosen = room_ids[:2]
    else:
        chosen = [r for r in room_ids if rng.random() < 0.1]
    for rid in chosen:
        room = st.rooms[rid]
        phones = []
        for k in range(1 if rng.random() < 0.8 else 2):
            kind, model, firmware = rng.choice(data.DESKPHONE_MODELS)
            mac = "".join(rng.choice("0123456789abcdef") for _ in range(12))
            number = room["phone_numbers"][0] if room["phone_numbers"] else None
            phones.append({
                "byod": rng.random() < 0.3,
                "device_model": model,
                "firmware_version": firmware,
                "id": f"{number or 'room'}-room-{rid}-{kind}-hex_{mac[:10]}",
                "mac_address": mac,
                "name": f"{room['name']} {model}" if k == 0 else f"{room['name']} {k + 1}",
                "owner_id": rid,
                "owner_type": "room",
                "phone_number": number,
                "port": rng.choice([5060, 7060]),
                "realm": "uv.ubervoip.net",
                "ring_notification": True,
                "sip_transport_type": "tls",
                "type": kind,
            })
        st.deskphones[rid] = phones

def make_webhooks(gen):
    st = gen.state
    wid = gen.new_id()
    st.webhooks[wid] = {
        "hook_url": f"https://hooks.{gen.domain}/dialpad/events",
        "id": wid,
        "signature": {"algo": "HS256",
                      "secret": f"whsec-{gen.rng.getrandbits(128):032x}",
                      "type": "jwt"},
    }
    sid = gen.new_id()
    st.subscriptions_changelog[sid] = {"enabled": True, "endpoint_id": wid, "id": sid}
    sid = gen.new_id()
    st.subscriptions_sms[sid] = {"direction": "inbound", "enabled": True, "endpoint_id": wid,
                                 "id": sid, "include_internal": False, "status": False,
                                 "target_id": None, "target_type": None}
    # Continue runtime ids from a stream of their own.
    st.rng = random.Random(f"dialpad-sim/runtime/{gen.org}/{gen.seed}")
