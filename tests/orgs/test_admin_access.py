"""Who may see the org mirror's admin pages, and that nobody edits a mirrored row there."""

import pytest
from django.urls import reverse

from orgs.models import DialpadUser, Office
from tests import factories

pytestmark = pytest.mark.django_db

# (model_name, attribute of factories.Org holding its rows)
MODELS = [
    ("company", None),
    ("office", "offices"),
    ("department", "departments"),
    ("callcenter", "callcenters"),
    ("room", "rooms"),
    ("dialpaduser", "users"),
    ("phonenumber", "numbers"),
    ("operatormembership", "memberships"),
    ("e911address", "e911_addresses"),
    ("deskphone", "deskphones"),
]
MODEL_NAMES = [name for name, _ in MODELS]


@pytest.fixture
def org():
    org = factories.org_build(size=2)
    org.company = factories.CompanyFactory()
    org.offices[1].gone_at = org.offices[1].last_seen_at
    org.offices[1].save()
    return org


def one_of(org, model_name):
    rows = dict(MODELS)[model_name]
    return org.company if rows is None else getattr(org, rows)[0]


def changelist(model_name):
    return reverse(f"admin:orgs_{model_name}_changelist")


def change(model_name, obj):
    return reverse(f"admin:orgs_{model_name}_change", args=[obj.pk])


@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_the_changelist_renders_for_a_superuser(client, org, model_name):
    client.force_login(factories.superuser())

    response = client.get(changelist(model_name))

    assert response.status_code == 200
    assert response.context["cl"].result_count > 0


@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_the_change_page_renders_for_a_superuser(client, org, model_name):
    client.force_login(factories.superuser())
    obj = one_of(org, model_name)

    response = client.get(change(model_name, obj))

    assert response.status_code == 200
    assert response.context["original"] == obj


@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_a_read_only_admin_can_view_the_changelist_and_the_change_page(client, org, model_name):
    client.force_login(factories.read_only_admin())

    assert client.get(changelist(model_name)).status_code == 200
    assert client.get(change(model_name, one_of(org, model_name))).status_code == 200


@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_an_admin_who_may_push_can_view_the_changelist_and_the_change_page(
    client, org, model_name
):
    client.force_login(factories.admin_who_may_push())

    assert client.get(changelist(model_name)).status_code == 200
    assert client.get(change(model_name, one_of(org, model_name))).status_code == 200


@pytest.mark.parametrize("persona", ["read_only_admin", "superuser"])
@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_nobody_can_add_a_mirrored_row_in_the_admin(client, org, model_name, persona):
    client.force_login(getattr(factories, persona)())

    response = client.get(reverse(f"admin:orgs_{model_name}_add"))

    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["read_only_admin", "superuser"])
@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_nobody_can_delete_a_mirrored_row_in_the_admin(client, org, model_name, persona):
    client.force_login(getattr(factories, persona)())
    obj = one_of(org, model_name)

    response = client.post(
        reverse(f"admin:orgs_{model_name}_delete", args=[obj.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("persona", ["read_only_admin", "superuser"])
def test_nobody_can_change_a_mirrored_row_in_the_admin(client, org, persona):
    client.force_login(getattr(factories, persona)())
    user = org.users[0]

    response = client.post(change("dialpaduser", user), {"display_name": "Changed"})

    assert response.status_code == 403
    user.refresh_from_db()
    assert user.display_name != "Changed"


def test_a_change_page_has_no_save_button(client, org):
    client.force_login(factories.superuser())

    response = client.get(change("office", org.offices[0]))

    assert response.context["has_change_permission"] is False
    assert b'name="_save"' not in response.content


def test_the_changelist_offers_no_delete_action(client, org):
    client.force_login(factories.superuser())

    response = client.get(changelist("dialpaduser"))

    assert b"delete_selected" not in response.content


@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_an_outsider_is_redirected_to_login(client, org, model_name):
    client.force_login(factories.outsider())

    for url in (changelist(model_name), change(model_name, one_of(org, model_name))):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_an_anonymous_visitor_is_redirected_to_login(client, org):
    response = client.get(changelist("office"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_staff_without_view_permission_is_refused(client, org):
    client.force_login(factories.LoginFactory(is_staff=True))

    assert client.get(changelist("office")).status_code == 403
    assert client.get(change("office", org.offices[0])).status_code == 403


def test_the_admin_is_titled_dialpad_console(client):
    client.force_login(factories.superuser())

    response = client.get(reverse("admin:index"))

    assert response.context["site_header"] == "Dialpad Console"
    assert "Dialpad Console" in response.context["site_title"]
    assert b"Dialpad Console" in response.content


def test_the_payload_is_shown_pretty_printed_in_a_collapsed_fieldset(client):
    client.force_login(factories.superuser())
    office = factories.OfficeFactory(name="Berlin")

    response = client.get(change("office", office))

    html = response.content.decode()
    assert '<pre class="dialpad-payload">{\n  &quot;availability_status&quot;' in html
    payload_at = html.index('<pre class="dialpad-payload">')
    payload_fieldset = html[html.rindex("<fieldset", 0, payload_at):]
    assert payload_fieldset.startswith('<fieldset class="module aligned collapse"')


def test_the_change_page_of_a_gone_object_says_it_is_gone(client):
    client.force_login(factories.superuser())
    gone = factories.DialpadUserFactory(gone=True)
    present = factories.DialpadUserFactory()

    assert b"dialpad-gone-note" in client.get(change("dialpaduser", gone)).content
    assert b"dialpad-gone-note" not in client.get(change("dialpaduser", present)).content


def test_every_mirrored_field_is_read_only(client):
    client.force_login(factories.superuser())
    office = factories.OfficeFactory()

    response = client.get(change("office", office))

    assert list(response.context["adminform"].form.fields) == []
    shown = set(response.context["adminform"].readonly_fields)
    assert {"name", "state", "country", "timezone", "dialpad_id", "gone_at"} <= shown
    assert Office.objects.get(pk=office.pk).name == office.name
    assert DialpadUser.objects.count() == 0


def test_a_persona_can_log_in_with_the_factories_password(client):
    factories.read_only_admin()

    assert client.login(username="viewer", password=factories.PASSWORD)


def test_the_admin_who_may_push_holds_every_push_permission_and_the_read_only_admin_none(db):
    pusher, viewer = factories.admin_who_may_push(), factories.read_only_admin()
    push = [f"orgs.{codename}" for codename in factories.PUSH_PERMISSIONS]

    assert pusher.has_perms(push)
    assert not any(viewer.has_perm(p) for p in push)
    assert viewer.has_perms(factories.VIEW_ORGS)


def test_a_read_only_admin_can_open_an_objects_history(client):
    client.force_login(factories.read_only_admin())
    office = factories.OfficeFactory()

    response = client.get(reverse("admin:orgs_office_history", args=[office.pk]))

    assert response.status_code == 200
