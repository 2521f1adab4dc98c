"""A bulk push's page (the BulkPushJob admin) and the job runner of orgs.services.bulk."""

import pytest
from django.urls import reverse

from orgs import services, tasks
from orgs.services import operators as operator_services
from orgs.models import BulkPushItem, BulkPushJob, CallCenter, DialpadUser, PushRecord
from tests import factories
from tests.orgs.helpers_push import writes

pytestmark = pytest.mark.django_db


def job_of(creator, users, *, status="queued", group=None):
    job = BulkPushJob.objects.create(
        operation="operator_add", description=f"Add {len(users)} users", created_by=creator,
        created_by_username=creator.username, total=len(users), status=status,
        params={"group_type": "callcenter", "group_id": group.pk if group else 1,
                "role": "operator"})
    BulkPushItem.objects.bulk_create([
        BulkPushItem(job=job, position=n, user=u, target_repr=str(u))
        for n, u in enumerate(users, start=1)])
    return job


def page(job):
    return reverse("admin:orgs_bulkpushjob_change", args=[job.pk])


def test_its_creator_may_watch_it_without_the_view_permission(client):
    creator = factories.LoginFactory(username="creator", is_staff=True,
                                     permissions=["orgs.assign_operator"])
    job = job_of(creator, [factories.DialpadUserFactory()])
    client.force_login(creator)

    response = client.get(page(job))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Waiting for a Celery worker" in content
    assert 'http-equiv="refresh" content="2"' in content


def test_another_staff_user_without_the_view_permission_gets_403(client):
    job = job_of(factories.admin_who_may_push(), [factories.DialpadUserFactory()])
    client.force_login(factories.LoginFactory(username="mirror-only", is_staff=True,
                                              permissions=factories.VIEW_ORGS))

    assert client.get(page(job)).status_code == 403


def test_a_finished_job_lists_what_failed_first_and_stops_refreshing(client):
    users = [factories.DialpadUserFactory() for _ in range(3)]
    job = job_of(factories.admin_who_may_push(), users, status="finished")
    job.items.filter(position=1).update(outcome="succeeded", message="Added")
    job.items.filter(position=2).update(outcome="refused", message="Dialpad refused: no.")
    job.items.filter(position=3).update(outcome="succeeded", message="Added")
    client.force_login(factories.superuser())

    response = client.get(page(job))

    content = response.content.decode()
    assert "3 of 3 done: 2 succeeded, 1 not" in content
    assert 'http-equiv="refresh"' not in content
    rows = [item.position for item in response.context["related_sections"][0].listing.items]
    assert rows == [2, 1, 3]


def test_the_jobs_list_shows_progress(client):
    job_of(factories.admin_who_may_push(), [factories.DialpadUserFactory()])
    client.force_login(factories.superuser())

    response = client.get(reverse("admin:orgs_bulkpushjob_changelist"))

    assert "0 of 1 done: 0 succeeded" in response.content.decode()


def test_a_redelivered_job_pushes_only_its_pending_items(org):
    callcenter = CallCenter.objects.first()
    operators = {oid for _, oid, _ in org.state.operators("callcenter", callcenter.pk)}
    users = list(DialpadUser.objects.filter(state="active").exclude(pk__in=operators)[:2])
    job = job_of(factories.admin_who_may_push(), users, status="running", group=callcenter)
    job.items.filter(position=1).update(outcome="succeeded", message="Added before")

    tasks.bulk_push_job_task(job.pk)

    [post] = writes(org)
    assert post.json["user_id"] == users[1].pk
    job.refresh_from_db()
    assert job.status == "finished"
    assert job.items.get(position=1).message == "Added before"


def test_a_finished_job_is_not_run_again(org):
    job = job_of(factories.admin_who_may_push(), [factories.DialpadUserFactory()],
                 status="finished")

    tasks.bulk_push_job_task(job.pk)

    assert writes(org) == []
    assert job.items.get().outcome == "pending"


def test_an_unexpected_error_on_one_item_is_recorded_and_the_rest_go_on(org, monkeypatch):
    callcenter = CallCenter.objects.first()
    operators = {oid for _, oid, _ in org.state.operators("callcenter", callcenter.pk)}
    users = list(DialpadUser.objects.filter(state="active").exclude(pk__in=operators)[:2])
    job = job_of(factories.admin_who_may_push(), users, group=callcenter)
    real = operator_services.operator_add

    def flaky(**kwargs):
        if kwargs["member"] == users[0]:
            raise RuntimeError("boom")
        return real(**kwargs)

    monkeypatch.setattr(operator_services, "operator_add", flaky)

    services.bulk_job_run(job_id=job.pk)

    outcomes = list(job.items.order_by("position").values_list("outcome", flat=True))
    assert outcomes == ["errored", "succeeded"]
    assert "The console failed (RuntimeError)" in job.items.get(position=1).message


def test_each_item_links_the_journal_row_of_its_own_push(org, monkeypatch):
    callcenter = CallCenter.objects.first()
    operators = {oid for _, oid, _ in org.state.operators("callcenter", callcenter.pk)}
    users = list(DialpadUser.objects.filter(state="active").exclude(pk__in=operators)[:2])
    creator = factories.admin_who_may_push()
    job = job_of(creator, users, group=callcenter)
    real = operator_services.operator_add

    def after_another_push_by_the_same_admin(**kwargs):
        # e.g. from another tab, between this job's pushes
        PushRecord.objects.create(actor=creator, actor_username=creator.username,
                                  operation="operator_add", outcome="succeeded",
                                  message="Added someone else")
        return real(**kwargs)

    monkeypatch.setattr(operator_services, "operator_add", after_another_push_by_the_same_admin)

    services.bulk_job_run(job_id=job.pk)

    for item in job.items.order_by("position"):
        assert item.outcome == "succeeded"
        assert item.push_record.request["body"]["user_id"] == item.user_id
