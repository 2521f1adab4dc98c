"""A permission denial shows a page in the admin's style that names the missing permission,
and the log gets one line for it, without a traceback."""

import logging

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def number():
    return factories.PhoneNumberFactory()


def test_a_push_page_names_the_push_permission_missing(client, number):
    client.force_login(factories.read_only_admin())

    response = client.get(reverse("admin:orgs_phonenumber_assign_to", args=[number.pk]))

    assert response.status_code == 403
    content = response.content.decode()
    assert "“Can assign and unassign phone numbers in Dialpad” (orgs.assign_number)" in content
    assert "grant it to one of your groups" in content
    assert 'id="header"' in content and "Dialpad Console" in content  # the admin's frame


def test_a_push_page_names_the_view_permission_missing(client, number):
    login = factories.LoginFactory(username="pusher-blind", is_staff=True,
                                   permissions=["orgs.assign_number"])
    client.force_login(login)

    response = client.get(reverse("admin:orgs_phonenumber_assign_to", args=[number.pk]))

    assert response.status_code == 403
    assert "(orgs.view_phonenumber)" in response.content.decode()


@pytest.mark.parametrize("url_name, args, permission", [
    ("admin:orgs_dialpaduser_changelist", [], "orgs.view_dialpaduser"),
    ("admin:orgs_pushrecord_changelist", [], "orgs.view_pushrecord"),
    ("admin:syncjobs_syncrun_changelist", [], "syncjobs.view_syncrun"),
])
def test_an_admin_list_names_its_view_permission(client, url_name, args, permission):
    client.force_login(factories.LoginFactory(username="staff-only", is_staff=True))

    response = client.get(reverse(url_name, args=args))

    assert response.status_code == 403
    assert f"({permission})" in response.content.decode()


def test_sync_now_names_the_run_sync_permission(client):
    client.force_login(factories.read_only_admin())

    response = client.post(reverse("admin:syncjobs_syncrun_sync_now"))

    assert response.status_code == 403
    assert "“Can start a sync now” (syncjobs.run_sync)" in response.content.decode()


def test_a_denial_is_logged_in_one_line_without_a_traceback(client, number, caplog):
    client.force_login(factories.read_only_admin())

    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(reverse("admin:orgs_phonenumber_assign_to", args=[number.pk]))

    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelname == "WARNING"
    assert record.exc_info is None and not record.exc_text
    assert "Forbidden (Permission denied)" in record.getMessage()
    assert "orgs.assign_number" in record.getMessage()
    assert "Traceback" not in caplog.text


def test_other_errors_keep_their_traceback():
    from dialpad_console.logs import ForbiddenWithoutTraceback

    try:
        raise ValueError("boom")
    except ValueError:
        import sys
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal "
                                   "Server Error: %s", ("/x",), sys.exc_info())
    record.status_code = 500

    assert ForbiddenWithoutTraceback().filter(record)
    assert record.exc_info is not None
