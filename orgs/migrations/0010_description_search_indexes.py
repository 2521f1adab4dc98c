"""Indexes of the departments' and call centers' descriptions, which their changelist search and
the global search compare (`description__icontains`), as migration 0006 indexes their names:
on PostgreSQL a trigram GIN index of UPPER(description) (pg_trgm, which 0006 installed); on
SQLite a covering index, so that a search reads the narrow index rather than every row with
its payload. `makemigrations` sees neither, on either database.
"""

from django.db import migrations

INDEXES = {
    "postgresql": [
        (f"orgs_{model}_description_trgm", f"orgs_{model}",
         "USING gin (UPPER(description) gin_trgm_ops)")
        for model in ("department", "callcenter")
    ],
    "sqlite": [
        (f"orgs_{model}_description_cover", f"orgs_{model}", "(description, dialpad_id)")
        for model in ("department", "callcenter")
    ],
}


def add_indexes(apps, schema_editor):
    for name, table, how in INDEXES.get(schema_editor.connection.vendor, []):
        schema_editor.execute(f"CREATE INDEX {name} ON {table} {how}")


def remove_indexes(apps, schema_editor):
    for name, _table, _how in INDEXES.get(schema_editor.connection.vendor, []):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0009_sqlite_text_index"),
    ]

    operations = [
        migrations.RunPython(add_indexes, remove_indexes),
    ]
