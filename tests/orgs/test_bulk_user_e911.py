"""The Dialpad users changelist action "Assign an E911 address to selected users"."""

import pytest
from django.urls import reverse

from orgs.models import BulkPushJob, DialpadUser, E911Address
from tests.orgs.helpers_push import post_bulk_action, writes

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]

CHANGELIST = reverse("admin:orgs_dialpaduser_changelist")
ADDRESS = {"address": "500 Howard St", "address2": "", "city": "San Francisco",
           "state": "CA", "zip": "94105", "country": "US"}


def active_users(n):
    users = list(DialpadUser.objects.filter(state="active").order_by("display_name", "pk")[:n])
    assert len(users) == n
    return users


def step(client, users, step=None, **data):
    return post_bulk_action(client, "assign_e911", users, step, **data)


def test_the_review_shows_the_request_for_each_user_and_sends_nothing(org, pusher):
    users = active_users(2)

    response = step(pusher, users, "preview", **ADDRESS)

    assert [(p.method, p.path, p.body) for _, p, _, _ in response.context["previews"]] == [
        ("PUT", f"/api/v2/users/{u.pk}/e911",
         {**ADDRESS, "country": "us", "use_validated_option": False}) for u in users]
    assert writes(org) == []


def test_a_bad_field_is_shown_on_it(org, pusher):
    response = step(pusher, active_users(2), "preview", **{**ADDRESS, "city": "San\nFrancisco"})

    assert "city" in response.context["form"].errors
    assert writes(org) == []


def test_it_sets_the_address_of_each_selected_user(org, pusher):
    users = active_users(3)

    response = step(pusher, users, "confirm", **ADDRESS)

    job = BulkPushJob.objects.get()
    assert response.url == reverse("admin:orgs_bulkpushjob_change", args=[job.pk])
    assert job.items.filter(outcome="succeeded").count() == 3
    assert E911Address.objects.filter(user__in=users, address="500 Howard St").count() == 3
    assert [r.path for r in writes(org)] == [f"/api/v2/users/{u.pk}/e911" for u in users]


def test_a_user_deleted_in_dialpad_fails_alone(org, pusher):
    users = active_users(3)
    del org.state.users[users[1].pk]

    step(pusher, users, "confirm", **ADDRESS)

    outcomes = dict(BulkPushJob.objects.get().items.values_list("user", "outcome"))
    assert outcomes == {users[0].pk: "succeeded", users[1].pk: "refused",
                        users[2].pk: "succeeded"}


def test_over_20_users_run_as_a_task(org, pusher, eager, django_capture_on_commit_callbacks):
    users = active_users(21)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        step(pusher, users, "confirm", **ADDRESS)

    assert len(callbacks) == 1
    job = BulkPushJob.objects.get()
    assert (job.run_inline, job.status) == (False, "finished")
    assert job.items.filter(outcome="succeeded").count() == 21


def test_select_all_carries_the_whole_filtered_list_through_each_step(org, pusher):
    us = DialpadUser.objects.filter(country="us")
    url = f"{CHANGELIST}?country__exact=us"
    first = us.order_by("pk").first()
    select_all = {"action": "assign_e911", "_selected_action": [first.pk], "select_across": "1"}

    form_page = pusher.post(url, select_all)
    review = pusher.post(url, {**select_all, "_bulk_step": "preview", **ADDRESS})

    assert form_page.context["count"] == review.context["count"] == us.count() > 1
    assert 'name="select_across" value="1"' in review.content.decode()
    assert writes(org) == []
