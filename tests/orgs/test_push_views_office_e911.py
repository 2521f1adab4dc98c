"""The "Edit E911 address" control of an office page, and its view.

A plain edit pushes on the first POST; applying the address to every user of the office
changes addresses in use, so that one goes through a confirmation page first.
"""

import pytest
from django.urls import reverse

from orgs.models import DialpadUser, E911Address, Office
from tests.orgs.helpers_push import history_of, journal, mirror_snapshot, writes

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]

ADDRESS = {"address": "500 Howard St", "address2": "Floor 3", "city": "San Francisco",
           "state": "CA", "zip": "94105", "country": "US"}
SENT = {**ADDRESS, "country": "us"}  # Dialpad's spelling


@pytest.fixture
def office(org):
    return Office.objects.filter(users__isnull=False).first()


def e911_url(office):
    return reverse("admin:orgs_office_e911", args=[office.pk])


def test_the_office_page_shows_the_address_and_the_edit_control(org, pusher, office):
    response = pusher.get(reverse("admin:orgs_office_change", args=[office.pk]))

    content = response.content.decode()
    assert 'id="section-e911"' in content
    assert str(E911Address.objects.get(office=office)) in content
    assert f'href="{e911_url(office)}"' in content


def test_the_form_starts_from_the_stored_address(org, pusher, office):
    stored = E911Address.objects.get(office=office)

    response = pusher.get(e911_url(office))

    form = response.context["form"]
    assert (form["address"].value(), form["city"].value()) == (stored.address, stored.city)
    assert "apply_to_users" in form.fields and "use_validated_option" in form.fields


def test_it_changes_the_office_address_on_the_first_post(org, pusher, office):
    response = pusher.post(e911_url(office), ADDRESS)

    assert response.status_code == 302
    assert response.url == reverse("admin:orgs_office_change", args=[office.pk])
    [put] = writes(org)
    assert (put.method, put.path) == ("PUT", f"/api/v2/offices/{office.pk}/e911")
    assert put.json == {**SENT, "update_all": False, "use_validated_option": False}
    assert E911Address.objects.get(office=office).address == "500 Howard St"
    assert history_of(office)[-1].startswith("Changed E911 address to 500 Howard St")


def test_applying_it_to_all_users_shows_a_confirmation_and_sends_nothing(org, pusher, office):
    response = pusher.post(e911_url(office), {**ADDRESS, "apply_to_users": "on",
                                              "use_validated_option": "on"})

    assert response.status_code == 200
    planned = response.context["planned"]
    assert (planned.method, planned.path) == ("PUT", f"/api/v2/offices/{office.pk}/e911")
    assert planned.body == {**SENT, "update_all": True, "use_validated_option": True}
    content = response.content.decode()
    assert "&quot;update_all&quot;: true" in content
    users = DialpadUser.objects.filter(office=office, gone_at__isnull=True).count()
    assert f"every user of {office} ({users} in the console)" in content
    assert writes(org) == []


def test_the_confirmation_post_applies_it_to_all_users(org, pusher, office):
    response = pusher.post(e911_url(office), {**ADDRESS, "apply_to_users": "on",
                                              "_confirmed": "1"})

    assert response.status_code == 302
    [put] = writes(org)
    assert put.json["update_all"] is True
    users = DialpadUser.objects.filter(office=office, gone_at__isnull=True)
    assert E911Address.objects.filter(user__in=users, address="500 Howard St").count() \
        == users.count()


def test_a_bad_field_is_shown_on_it_and_nothing_is_sent(org, pusher, office):
    response = pusher.post(e911_url(office), {**ADDRESS, "city": "", "zip": "941\n05"})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"city", "zip"}
    assert writes(org) == [] and journal() == []


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher, office):
    del org.state.offices[office.pk]  # deleted in Dialpad directly
    before = mirror_snapshot()

    response = pusher.post(e911_url(office), ADDRESS)

    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("Dialpad refused: ")
    assert error in response.content.decode()
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "refused"
