"""SQLite's trigram index of the numbers' digits (migration 0009): what pg_trgm's GIN index is
on PostgreSQL. A `digits LIKE '%5550100%'` there is answered from the FTS5 table's trigrams, not
by reading every number; where the index is missing (PostgreSQL, an SQLite without FTS5) or
cannot serve the text, the plain `__contains` lookup is used, with the same results.

Only for selective texts (the callers decide): SQLite's planner cannot weigh a virtual table,
and a trigram found in most rows costs the index more than a scan. Measured on the xlarge org
(150,000 numbers): "5550100" 1.9 ms through the index, 34 ms scanned; "555", found in 146,937
numbers, 152 ms through the index, 25 ms scanned. The users' search text was tried too and left
out: an email's common domain made the index slower than the scan ("wei.kim2@initech.example"
34 ms against 19 ms; "initech" 175 ms against 24 ms)."""

from django.db import connections, router
from django.db.models import Q
from django.db.models.expressions import RawSQL

# {(model label, column): its index table}
INDEXES = {
    ("orgs.PhoneNumber", "digits"): "orgs_phonenumber_text",
}
# A trigram index narrows nothing down for a shorter text: the covering indexes serve those.
MIN_LENGTH = 3


def contains_q(model, column, text, *, prefix="") -> Q:
    """Q(<prefix><column>__contains=text) for `model`'s column, through its trigram index when
    the database has one. `prefix` is the path from the queried model to `model`."""
    plain = Q(**{f"{prefix}{column}__contains": text})
    if len(text) < MIN_LENGTH or any(c in text for c in "%_\\"):
        return plain
    index = _index(model, column)
    if index is None:
        return plain
    rows = RawSQL(f"SELECT rowid FROM {index} WHERE {column} LIKE %s", [f"%{text}%"])
    return Q(**{f"{prefix}pk__in": rows})


def _index(model, column):
    index = INDEXES.get((model._meta.label, column))
    connection = connections[router.db_for_read(model)]
    if index is None or connection.vendor != "sqlite":
        return None
    return index if index in _indexes_present(connection) else None


# The attribute of a database connection that remembers which index tables its database has;
# migration 0009 forgets it when it creates or drops them.
PRESENT = "orgs_text_indexes"


def _indexes_present(connection):
    """The index tables of INDEXES in the connection's database, looked up once per connection
    (a new connection may be to a database migrated otherwise)."""
    connection.ensure_connection()
    raw, present = getattr(connection, PRESENT, (None, frozenset()))
    if raw is not connection.connection:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            present = frozenset(name for (name,) in cursor.fetchall()) & set(INDEXES.values())
        setattr(connection, PRESENT, (connection.connection, present))
    return present
