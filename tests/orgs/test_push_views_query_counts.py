"""The push controls cost no query per row: an admin who may push gets pages whose query
count is as constant in the size of the org as a read-only admin's."""

import pytest
from django.urls import reverse

from orgs import selectors
from orgs.models import BulkPushItem, BulkPushJob
from tests import factories
from tests.orgs.test_admin_query_counts import BIG, SMALL, assert_constant_queries

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]


def test_the_office_page_with_its_controls(pusher, django_assert_max_num_queries):
    office = factories.OfficeFactory()
    factories.E911AddressFactory(office=office)
    factories.org_build(size=SMALL, office=office)

    response = assert_constant_queries(
        pusher, reverse("admin:orgs_office_change", args=[office.pk]),
        lambda: factories.org_build(size=BIG - SMALL, office=office),
        django_assert_max_num_queries,
    )

    assert response.context["push_tools"]
    assert 'id="operator-add-form"' in response.content.decode()


@pytest.mark.parametrize("group_factory", [factories.DepartmentFactory,
                                           factories.CallCenterFactory])
def test_a_group_page_with_a_remove_link_per_operator(pusher, django_assert_max_num_queries,
                                                      group_factory):
    group = group_factory()

    def add(count):
        for _ in range(count):
            factories.OperatorMembershipFactory(group=group,
                                                operator=factories.DialpadUserFactory())
            factories.PhoneNumberFactory(target=group)

    add(SMALL)
    response = assert_constant_queries(
        pusher, reverse(f"admin:orgs_{group._meta.model_name}_change", args=[group.pk]),
        lambda: add(BIG - SMALL), django_assert_max_num_queries,
    )

    shown = min(BIG, selectors.RELATED_LIMIT)  # the section is capped; "See all" lists the rest
    assert response.content.decode().count('class="dialpad-remove-operator"') == shown


def test_the_user_changelist_with_its_bulk_actions(pusher, django_assert_max_num_queries):
    org = factories.org_build(size=SMALL)

    response = assert_constant_queries(
        pusher, reverse("admin:orgs_dialpaduser_changelist"),
        lambda: factories.org_build(size=BIG - SMALL, org=org), django_assert_max_num_queries,
    )

    assert 'value="add_to_group"' in response.content.decode()


def test_a_bulk_push_page(client, django_assert_max_num_queries):
    creator = factories.superuser()
    client.force_login(creator)
    job = BulkPushJob.objects.create(operation="operator_add", description="Add", total=0,
                                     created_by=creator, status="running")

    def add(count):
        start = job.items.count()
        BulkPushItem.objects.bulk_create([
            BulkPushItem(job=job, position=start + n, user=factories.DialpadUserFactory(),
                         outcome="succeeded") for n in range(1, count + 1)])

    add(SMALL)
    assert_constant_queries(client, reverse("admin:orgs_bulkpushjob_change", args=[job.pk]),
                            lambda: add(BIG - SMALL), django_assert_max_num_queries)
