"""Two submits of the same push form page at the same moment push once (issue 8, case 4).

The claim of the form's token is an INSERT into a unique column, so the database lets one of
two concurrent requests have it. pytest-django's in-memory SQLite cannot take concurrent
writers, so the two requests run in threads of a subprocess on a file database, as deployed
(tests/syncjobs/filedb.py).
"""

import json
import subprocess
import sys

from tests.syncjobs.filedb import BASE_DIR, console_env, migrate


def test_two_concurrent_submits_of_one_form_create_one_room(sim, tmp_path):
    office_id = next(iter(sim.state.offices))
    env = console_env(tmp_path, sim)
    migrate(env)
    # Every answer takes a while: without the claim, both requests would be sending at once.
    sim.faults.slow_seconds = 0.3

    out = subprocess.run([sys.executable, "-m", "tests.orgs.concurrent_submits", str(office_id)],
                         cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)

    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert [r["name"] for r in sim.state.rooms.values()].count("Concurrent lobby") == 1
    assert result["statuses"] == [302, 409], result
    assert (result["rooms"], result["journal"]) == (1, 1)
