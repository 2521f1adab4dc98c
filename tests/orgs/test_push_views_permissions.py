"""Who may reach each push view, and who sees its control.

For every push view: an admin with the push's permission sees the control on the page it
belongs to; a staff user with every other push permission but that one does not see it, and
gets 403 on GET and on POST (and the service is never called: no journal row); so does a
staff user with every push permission who may not view the view's model; a wrong method
is 405; a missing object is 404; a login that is not staff is sent to the login page.

These use factory rows, not the simulator: nothing here may reach Dialpad.
"""

from dataclasses import dataclass
from typing import Callable

import pytest
from django.urls import reverse

from orgs.models import PushRecord
from tests import factories

pytestmark = pytest.mark.django_db

MISSING = 4_999_999_999_999_999  # an id no factory hands out


def change(obj):
    return reverse(f"admin:orgs_{obj._meta.model_name}_change", args=[obj.pk])


def changelist(model_name):
    return reverse(f"admin:orgs_{model_name}_changelist")


@dataclass
class PushPage:
    name: str
    permission: str
    url: Callable  # (org, pk_or_None) -> the view's URL; pk replaces the object's id
    page: Callable  # org -> the page that shows the control

    def __str__(self):
        return self.name


def on(model_name, view, pick, *extra):
    """A push view of an object: admin:orgs_<model_name>_<view> with the picked object's id."""
    def url(org, pk=None):
        obj = pick(org)
        return reverse(f"admin:orgs_{model_name}_{view}",
                       args=[obj.pk if pk is None else pk, *(e(org) for e in extra)])
    return url


def create(model_name, from_office):
    def url(org, pk=None):
        base = reverse(f"admin:orgs_{model_name}_create")
        if not from_office:
            return base if pk is None else f"{base}?office={pk}"
        return f"{base}?office={org.offices[0].pk if pk is None else pk}"
    return url


def office(org):
    return org.offices[0]


def department(org):
    return org.departments[0]


def callcenter(org):
    return org.callcenters[0]


def room(org):
    return org.rooms[0]


def user(org):
    return org.users[0]


def users_number(org):
    return org.numbers[0]  # org_build assigns the first number to the user


def operator_id(org):
    return org.users[0].pk


def kind_user(org):
    return "user"


PAGES = [
    PushPage("add operator to an office", "assign_operator",
             on("office", "operator_add", office), lambda o: change(office(o))),
    PushPage("add operator to a department", "assign_operator",
             on("department", "operator_add", department), lambda o: change(department(o))),
    PushPage("add operator to a call center", "assign_operator",
             on("callcenter", "operator_add", callcenter), lambda o: change(callcenter(o))),
    PushPage("remove an office operator", "assign_operator",
             on("office", "operator_remove", office, kind_user, operator_id),
             lambda o: change(office(o))),
    PushPage("remove a department operator", "assign_operator",
             on("department", "operator_remove", department, kind_user, operator_id),
             lambda o: change(department(o))),
    PushPage("remove a call center operator", "assign_operator",
             on("callcenter", "operator_remove", callcenter, kind_user, operator_id),
             lambda o: change(callcenter(o))),
    PushPage("edit an office's E911 address", "change_e911",
             on("office", "e911", office), lambda o: change(office(o))),
    PushPage("edit a user's E911 address", "change_e911",
             on("dialpaduser", "e911", user), lambda o: change(user(o))),
    PushPage("assign a number to an office", "assign_number",
             on("office", "number_assign", office), lambda o: change(office(o))),
    PushPage("assign a number to a room", "assign_number",
             on("room", "number_assign", room), lambda o: change(room(o))),
    PushPage("assign a number to a user", "assign_number",
             on("dialpaduser", "number_assign", user), lambda o: change(user(o))),
    PushPage("assign a number to a call center", "assign_number",
             on("callcenter", "number_assign", callcenter), lambda o: change(callcenter(o))),
    PushPage("assign a number to a department", "assign_number",
             on("department", "number_assign", department), lambda o: change(department(o))),
    PushPage("assign a number to...", "assign_number",
             on("phonenumber", "assign_to", users_number), lambda o: change(users_number(o))),
    PushPage("unassign a number", "assign_number",
             on("phonenumber", "unassign", users_number), lambda o: change(users_number(o))),
    PushPage("add a room (rooms list)", "manage_groups",
             create("room", from_office=False), lambda o: changelist("room")),
    PushPage("add a room (office page)", "manage_groups",
             create("room", from_office=True), lambda o: change(office(o))),
    PushPage("rename a room", "manage_groups",
             on("room", "rename", room), lambda o: change(room(o))),
    PushPage("delete a room", "manage_groups",
             on("room", "delete_in_dialpad", room), lambda o: change(room(o))),
    PushPage("add a department (departments list)", "manage_groups",
             create("department", from_office=False), lambda o: changelist("department")),
    PushPage("add a department (office page)", "manage_groups",
             create("department", from_office=True), lambda o: change(office(o))),
    PushPage("edit a department", "manage_groups",
             on("department", "edit", department), lambda o: change(department(o))),
    PushPage("add a call center (call centers list)", "manage_groups",
             create("callcenter", from_office=False), lambda o: changelist("callcenter")),
    PushPage("add a call center (office page)", "manage_groups",
             create("callcenter", from_office=True), lambda o: change(office(o))),
    PushPage("edit a call center", "manage_groups",
             on("callcenter", "edit", callcenter), lambda o: change(callcenter(o))),
    PushPage("move a user to another office", "manage_groups",
             on("dialpaduser", "move_office", user), lambda o: change(user(o))),
]
GROUPS = [("an office", "office", office), ("a department", "department", department),
          ("a call center", "callcenter", callcenter)]
PAGES += [PushPage(f"change {name} operator's role", "assign_operator",
                   on(model_name, "operator_role", pick, kind_user, operator_id),
                   lambda o, pick=pick: change(pick(o))) for name, model_name, pick in GROUPS]
PAGES += [PushPage(f"delete {name}", "manage_groups", on(model_name, "delete_in_dialpad", pick),
                   lambda o, pick=pick: change(pick(o))) for name, model_name, pick in GROUPS[1:]]
# The create views reached from a changelist have no object: their "missing" is an unknown
# ?office= (the list pages' variant covers it).
WITH_OBJECT = [p for p in PAGES if "(office page)" not in p.name]


@pytest.fixture
def org():
    return factories.org_build(size=1)


def login(client, user):
    client.force_login(user)
    return client


def staff_without(permission):
    others = [f"orgs.{p}" for p in factories.PUSH_PERMISSIONS if p != permission]
    return factories.LoginFactory(username=f"no-{permission}", is_staff=True,
                                  permissions=factories.VIEW_ORGS + others)


@pytest.mark.parametrize("push", PAGES, ids=str)
def test_an_admin_who_may_push_sees_the_control(client, org, push):
    login(client, factories.admin_who_may_push())

    response = client.get(push.page(org))

    assert response.status_code == 200
    assert push.url(org) in response.content.decode()


@pytest.mark.parametrize("push", PAGES, ids=str)
def test_the_control_is_absent_without_the_permission(client, org, push):
    login(client, staff_without(push.permission))

    response = client.get(push.page(org))

    assert response.status_code == 200
    assert push.url(org).split("?")[0] not in response.content.decode()


@pytest.mark.parametrize("push", PAGES, ids=str)
def test_get_without_the_permission_is_403(client, org, push):
    login(client, staff_without(push.permission))

    assert client.get(push.url(org)).status_code == 403


@pytest.mark.parametrize("push", PAGES, ids=str)
def test_post_without_the_permission_is_403_and_calls_no_service(client, org, push):
    login(client, staff_without(push.permission))

    response = client.post(push.url(org), {"_confirmed": "1", "name": "X", "role": "operator"})

    assert response.status_code == 403
    assert PushRecord.objects.count() == 0


def page_model(org, push):
    """The model_name of the admin the push view belongs to (/admin/orgs/<model_name>/...)."""
    return push.url(org).split("/admin/orgs/", 1)[1].split("/", 1)[0]


def staff_who_may_not_view(model_name):
    """Every push permission and every view permission but the one of `model_name`."""
    return factories.LoginFactory(
        username=f"no-view-{model_name}", is_staff=True,
        permissions=[p for p in factories.VIEW_ORGS if p != f"orgs.view_{model_name}"]
        + [f"orgs.{p}" for p in factories.PUSH_PERMISSIONS])


@pytest.mark.parametrize("push", PAGES, ids=str)
def test_without_the_view_permission_of_its_model_it_is_403_and_calls_no_service(client, org,
                                                                              push):
    login(client, staff_who_may_not_view(page_model(org, push)))

    get = client.get(push.url(org))
    post = client.post(push.url(org), {"_confirmed": "1", "name": "X", "role": "operator"})

    assert (get.status_code, post.status_code) == (403, 403)
    assert PushRecord.objects.count() == 0


@pytest.mark.parametrize("push", PAGES, ids=str)
@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_a_wrong_method_is_405(client, org, push, method):
    login(client, factories.admin_who_may_push())

    assert getattr(client, method)(push.url(org)).status_code == 405


@pytest.mark.parametrize("push", WITH_OBJECT, ids=str)
def test_a_missing_object_is_404(client, org, push):
    login(client, factories.admin_who_may_push())

    assert client.get(push.url(org, MISSING)).status_code == 404
    assert client.post(push.url(org, MISSING), {"_confirmed": "1"}).status_code == 404


@pytest.mark.parametrize("view", ["operator_remove", "operator_role"])
def test_an_unknown_operator_is_404(client, org, view):
    login(client, factories.admin_who_may_push())
    url = reverse(f"admin:orgs_department_{view}", args=[department(org).pk, "user", MISSING])

    assert client.get(url).status_code == 404
    assert client.post(url, {"role": "admin", "_confirmed": "1"}).status_code == 404


@pytest.mark.parametrize("push", PAGES, ids=str)
def test_a_login_that_is_not_staff_is_sent_to_the_login_page(client, org, push):
    login(client, factories.outsider())

    response = client.get(push.url(org))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_read_only_admin_sees_no_push_control_on_any_page(client, org):
    login(client, factories.read_only_admin())

    for push in PAGES:
        content = client.get(push.page(org)).content.decode()
        assert push.url(org).split("?")[0] not in content, push.name
        assert 'class="dialpad-push-tool"' not in content, push.name
