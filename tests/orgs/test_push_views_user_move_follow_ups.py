"""Moving a user says what the move leaves wrong, and fixes it in the same flow (issue 11).

The confirmation lists the E911 address that will be wrong, the user's memberships in the old
office's groups (the office, its departments and call centers) and, for a move abroad, the
numbers Dialpad swaps; it offers to set the E911 address to the new office's (ticked) and to
remove those memberships (not ticked: a business decision), each with exactly what it would
send. Each ticked fix is its own push after the move, journaled; one that fails is said
plainly on the user's page, and the others still happen.
"""

import pytest
from django.urls import reverse

from orgs.admin import once
from orgs.models import DialpadUser, E911Address, Office, OperatorMembership
from orgs.services.users import office_memberships
from tests.orgs.helpers_push import history_of, journal, writes
from tests.orgs.test_push_views_double_submit import assert_refused_as_a_resubmit, token_of

pytestmark = [pytest.mark.django_db, pytest.mark.pusher("client")]


@pytest.fixture
def user(org):
    """A US user operating groups of its office, whose E911 address is its office's."""
    for user in DialpadUser.objects.filter(state="active", office__country="us"):
        in_dialpad = org.state.user_e911.get(user.pk)
        if (len(office_memberships(user, user.office)) >= 2
                and in_dialpad == org.state.offices[user.office_id]["e911_address"]):
            return user  # its E911 address is read when a page shows it
    raise AssertionError("no such user in the demo org")


@pytest.fixture
def office(user):
    return Office.objects.filter(country=user.office.country).exclude(pk=user.office_id).first()


def move_url(user):
    return reverse("admin:orgs_dialpaduser_move_office", args=[user.pk])


def confirmation(pusher, user, office):
    return pusher.post(move_url(user), {"office": office.pk})


def test_the_confirmation_says_the_e911_address_will_be_wrong_and_offers_the_offices(
        org, pusher, user, office):
    response = confirmation(pusher, user, office)

    content = response.content.decode()
    new_address = E911Address.objects.get(office=office)
    assert 'id="consequence-e911"' in content
    assert f"After the move it stays so: wrong for someone in {office}" in content
    assert ('<input type="checkbox" name="set_e911" id="id_set_e911" form="confirm-form" '
            'checked>') in content
    assert f"/api/v2/users/{user.pk}/e911" in content
    assert new_address.address in content
    assert [w.method for w in writes(org)] == []


def test_the_confirmation_lists_the_old_offices_groups_and_offers_to_leave_them(
        org, pusher, user, office):
    memberships = office_memberships(user, user.office)

    content = confirmation(pusher, user, office).content.decode()

    assert f"Operator of {user.office}&#x27;s groups ({len(memberships)})" in content
    for membership in memberships:
        assert reverse(f"admin:orgs_{membership.group_type}_change",
                       args=[membership.group_id]) in content
        assert f"/api/v2/{membership.group_type.replace('callcenter', 'callcenters')}" in content
    assert ('<input type="checkbox" name="remove_memberships" id="id_remove_memberships" '
            'form="confirm-form">') in content  # not ticked by default


def test_a_move_abroad_also_lists_the_numbers_dialpad_swaps(org, pusher, user):
    abroad = Office.objects.exclude(country=user.office.country).first()
    numbers = list(user.assigned_numbers.values_list("number", flat=True))

    content = confirmation(pusher, user, abroad).content.decode()

    assert 'id="consequence-numbers"' in content
    for number in numbers:
        assert number in content


def test_the_ticked_fixes_are_made_after_the_move_each_journaled(org, pusher, user, office):
    memberships = office_memberships(user, user.office)

    response = pusher.post(move_url(user), {"office": office.pk, "set_e911": "on",
                                            "remove_memberships": "on", "_confirmed": "1"})

    assert response.status_code == 302
    sent = [(w.method, w.path.split("/")[3]) for w in writes(org)]
    assert sent[:2] == [("PATCH", "users"), ("PUT", "users")]
    assert [method for method, _ in sent[2:]] == ["DELETE"] * len(memberships)
    user.refresh_from_db()
    assert user.office == office
    assert str(E911Address.objects.get(user=user)) == str(E911Address.objects.get(office=office))
    assert not OperatorMembership.objects.filter(pk__in=[m.pk for m in memberships],
                                                 gone_at__isnull=True).exists()
    records = journal()
    assert [r.operation for r in records] == (
        ["user_move_office", "user_e911_update"] + ["operator_remove"] * len(memberships))
    assert {r.outcome for r in records} == {"succeeded"}
    messages = [str(m) for m in pusher.get(response.url).context["messages"]]
    assert messages == [r.message for r in records]


def test_nothing_but_the_move_when_nothing_is_ticked(org, pusher, user, office):
    response = pusher.post(move_url(user), {"office": office.pk, "_confirmed": "1"})

    assert response.status_code == 302
    assert [w.method for w in writes(org)] == ["PATCH"]
    assert [r.operation for r in journal()] == ["user_move_office"]


def test_a_fix_that_fails_is_said_plainly_and_the_others_still_happen(org, pusher, user,
                                                                      office):
    first, *others = office_memberships(user, user.office)
    # Someone removes the user from one group in Dialpad while the move is answered.
    org.after_answer(lambda method, path, query: method == "PATCH",
                     lambda: org.state.remove_operator(first.group_type, first.group_id,
                                                       "user", user.pk))

    response = pusher.post(move_url(user), {"office": office.pk, "set_e911": "on",
                                            "remove_memberships": "on", "_confirmed": "1"})

    page = pusher.get(response.url)
    errors = [str(m) for m in page.context["messages"] if m.level_tag == "error"]
    assert errors == [
        f"{user} was moved to office {office}, but removing them from the operators of "
        f"{first.group_type.replace('callcenter', 'call center')} {first.group} did not go "
        f"through: Dialpad refused: {errors[0].split('Dialpad refused: ', 1)[1]}"]
    assert errors[0].endswith("Fix it from this page.")
    outcomes = [r.outcome for r in journal()]
    assert outcomes.count("refused") == 1 and outcomes.count("succeeded") == 1 + 1 + len(others)
    user.refresh_from_db()
    assert user.office == office
    assert history_of(user)[0]  # the History is there to read on the user's page


def test_an_offer_the_admin_may_not_make_says_why(org, client, user, office):
    from tests import factories

    client.force_login(factories.LoginFactory(
        username="mover", is_staff=True,
        permissions=factories.VIEW_ORGS + ["orgs.manage_groups", "orgs.assign_operator"]))

    content = client.post(move_url(user), {"office": office.pk}).content.decode()

    assert "Not offered: mover does not have the permission orgs.change_e911" in content
    assert 'name="set_e911"' not in content.split('id="consequence-e911"')[1].split(
        "</div>")[0]
    assert 'name="remove_memberships"' in content


def test_a_double_submit_moves_once(org, pusher, user, office):
    page = confirmation(pusher, user, office)
    data = {"office": office.pk, "set_e911": "on", "_confirmed": "1",
            once.TOKEN: token_of(page)}

    first, second = pusher.post(move_url(user), data), pusher.post(move_url(user), data)

    assert first.status_code == 302
    assert [w.method for w in writes(org)] == ["PATCH", "PUT"]
    assert_refused_as_a_resubmit(second, journal()[0])


def test_the_users_own_office_is_refused_on_the_field(org, pusher, user):
    response = pusher.post(move_url(user), {"office": user.office_id, "set_e911": "on",
                                            "_confirmed": "1"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["office"]
    assert writes(org) == [] and journal() == []
