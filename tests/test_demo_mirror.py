"""The demo org's mirror restored for a test (tests/demo_mirror.py) is the one the sync writes."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from syncjobs.engine import run_sync
from syncjobs.models import SyncRun
from tests import demo_mirror
from tests.orgs.helpers_push import sync_changes

pytestmark = pytest.mark.django_db


class _RolledBack(Exception):
    pass


# What differs from one sync to the next: when it ran, how long each step took, its log.
_OF_THE_MOMENT = {"timings", "log"}


def _rows():
    """Every row the sync writes, without what is of the moment and without the keys the
    database numbers (History's object_id of a numbered row: its object_repr names it)."""
    rows = {}
    for model in (*demo_mirror._console_models(), LogEntry):
        fields = [f.attname for f in model._meta.concrete_fields
                  if not isinstance(f, models.DateTimeField) and f.name not in _OF_THE_MOMENT
                  and not (f.primary_key and _numbered(model))
                  and not (f.is_relation and _numbered(f.related_model))]
        values = model._base_manager.values_list(*fields)
        if model is LogEntry:  # each entry names the run: "Sync run #12: created ..."
            run = str(SyncRun.objects.get())
            values = [(ct, "" if _numbered(_model_of(ct)) else obj_id, *rest[:-1],
                       rest[-1].replace(run, "the run"))
                      for ct, obj_id, *rest in values]
        rows[model.__name__] = sorted(values, key=repr)
    return rows


def _numbered(model):
    """The restore gives this model's rows new keys (tests.demo_mirror)."""
    return model in demo_mirror._kept_models() and demo_mirror._renumbered(model)


def _model_of(content_type_id):
    return ContentType.objects.get_for_id(content_type_id).model_class()


def _rolled_back(action):
    """What `action()` returns, with every change it made to the database undone."""
    try:
        with transaction.atomic():
            result = action()
            raise _RolledBack(result)
    except _RolledBack as undone:
        return undone.args[0]


def test_a_restored_mirror_has_the_rows_a_sync_writes_and_the_next_sync_changes_nothing(use_sim):
    def sync():
        assert run_sync().status == "succeeded"
        return _rows()

    synced = _rolled_back(sync)
    _rolled_back(lambda: demo_mirror.mirror_org(use_sim))  # kept, if no test kept it before
    use_sim.requests.clear()

    run = demo_mirror.mirror_org(use_sim)

    assert len(use_sim.requests) == 0  # restored, not synced
    assert run.status == "succeeded"
    assert _rows() == synced
    assert sync_changes() == {}
