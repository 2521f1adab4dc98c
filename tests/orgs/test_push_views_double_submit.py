"""A push form rendered once pushes once (issue 8, case 4).

Every push form page carries a one-time token, passed on by its confirmation page; the POST
that pushes claims it before anything is sent. A second submit of the same page (a double
click, a resubmit) sends nothing and answers 409, saying what became of the first push, with
a link to its journal row. A POST without a token (a script) pushes as before.

Two truly concurrent submits are in test_push_views_concurrent_submits.py.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from orgs.admin import once
from orgs.models import BulkPushJob, CallCenter, Department, DialpadUser, Office
from orgs.models import OperatorMembership, PushRecord, PushSubmission, Room
from tests.orgs.helpers_push import journal, post_bulk_action, writes

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]


def token_of(response):
    """The one-time token of the push form on a page."""
    found = re.findall(rf'name="{once.TOKEN}" value="([^"]+)"', response.content.decode())
    assert len(found) == 1, found
    return found[0]


def submit_twice(client, url, data):
    """GET the form page, then POST its form twice, as a double click does."""
    data = {**data, once.TOKEN: token_of(client.get(url))}
    return client.post(url, data), client.post(url, data)


def journal_link(record):
    return reverse("admin:orgs_pushrecord_change", args=[record.pk])


def assert_refused_as_a_resubmit(response, first_push):
    assert response.status_code == 409
    content = response.content.decode()
    assert "This form was already submitted" in content
    assert "Nothing was sent again." in content
    assert f'href="{journal_link(first_push)}"' in content


@pytest.fixture
def office(org):
    return Office.objects.filter(state="active").first()


@pytest.mark.parametrize("kind,model,name", [("room", Room, "Lobby"),
                                             ("department", Department, "Billing")])
def test_a_double_post_of_a_create_makes_one_object(org, pusher, office, kind, model, name):
    url = f"{reverse(f'admin:orgs_{kind}_create')}?office={office.pk}"

    first, second = submit_twice(pusher, url, {"name": name})

    assert first.status_code == 302
    in_dialpad = getattr(org.state, f"{kind}s").values()
    assert [obj["name"] for obj in in_dialpad].count(name) == 1
    assert model.objects.filter(name=name).count() == 1
    [push] = journal()
    assert_refused_as_a_resubmit(second, push)


def test_a_double_post_of_an_area_code_assign_assigns_one_number(org, pusher):
    user = DialpadUser.objects.filter(state="active", office__country="us").first()
    url = reverse("admin:orgs_dialpaduser_number_assign", args=[user.pk])
    numbers_before = user.assigned_numbers.count()

    first, second = submit_twice(pusher, url, {"area_code": "415"})

    assert first.status_code == 302
    assert len(writes(org)) == 1
    assert user.assigned_numbers.count() == numbers_before + 1
    [push] = journal()
    assert_refused_as_a_resubmit(second, push)


def test_the_confirmation_page_passes_the_forms_token_on(org, pusher):
    membership = OperatorMembership.objects.filter(
        group_type="department", operator_type="user", gone_at__isnull=True).first()
    url = reverse("admin:orgs_department_operator_remove",
                  args=[membership.group_id, "user", membership.operator_id])
    page = pusher.get(url)  # nothing to fill in: straight to the confirmation
    data = {"_confirmed": "1", once.TOKEN: token_of(page)}

    first, second = pusher.post(url, data), pusher.post(url, data)

    assert first.status_code == 302
    assert len(writes(org)) == 1
    [push] = journal()
    assert_refused_as_a_resubmit(second, push)


def test_a_form_that_needs_confirmation_carries_its_token_to_the_confirmation(org, pusher):
    phone = DialpadUser.objects.filter(assigned_numbers__isnull=False).first(
        ).assigned_numbers.first()  # assigned: moving it needs a confirmation
    room = Room.objects.filter(state="active").first()
    url = reverse("admin:orgs_phonenumber_assign_to", args=[phone.pk])
    token = token_of(pusher.get(url))

    confirmation = pusher.post(url, {"target_type": "room", "room": room.pk,
                                     once.TOKEN: token})

    assert confirmation.templates[0].name == "admin/orgs/push/confirm.html"
    assert token_of(confirmation) == token
    assert writes(org) == []


def test_a_resubmit_while_the_first_push_is_still_being_sent_says_so(org, pusher, office):
    url = f"{reverse('admin:orgs_room_create')}?office={office.pk}"
    token = token_of(pusher.get(url))
    PushSubmission.objects.create(token=token)  # claimed, not finished: still being sent

    response = pusher.post(url, {"name": "Lobby", once.TOKEN: token})

    assert response.status_code == 409
    content = response.content.decode()
    assert "that push is still being sent to Dialpad" in content
    assert f'href="{reverse("admin:orgs_pushrecord_changelist")}"' in content
    assert writes(org) == [] and journal() == []


def test_the_page_after_a_refusal_has_a_new_token_that_pushes(org, pusher, office):
    url = f"{reverse('admin:orgs_room_create')}?office={office.pk}"
    token = token_of(pusher.get(url))
    org.faults.fail_nth = {1}  # Dialpad answers the create 503 once: refused, not applied

    refused = pusher.post(url, {"name": "Lobby", once.TOKEN: token})
    again = pusher.post(url, {"name": "Lobby", once.TOKEN: token_of(refused)})

    assert refused.status_code == 200 and token_of(refused) != token
    assert again.status_code == 302
    assert [r.outcome for r in journal()] == ["refused", "succeeded"]


def test_a_post_without_a_token_pushes_as_before(org, pusher, office):
    url = f"{reverse('admin:orgs_room_create')}?office={office.pk}"

    response = pusher.post(url, {"name": "Lobby"})

    assert response.status_code == 302
    assert PushSubmission.objects.count() == 0
    assert Room.objects.filter(name="Lobby").count() == 1


@pytest.mark.parametrize("token", ["x" * 65, "not a token!", "²" * 20])
def test_a_token_that_none_of_our_pages_gives_is_ignored(org, pusher, office, token):
    url = f"{reverse('admin:orgs_room_create')}?office={office.pk}"

    response = pusher.post(url, {"name": "Lobby", once.TOKEN: token})

    assert response.status_code == 302
    assert PushSubmission.objects.count() == 0


def test_the_inline_add_operator_form_carries_a_token(org, pusher):
    callcenter = CallCenter.objects.filter(state="active").first()

    page = pusher.get(reverse("admin:orgs_callcenter_change", args=[callcenter.pk]))

    assert token_of(page)


def test_a_double_confirm_of_a_bulk_action_starts_one_job(org, pusher):
    callcenter = CallCenter.objects.filter(state="active").first()
    users = list(DialpadUser.objects.filter(state="active").exclude(
        memberships__callcenter=callcenter).order_by("pk")[:2])
    choice = {"group_type": "callcenter", "callcenter": callcenter.pk, "role": "operator"}
    form = post_bulk_action(pusher, "add_to_group", users)
    review = post_bulk_action(pusher, "add_to_group", users, "preview", **choice,
                              **{once.TOKEN: token_of(form)})
    confirm = {**choice, once.TOKEN: token_of(review)}

    first = post_bulk_action(pusher, "add_to_group", users, "confirm", **confirm)
    second = post_bulk_action(pusher, "add_to_group", users, "confirm", **confirm)

    [job] = BulkPushJob.objects.all()
    assert first.status_code == 302 and first.url == reverse(
        "admin:orgs_bulkpushjob_change", args=[job.pk])
    assert len(writes(org)) == 2  # one push per user, once
    assert second.status_code == 409
    content = second.content.decode()
    assert "This form was already submitted" in content
    assert f'href="{first.url}"' in content


def test_a_resubmit_names_the_outcome_of_the_first_push(org, pusher, office):
    url = f"{reverse('admin:orgs_room_create')}?office={office.pk}"
    record = PushRecord.objects.create(operation="room_create", outcome="refused",
                                       message="Dialpad refused: no.")
    token = token_of(pusher.get(url))
    PushSubmission.objects.create(token=token, push_record=record, finished_at=timezone.now())

    response = pusher.post(url, {"name": "Lobby", once.TOKEN: token})

    assert response.status_code == 409
    assert "Dialpad refused: no.</a> (Refused by Dialpad)" in response.content.decode()
    assert writes(org) == []
