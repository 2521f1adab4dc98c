"""The org sync: list Dialpad page by page, diff each page against the mirror, apply the diff.

`run_sync()` is the one entry point (the Celery task, `manage.py sync_org` and the benchmark
call it); `confirm_pending_gone()` applies the gone marks a run's safety valve held back. The
package, in the order a run uses it:

- `entry`: run_sync and record_refused: the claim (one run at a time) and the SyncRun row;
- `steps`: OrgSync, the run's steps top to bottom, one per entity;
- `context`: what a run keeps and how it ends (progress, page reads, failures);
- `applier`: one entity's pages diffed against the mirror and written where they changed;
- `memberships`: users' and rooms' operator memberships, as the steps read them;
- `gone`: the gone pass after a complete listing, its safety valve, and confirming held marks;
- `concurrency`: the next page fetched ahead, and the per-group listings fanned out.
"""

from .applier import Applier
from .entry import record_refused, run_sync
from .gone import confirm_pending_gone, held_rows, held_table, mark_gone
from .steps import ENTITIES, OrgSync

__all__ = [
    "ENTITIES", "Applier", "OrgSync", "confirm_pending_gone", "held_rows", "held_table",
    "mark_gone", "record_refused", "run_sync",
]
