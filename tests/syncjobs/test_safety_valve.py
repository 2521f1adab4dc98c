"""Marking many objects gone at once waits for an admin to confirm it."""

import pytest
from django.urls import reverse

from orgs.models import DialpadUser, OperatorMembership
from syncjobs.choices import Status

pytestmark = pytest.mark.django_db


def remove_users(sim, count):
    removed = list(sim.state.users)[:count]
    for uid in removed:
        for gtype, gid, _role in sim.state.groups_of("user", uid):
            sim.state.remove_operator(gtype, gid, "user", uid)
        del sim.state.users[uid]
    return removed


def confirm_url(run):
    return reverse("admin:syncjobs_syncrun_confirm_gone", args=[run.pk])


def test_more_than_the_allowed_share_gone_marks_none(sync, sim):
    sync()
    removed = remove_users(sim, 5)  # 5 of 40: 12.5%, over the default 10%

    run = sync()

    assert run.status == Status.NEEDS_REVIEW
    assert not DialpadUser.objects.filter(gone_at__isnull=False).exists()
    assert sorted(run.pending_gone["users"]) == sorted(removed)
    assert run.counts["users"]["gone"] == 0
    assert run.counts["users"]["held"] == 5
    assert "5 of 40 (12%) would be marked gone" in run.log


def test_the_allowed_share_is_a_setting(sync, sim, settings):
    settings.DIALPAD_SYNC_MAX_GONE_SHARE = 0.5
    sync()
    remove_users(sim, 5)

    run = sync()

    assert run.status == Status.SUCCEEDED
    assert DialpadUser.objects.filter(gone_at__isnull=False).count() == 5


def test_an_admin_confirms_the_held_gone_marks(sync, sim, client, it_admin, history):
    sync()
    removed = remove_users(sim, 5)
    run = sync()
    client.force_login(it_admin)

    response = client.post(confirm_url(run), follow=True)

    assert response.status_code == 200
    message = f"objects marked gone (held by {run}, confirmed by it-admin)"
    assert message in response.content.decode()
    assert set(DialpadUser.objects.filter(gone_at__isnull=False).values_list(
        "pk", flat=True)) == set(removed)
    user = DialpadUser.objects.get(pk=removed[0])
    assert "confirmed by it-admin" in history(user)[-1].change_message
    assert OperatorMembership.objects.filter(operator_id__in=removed,
                                             gone_at__isnull=True).count() == 0
    run.refresh_from_db()
    assert run.status == Status.SUCCEEDED and run.gone_confirmed_by == it_admin
    assert run.counts["users"]["gone"] == 5


def test_confirming_needs_the_run_sync_permission(sync, sim, client, read_only_admin):
    sync()
    remove_users(sim, 5)
    run = sync()
    client.force_login(read_only_admin)

    response = client.post(confirm_url(run))

    assert response.status_code == 403
    assert not DialpadUser.objects.filter(gone_at__isnull=False).exists()


def test_confirming_is_a_post(sync, sim, client, it_admin):
    sync()
    remove_users(sim, 5)
    run = sync()
    client.force_login(it_admin)

    assert client.get(confirm_url(run)).status_code == 405
    assert not DialpadUser.objects.filter(gone_at__isnull=False).exists()


def test_a_later_run_supersedes_the_held_marks(sync, sim, client, it_admin):
    sync()
    remove_users(sim, 5)
    held = sync()
    sync()
    client.force_login(it_admin)

    response = client.post(confirm_url(held), follow=True)

    assert "has run since" in response.content.decode()
    assert not DialpadUser.objects.filter(gone_at__isnull=False).exists()


def test_the_run_page_offers_the_confirm_button_only_when_useful(sync, sim, client, it_admin):
    ok = sync()
    remove_users(sim, 5)
    held = sync()
    client.force_login(it_admin)

    page = client.get(reverse("admin:syncjobs_syncrun_change", args=[held.pk])).content.decode()
    assert 'id="confirm-gone-button"' in page and confirm_url(held) in page
    page = client.get(reverse("admin:syncjobs_syncrun_change", args=[ok.pk])).content.decode()
    assert 'id="confirm-gone-button"' not in page
