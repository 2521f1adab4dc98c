"""Shared by the push tests (tests/orgs/test_<service>.py, test_push_views_*.py, test_bulk_*.py).

The simulator's org mirrored by the real sync, a snapshot of the whole mirror to prove that a
refused push changed nothing, and small helpers. The fixtures are in tests/orgs/conftest.py.
"""

import threading
import time
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from orgs import services
from orgs.models import (
    CallCenter,
    Department,
    DialpadUser,
    E911Address,
    Office,
    OperatorMembership,
    PhoneNumber,
    PushRecord,
    Room,
)

MIRROR_MODELS = (Office, Department, CallCenter, Room, DialpadUser, PhoneNumber,
                 OperatorMembership, E911Address)


@dataclass(frozen=True)
class CallGroupKind:
    """Departments and call centers: the same services (`<key>_create`, `<key>_update`, whose
    object argument is named `<key>`), on their own model, Dialpad collection and label."""

    key: str  # "department", "callcenter"
    model: type
    collection: str  # the Dialpad API's path and the simulator's state: "departments"
    label: str  # in messages: "department", "call center"

    def __str__(self):
        return self.key

    def create(self, **kwargs):
        return getattr(services, f"{self.key}_create")(**kwargs)

    def update(self, group, **kwargs):
        return getattr(services, f"{self.key}_update")(**{self.key: group}, **kwargs)

    def sent(self, sim, group):
        """The group as the simulator holds it."""
        return getattr(sim.state, self.collection)[group.pk]


CALL_GROUP_KINDS = (
    CallGroupKind("department", Department, "departments", "department"),
    CallGroupKind("callcenter", CallCenter, "callcenters", "call center"),
)


def mirror_org(sim=None):
    """Mirror the org the settings point at (the simulator) with the real sync; given the
    simulator, maybe with the rows of an earlier sync from the same start (tests.demo_mirror)."""
    from tests import demo_mirror

    return demo_mirror.mirror_org(sim)


def sync_changes():
    """Run a sync now; the entities it found changed ({} when the mirror was up to date)."""
    from syncjobs.engine import run_sync

    run = run_sync()
    assert run.status == "succeeded", run.error
    return {entity: counts for entity, counts in run.counts.items()
            if counts.get("created") or counts.get("updated") or counts.get("gone")}


def forget_requests(sim, request):
    """Clear the simulator's recorded requests, once they are checked against the spec."""
    from tests.contract.plugin import check_requests_against_spec

    check_requests_against_spec(sim.requests, request.node)
    sim.requests.clear()


def mirror_snapshot():
    """Every mirrored row's values, and the History: equal before and after = untouched."""
    snapshot = {model.__name__: sorted(model.objects.values_list(), key=repr)
                for model in MIRROR_MODELS}
    snapshot["LogEntry"] = LogEntry.objects.count()
    return snapshot


def writes(sim):
    """The requests the simulator received other than reads."""
    return [r for r in sim.requests if r.method != "GET"]


def journal():
    return list(PushRecord.objects.order_by("pk"))


def history_of(obj):
    """The History messages of a mirrored object, oldest first."""
    content_type = ContentType.objects.get_for_model(type(obj))
    return list(LogEntry.objects.filter(content_type=content_type, object_id=str(obj.pk))
                .order_by("pk").values_list("change_message", flat=True))


def a_free_number(sim, area_code="415"):
    """The first number of the simulator's reserved pool (status "available") in `area_code`."""
    return sim.state.pick_available(area_code)["number"]


def a_users_only_number():
    """A number that is the only one of an active US user."""
    for user in DialpadUser.objects.filter(state="active", office__country="us"):
        numbers = list(user.assigned_numbers.filter(gone_at__isnull=True))
        if len(numbers) == 1:
            return numbers[0]
    raise AssertionError("the demo org has no US user with exactly one number")


def post_bulk_action(client, action, users, step=None, **data):
    """POST the Dialpad users changelist's bulk `action` for `users`, at the form's `step`
    (None: the action's first page)."""
    payload = {"action": action, "_selected_action": [u.pk for u in users], **data}
    if step:
        payload["_bulk_step"] = step
    return client.post(reverse("admin:orgs_dialpaduser_changelist"), payload)


def set_read_timeout(settings, seconds):
    settings.DIALPAD_TIMEOUT = (2.0, seconds)


def slow_only_the_first_write(sim, seconds, *, until_requests=1):
    """Make the next request(s) wait `seconds` before the simulator handles them.

    The simulator sleeps *before* applying a request, so a client that gives up earlier
    leaves the write to be applied later. Faults are switched off again as soon as
    `until_requests` requests have arrived, so the console's re-read is answered promptly.
    Call `.join()` on the result at the end of the test (the `sim` fixture's reset also waits
    for requests still in flight, so a late write cannot land in the next test's org).
    """
    sim.faults.slow_seconds = seconds
    start = len(sim.requests)

    def watch():
        deadline = time.monotonic() + 30
        while len(sim.requests) - start < until_requests and time.monotonic() < deadline:
            time.sleep(0.005)
        sim.faults.slow_seconds = 0

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return _SlowWrites(sim, thread)


class _SlowWrites:
    def __init__(self, sim, thread):
        self.sim = sim
        self.thread = thread

    def join(self, timeout=30):
        self.thread.join(timeout)
        self.sim.app.wait_until_idle(timeout)
