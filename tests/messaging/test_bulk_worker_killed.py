"""A real worker killed mid-bulk (SIGKILL, right after Dialpad created a batch and before
the worker read the answer) resumes without sending any batch twice."""

import time

import pytest

from tests.messaging.worker_kill import manage, run_killed_at_batch, sent_by_job, start_job
from tests.syncjobs.filedb import console_env, migrate

pytestmark = pytest.mark.slow
STALE_AFTER = 1


def test_a_killed_worker_resumes_without_sending_a_batch_twice(sim, tmp_path):
    env = console_env(tmp_path, sim, DIALPAD_BULK_STALE_AFTER=str(STALE_AFTER))
    migrate(env)
    manage(env, "sync_org", "--json")
    job_id = start_job(env, 300)  # 6 batches

    code = run_killed_at_batch(sim, env, job_id, batch=3)
    titles, _counts, _dups = sent_by_job(sim, job_id)
    assert code < 0 and len(titles) == 3  # killed with batch 3 created, its answer unread
    time.sleep(STALE_AFTER)  # the killed worker's claim has gone silent
    result = manage(env, "bulk_message_run", str(job_id))

    titles, counts, duplicates = sent_by_job(sim, job_id)
    assert result["status"] == "finished" and result["batches"] == {"sent": 6}
    assert sorted(len(messages) for messages in titles.values()) == [1] * 6
    assert len(counts) == 300 and duplicates == 0
