"""End to end in a real browser: an admin adds an operator to a call center (autocomplete,
role, no confirmation: adding changes nothing in use), sees it in the call center's
operators and in its History; then removes it through the confirmation page, which shows
the request before anything is sent."""

import pytest

from orgs.models import CallCenter, DialpadUser
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def callcenter(org):
    return CallCenter.objects.order_by("name").first()


def newcomer(sim, callcenter):
    operators = {oid for otype, oid, _ in sim.state.operators("callcenter", callcenter.pk)
                 if otype == "user"}
    return DialpadUser.objects.filter(state="active").exclude(pk__in=operators).order_by(
        "display_name").first()


def test_an_admin_adds_an_operator_to_a_call_center(org, callcenter, admin_login, live_server):
    user = newcomer(org, callcenter)
    login = factories.admin_who_may_push()
    page = admin_login(login.username, factories.PASSWORD)

    page.goto(f"{live_server.url}/admin/orgs/callcenter/{callcenter.pk}/change/")
    form = page.locator("#operator-add-form")
    form.locator(".field-user .select2-selection").click()
    page.locator(".select2-search__field").fill(user.display_name)
    page.locator(".select2-results__option", has_text=user.display_name).first.click()
    form.locator("select[name=role]").select_option("admin")
    form.locator("input[type=submit]").click()

    page.wait_for_selector(".messagelist .success")
    assert f"Added user {user} as admin operator" in page.inner_text(".messagelist")
    operators = page.inner_text("#section-operators")
    assert user.display_name in operators and "Admin" in operators
    assert ("user", user.pk, "admin") in org.state.operators("callcenter", callcenter.pk)

    page.click("a.historylink")
    page.wait_for_selector("#change-history")
    assert f"Added {user} as admin operator via Dialpad Console" in page.inner_text(
        "#change-history")


def test_an_admin_removes_an_operator_after_seeing_the_request(org, callcenter, admin_login,
                                                                live_server):
    membership = callcenter.operators.filter(gone_at__isnull=True, user__isnull=False).first()
    user = membership.user
    login = factories.admin_who_may_push()
    page = admin_login(login.username, factories.PASSWORD)

    page.goto(f"{live_server.url}/admin/orgs/callcenter/{callcenter.pk}/change/")
    page.locator("#section-operators tr", has_text=user.display_name).locator(
        "a.dialpad-remove-operator").click()

    page.wait_for_selector(".dialpad-request")
    assert page.inner_text(".dialpad-method") == "DELETE"
    assert page.inner_text(".dialpad-path") == f"/api/v2/callcenters/{callcenter.pk}/operators"
    assert f'"user_id": {user.pk}' in page.inner_text(".dialpad-body")
    assert user.pk in {oid for _, oid, _ in org.state.operators("callcenter", callcenter.pk)}

    page.click("#confirm-form input[type=submit]")

    page.wait_for_selector(".messagelist .success")
    assert user.pk not in {oid for _, oid, _ in org.state.operators("callcenter",
                                                                      callcenter.pk)}
    assert page.locator("#section-operators tr", has_text=user.display_name).locator(
        "a.dialpad-remove-operator").count() == 0
