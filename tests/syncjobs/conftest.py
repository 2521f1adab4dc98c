"""Fixtures for the sync's tests: the real engine and client against the per-test simulator."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from dialpad_console.dialpad import DialpadClient
from orgs.history import sync_user
from syncjobs.engine import run_sync
from syncjobs.tasks import sync_org_task


def make_client(sim, **options):
    """The real client with test-sized retry waits (the sync's behaviour is the same)."""
    settings = dict(
        api_key=sim.api_key, base_url=sim.base_url, rate_limit_per_minute=None,
        timeout=(2, 5), max_retries=2, max_retry_wait=0.05, backoff_base=0.01,
    )
    settings.update(options)
    return DialpadClient(**settings)


@pytest.fixture
def sync(use_sim):
    """sync(**kwargs) runs the whole sync now against the simulator and returns its SyncRun."""
    clients = []

    def run(*, trigger="command", client=None, **kwargs):
        client = client or make_client(use_sim)
        clients.append(client)
        return run_sync(trigger=trigger, client=client, **kwargs)

    yield run
    for client in clients:
        client.close()


@pytest.fixture
def history():
    """history(obj) -> the LogEntry rows of obj, oldest first."""

    def entries(obj):
        return list(
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                object_id=str(obj.pk),
            ).order_by("pk")
        )

    return entries


@pytest.fixture
def sync_actor(db):
    return sync_user()


def _staff(django_user_model, username, *perms):
    user = django_user_model.objects.create_user(username=username, password="pw",
                                                 is_staff=True)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.fixture
def it_admin(django_user_model):
    """An admin who may look at sync runs and start a sync."""
    return _staff(django_user_model, "it-admin", "syncjobs.view_syncrun", "syncjobs.run_sync")


@pytest.fixture
def read_only_admin(django_user_model):
    """An admin who may look at sync runs but not start one."""
    return _staff(django_user_model, "read-only", "syncjobs.view_syncrun")


@pytest.fixture
def eager_tasks():
    """Run queued tasks in this process, as a worker would (the engine runs for real)."""
    conf = sync_org_task.app.conf
    before = conf.task_always_eager
    conf.task_always_eager = True
    yield
    conf.task_always_eager = before
