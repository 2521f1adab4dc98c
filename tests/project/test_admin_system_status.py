"""The admin index shows the checks of /readyz under "System status"."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def status_block(page):
    match = re.search(r'<div class="module" id="system-status">(.*?)</div>', page, re.S)
    assert match, "no System status block on the admin index"
    return match.group(1)


def test_it_shows_each_check_and_that_the_console_is_ready(admin_client, background_alive):
    page = admin_client.get(reverse("admin:index")).content.decode()

    block = status_block(page)
    assert "System status: ready" in block
    for name in ("Database", "Broker", "Worker", "Beat", "Last sync", "Last event"):
        assert f'>{name}</th>' in block
    assert block.count("health-ok") == 4
    assert "Not configured: set DIALPAD_WEBHOOK_SECRET" in block
    assert 'id="sync-status"' in page  # the sync block is still there


def test_it_says_not_ready_and_why_when_no_worker_reports(admin_client, heartbeat):
    heartbeat("beat")

    block = status_block(admin_client.get(reverse("admin:index")).content.decode())

    assert "System status: NOT READY" in block
    assert 'class="health-check health-failing"' in block
    assert "No Celery worker process has ever reported" in block
