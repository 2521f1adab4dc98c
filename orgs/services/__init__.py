"""Pushes: the only way the console changes the Dialpad org.

Every service is a plain function, keyword-only, acting user first, one module per
sub-domain; `_push` holds the steps they share (permission, validation, journal, the call,
settling a lost answer, the mirror update). Each one

1. checks the acting user's Django permission (PermissionDenied, nothing sent),
2. validates its input (Django ValidationError with per-field messages, nothing sent); the
   same rules are offered to forms as `<service>.validate(**kwargs)`,
3. calls Dialpad through the API client, with the request built by
   dialpad_console.dialpad.endpoints,
4. updates the mirror from Dialpad's answer or a fresh read, in one transaction, only after
   Dialpad accepted the change (a refused push leaves the mirror exactly as it was),
5. writes the admin History of the changed object(s) as the acting user, and
6. leaves one PushRecord in the push journal, whatever the outcome.

When Dialpad refuses, the service raises PushRefused whose message starts "Dialpad refused:"
and carries Dialpad's own reason. When Dialpad did not answer after the request may have
reached it (a read timeout), the service re-reads the target before reporting: if the change
is there it carries on as a success; otherwise it raises PushOutcomeUnknown saying what the
re-read found. Callers (forms, admin views, tasks) catch these and show `str(error)`.

On success a service returns the mirror object it changed with its journal row as
`.push_record`. Otherwise the row is on the exception as `.record`. Call a service outside a
transaction of your own (or catch these inside it): the row of a refused push is written in
the caller's transaction and would be rolled back with it.

Every service also takes `preview=True`: it then checks the permission and the input as
usual and returns the PushRequest it would send (for a confirmation page), sending and
journaling nothing.
"""

from ._push import PushRequest
from .bulk import bulk_job_requeue, bulk_job_run, bulk_job_start
from .e911 import QUICK_READ, office_e911_update, user_e911_get, user_e911_update
from .groups import (
    callcenter_create, callcenter_delete, callcenter_update, department_create, department_delete,
    department_update,
)
from .numbers import (
    number_assign, number_holder, number_region, number_unassign, number_unassign_consequence,
)
from .operators import operator_add, operator_remove, operator_role_change
from .rooms import room_create, room_delete, room_rename
from .users import (
    move_changes_country, user_move_consequences, user_move_follow_ups, user_move_office,
)

__all__ = [
    "QUICK_READ",
    "PushRequest",
    "bulk_job_requeue",
    "bulk_job_run",
    "bulk_job_start",
    "callcenter_create",
    "callcenter_delete",
    "callcenter_update",
    "department_create",
    "department_delete",
    "department_update",
    "move_changes_country",
    "number_assign",
    "number_holder",
    "number_region",
    "number_unassign",
    "number_unassign_consequence",
    "office_e911_update",
    "operator_add",
    "operator_remove",
    "operator_role_change",
    "room_create",
    "room_delete",
    "room_rename",
    "user_e911_get",
    "user_e911_update",
    "user_move_consequences",
    "user_move_follow_ups",
    "user_move_office",
]
