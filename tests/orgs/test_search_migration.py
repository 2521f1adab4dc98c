"""Migration orgs 0006 (search at scale) applies and reverses on SQLite and PostgreSQL: it fills
the existing users' search column and builds the database's own search indexes."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from orgs import search
from orgs.models import DialpadUser

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("orgs", "0005_last_seen_is_read_at")]
AFTER = [("orgs", "0006_search")]
SEARCH_MIGRATION = importlib.import_module("orgs.migrations.0006_search")


def migrate(targets):
    """Migrate the test database to `targets`; the apps (historical models) there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def indexes():
    """{name: introspected details} of the indexes of the tables the search reads."""
    with connection.cursor() as cursor:
        return {name: info for table in ("orgs_dialpaduser", "orgs_phonenumber", "orgs_office",
                                         "orgs_department", "orgs_callcenter", "orgs_room")
                for name, info in connection.introspection.get_constraints(cursor, table).items()}


SEARCH_INDEXES = {name for name, _table, _how in SEARCH_MIGRATION.INDEXES[connection.vendor]}
FILTER_INDEXES = {"orgs_dialpaduser_country", "orgs_dialpaduser_license"}


def columns(table):
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


@pytest.fixture
def before_search():
    """The database as it was before 0006; put back to the latest state afterwards."""
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_it_fills_the_search_text_of_the_users_already_mirrored(before_search):
    old_user = before_search.get_model("orgs", "DialpadUser")
    old_user.objects.create(dialpad_id=1, display_name="Ada Lovelace", first_name="Ada",
                            last_name="Lovelace", emails="ada@example.com\nCountess@X.example",
                            job_title="Analyst", extension="1042")
    old_user.objects.create(dialpad_id=2, display_name="Charles Babbage")

    migrate(AFTER)

    ada = DialpadUser.objects.get(pk=1)
    assert ada.search_text == ("ada lovelace\nada\nlovelace\nada@example.com\ncountess@x.example"
                               "\nanalyst")
    assert list(search.user_search(DialpadUser.objects.all(), term="countess")) == [ada]
    ada.save()  # what the mirror and save() write: the same, so nothing to rewrite later
    assert DialpadUser.objects.get(pk=1).search_text == ada.search_text


def test_it_builds_this_databases_search_indexes(before_search):
    migrate(AFTER)

    built = indexes()
    assert SEARCH_INDEXES and SEARCH_INDEXES | FILTER_INDEXES <= set(built)
    if connection.vendor == "postgresql":
        assert {built[name]["type"] for name in SEARCH_INDEXES} == {"gin"}


def test_it_reverses_to_the_schema_before_it(before_search):
    migrate(AFTER)

    migrate(BEFORE)

    assert "search_text" not in columns("orgs_dialpaduser")
    assert not (SEARCH_INDEXES | FILTER_INDEXES) & set(indexes())


DESCRIPTION_MIGRATION = importlib.import_module("orgs.migrations.0010_description_search_indexes")
DESCRIPTION_INDEXES = {name for name, _table, _how
                       in DESCRIPTION_MIGRATION.INDEXES[connection.vendor]}


def test_the_descriptions_are_indexed_as_the_names_are_and_the_migration_reverses():
    assert DESCRIPTION_INDEXES <= set(indexes())
    if connection.vendor == "postgresql":
        assert {indexes()[name]["type"] for name in DESCRIPTION_INDEXES} == {"gin"}
    try:
        migrate([("orgs", "0009_sqlite_text_index")])
        assert not DESCRIPTION_INDEXES & set(indexes())
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert DESCRIPTION_INDEXES <= set(indexes())
