"""The sync never overwrites what happened while it ran.

Each scenario races one sync against a push that lands after Dialpad answered the listing
the push changes and before the sync wrote that page (tests/concurrency/race.py), on SQLite
and on PostgreSQL. Afterwards the mirror matches Dialpad (a dry-run sync would change
nothing), no History says "gone from Dialpad" of something Dialpad has, and the push stands.
"""

import json
import subprocess
import sys

import pytest

from tests.concurrency.console import BACKENDS, BASE_DIR, base_env

pytestmark = pytest.mark.slow


def race(console_databases, tmp_path, backend, scenario):
    env = base_env(tmp_path, DATABASE_URL=console_databases.fresh(backend))
    out = subprocess.run([sys.executable, "-m", "tests.concurrency.race", scenario],
                         cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def assert_the_mirror_is_right(result):
    assert result["status"] == "succeeded", result["error"]
    assert result["mismatches"] == {}
    assert result["false_gone"] == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_room_created_during_the_rooms_listing_is_not_marked_gone(
        console_databases, tmp_path, backend):
    result = race(console_databases, tmp_path, backend, "room_created_during_the_rooms_listing")

    assert_the_mirror_is_right(result)
    assert result["checks"] == {"room_mirrored": True, "room_present": True}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_rename_after_the_sync_read_the_page_is_not_written_back(
        console_databases, tmp_path, backend):
    result = race(console_databases, tmp_path, backend, "room_renamed_after_its_page")

    assert_the_mirror_is_right(result)
    assert result["checks"] == {"name_kept": True}
    assert result["newer"] == {"rooms": 1}


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_operator_added_during_the_users_listing_is_not_marked_gone(
        console_databases, tmp_path, backend):
    result = race(console_databases, tmp_path, backend,
                  "user_made_operator_during_the_users_listing")

    assert_the_mirror_is_right(result)
    assert result["checks"] == {"membership_present": True}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_room_made_operator_during_its_groups_listing_is_not_marked_gone(
        console_databases, tmp_path, backend):
    result = race(console_databases, tmp_path, backend,
                  "room_made_operator_during_its_groups_listing")

    assert_the_mirror_is_right(result)
    assert result["checks"] == {"membership_present": True}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_room_removed_as_operator_during_its_groups_listing_is_not_brought_back(
        console_databases, tmp_path, backend):
    result = race(console_databases, tmp_path, backend,
                  "room_removed_as_operator_during_its_groups_listing")

    assert_the_mirror_is_right(result)
    assert result["checks"] == {"membership_gone": True}


@pytest.mark.parametrize("backend", BACKENDS)
def test_logins_and_pushes_during_a_sync_neither_crash_it_nor_fail(
        console_databases, tmp_path, backend):
    result = race(console_databases, tmp_path, backend, "logins_and_pushes_during_a_sync")

    assert result["status"] == "succeeded", result["error"]
    checks = result["checks"]
    assert checks["errors"] == []
    assert checks["logins"] > 0 and checks["pushes"] > 0
    assert result["false_gone"] == 0
