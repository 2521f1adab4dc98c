"""The Dialpad users changelist action "Add selected users to a call center or department".

Choose the group and the role, review what will be sent (nothing is sent yet), confirm. Up to
20 users run inside the request and the job's page shows each one's result; more are queued
as a Celery task once the job row is committed. Here the task runs eagerly
(`task_always_eager` on the Celery app) when the on-commit callbacks are executed.
"""

import pytest
from django.urls import reverse

from orgs.models import BulkPushItem, BulkPushJob, CallCenter, DialpadUser, PushRecord
from tests import factories
from tests.orgs.helpers_push import post_bulk_action, writes

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]

CHANGELIST = reverse("admin:orgs_dialpaduser_changelist")


@pytest.fixture
def callcenter(org):
    return CallCenter.objects.first()


def operators_of(sim, callcenter):
    return {oid for otype, oid, _ in sim.state.operators("callcenter", callcenter.pk)
            if otype == "user"}


def newcomers(sim, callcenter, n):
    users = DialpadUser.objects.filter(state="active").exclude(
        pk__in=operators_of(sim, callcenter)).order_by("display_name", "pk")[:n]
    assert len(users) == n
    return list(users)


def step(client, users, step=None, **data):
    return post_bulk_action(client, "add_to_group", users, step, **data)


def choice(callcenter, role="operator"):
    return {"group_type": "callcenter", "callcenter": callcenter.pk, "role": role}


def test_the_action_asks_for_the_group_and_the_role(org, pusher, callcenter):
    users = newcomers(org, callcenter, 3)

    response = step(pusher, users)

    assert response.status_code == 200
    assert response.templates[0].name == "admin/orgs/push/bulk_form.html"
    fields = set(response.context["form"].fields)
    assert {"group_type", "department", "callcenter", "role"} <= fields
    assert "3 selected users" in response.content.decode()
    assert writes(org) == []


def test_the_review_shows_each_request_and_sends_nothing(org, pusher, callcenter):
    users = newcomers(org, callcenter, 3)

    response = step(pusher, users, "preview", **choice(callcenter, "admin"))

    assert response.status_code == 200
    previews = response.context["previews"]
    assert [(u, p.method, p.path, p.body) for u, p, _, _ in previews] == [
        (u, "POST", f"/api/v2/callcenters/{callcenter.pk}/operators",
         {"user_id": u.pk, "role": "admin"}) for u in users]
    assert "&quot;role&quot;: &quot;admin&quot;" in response.content.decode()
    assert writes(org) == [] and PushRecord.objects.count() == 0
    assert BulkPushJob.objects.count() == 0


def test_up_to_20_users_run_inline_and_show_each_result(org, pusher, callcenter):
    users = newcomers(org, callcenter, 3)

    response = step(pusher, users, "confirm", **choice(callcenter))

    job = BulkPushJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:orgs_bulkpushjob_change", args=[job.pk])
    assert (job.status, job.run_inline, job.total) == ("finished", True, 3)
    assert {u.pk for u in users} <= operators_of(org, callcenter)
    assert list(job.items.values_list("outcome", flat=True)) == ["succeeded"] * 3
    records = [item.push_record for item in job.items.order_by("position")]
    assert [r.request["body"]["user_id"] for r in records] == [u.pk for u in users]
    page = pusher.get(response.url).content.decode()
    assert "3 of 3 done: 3 succeeded" in page
    assert f"Added as operator of {callcenter}" in page
    assert 'http-equiv="refresh"' not in page


def test_one_refusal_does_not_stop_the_rest(org, pusher, callcenter):
    already = DialpadUser.objects.get(pk=sorted(operators_of(org, callcenter))[0])
    users = newcomers(org, callcenter, 2) + [already]

    step(pusher, users, "confirm", **choice(callcenter))

    items = {i.user: i for i in BulkPushItem.objects.all()}
    assert items[already].outcome == "refused"
    assert "already an operator" in items[already].message
    assert items[already].push_record.outcome == "refused"
    assert [items[u].outcome for u in users[:2]] == ["succeeded", "succeeded"]
    assert {u.pk for u in users[:2]} <= operators_of(org, callcenter)


def test_over_20_users_are_queued_after_commit(org, pusher, callcenter, eager,
                                               django_capture_on_commit_callbacks):
    users = newcomers(org, callcenter, 22)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = step(pusher, users, "confirm", **choice(callcenter))

    job = BulkPushJob.objects.get()
    assert response.url == reverse("admin:orgs_bulkpushjob_change", args=[job.pk])
    assert (job.status, job.run_inline, job.total) == ("queued", False, 22)
    assert writes(org) == []  # nothing is pushed before the job row is committed
    page = pusher.get(response.url).content.decode()
    assert 'http-equiv="refresh"' in page and "0 of 22 done" in page

    for callback in callbacks:  # the commit: the task runs (eagerly here)
        callback()

    job.refresh_from_db()
    assert job.status == "finished"
    assert job.items.filter(outcome="succeeded").count() == 22
    assert {u.pk for u in users} <= operators_of(org, callcenter)
    assert "22 of 22 done: 22 succeeded" in pusher.get(response.url).content.decode()


def test_a_queued_job_with_one_refusal_finishes_the_rest(org, pusher, callcenter, eager,
                                                         django_capture_on_commit_callbacks):
    already = DialpadUser.objects.get(pk=sorted(operators_of(org, callcenter))[0])
    users = newcomers(org, callcenter, 21) + [already]

    with django_capture_on_commit_callbacks(execute=True):
        step(pusher, users, "confirm", **choice(callcenter))

    job = BulkPushJob.objects.get()
    assert job.status == "finished"
    outcomes = dict(job.items.values_list("user", "outcome"))
    assert outcomes.pop(already.pk) == "refused"
    assert set(outcomes.values()) == {"succeeded"}


def test_a_missing_group_is_a_field_error(org, pusher, callcenter):
    users = newcomers(org, callcenter, 2)

    response = step(pusher, users, "preview", group_type="department", role="operator")

    assert response.context["form"].errors["department"] == ["Choose the group to add them to."]
    assert writes(org) == []


def test_the_action_is_not_offered_without_the_permission(org, client, callcenter):
    client.force_login(factories.LoginFactory(
        username="e911-only", is_staff=True,
        permissions=factories.VIEW_ORGS + ["orgs.change_e911"]))

    page = client.get(CHANGELIST).content.decode()
    response = step(client, newcomers(org, callcenter, 2), "confirm", **choice(callcenter))

    assert 'value="add_to_group"' not in page
    assert 'value="assign_e911"' in page
    assert response.status_code == 302 and response.url == CHANGELIST  # refused by the admin
    assert BulkPushJob.objects.count() == 0 and writes(org) == []
