"""Migration orgs 0007 moves the four push permissions onto the push journal's model, so they
are listed together; every group's and user's grant carries over, and it reverses."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from orgs import permissions
from tests.factories import LoginFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("orgs", "0006_search")]
AFTER = [("orgs", "0007_push_permissions")]
FORMER_HOMES = {"manage_groups": "company", "assign_number": "phonenumber",
                "assign_operator": "operatormembership", "change_e911": "e911address"}
CODENAMES = sorted(FORMER_HOMES)


def migrate(targets):
    MigrationExecutor(connection).migrate(targets)
    ContentType.objects.clear_cache()


@pytest.fixture
def before_the_move():
    """The permissions as 0006 left them: each on its former model, granted to a group and a
    user. Back to the latest state afterwards."""
    migrate(BEFORE)
    Permission.objects.filter(codename__in=CODENAMES).delete()
    for codename, model in FORMER_HOMES.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="orgs", model=model)
        Permission.objects.create(content_type=content_type, codename=codename,
                                  name=f"old {codename}")
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def homes():
    return dict(Permission.objects.filter(codename__in=CODENAMES)
                .values_list("codename", "content_type__model"))


def test_the_push_permissions_are_declared_together_on_the_push_journal():
    content_type = ContentType.objects.get(app_label="orgs", model="pushrecord")
    assert set(Permission.objects.filter(content_type=content_type)
               .values_list("codename", flat=True)) >= set(CODENAMES)
    assert Permission.objects.filter(codename__in=CODENAMES).count() == 4
    assert [name for name, _ in permissions.PUSH_PERMISSIONS] == [
        "assign_operator", "change_e911", "assign_number", "manage_groups"]


def test_it_moves_the_permissions_and_keeps_every_grant(before_the_move):
    group = Group.objects.create(name="Telephony admins")
    group.permissions.add(*Permission.objects.filter(codename__in=["manage_groups",
                                                                   "assign_number"]))
    login = LoginFactory(username="e911-only", is_staff=True)
    login.user_permissions.add(Permission.objects.get(codename="change_e911"))
    member = LoginFactory(username="member", is_staff=True)
    member.groups.add(group)

    migrate(AFTER)

    assert homes() == dict.fromkeys(CODENAMES, "pushrecord")
    assert set(group.permissions.values_list("codename", flat=True)) == {"manage_groups",
                                                                         "assign_number"}
    assert list(login.user_permissions.values_list("codename", flat=True)) == ["change_e911"]
    member = type(member).objects.get(pk=member.pk)  # no cached permissions
    assert member.has_perm(permissions.MANAGE_GROUPS)
    assert member.has_perm(permissions.ASSIGN_NUMBER)
    assert not member.has_perm(permissions.CHANGE_E911)
    login = type(login).objects.get(pk=login.pk)
    assert login.has_perm(permissions.CHANGE_E911)


def test_where_the_permission_already_exists_it_merges_the_grants(before_the_move):
    push_type, _ = ContentType.objects.get_or_create(app_label="orgs", model="pushrecord")
    already = Permission.objects.create(content_type=push_type, codename="assign_operator",
                                        name="new")
    login = LoginFactory(username="operator-admin", is_staff=True)
    login.user_permissions.add(Permission.objects.get(codename="assign_operator",
                                                      content_type__model="operatormembership"))

    migrate(AFTER)

    assert list(Permission.objects.filter(codename="assign_operator")) == [already]
    assert list(login.user_permissions.all()) == [already]


def test_it_reverses(before_the_move):
    group = Group.objects.create(name="Number admins")
    group.permissions.add(Permission.objects.get(codename="assign_number"))
    migrate(AFTER)

    migrate(BEFORE)

    assert homes() == FORMER_HOMES
    assert list(group.permissions.values_list("codename", "content_type__model")) == [
        ("assign_number", "phonenumber")]


def test_on_a_fresh_database_it_moves_nothing(before_the_move):
    Permission.objects.filter(codename__in=CODENAMES).delete()

    migrate(AFTER)

    assert homes() == {}
