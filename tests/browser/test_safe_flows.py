"""End to end in a real browser, the flows that must not surprise an admin (issue 11): taking
a number in use, moving a user, confirming a held sync, changing an operator's role, deleting
a department. Each new confirmation page is saved as a full-page screenshot in
var/screenshots/ (see conftest.screenshot)."""

import pytest
from django.urls import reverse

from orgs.models import Department, DialpadUser, E911Address, Office, OperatorMembership, Room
from orgs.services.users import office_memberships
from syncjobs.choices import Status
from syncjobs.engine import run_sync
from tests import factories
from tests.orgs.helpers_push import a_users_only_number, history_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pusher_page(admin_login):
    login = factories.admin_who_may_push()
    return admin_login(login.username, factories.PASSWORD)


def url(live_server, name, *args):
    return f"{live_server.url}{reverse(name, args=args)}"


def change(live_server, obj):
    return url(live_server, f"admin:orgs_{obj._meta.model_name}_change", obj.pk)


def pick(page, field, term, option_text):
    """Open the picker of `field`, type `term`, choose the option showing `option_text`."""
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-search__field").fill(term)
    option = page.locator(".select2-results__option", has_text=option_text).first
    option.wait_for()
    return option


def test_the_number_picker_offers_free_numbers_with_their_area_code(org, pusher_page,
                                                                   live_server, screenshot):
    page = pusher_page
    room = Room.objects.filter(office__country="us", gone_at__isnull=True).first()
    page.goto(change(live_server, room))
    page.click("#section-numbers .dialpad-section-actions a")

    option = pick(page, "number", "415", "area code 415")
    screenshot("number-picker")
    number = option.inner_text().split(" · ")[0]
    option.click()
    page.click("#push-form input[type=submit]")

    page.wait_for_selector(".messagelist .success")
    assert f"Assigned {number} to room {room}" in page.inner_text(".messagelist")


def test_taking_a_number_in_use_is_confirmed_naming_its_holder(org, pusher_page, live_server,
                                                              screenshot):
    page = pusher_page
    phone = a_users_only_number()
    holder = phone.assigned_user
    room = Room.objects.filter(office__country="us", gone_at__isnull=True).first()
    page.goto(change(live_server, room))
    page.click("#section-numbers .dialpad-section-actions a")

    pick(page, "number", phone.number, phone.number).click()  # typed: it is not free
    page.click("#push-form input[type=submit]")

    page.wait_for_selector(".dialpad-confirm")
    warning = page.inner_text(".dialpad-warning")
    assert f"{phone.number} is assigned to user {holder} now" in warning
    assert f"It is {holder}'s only number." in warning
    screenshot("number-in-use-confirmation")
    assert org.state.numbers[phone.number]["target_id"] == holder.pk

    page.click("#confirm-form input[type=submit]")

    page.wait_for_selector(".messagelist .success")
    assert org.state.numbers[phone.number]["target_id"] == room.pk
    page.goto(url(live_server, "admin:orgs_dialpaduser_history", holder.pk))
    assert f"Lost number {phone.number}: assigned to room {room}" in page.inner_text(
        "#change-history")


def a_user_to_move(sim):
    for user in DialpadUser.objects.filter(state="active", office__country="us"):
        if (len(office_memberships(user, user.office)) >= 2 and sim.state.user_e911.get(user.pk)
                == sim.state.offices[user.office_id]["e911_address"]):
            return user
    raise AssertionError("no US user operating two groups of its office")


def test_moving_a_user_lists_what_it_leaves_wrong_and_fixes_it(org, pusher_page, live_server,
                                                               screenshot):
    page = pusher_page
    user = a_user_to_move(org)
    memberships = office_memberships(user, user.office)
    office = Office.objects.filter(country="us").exclude(pk=user.office_id).first()
    page.goto(change(live_server, user))
    page.click("a.dialpad-push-tool:has-text('Move to another office')")
    page.select_option("select[name=office]", str(office.pk))
    page.click("#push-form input[type=submit]")

    page.wait_for_selector(".dialpad-confirm")
    assert "After the move it stays so: wrong for someone in" in page.inner_text(
        "#consequence-e911")
    assert page.is_checked("#id_set_e911") and not page.is_checked("#id_remove_memberships")
    assert page.locator("#consequence-memberships > ul > li").count() == len(memberships)
    screenshot("move-user-confirmation")
    page.check("#id_remove_memberships")
    page.click("#confirm-form input[type=submit]")

    page.wait_for_selector(".messagelist .success")
    assert page.locator(".messagelist .success").count() == 2 + len(memberships)
    assert page.locator(".messagelist .error").count() == 0
    user.refresh_from_db()
    assert user.office == office
    assert str(E911Address.objects.get(user=user)) == str(E911Address.objects.get(office=office))
    assert not OperatorMembership.objects.filter(pk__in=[m.pk for m in memberships],
                                                 gone_at__isnull=True).exists()
    screenshot("move-user-done")


def test_a_held_sync_lists_every_object_before_marking_it_gone(org, admin_login, live_server,
                                                               screenshot):
    removed = list(org.state.users)[:5]
    for uid in removed:
        for gtype, gid, _role in org.state.groups_of("user", uid):
            org.state.remove_operator(gtype, gid, "user", uid)
        del org.state.users[uid]
    run = run_sync()
    assert run.status == Status.NEEDS_REVIEW
    factories.superuser()
    page = admin_login("root", factories.PASSWORD)
    page.goto(url(live_server, "admin:syncjobs_syncrun_change", run.pk))

    page.click("#confirm-gone-button")

    page.wait_for_selector("#held-objects")
    assert page.locator("#held-objects tbody tr").count() == run.pending_gone_total
    for user in DialpadUser.objects.filter(pk__in=removed):
        assert page.locator("#held-objects").get_by_role("link", name=str(user),
                                                         exact=True).count() == 1
    assert DialpadUser.objects.filter(gone_at__isnull=False).count() == 0
    screenshot("confirm-gone")
    page.click("#confirm-gone")

    page.wait_for_selector(".messagelist .success")
    assert DialpadUser.objects.filter(gone_at__isnull=False).count() == 5
    page.goto(change(live_server, DialpadUser.objects.get(pk=removed[0])))
    banner = page.inner_text(".dialpad-gone-note")
    assert f"not in a complete listing of sync run #{run.pk}, confirmed by root" in banner
    screenshot("gone-banner-sync")


def operator_membership():
    return OperatorMembership.objects.filter(group_type="department", operator_type="user",
                                             role="operator", gone_at__isnull=True).first()


def open_role_change(page, live_server, membership):
    page.goto(change(live_server, membership.department))
    page.locator("#section-operators tr", has_text=str(membership.user)).locator(
        "a.dialpad-change-role").click()
    page.select_option("select[name=role]", "admin")
    page.click("#push-form input[type=submit]")
    page.wait_for_selector(".dialpad-confirm")


def test_an_admin_changes_an_operators_role_in_one_confirmed_push(org, pusher_page, live_server,
                                                                  screenshot):
    page = pusher_page
    membership = operator_membership()

    open_role_change(page, live_server, membership)

    assert page.locator(".dialpad-step").count() == 2
    assert [m.inner_text() for m in page.locator(".dialpad-request .dialpad-method").all()] == [
        "DELETE", "POST"]
    screenshot("role-change-confirmation")
    page.click("#confirm-form input[type=submit]")

    page.wait_for_selector(".messagelist .success")
    row = page.locator("#section-operators tr", has_text=str(membership.user))
    assert "Admin" in row.inner_text()
    assert ("user", membership.operator_id, "admin") in org.state.operators(
        "department", membership.group_id)


def test_a_role_change_whose_add_fails_offers_to_add_the_operator_back(org, pusher_page,
                                                                      live_server, screenshot):
    page = pusher_page
    membership = operator_membership()
    open_role_change(page, live_server, membership)
    org.faults.fail_nth = {2}  # the DELETE goes through; the POST is answered 503

    page.click("#confirm-form input[type=submit]")

    page.wait_for_selector("#readd")
    assert f"{membership.user} is no longer an operator of" in page.inner_text("#readd")
    assert "but then: Dialpad refused" in page.inner_text(".dialpad-refusal")
    screenshot("role-change-readd")
    page.click("#readd-form input[type=submit]")

    page.wait_for_selector(".messagelist .success")
    assert ("user", membership.operator_id, "operator") in org.state.operators(
        "department", membership.group_id)


def test_an_admin_deletes_a_department_after_seeing_its_numbers_and_operators(
        org, pusher_page, live_server, screenshot):
    page = pusher_page
    department = Department.objects.filter(assigned_numbers__isnull=False,
                                           operators__isnull=False).distinct().first()
    numbers = list(department.assigned_numbers.values_list("number", flat=True))
    page.goto(change(live_server, department))

    page.click("a.dialpad-push-tool:has-text('Delete in Dialpad')")

    page.wait_for_selector(".dialpad-confirm")
    for number in numbers:
        assert number in page.inner_text("#consequence-numbers")
    assert page.locator("#consequence-memberships > ul > li").count() == department.operators.filter(
        gone_at__isnull=True).count()
    screenshot("delete-department-confirmation")
    page.click("#confirm-form input[type=submit]")

    page.wait_for_selector(".messagelist .success")
    assert "with a console push" in page.inner_text(".dialpad-gone-note")
    assert history_of(department)[-1] == f"Deleted department {department} via Dialpad Console"
    screenshot("gone-banner-push")
