"""The demo org as the real sync mirrors it: synced once per test session, then restored.

Some 750 tests start from the simulator's demo org mirrored by the sync (`mirror_org()`, the
`org` fixtures). The sync takes 0.2 to 0.3 s; inserting the rows it wrote takes a tenth of
that. So the first such test runs the real sync and keeps what it wrote (every row of the
console's own apps, the History entries and the sync's Django user); a later test whose
starting point is the same gets those rows inserted instead.

"The same starting point" is checked, not assumed; anything else runs the real sync:
- the simulator holds the org it held then (its tables, compared by a digest), answers with
  the same page size and key, has no fault, hook, rate limit or event delivery set, and
  grants every scope;
- the settings are the same (every upper-case setting, compared by its repr);
- the console's tables hold what they held then (their migrations' rows: the sync lock), and
  there is no History yet.

Rows are inserted with their own primary keys except where the database numbers them
(auto-increment keys: History entries, sync runs, the sync's user), whose new keys the
foreign keys and History's object ids follow. Dates are kept as the sync wrote them (minutes
ago at most): those from Dialpad must stay as read for the next sync to find nothing changed.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from orgs.history import SYNC_USERNAME
from syncjobs.engine import run_sync
from syncjobs.models import SyncRun

# The apps whose every row comes from the sync (or from a test, which then syncs for real).
CONSOLE_APPS = ("orgs", "syncjobs", "messaging", "events")

_kept = {}  # starting point -> the rows its sync wrote, per model


def mirror_org(sim=None):
    """Mirror the org the settings point at (the simulator) and return the SyncRun: by the
    real sync, or by the rows of an earlier sync from the same starting point."""
    start = _starting_point(sim) if sim is not None else None
    if start in _kept:
        return _restore(_kept[start])
    run = run_sync()
    assert run.status == "succeeded", run.error
    if start is not None:
        _kept[start] = _rows_written()
    return run


def _starting_point(sim):
    """What the sync's result depends on, or None when it cannot be kept (rows present)."""
    if LogEntry.objects.exists() or get_user_model().objects.filter(
            username=SYNC_USERNAME).exists():
        return None
    app = sim.app
    if (sim.faults.active or app._hooks or sim.rate_limit_per_minute is not None
            or app.scopes is not None or app.events.deliver):
        return None
    return (_org_digest(sim.state), sim.base_url, sim.page_size, sim.api_key,
            _settings_digest(), _tables_digest())


def _org_digest(state):
    messaging = state.messaging
    with state.lock:
        tables = [getattr(state, name) for name in state._TABLES
                  if name not in ("messaging", "rng", "_ids")]
        tables += [value for name, value in sorted(vars(messaging).items())
                   if not name.startswith("_") and name not in ("rng", "opt_out_limiter")]
        return hashlib.sha256(repr(tables).encode()).hexdigest()


def _settings_digest():
    names = sorted(name for name in dir(settings) if name.isupper())
    return hashlib.sha256(repr([(n, getattr(settings, n)) for n in names]).encode()).hexdigest()


def _tables_digest():
    """The console's rows before the sync: none but those its migrations made (the sync lock)."""
    rows = [list(model._base_manager.order_by("pk").values_list()) for model in _console_models()]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _console_models():
    return [model for app in CONSOLE_APPS for model in apps.get_app_config(app).get_models()]


def _kept_models():
    """The models a sync writes, each after the models its foreign keys point to."""
    wanted = [get_user_model(), *_console_models(), LogEntry]
    ordered = []

    def visit(model, path=()):
        if model in ordered or model in path:
            return
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target is not None and target in wanted and target is not model:
                visit(target, (*path, model))
        ordered.append(model)

    for model in wanted:
        visit(model)
    return ordered


def _rows_written():
    rows = {}
    for model in _kept_models():
        manager = model._base_manager
        if model is get_user_model():
            query = manager.filter(username=SYNC_USERNAME)
        else:
            query = manager.all()
        rows[model] = [
            {field.attname: _kept_value(field, getattr(obj, field.attname))
             for field in model._meta.concrete_fields}
            for obj in query.order_by("pk")
        ]
    return rows


def _kept_value(field, value):
    # A content type by its name: a transactional test's flush numbers them anew.
    if field.related_model is ContentType and value is not None:
        return ContentType.objects.get_for_id(value).natural_key()
    return value


def _renumbered(model):
    return isinstance(model._meta.pk, models.AutoField)  # Big/Small auto fields subclass it


def _restore(kept):
    new_pks = {}  # model -> {kept pk: inserted pk}
    with transaction.atomic():
        for model in _console_models():  # what the migrations made, the sync changed
            model._base_manager.all().delete()
        for model, rows in kept.items():
            objs = [model(**_renumbered_row(model, row, new_pks)) for row in rows]
            model._base_manager.bulk_create(objs)
            if _renumbered(model):
                new_pks[model] = {row[model._meta.pk.attname]: obj.pk
                                  for row, obj in zip(rows, objs)}
    return SyncRun.objects.order_by("-pk").first()


def _renumbered_row(model, row, new_pks):
    values = {}
    for field in model._meta.concrete_fields:
        value = row[field.attname]
        if field.primary_key and _renumbered(model):
            continue
        if field.related_model is ContentType and value is not None:
            value = ContentType.objects.get_by_natural_key(*value).pk
        elif field.is_relation and value is not None and field.related_model in new_pks:
            value = new_pks[field.related_model][value]
        values[field.attname] = value
    if model is LogEntry:
        target = ContentType.objects.get_for_id(values["content_type_id"]).model_class()
        if target in new_pks:
            values["object_id"] = str(new_pks[target][int(values["object_id"])])
        # The entry names its run: "Sync run #12: created from Dialpad." (SyncRun.__str__).
        for kept_pk, pk in new_pks.get(SyncRun, {}).items():
            values["change_message"] = values["change_message"].replace(
                f"{SyncRun(pk=kept_pk)}:", f"{SyncRun(pk=pk)}:")
    return values

