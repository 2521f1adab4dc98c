"""Run as a script by test_sync_races: one sync races one push, deterministically.

    python -m tests.concurrency.race <scenario>

The console runs here against the database DATABASE_URL names (a file SQLite database or a
PostgreSQL one, already migrated) and a simulator started in this process. A quiet sync
mirrors the org; then a second sync runs while the scenario's push lands at the worst
moment: the simulator has answered the listing the push changes (`after_answer` hook) and
the sync has not yet written that page. The push runs in the simulator's server thread,
through the real services and the real client, while the sync's own thread writes other
pages. Afterwards a dry-run sync compares the mirror with the simulator.

Prints one JSON object: the racing run's status and error, the mirror rows a dry run would
still change ("mismatches"), the "gone from Dialpad" History entries the racing run wrote
(there is no deletion in any scenario, so each is false), and the scenario's own checks.
"""

import json
import os
import sys
import threading

from dialpad_sim.server import SimulatorServer

PAGE_SIZE = 5  # the demo org's listings take several pages


def start_simulator():
    sim = SimulatorServer(org="demo", seed=1, page_size=PAGE_SIZE)
    sim.start()
    os.environ["DIALPAD_BASE_URL"] = sim.base_url
    os.environ["DIALPAD_API_KEY"] = sim.api_key
    return sim


def first_page(path):
    def match(method, request_path, query):
        return method == "GET" and request_path == path and not query.get("cursor")
    return match


def last_page(path, rows):
    """The listing's last page (an object created after it is in no page of it)."""
    pages = -(-len(rows) // PAGE_SIZE)
    seen = []

    def match(method, request_path, query):
        if method == "GET" and request_path == path and set(query) <= {"cursor"}:
            seen.append(1)
            return len(seen) == pages
        return False
    return match


def in_the_console(action):
    """`action()` in the simulator's thread, with a database connection of its own."""
    from django.db import connection

    def run():
        try:
            action()
        finally:
            connection.close()
    return run


# --- scenarios: (install the racing push, check the outcome) -----------------------------


def room_created_during_the_rooms_listing(sim, actor, checks):
    from orgs import services
    from orgs.models import Office, Room

    office = Office.objects.filter(gone_at__isnull=True).first()
    sim.after_answer(last_page("/api/v2/rooms", sim.state.rooms), in_the_console(
        lambda: services.room_create(actor=actor, office=office, name="Raced lobby")))
    yield
    room = Room.objects.filter(name="Raced lobby").first()
    checks["room_mirrored"] = room is not None
    checks["room_present"] = room is not None and room.gone_at is None


def room_renamed_after_its_page(sim, actor, checks):
    from orgs import services
    from orgs.models import Room

    room = Room.objects.get(pk=sorted(sim.state.rooms)[0])  # on the first page
    sim.after_answer(first_page("/api/v2/rooms"), in_the_console(
        lambda: services.room_rename(actor=actor, room=room, name="Raced new name")))
    yield
    checks["name_kept"] = Room.objects.get(pk=room.pk).name == "Raced new name"


def user_made_operator_during_the_users_listing(sim, actor, checks):
    from orgs import services
    from orgs.models import Department, DialpadUser, OperatorMembership

    department = Department.objects.filter(gone_at__isnull=True).first()
    taken = {oid for _, oid, _ in sim.state.operators("department", department.pk)}
    on_the_first_page = sorted(sim.state.users)[:PAGE_SIZE]
    user = DialpadUser.objects.filter(state="active", pk__in=on_the_first_page).exclude(
        pk__in=taken).first()
    sim.after_answer(first_page("/api/v2/users"), in_the_console(
        lambda: services.operator_add(actor=actor, group=department, member=user)))
    yield
    key = OperatorMembership.make_key("department", department.pk, "user", user.pk)
    checks["membership_present"] = OperatorMembership.objects.filter(
        key=key, gone_at__isnull=True).exists()


def _room_group(sim):
    from orgs.models import Department

    department = Department.objects.filter(gone_at__isnull=True, state="active").order_by(
        "pk").first()
    return department, f"/api/v2/departments/{department.pk}/operators"


def room_made_operator_during_its_groups_listing(sim, actor, checks):
    from orgs import services
    from orgs.models import OperatorMembership, Room

    department, path = _room_group(sim)
    taken = {oid for t, oid, _ in sim.state.operators("department", department.pk) if t == "room"}
    room = Room.objects.filter(gone_at__isnull=True).exclude(pk__in=taken).first()
    sim.after_answer(lambda m, p, q: m == "GET" and p == path, in_the_console(
        lambda: services.operator_add(actor=actor, group=department, member=room)))
    yield
    key = OperatorMembership.make_key("department", department.pk, "room", room.pk)
    checks["membership_present"] = OperatorMembership.objects.filter(
        key=key, gone_at__isnull=True).exists()


def room_removed_as_operator_during_its_groups_listing(sim, actor, checks):
    from orgs import services
    from orgs.models import OperatorMembership, Room

    department, path = _room_group(sim)
    room = Room.objects.filter(gone_at__isnull=True).first()
    if ("room", room.pk, "operator") not in sim.state.operators("department", department.pk):
        sim.state.add_operator("department", department.pk, "room", room.pk, "operator")
    from syncjobs.engine import run_sync

    run_sync()  # the console knows the room operates the department
    sim.after_answer(lambda m, p, q: m == "GET" and p == path, in_the_console(
        lambda: services.operator_remove(actor=actor, group=department, member=room)))
    yield
    key = OperatorMembership.make_key("department", department.pk, "room", room.pk)
    checks["membership_gone"] = OperatorMembership.objects.filter(
        key=key, gone_at__isnull=False).exists()


def logins_and_pushes_during_a_sync(sim, actor, checks):
    """Admins log in and push while the sync writes (no hook: real overlap, many times)."""
    from django.test import Client

    from orgs import services
    from orgs.models import Room

    stop = threading.Event()
    errors = []
    counts = {"logins": 0, "pushes": 0}

    def log_in_again_and_again():
        client = Client()
        try:
            while not stop.is_set():
                if not client.login(username="racer", password="racer-password"):
                    errors.append("login refused")
                counts["logins"] += 1
        except Exception as exc:  # noqa: BLE001 -- reported
            errors.append(f"login: {type(exc).__name__}: {exc}")

    def push_again_and_again():
        rooms = list(Room.objects.filter(gone_at__isnull=True)[:3])
        n = 0
        try:
            while not stop.is_set():
                room = rooms[n % len(rooms)]
                services.room_rename(actor=actor, room=room, name=f"Busy room {n}")
                n += 1
                counts["pushes"] += 1
        except Exception as exc:  # noqa: BLE001 -- reported
            errors.append(f"push: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=in_the_console(f))
               for f in (log_in_again_and_again, log_in_again_and_again, push_again_and_again)]
    for thread in threads:
        thread.start()
    yield
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    checks.update(counts)
    checks["errors"] = errors


SCENARIOS = {f.__name__: f for f in (
    room_created_during_the_rooms_listing, room_renamed_after_its_page,
    user_made_operator_during_the_users_listing, room_made_operator_during_its_groups_listing,
    room_removed_as_operator_during_its_groups_listing, logins_and_pushes_during_a_sync,
)}


def main(name):
    sim = start_simulator()
    import django

    django.setup()
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth import get_user_model

    from syncjobs.engine import run_sync

    actor = get_user_model().objects.create_superuser("racer", password="racer-password")
    quiet = run_sync()
    assert quiet.status == "succeeded", quiet.error
    checks = {}
    scenario = SCENARIOS[name](sim, actor, checks)
    next(scenario)
    race = run_sync()
    next(scenario, None)
    sim.app.wait_until_idle()
    dry = run_sync(dry_run=True)
    mismatches = {entity: sum(c.get(k, 0) for k in ("created", "updated", "gone", "held"))
                  for entity, c in dry.counts.items()}
    false_gone = LogEntry.objects.filter(
        change_message__startswith=f"Sync run #{race.pk}: gone from Dialpad").count()
    print(json.dumps({
        "status": race.status, "error": race.error, "newer": {
            e: c.get("newer", 0) for e, c in race.counts.items() if c.get("newer")},
        "dry_run": dry.status, "mismatches": {e: n for e, n in mismatches.items() if n},
        "false_gone": false_gone, "checks": checks,
    }))
    sim.stop()


if __name__ == "__main__":
    main(sys.argv[1])
