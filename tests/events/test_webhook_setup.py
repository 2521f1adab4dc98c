"""Setting up Dialpad's side: the webhook and the change-log and SMS subscriptions, created
or updated idempotently, a missing scope reported, the secret never shown or stored."""

import logging

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from events.services import webhooks_ensure, webhooks_status
from orgs.models import PushRecord
from tests.factories import read_only_admin, superuser

from .helpers import SECRET

pytestmark = pytest.mark.django_db

URL = "https://console.example.com/webhooks/dialpad/"


@pytest.fixture
def dialpad(use_sim, webhook_secret):
    """The simulator with no webhook yet."""
    for table in ("webhooks", "subscriptions_changelog", "subscriptions_sms"):
        getattr(use_sim.state, table).clear()
    return use_sim


def writes(sim):
    return [(r.method, r.path) for r in sim.requests if r.method != "GET"]


def test_it_creates_the_webhook_and_both_subscriptions(dialpad):
    report = webhooks_ensure(actor=superuser(), url=URL)

    [hook] = dialpad.state.webhooks.values()
    [changelog] = dialpad.state.subscriptions_changelog.values()
    [sms] = dialpad.state.subscriptions_sms.values()
    assert (hook["hook_url"], hook["signature"]["secret"]) == (URL, SECRET)
    assert (changelog["endpoint_id"], changelog["enabled"]) == (hook["id"], True)
    assert (sms["endpoint_id"], sms["direction"], sms["status"], sms["enabled"]) == (
        hook["id"], "all", True, True)
    assert [(s.what, s.outcome) for s in report.steps] == [
        ("webhook", "created"), ("change-log subscription", "created"),
        ("SMS subscription", "created")]
    assert report.ok and not report.warnings


def test_running_it_again_changes_nothing(dialpad):
    webhooks_ensure(actor=superuser(), url=URL)
    dialpad.requests.clear()

    report = webhooks_ensure(actor=superuser(), url=URL)

    assert {s.outcome for s in report.steps} == {"unchanged"}
    assert writes(dialpad) == []
    assert len(dialpad.state.webhooks) == 1


def test_a_webhook_with_another_secret_gets_ours(dialpad, api_for_sim):
    hook = api_for_sim.post("/webhooks", json={"hook_url": URL,
                                               "secret": "an-old-secret-of-32-characters!!"})

    report = webhooks_ensure(actor=superuser(), url=URL)

    assert report.steps[0].outcome == "updated"
    assert dialpad.state.webhooks[int(hook["id"])]["signature"]["secret"] == SECRET
    assert len(dialpad.state.webhooks) == 1


def test_a_disabled_or_partial_subscription_is_put_right(dialpad, api_for_sim):
    hook = api_for_sim.post("/webhooks", json={"hook_url": URL, "secret": SECRET})
    api_for_sim.post("/subscriptions/changelog", json={"endpoint_id": hook["id"],
                                                       "enabled": False})
    api_for_sim.post("/subscriptions/sms", json={"endpoint_id": hook["id"],
                                                 "direction": "inbound"})

    report = webhooks_ensure(actor=superuser(), url=URL)

    assert [s.outcome for s in report.steps] == ["unchanged", "updated", "updated"]
    [changelog] = dialpad.state.subscriptions_changelog.values()
    [sms] = dialpad.state.subscriptions_sms.values()
    assert changelog["enabled"] is True
    assert (sms["direction"], sms["status"]) == ("all", True)


def test_a_missing_change_log_scope_is_a_warning_and_the_rest_goes_on(dialpad):
    dialpad.scopes = {"message_content_export:all"}

    report = webhooks_ensure(actor=superuser(), url=URL)

    assert [(s.what, s.outcome) for s in report.steps] == [
        ("webhook", "created"), ("change-log subscription", "refused"),
        ("SMS subscription", "created")]
    [warning] = report.warnings
    assert "lacks the change_log scope" in warning
    assert not report.ok


def test_the_secret_is_never_journaled_or_logged(dialpad, caplog):
    with caplog.at_level(logging.DEBUG):
        webhooks_ensure(actor=superuser(), url=URL)

    assert PushRecord.objects.filter(operation="events_post").count() == 3
    assert all(SECRET not in str(r.request) for r in PushRecord.objects.all())
    assert SECRET not in caplog.text


def test_it_needs_the_secret_first(dialpad, settings):
    settings.DIALPAD_WEBHOOK_SECRET = ""

    with pytest.raises(ValidationError, match="DIALPAD_WEBHOOK_SECRET"):
        webhooks_ensure(actor=superuser(), url=URL)
    assert writes(dialpad) == []


@pytest.mark.parametrize("url", ["", "console.example.com/webhooks", "ftp://x/y",
                                 "https://x/webhooks/dialpad/?a=1"])
def test_it_needs_a_usable_url(dialpad, url):
    with pytest.raises(ValidationError):
        webhooks_ensure(actor=superuser(), url=url)
    assert writes(dialpad) == []


def test_it_needs_the_manage_webhooks_permission(dialpad, django_user_model):
    admin = read_only_admin()

    with pytest.raises(PermissionDenied):
        webhooks_ensure(actor=admin, url=URL)
    admin.user_permissions.add(Permission.objects.get(codename="manage_webhooks"))
    admin = django_user_model.objects.get(pk=admin.pk)

    assert webhooks_ensure(actor=admin, url=URL).ok
    assert writes(dialpad)


def test_the_status_shows_what_exists_without_secrets(dialpad):
    webhooks_ensure(actor=superuser(), url=URL)

    status = webhooks_status(url=URL)

    [hook] = status.webhooks
    assert (hook["hook_url"], hook["signed"], hook["ours"]) == (URL, True, True)
    assert status.subscriptions["sms"][0]["direction"] == "all"
    assert SECRET not in repr(status)


def test_the_admin_page_shows_dialpad_and_sets_it_up(dialpad, client):
    client.force_login(superuser())
    page = reverse("admin:events_event_webhook")

    before = client.get(page)
    done = client.post(page, {"url": URL})

    assert before.status_code == 200 and "None." in before.content.decode()
    assert done.status_code == 200
    html = done.content.decode()
    assert "this console" in html and "created" in html
    assert SECRET not in html and SECRET[-8:] not in html
    assert len(dialpad.state.webhooks) == 1


def test_a_read_only_admin_sees_the_page_but_cannot_set_up(dialpad, client):
    admin = read_only_admin()
    admin.user_permissions.add(Permission.objects.get(codename="view_event"))
    client.force_login(admin)
    page = reverse("admin:events_event_webhook")

    assert client.get(page).status_code == 200
    assert client.post(page, {"url": URL}).status_code == 403
    assert writes(dialpad) == []


def test_an_outsider_cannot_see_the_page(dialpad, client):
    client.force_login(read_only_admin())

    assert client.get(reverse("admin:events_event_webhook")).status_code == 403


def test_the_command_ensures_and_shows(dialpad, capsys):
    call_command("dialpad_webhooks", "ensure", "--url", URL)
    call_command("dialpad_webhooks", "status", "--url", URL)

    out = capsys.readouterr().out
    assert "webhook: created" in out and "<- this console" in out
    assert SECRET not in out


def test_the_command_fails_when_a_step_was_refused(dialpad, capsys):
    dialpad.scopes = set()

    with pytest.raises(CommandError):
        call_command("dialpad_webhooks", "ensure", "--url", URL)
    assert "change_log scope" in capsys.readouterr().err
