"""One date and time format, in the console's time zone (DJANGO_TIME_ZONE), everywhere: pages,
History and messages; the footer names the time zone."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from dialpad_console.formats import console_datetime
from orgs.history import describe_changes
from orgs.models import DialpadUser, PushRecord
from tests import factories
from tests.project.production import manage

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 3, 4, 17, 5, 9, tzinfo=dt.timezone.utc)


@override_settings(TIME_ZONE="Europe/Berlin")
def test_a_moment_is_written_in_the_console_time_zone():
    assert console_datetime(MOMENT) == "2026-03-04 18:05"
    assert console_datetime(None) == ""


@override_settings(TIME_ZONE="America/New_York")
def test_history_writes_moments_in_the_same_format():
    text = describe_changes({"date_added": (None, MOMENT)}, DialpadUser)

    assert text == "date added: — → 2026-03-04 12:05"


@override_settings(TIME_ZONE="Europe/Berlin")
def test_pages_show_the_same_format_whatever_the_browser_language(client):
    PushRecord.objects.create(actor_username="pusher", operation="operator_add",
                              started_at=MOMENT, outcome="succeeded")
    client.force_login(factories.superuser())

    for language in ("en-us", "en-gb", "de"):
        response = client.get(reverse("admin:orgs_pushrecord_changelist"),
                              headers={"accept-language": language})
        content = response.content.decode()
        assert "2026-03-04 18:05" in content, language
        assert "March 4, 2026" not in content and "4 March 2026" not in content


@override_settings(TIME_ZONE="Europe/Berlin")
def test_the_footer_names_the_time_zone(client):
    client.force_login(factories.superuser())

    content = client.get(reverse("admin:index")).content.decode()

    footer = content.split('<footer id="footer">')[1].split("</footer>")[0]
    assert "Dates and times are in Europe/Berlin" in footer
    assert "DJANGO_TIME_ZONE" in footer


def test_a_bad_time_zone_stops_start_up():
    result = manage("check", env_overrides={"DJANGO_TIME_ZONE": "Mars/Olympus_Mons"})

    assert result.returncode != 0
    assert "DJANGO_TIME_ZONE must be an IANA time zone" in result.stderr


def test_the_gone_badge_and_banner_use_the_format(client):
    user = factories.DialpadUserFactory(gone_at=timezone.now())
    client.force_login(factories.superuser())

    content = client.get(reverse("admin:orgs_dialpaduser_change", args=[user.pk])).content.decode()

    assert f"Gone from Dialpad since {console_datetime(user.gone_at)}" in content
