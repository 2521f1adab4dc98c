"""The generated org: deterministic, the promised sizes, and internally consistent."""

import json
import re
from collections import Counter

import phonenumbers
import pytest

from dialpad_sim.generate import generate
from dialpad_sim.state import NUMBER_STATUS


def _dump(state):
    tables = {name: getattr(state, name) for name in (
        "company", "offices", "departments", "callcenters", "rooms", "users", "numbers",
        "user_e911", "deskphones", "webhooks", "subscriptions_sms", "subscriptions_changelog")}
    tables["memberships"] = sorted(
        [list(key), [[list(k), v] for k, v in members.items()]]
        for key, members in state.memberships.items())
    return json.dumps(tables, sort_keys=True, default=str)


@pytest.fixture(scope="module")
def large():
    return generate("large", seed=1)


def test_same_seed_gives_the_same_org():
    assert _dump(generate("demo", seed=7)) == _dump(generate("demo", seed=7))


def test_another_seed_gives_another_org():
    assert _dump(generate("demo", seed=1)) != _dump(generate("demo", seed=2))


def test_large_org_has_the_promised_counts(large):
    counts = large.counts()

    assert (counts["offices"], counts["departments"], counts["callcenters"], counts["rooms"],
            counts["users"], counts["numbers"]) == (200, 1000, 500, 2000, 10000, 15000)
    assert counts["numbers_available"] > 0


def test_demo_org_is_small_and_friendly():
    counts = generate("demo", seed=1).counts()

    assert (counts["offices"], counts["departments"], counts["callcenters"], counts["rooms"],
            counts["users"], counts["numbers"]) == (3, 6, 3, 5, 40, 70)


def test_exactly_one_office_is_primary(large):
    assert sum(1 for o in large.offices.values() if o["is_primary_office"]) == 1


def test_ids_are_unique_16_digit_numbers(large):
    ids = [*large.offices, *large.departments, *large.callcenters, *large.rooms, *large.users]

    assert len(ids) == len(set(ids))
    assert all(10**15 <= i < 10**16 for i in ids)


def test_emails_are_unique(large):
    emails = [e for u in large.users.values() for e in u["emails"]]

    assert len(emails) == len(set(emails)) == 10000


def test_every_number_is_a_valid_e164_number():
    state = generate("demo", seed=3)

    forwarding = [n for u in state.users.values() for n in u["forwarding_numbers"]]
    for number in [*state.numbers, *forwarding]:
        assert phonenumbers.is_valid_number(phonenumbers.parse(number)), number


def test_extensions_are_unique(large):
    extensions = [u["extension"] for u in large.users.values()]

    assert len(set(extensions)) == len(extensions)


def test_numbers_and_targets_phone_numbers_agree(large):
    owned = Counter()
    for kind, table in (("office", large.offices), ("department", large.departments),
                        ("callcenter", large.callcenters), ("room", large.rooms),
                        ("user", large.users)):
        for tid, target in table.items():
            for number in target["phone_numbers"]:
                row = large.numbers[number]
                assert (row["target_type"], row["target_id"]) == (kind, tid)
                assert row["status"] == NUMBER_STATUS[kind]
                owned[number] += 1
    assert max(owned.values()) == 1
    unowned = [n for n in large.numbers if n not in owned]
    assert all(large.numbers[n]["status"] == "available" for n in unowned)


def test_group_details_match_memberships(large):
    from_memberships = Counter()
    for (gtype, gid), members in large.memberships.items():
        for (otype, oid), role in members.items():
            if otype == "user":
                from_memberships[(oid, gtype, gid, role)] += 1
    from_details = Counter(
        (uid, d["group_type"], d["group_id"], d["role"])
        for uid, u in large.users.items() for d in u["group_details"])

    assert from_details == from_memberships


def test_admin_office_ids_are_the_office_admin_roles(large):
    for user in large.users.values():
        admin_of = [d["group_id"] for d in user["group_details"]
                    if d["group_type"] == "office" and d["role"] == "admin"]
        assert user["admin_office_ids"] == admin_of


def test_call_centers_have_users_only_and_rooms_operate_offices_and_departments(large):
    room_groups = {gtype for (gtype, _gid), members in large.memberships.items()
                   for (otype, _oid) in members if otype == "room"}

    assert room_groups == {"office", "department"}


def test_cancelled_and_deleted_users_operate_nothing_and_have_no_number(large):
    gone = [u for u in large.users.values() if u["state"] in ("cancelled", "deleted")]

    assert gone
    assert all(not u["group_details"] and not u["phone_numbers"] for u in gone)


def test_users_have_e911_addresses_with_the_required_fields(large):
    assert set(large.user_e911) == set(large.users)
    for address in large.user_e911.values():
        assert all(address[f] for f in ("address", "city", "state", "zip", "country"))


def test_offices_have_timezones_and_e911_addresses(large):
    for office in large.offices.values():
        assert re.fullmatch(r"[A-Za-z_]+/[A-Za-z_/]+", office["timezone"])
        assert office["e911_address"]["city"]


def test_some_rooms_have_deskphones():
    state = generate("demo", seed=1)

    assert len(state.deskphones) == 2
    for room_id, phones in state.deskphones.items():
        assert all(p["owner_id"] == room_id and p["owner_type"] == "room" for p in phones)
