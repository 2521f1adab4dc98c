"""Search at scale (orgs.search): the users' search column, and each database's indexes.

The indexes differ by database and are not in the models' state (Django has no index that
both databases build): on PostgreSQL, trigram GIN indexes (the pg_trgm extension, created here
when missing: see docs/deploy.md for the privilege it needs); on SQLite, a covering index of
the users' searched columns. `makemigrations` sees neither, on either database.
"""

from django.db import DatabaseError, migrations, models

from orgs.models import DialpadUser, search_text

BATCH = 2000


def fill_search_text(apps, schema_editor):
    """The existing users' search column, as the mirror writes it (orgs.models.search_text)."""
    model = apps.get_model("orgs", "DialpadUser")
    # Read first, then write: a few MB even for 100,000 users.
    rows = list(model.objects.order_by("pk").values_list("pk", *DialpadUser.SEARCHED_FIELDS))
    table = schema_editor.quote_name(model._meta.db_table)
    sql = f"UPDATE {table} SET search_text = %s WHERE dialpad_id = %s"
    with schema_editor.connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [(search_text(*values), pk)
                                     for pk, *values in rows[start:start + BATCH]])


# {vendor: [(index name, table, how)]}. On PostgreSQL, trigram GIN indexes: `search_text` and
# `digits` as the `substring` lookup compares them, the names as `icontains` does (UPPER).
INDEXES = {
    "postgresql": [
        ("orgs_user_search_trgm", "orgs_dialpaduser", "USING gin (search_text gin_trgm_ops)"),
        ("orgs_number_digits_trgm", "orgs_phonenumber", "USING gin (digits gin_trgm_ops)"),
        *((f"orgs_{model}_name_trgm", f"orgs_{model}", "USING gin (UPPER(name) gin_trgm_ops)")
          for model in ("office", "department", "callcenter", "room")),
    ],
    # A search reads these narrow indexes, not the rows with their payloads.
    "sqlite": [
        ("orgs_user_search_cover", "orgs_dialpaduser", "(search_text, extension, dialpad_id)"),
        *((f"orgs_{model}_name_cover", f"orgs_{model}", "(name, dialpad_id)")
          for model in ("office", "department", "callcenter", "room")),
    ],
}


def _create_trigram_extension(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            return  # installed already (by a superuser, say): no privilege needed
    try:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:
        raise RuntimeError(
            "The search indexes need PostgreSQL's pg_trgm extension, and this role may not "
            "create it: give the role CREATE on the database (its owner has it), or have a "
            "superuser run `CREATE EXTENSION pg_trgm;` in it, then migrate again "
            f"(docs/deploy.md). PostgreSQL said: {exc}"
        ) from exc


def add_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _create_trigram_extension(schema_editor)
    for name, table, how in INDEXES.get(vendor, []):
        schema_editor.execute(f"CREATE INDEX {name} ON {table} {how}")


def remove_indexes(apps, schema_editor):
    # The extension stays: it may have been there before, and other databases' objects may
    # use it; it costs nothing unused.
    for name, _table, _how in INDEXES.get(schema_editor.connection.vendor, []):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0005_last_seen_is_read_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="dialpaduser",
            name="search_text",
            field=models.TextField(
                blank=True, editable=False,
                help_text="The names, emails and job title, lower-cased, one per line (for "
                          "searching).",
            ),
        ),
        # For their list filters' choices (selectors.distinct_values).
        migrations.AddIndex(
            model_name="dialpaduser",
            index=models.Index(fields=["country"], name="orgs_dialpaduser_country"),
        ),
        migrations.AddIndex(
            model_name="dialpaduser",
            index=models.Index(fields=["license"], name="orgs_dialpaduser_license"),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_indexes, remove_indexes),
    ]
