"""A number page's "Unassign": always through a confirmation that says plainly when the
number may leave the company for good, with the exact request."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from orgs.models import PhoneNumber
from tests.orgs.helpers_push import history_of, journal, mirror_snapshot, writes

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]


@pytest.fixture
def phone(org):
    return PhoneNumber.objects.filter(assigned_user__isnull=False).first()


def unassign_url(phone):
    return reverse("admin:orgs_phonenumber_unassign", args=[phone.pk])


def test_the_number_page_has_assign_to_and_unassign_controls(org, pusher, phone):
    response = pusher.get(reverse("admin:orgs_phonenumber_change", args=[phone.pk]))

    content = response.content.decode()
    assert f'href="{unassign_url(phone)}"' in content
    assert reverse("admin:orgs_phonenumber_assign_to", args=[phone.pk]) in content


def test_get_says_plainly_that_the_number_may_be_lost_and_sends_nothing(org, pusher, phone):
    response = pusher.get(unassign_url(phone))

    content = response.content.decode()
    planned = response.context["planned"]
    assert (planned.method, planned.url, planned.body) == (
        "DELETE", f"/api/v2/numbers/{phone.number}?release=false", None)
    assert f"Unassign {phone.number} from user {phone.assigned_user}." in content
    assert "If it has none, Dialpad releases the number and the company loses it for good." \
        in content
    assert "Release it for good instead" in content
    assert writes(org) == [] and journal() == []


def test_asking_to_release_it_says_so_and_sends_release_true(org, pusher, phone):
    response = pusher.get(unassign_url(phone) + "?release=on")

    assert response.context["planned"].url == f"/api/v2/numbers/{phone.number}?release=true"
    assert "it leaves the company for good" in response.content.decode()
    assert writes(org) == []


def test_the_confirmation_post_unassigns_it(org, pusher, phone):
    owner = phone.assigned_user

    response = pusher.post(unassign_url(phone), {"release": "False", "_confirmed": "1"})

    assert response.status_code == 302
    [delete] = writes(org)
    assert (delete.method, delete.path) == ("DELETE", f"/api/v2/numbers/{phone.number}")
    assert delete.query == {"release": "false"}
    phone.refresh_from_db()
    assert phone.assigned_user is None
    assert history_of(owner)[-1] == f"Unassigned number {phone.number} via Dialpad Console"
    messages = [str(m) for m in pusher.get(response.url).context["messages"]]
    assert messages[0].startswith(f"Unassigned {phone.number} from user {owner}; ")


def test_a_post_without_confirmation_sends_nothing(org, pusher, phone):
    response = pusher.post(unassign_url(phone), {"release": "on"})

    assert response.context["planned"].query == {"release": True}
    assert writes(org) == []


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher, phone):
    del org.state.numbers[phone.number]
    before = mirror_snapshot()

    response = pusher.post(unassign_url(phone), {"_confirmed": "1"})

    assert response.status_code == 200
    [error] = response.context["failure"]
    assert error.startswith(f"Dialpad refused: number: {phone.number} is not one of")
    assert escape(error) in response.content.decode()
    assert mirror_snapshot() == before
