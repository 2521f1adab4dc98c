"""The admin index as a dashboard: what needs attention (each count against the list it links
to), the org at a glance, the recent pushes, who sees what, and its query count."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orgs.dashboard import ATTENTION, ATTENTION_BY_KEY, dashboard_get
from orgs.models import DialpadUser, Office, PhoneNumber, PushRecord
from syncjobs.choices import Status, Trigger
from syncjobs.models import SyncRun
from tests import factories
from tests.factories import (
    CallCenterFactory,
    DepartmentFactory,
    DialpadUserFactory,
    E911AddressFactory,
    OfficeFactory,
    OperatorMembershipFactory,
    PhoneNumberFactory,
)

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def gone(**kwargs):
    return {"gone_at": timezone.now(), **kwargs}


def address_of(owner_kwargs, template):
    """An E911 address with the same fields as `template` (None: a new one)."""
    if template is None:
        return E911AddressFactory(office=None, **owner_kwargs)
    fields = {name: getattr(template, name)
              for name in ("address", "address2", "city", "state", "zip", "country")}
    return E911AddressFactory(office=None, **owner_kwargs, **fields)


# --- One scenario per attention item: rows that are counted, and look-alikes that are not. ---
# Each returns how many rows the item must count.


def users_without_e911():
    office = OfficeFactory()
    E911AddressFactory(office=office)
    DialpadUserFactory(office=office)  # counted
    DialpadUserFactory(office=None)  # counted: no office, no address
    address_of({"user": DialpadUserFactory(office=office)}, None)
    DialpadUserFactory(office=office, **gone())  # gone: not counted
    return 2


def users_whose_e911_differs():
    office = OfficeFactory()
    office_address = E911AddressFactory(office=office)
    address_of({"user": DialpadUserFactory(office=office)}, office_address)  # the same
    address_of({"user": DialpadUserFactory(office=office)}, None)  # counted
    zip_only = address_of({"user": DialpadUserFactory(office=office)}, office_address)
    zip_only.zip = "00000"
    zip_only.save()  # counted: the zip differs
    address_of({"user": DialpadUserFactory(office=office, **gone())}, None)  # gone
    address_of({"user": DialpadUserFactory(office=OfficeFactory())}, None)  # office has none
    DialpadUserFactory(office=office)  # no address: another item
    return 2


def offices_without_e911():
    E911AddressFactory(office=OfficeFactory())
    OfficeFactory()  # counted
    OfficeFactory(**gone())
    return 1


def groups_without_operators(factory):
    office = OfficeFactory()
    with_operator = factory(office=office)
    OperatorMembershipFactory(group=with_operator, operator=DialpadUserFactory(office=office))
    room_only = factory(office=office)
    OperatorMembershipFactory(group=room_only,
                              operator=factories.RoomFactory(office=office))
    factory(office=office)  # counted
    only_gone = factory(office=office)  # counted: its one operator is gone
    OperatorMembershipFactory(group=only_gone, operator=DialpadUserFactory(office=office),
                              **gone())
    factory(office=office, **gone())
    return 2


def unassigned_numbers():
    office = OfficeFactory()
    PhoneNumberFactory(target=DialpadUserFactory(office=office))
    PhoneNumberFactory(office=office)  # counted
    PhoneNumberFactory(office=office, **gone())
    return 1


def suspended_users_holding():
    office = OfficeFactory()
    department = DepartmentFactory(office=office)
    with_number = DialpadUserFactory(office=office, state="suspended")  # counted
    PhoneNumberFactory(target=with_number)
    with_role = DialpadUserFactory(office=office, state="suspended")  # counted
    OperatorMembershipFactory(group=department, operator=with_role)
    with_both = DialpadUserFactory(office=office, state="suspended")  # counted, once
    PhoneNumberFactory(target=with_both)
    PhoneNumberFactory(target=with_both)
    OperatorMembershipFactory(group=department, operator=with_both)
    only_gone = DialpadUserFactory(office=office, state="suspended")
    PhoneNumberFactory(target=only_gone, **gone())
    DialpadUserFactory(office=office, state="suspended")  # holds nothing
    PhoneNumberFactory(target=DialpadUserFactory(office=office, state="active"))
    PhoneNumberFactory(target=DialpadUserFactory(office=office, state="suspended", **gone()))
    return 3


def refused_pushes_this_week():
    now = timezone.now()
    for outcome, days in [("refused", 1), ("refused", 6), ("refused", 8), ("succeeded", 1),
                          ("unknown", 1)]:
        PushRecord.objects.create(operation="operator_add", outcome=outcome,
                                  started_at=now - timedelta(days=days), actor_username="ann")
    return 2


SCENARIOS = {
    "user_e911_missing": users_without_e911,
    "user_e911_differs": users_whose_e911_differs,
    "office_e911_missing": offices_without_e911,
    "callcenter_no_operators": lambda: groups_without_operators(CallCenterFactory),
    "department_no_operators": lambda: groups_without_operators(DepartmentFactory),
    "number_unassigned": unassigned_numbers,
    "user_suspended_holding": suspended_users_holding,
    "push_refused_recent": refused_pushes_this_week,
}


def test_every_attention_item_has_a_scenario():
    assert set(SCENARIOS) == {item.key for item in ATTENTION}


def index_attention(page):
    """{text: (count, url)} of the index's "Needs attention" rows."""
    rows = re.findall(
        r'<td class="figure"><a href="([^"]+)">(\d+)</a></td>\s*<td><a href="[^"]+">([^<]+)</a>',
        page)
    return {unescape(text): (int(count), unescape(url)) for url, count, text in rows}


def selected_filter_choice(page, title):
    """The choice selected in the list filter of this title, as its sidebar shows it."""
    block = page.split(f'<details data-filter-title="{title}"', 1)[1].split("</details>", 1)[0]
    return unescape(re.search(r'<li class="selected">\s*<a href="[^"]*">([^<]+)</a>',
                              block).group(1))


@pytest.mark.parametrize("key", list(SCENARIOS))
def test_each_attention_count_is_the_rows_of_the_list_it_links_to(admin_client, key):
    expected = SCENARIOS[key]()
    item = ATTENTION_BY_KEY[key]

    page = admin_client.get(INDEX).content.decode()
    count, url = index_attention(page)[item.text]
    listing = admin_client.get(url)

    assert count == expected
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == expected
    assert sorted(row.pk for row in listing.context["cl"].result_list) == sorted(
        item.model.objects.filter(item.condition()).values_list("pk", flat=True))


@pytest.mark.parametrize("key", list(SCENARIOS))
def test_the_list_shows_the_chosen_filter_in_its_sidebar(admin_client, key):
    SCENARIOS[key]()
    item = ATTENTION_BY_KEY[key]

    page = admin_client.get(item.url).content.decode()

    title, label = {
        "user_e911_missing": ("E911 address", "None on record"),
        "user_e911_differs": ("E911 address", "Differs from the office's"),
        "office_e911_missing": ("E911 address", "None"),
        "callcenter_no_operators": ("operators", "No"),
        "department_no_operators": ("operators", "No"),
        "number_unassigned": ("assignment", "Unassigned"),
        "user_suspended_holding": ("suspended users", "Still holding numbers or operator roles"),
        "push_refused_recent": ("started", "In the last 7 days"),
    }[key]
    assert selected_filter_choice(page, title) == label
    if key == "push_refused_recent":
        assert selected_filter_choice(page, "outcome") == "Refused by Dialpad"


def test_nothing_to_attend_to_shows_zeros(admin_client):
    page = admin_client.get(INDEX).content.decode()

    counts = index_attention(page)
    assert {text for text in counts} == {item.text for item in ATTENTION}
    assert all(count == 0 for count, _ in counts.values())
    assert 'class="attention-item attention-none"' in page
    assert 'class="attention-item attention-some"' not in page


def test_the_refused_pushes_list_leaves_out_older_refusals(admin_client):
    refused_pushes_this_week()

    everything = admin_client.get(reverse("admin:orgs_pushrecord_changelist"))
    this_week = admin_client.get(ATTENTION_BY_KEY["push_refused_recent"].url)

    assert everything.context["cl"].result_count == 5
    assert {r.outcome for r in this_week.context["cl"].result_list} == {"refused"}


# --- The org at a glance ----------------------------------------------------------------------


def glance_rows(page):
    """{label: (present, gone, held)} of the index's glance table."""
    rows = re.findall(
        r'<tr class="glance-kind">\s*<th scope="row">([^<]+)</th>\s*'
        r'<td class="figure">(.*?)</td>\s*<td class="figure">(.*?)</td>\s*'
        r'<td class="figure">(.*?)</td>', page, re.S)

    def number(cell):
        text = re.sub(r"<[^>]+>", "", cell)
        return 0 if text == "—" else int(text)

    return {label: tuple(number(cell) for cell in cells) for label, *cells in rows}


def test_the_glance_counts_each_kind_in_dialpad_gone_and_held(admin_client):
    org = factories.org_build(size=3)
    for user in org.users[:2]:
        user.gone_at = timezone.now()
        user.save()
    held = SyncRun.objects.create(
        trigger=Trigger.SCHEDULE, status=Status.NEEDS_REVIEW, finished_at=timezone.now(),
        pending_gone={"users": [str(org.users[2].pk)], "numbers": [org.numbers[0].number]})

    page = admin_client.get(INDEX).content.decode()

    rows = glance_rows(page)
    assert rows["Users"] == (1, 2, 1)
    assert rows["Offices"] == (3, 0, 0)
    assert rows["Call centers"] == (3, 0, 0)
    assert rows["Numbers"] == (15, 0, 1)
    assert rows["Channels"] == (0, 0, 0)
    run_url = reverse("admin:syncjobs_syncrun_change", args=[held.pk])
    assert f'href="{run_url}"' in page and 'id="held-for-review"' in page
    # The links land on the lists of those rows.
    gone_users = admin_client.get(
        reverse("admin:orgs_dialpaduser_changelist") + "?presence=gone")
    present = admin_client.get(reverse("admin:orgs_dialpaduser_changelist") + "?presence=present")
    assert gone_users.context["cl"].result_count == 2
    assert present.context["cl"].result_count == 1
    assert '?presence=gone' in page


def test_a_confirmed_or_superseded_hold_is_not_pending(admin_client):
    user = DialpadUserFactory()
    SyncRun.objects.create(trigger=Trigger.SCHEDULE, status=Status.NEEDS_REVIEW,
                           finished_at=timezone.now() - timedelta(hours=1),
                           started_at=timezone.now() - timedelta(hours=1),
                           pending_gone={"users": [str(user.pk)]})
    SyncRun.objects.create(trigger=Trigger.SCHEDULE, status=Status.SUCCEEDED,
                           finished_at=timezone.now())

    page = admin_client.get(INDEX).content.decode()

    assert glance_rows(page)["Users"] == (1, 0, 0)
    assert 'id="held-for-review"' not in page


# --- Recent pushes ----------------------------------------------------------------------------


def test_the_recent_pushes_name_who_and_link_to_their_journal_rows_and_objects(admin_client):
    user = DialpadUserFactory(display_name="Grace Hopper")
    record = PushRecord.objects.create(
        operation="user_e911_update", outcome="refused", actor_username="ann",
        target_type="user", target_id=str(user.pk), target_repr="Grace Hopper")
    for n in range(12):
        PushRecord.objects.create(operation="operator_add", outcome="succeeded",
                                  actor_username=f"old{n}",
                                  started_at=timezone.now() - timedelta(days=1, minutes=n))

    page = admin_client.get(INDEX).content.decode()

    section = page.split('id="recent-pushes"')[1].split("</table>")[0]
    assert section.count('class="recent-push"') == 10
    assert reverse("admin:orgs_pushrecord_change", args=[record.pk]) in section
    assert reverse("admin:orgs_dialpaduser_change", args=[user.pk]) in section
    assert "ann" in section and "Grace Hopper" in section and "Refused by Dialpad" in section
    assert "old11" not in section  # the oldest are left to the journal


# --- Who sees what ----------------------------------------------------------------------------


def test_an_admin_without_org_permissions_gets_a_working_index(client):
    client.force_login(factories.LoginFactory(username="nobody", is_staff=True))
    SCENARIOS["number_unassigned"]()
    refused_pushes_this_week()

    response = client.get(INDEX)

    page = response.content.decode()
    assert response.status_code == 200
    for section in ('id="attention"', 'id="org-glance"', 'id="recent-pushes"',
                    'id="sync-health-chart"', 'id="sync-now-button"'):
        assert section not in page
    assert 'id="system-status"' in page and 'id="sync-status"' in page


def test_an_admin_sees_only_the_kinds_they_may_view(client):
    client.force_login(factories.LoginFactory(
        username="numbers-only", is_staff=True, permissions=["orgs.view_phonenumber"]))
    unassigned_numbers()
    refused_pushes_this_week()

    page = client.get(INDEX).content.decode()

    assert set(index_attention(page)) == {"Unassigned numbers"}
    assert set(glance_rows(page)) == {"Numbers"}
    assert 'id="recent-pushes"' not in page
    assert reverse("admin:orgs_dialpaduser_changelist") not in page


def test_the_dashboard_reads_nothing_the_admin_may_not_view(django_assert_num_queries):
    login = factories.LoginFactory(username="no-perms", is_staff=True)
    login.get_all_permissions()  # the permission cache, as a request would have filled it

    # One query: the held sync (its figures are the glance's, shown to who may view a kind).
    with django_assert_num_queries(1):
        dashboard = dashboard_get(user=login)

    assert not dashboard.kinds and not dashboard.attention and not dashboard.pushes


# --- Query count --------------------------------------------------------------------------------


def index_queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(INDEX)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def with_runs_and_pushes(org):
    for n in range(3):
        SyncRun.objects.create(trigger=Trigger.SCHEDULE, status=Status.SUCCEEDED,
                               finished_at=timezone.now(), api_calls=10 + n)
    for user in org.users:
        PushRecord.objects.create(operation="user_e911_update", outcome="refused",
                                  target_type="user", target_id=str(user.pk),
                                  target_repr=str(user), actor_username="ann")


@pytest.mark.parametrize("login", ["superuser", "read_only_admin"])
def test_the_index_issues_as_many_queries_for_a_big_org_as_for_a_small_one(
        client, login, django_assert_max_num_queries):
    client.force_login(getattr(factories, login)())
    org = factories.org_build(size=2)
    with_runs_and_pushes(org)
    client.get(INDEX)  # warm per-process caches (content types, the session)
    small = index_queries(client)

    bigger = factories.org_build(size=25)
    with_runs_and_pushes(bigger)
    for user in bigger.users[:5]:
        user.state = "suspended"
        user.save()
    with django_assert_max_num_queries(len(small)):
        big = index_queries(client)

    assert len(big) == len(small), "\n".join(["small:", *small, "", "big:", *big])
    assert len(small) <= 30


def test_the_counts_agree_with_the_model_at_scale(admin_client):
    org = factories.org_build(size=30)
    for user in org.users[:7]:
        user.e911_address.delete()
    Office.objects.filter(pk__in=[o.pk for o in org.offices[:4]]).update(gone_at=timezone.now())
    PhoneNumber.objects.filter(pk__in=[n.pk for n in org.numbers[:9]]).update(
        target_type="", assigned_user=None, assigned_room=None, assigned_callcenter=None,
        assigned_department=None, assigned_office=None)

    page = admin_client.get(INDEX).content.decode()

    counts = index_attention(page)
    for item in ATTENTION:
        count, url = counts[item.text]
        assert count == admin_client.get(url).context["cl"].result_count, item.key
    assert counts["Users with no E911 address on record"][0] == 7
    assert counts["Unassigned numbers"][0] == 9
    assert DialpadUser.objects.count() == 30


@pytest.mark.parametrize("changelist, query", [
    ("dialpaduser", "e911=bogus"), ("dialpaduser", "suspended=%00"), ("office", "e911=1"),
    ("callcenter", "has_operators=yes"), ("department", "has_operators="),
    ("phonenumber", "assignment=9999999999999999999999"), ("pushrecord", "within=-7d"),
    ("pushrecord", "within=7d&within=30d"),
])
def test_the_attention_filters_ignore_values_they_do_not_offer(admin_client, changelist, query):
    response = admin_client.get(reverse(f"admin:orgs_{changelist}_changelist") + "?" + query)

    assert response.status_code in (200, 302)
