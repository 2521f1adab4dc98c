"""A user's page: "Move to another office", always through a confirmation page (a move to
another country also says that it swaps the user's numbers). What the move leaves wrong, and
the offers to fix it, are in test_push_views_user_move_follow_ups.py."""

import pytest
from django.urls import reverse

from orgs.models import DialpadUser, Office
from tests.orgs.helpers_push import history_of, mirror_snapshot, writes

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]


@pytest.fixture
def user(org):
    return DialpadUser.objects.filter(office__country="us", state="active",
                                      assigned_numbers__isnull=False).distinct().first()


def move_url(user):
    return reverse("admin:orgs_dialpaduser_move_office", args=[user.pk])


def test_the_form_does_not_offer_the_users_own_office(org, pusher, user):
    form = pusher.get(move_url(user)).context["form"]

    assert user.office not in form.fields["office"].queryset


def test_a_move_within_its_country_is_confirmed_too_then_made(org, pusher, user):
    old = user.office
    office = Office.objects.exclude(pk=old.pk).filter(country=old.country).first()

    confirmation = pusher.post(move_url(user), {"office": office.pk})
    response = pusher.post(move_url(user), {"office": office.pk, "_confirmed": "1"})

    assert confirmation.templates[0].name == "admin/orgs/push/confirm.html"
    assert response.status_code == 302
    [patch] = writes(org)
    assert (patch.method, patch.path, patch.json) == (
        "PATCH", f"/api/v2/users/{user.pk}/move_office", {"office_id": office.pk})
    user.refresh_from_db()
    assert user.office == office
    assert history_of(user)[-1].startswith(f"Moved from {old} to {office} via Dialpad Console")


def test_a_move_abroad_is_confirmed_first_and_says_the_numbers_change(org, pusher, user):
    office = Office.objects.exclude(country=user.office.country).first()

    response = pusher.post(move_url(user), {"office": office.pk})

    assert response.status_code == 200
    assert response.context["planned"].body == {"office_id": office.pk}
    assert "Dialpad will unassign" in response.content.decode()
    assert writes(org) == []

    response = pusher.post(move_url(user), {"office": office.pk, "_confirmed": "1"})

    assert response.status_code == 302
    assert org.state.users[user.pk]["office_id"] == office.pk


def test_a_refused_move_shows_why_and_changes_nothing(org, pusher, user):
    office = Office.objects.exclude(pk=user.office_id).filter(country=user.office.country).first()
    del org.state.offices[office.pk]
    before = mirror_snapshot()

    response = pusher.post(move_url(user), {"office": office.pk, "_confirmed": "1"})

    [error] = response.context["form"].non_field_errors()
    assert error.startswith(f"Dialpad refused: office_id: office {office.pk} not found")
    assert mirror_snapshot() == before
