"""user_move_office: move a user to another office."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orgs import forms, services
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.models import DialpadUser, E911Address, Office, PhoneNumber
from tests import factories
from tests.orgs.helpers_push import (
    history_of,
    journal,
    mirror_snapshot,
    set_read_timeout,
    slow_only_the_first_write,
    sync_changes,
    writes,
)

pytestmark = pytest.mark.django_db


def a_user_with_a_number(country="us"):
    return DialpadUser.objects.filter(office__country=country, state="active",
                                      assigned_numbers__isnull=False).distinct().first()


def another_office(user, *, same_country):
    offices = Office.objects.exclude(pk=user.office_id)
    if same_country:
        return offices.filter(country=user.office.country).first()
    return offices.exclude(country=user.office.country).first()


def test_it_moves_a_user_and_its_numbers_follow(org, pusher):
    user = a_user_with_a_number()
    old_office = user.office
    office = another_office(user, same_country=True)
    number = user.assigned_numbers.first()

    moved = services.user_move_office(actor=pusher, user=user, office=office)

    [patch] = writes(org)
    assert (patch.method, patch.path, patch.json) == (
        "PATCH", f"/api/v2/users/{user.pk}/move_office", {"office_id": office.pk})
    assert org.state.users[user.pk]["office_id"] == office.pk
    assert moved.office == office
    number.refresh_from_db()
    assert (number.office, number.assigned_user) == (office, user)
    assert history_of(user)[-1].startswith(
        f"Moved from {old_office} to {office} via Dialpad Console "
        f"(office: {old_office} → {office})")
    assert journal()[0].outcome == "succeeded"


def test_a_move_abroad_swaps_the_users_numbers_and_the_mirror_follows(org, pusher):
    user = a_user_with_a_number()
    office = another_office(user, same_country=False)
    old_numbers = list(user.assigned_numbers.values_list("number", flat=True))

    planned = services.user_move_office(actor=pusher, user=user, office=office, preview=True)
    assert "will unassign" in planned.note

    services.user_move_office(actor=pusher, user=user, office=office)

    for number in old_numbers:
        assert PhoneNumber.objects.get(number=number).assigned_user is None
    new = PhoneNumber.objects.get(assigned_user=user)
    assert new.number == org.state.users[user.pk]["phone_numbers"][0]
    assert new.office == office
    assert sync_changes() == {}


def test_it_requires_the_manage_groups_permission(org):
    user = a_user_with_a_number()

    with pytest.raises(PermissionDenied):
        services.user_move_office(actor=factories.read_only_admin(), user=user,
                                  office=another_office(user, same_country=True))

    assert writes(org) == []
    assert journal()[0].outcome == "denied"


def test_it_refuses_the_users_own_office_before_sending(org, pusher):
    user = a_user_with_a_number()

    with pytest.raises(ValidationError) as error:
        services.user_move_office(actor=pusher, user=user, office=user.office)

    assert error.value.message_dict == {"office": [f"{user} is already in {user.office}."]}
    assert writes(org) == []


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher):
    user = a_user_with_a_number()
    office = another_office(user, same_country=True)
    del org.state.offices[office.pk]
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.user_move_office(actor=pusher, user=user, office=office)

    assert str(error.value).startswith(f"Dialpad refused: office_id: office {office.pk} not found")
    assert mirror_snapshot() == before
    assert journal()[0].dialpad_status == 404


def test_a_server_error_leaves_the_mirror_unchanged(org, pusher):
    user = a_user_with_a_number()
    org.faults.fail_nth = {1}
    before = mirror_snapshot()

    with pytest.raises(PushRefused):
        services.user_move_office(actor=pusher, user=user,
                                  office=another_office(user, same_country=True))

    assert mirror_snapshot() == before


def test_a_timeout_re_reads_the_user_before_reporting(org, pusher, settings):
    user = a_user_with_a_number()
    set_read_timeout(settings, 0.3)
    watcher = slow_only_the_first_write(org, 1.0)
    before = mirror_snapshot()

    with pytest.raises(PushOutcomeUnknown):
        services.user_move_office(actor=pusher, user=user,
                                  office=another_office(user, same_country=True))
    watcher.join()

    assert org.requests[-1].path == f"/api/v2/users/{user.pk}"
    assert mirror_snapshot() == before


def test_a_sync_after_the_push_records_no_change(org, pusher):
    user = a_user_with_a_number()

    services.user_move_office(actor=pusher, user=user,
                              office=another_office(user, same_country=True))

    assert sync_changes() == {}


def test_the_form_offers_the_other_offices_and_warns_about_a_move_abroad(org, pusher):
    user = a_user_with_a_number()
    abroad = another_office(user, same_country=False)

    form = forms.UserMoveOfficeForm({"office": abroad.pk}, user=user)

    assert user.office not in form.fields["office"].queryset
    assert form.is_valid() and form.needs_confirmation
    assert form.save(actor=pusher).office == abroad


def test_the_consequences_say_whether_the_e911_address_will_be_wrong():
    old, new = factories.OfficeFactory(), factories.OfficeFactory()
    user = factories.DialpadUserFactory(office=old)
    department = factories.DepartmentFactory(office=old)
    factories.OperatorMembershipFactory(group=department, operator=user)
    factories.OperatorMembershipFactory(group=factories.DepartmentFactory(office=new),
                                        operator=user)
    factories.E911AddressFactory(office=new, address="1 New St")
    mine = factories.E911AddressFactory(office=None, user=user, address="9 Old Rd")

    found = services.user_move_consequences(user=user, office=new)

    assert found.e911_wrong
    assert [m.department for m in found.memberships] == [department]
    assert found.numbers_swapped == []
    E911Address.objects.filter(pk=mine.pk).update(address="1 New St")
    assert not services.user_move_consequences(user=user, office=new).e911_wrong


def test_a_follow_up_without_the_new_offices_address_says_so(pusher):
    user = factories.DialpadUserFactory()
    office = factories.OfficeFactory()

    [follow_up] = services.user_move_follow_ups(actor=pusher, user=user, old_office=None,
                                                office=office, set_e911=True)

    assert not follow_up.ok
    assert follow_up.message == f"The console has no E911 address for office {office}."
