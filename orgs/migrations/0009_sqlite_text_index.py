"""On SQLite, a trigram full-text index (FTS5) of the numbers' digits: what PostgreSQL's pg_trgm
index of migration 0006 does there, so that a search for a phone number reads an index rather
than every number (orgs.text_index). Triggers keep it in step with every write, whatever writes
it. Nothing on PostgreSQL, nor on an SQLite built without FTS5 (the searches then read the
digits' index of 0001, as before)."""

from django.db import migrations

# {index table: (mirrored table, its primary key, indexed column)}
TEXT_INDEXES = {
    "orgs_phonenumber_text": ("orgs_phonenumber", "id", "digits"),
}


def _has_fts5(cursor):
    cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
    return bool(cursor.fetchone()[0])


def _forget_indexes(connection):
    # What orgs.text_index remembers of this database's indexes is out of date.
    vars(connection).pop("orgs_text_indexes", None)


def create_text_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    _forget_indexes(schema_editor.connection)
    with schema_editor.connection.cursor() as cursor:
        if not _has_fts5(cursor):
            return
        for index, (table, key, column) in TEXT_INDEXES.items():
            cursor.execute(f"CREATE VIRTUAL TABLE {index} USING fts5({column}, "
                           "tokenize='trigram')")
            cursor.execute(f"INSERT INTO {index} (rowid, {column}) SELECT {key}, {column} "
                           f"FROM {table}")
            cursor.execute(f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN "
                           f"INSERT INTO {index} (rowid, {column}) VALUES (new.{key}, "
                           f"new.{column}); END")
            cursor.execute(f"CREATE TRIGGER {index}_update AFTER UPDATE OF {key}, {column} ON "
                           f"{table} BEGIN DELETE FROM {index} WHERE rowid = old.{key}; "
                           f"INSERT INTO {index} (rowid, {column}) VALUES (new.{key}, "
                           f"new.{column}); END")
            cursor.execute(f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN "
                           f"DELETE FROM {index} WHERE rowid = old.{key}; END")


def drop_text_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    _forget_indexes(schema_editor.connection)
    with schema_editor.connection.cursor() as cursor:
        for index in TEXT_INDEXES:
            for trigger in ("insert", "update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {index}_{trigger}")
            cursor.execute(f"DROP TABLE IF EXISTS {index}")


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0008_field_labels"),
    ]

    operations = [
        migrations.RunPython(create_text_indexes, drop_text_indexes),
    ]
