"""Marking many objects gone at once (a share and a count over their limits) waits for an
admin to confirm it, on a page listing every object that would be marked."""

import pytest
from django.urls import reverse
from django.utils import timezone

from orgs.models import DialpadUser, OperatorMembership, Room
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
    assert "at least 5 (DIALPAD_SYNC_MIN_GONE_HELD)" in run.log


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

    response = client.post(confirm_url(run), {"post": "yes"}, follow=True)

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

    responses = [client.post(confirm_url(run)), client.post(confirm_url(run), {"post": "yes"})]

    assert [r.status_code for r in responses] == [403, 403]
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

    response = client.post(confirm_url(held), {"post": "yes"}, follow=True)

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


def remove_rooms(sim, count):
    removed = list(sim.state.rooms)[:count]
    for rid in removed:
        sim.state.delete_room(rid)
    return removed


@pytest.mark.parametrize("at_least, held", [(None, False), (1, True)])
def test_a_tiny_count_trips_the_valve_only_under_its_minimum_setting(sync, sim, settings,
                                                                    at_least, held):
    if at_least is not None:
        settings.DIALPAD_SYNC_MIN_GONE_HELD = at_least
    sync()
    [removed] = remove_rooms(sim, 1)  # 1 of 5 rooms: 20%, but one room

    run = sync()

    assert run.status == (Status.NEEDS_REVIEW if held else Status.SUCCEEDED)
    assert (Room.objects.get(pk=removed).gone_at is None) == held
    assert bool(run.pending_gone.get("rooms")) == held


def test_the_confirmation_lists_every_held_object_and_marks_nothing(sync, sim, client,
                                                                   it_admin):
    sync()
    removed = remove_users(sim, 5)
    run = sync()
    client.force_login(it_admin)

    response = client.post(confirm_url(run))

    assert response.status_code == 200
    content = response.content.decode()
    rows = response.context["held"]
    users = [r for r in rows if r["entity"] == "users"]
    assert len(users) == 5 and all(r["marked"] for r in users)
    assert {r["kind"] for r in rows} >= {"Dialpad user", "Operator membership"}
    for user in DialpadUser.objects.filter(pk__in=removed):
        assert f'href="{reverse("admin:orgs_dialpaduser_change", args=[user.pk])}">{user}</a>' \
            in content
    assert "Last read from Dialpad" in content
    assert f"Yes, mark these {run.pending_gone_total} gone" in content
    assert not DialpadUser.objects.filter(gone_at__isnull=False).exists()


def test_an_object_read_since_the_run_is_listed_as_staying(sync, sim, client, it_admin):
    sync()
    removed = remove_users(sim, 5)
    run = sync()
    DialpadUser.objects.filter(pk=removed[0]).update(last_seen_at=timezone.now())
    client.force_login(it_admin)

    rows = client.post(confirm_url(run)).context["held"]

    [stays] = [r for r in rows if not r["marked"]]
    assert stays["why"] == "read from Dialpad since the run: it stays"


def test_confirming_an_unknown_run_is_404(client, it_admin):
    client.force_login(it_admin)

    url = reverse("admin:syncjobs_syncrun_confirm_gone", args=[987654])

    assert client.post(url).status_code == 404
    assert client.post(url, {"post": "yes"}).status_code == 404


def test_confirming_twice_marks_once_and_says_so(sync, sim, client, it_admin):
    sync()
    remove_users(sim, 5)
    run = sync()
    client.force_login(it_admin)

    client.post(confirm_url(run), {"post": "yes"})
    second = client.post(confirm_url(run), {"post": "yes"}, follow=True)

    assert f"{run} has no held gone marks to confirm." in second.content.decode()
    run.refresh_from_db()
    assert run.counts["users"]["gone"] == 5
