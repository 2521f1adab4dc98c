"""The push journal's admin: read-only, filtered by outcome, operation and actor, searchable,
and showing exactly what was sent."""

import pytest
from django.urls import reverse

from orgs.models import PushRecord
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:orgs_pushrecord_changelist")


@pytest.fixture
def records():
    pusher = factories.admin_who_may_push()
    return [
        PushRecord.objects.create(
            actor=pusher, actor_username="pusher", operation="operator_add",
            target_type="callcenter", target_id="5000", target_repr="Support",
            request={"method": "POST", "path": "/api/v2/callcenters/5000/operators",
                     "body": {"user_id": 7, "role": "admin"}},
            outcome="succeeded", duration_ms=120, message="Added user Ann to call center Support"),
        PushRecord.objects.create(
            actor_username="someone-else", operation="number_unassign", target_type="number",
            target_id="+14155550100", target_repr="+14155550100", outcome="refused",
            dialpad_status=404, duration_ms=80,
            message="Dialpad refused: number: +14155550100 is not one of the company's numbers."),
    ]


@pytest.fixture
def admin_client(client):
    client.force_login(factories.superuser())
    return client


def listed(response):
    return [r.pk for r in response.context["cl"].result_list]


def test_it_lists_who_when_what_and_the_outcome_in_words(admin_client, records):
    response = admin_client.get(CHANGELIST)

    content = response.content.decode()
    assert listed(response) == [records[1].pk, records[0].pk]
    for text in ("pusher", "Add operator", "Unassign number", "Support", "Refused by Dialpad",
                 "[404] Dialpad refused", "is not one of the company"):
        assert text in content
    table = content.split('id="result_list"')[1].split("</table>")[0]
    assert "operator_add" not in table
    assert reverse("admin:orgs_callcenter_change", args=["5000"]) in content


@pytest.mark.parametrize("query, expected", [
    ({"outcome__exact": "refused"}, [1]),
    ({"operation__exact": "operator_add"}, [0]),
    ({"actor_username": "someone-else"}, [1]),
    ({"q": "Support"}, [0]),
    ({"q": "+14155550100"}, [1]),
])
def test_it_filters_and_searches(admin_client, records, query, expected):
    response = admin_client.get(CHANGELIST, query)

    assert listed(response) == [records[i].pk for i in expected]


def test_a_record_shows_the_request_that_was_sent(admin_client, records):
    response = admin_client.get(reverse("admin:orgs_pushrecord_change", args=[records[0].pk]))

    content = response.content.decode()
    assert "POST /api/v2/callcenters/5000/operators" in content
    assert "120 ms" in content
    assert "&quot;role&quot;: &quot;admin&quot;" in content


def test_nobody_adds_changes_or_deletes_a_record(admin_client, records):
    record = records[0]

    assert admin_client.get(reverse("admin:orgs_pushrecord_add")).status_code == 403
    assert admin_client.post(reverse("admin:orgs_pushrecord_change", args=[record.pk]),
                             {"message": "edited"}).status_code == 403
    assert admin_client.post(reverse("admin:orgs_pushrecord_delete", args=[record.pk]),
                             {"post": "yes"}).status_code == 403
    record.refresh_from_db()
    assert record.message == "Added user Ann to call center Support"


def test_staff_without_the_view_permission_cannot_see_it(client, records):
    client.force_login(factories.LoginFactory(username="mirror-only", is_staff=True,
                                              permissions=factories.VIEW_ORGS))

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(reverse("admin:orgs_pushrecord_change",
                              args=[records[0].pk])).status_code == 403


def test_a_read_only_admin_can_open_it_but_sees_no_push_control(client, records):
    client.force_login(factories.read_only_admin())

    listing = client.get(CHANGELIST)
    record = client.get(reverse("admin:orgs_pushrecord_change", args=[records[0].pk]))

    assert listing.status_code == record.status_code == 200
    assert listed(listing) == [records[1].pk, records[0].pk]
    assert "POST /api/v2/callcenters/5000/operators" in record.content.decode()
    for page in (listing, record):
        content = page.content.decode()
        assert 'class="dialpad-push-tool"' not in content
        assert 'class="addlink"' not in content and 'name="_save"' not in content
        assert 'name="action"' not in content  # no bulk action to run on the rows
    assert listing.context["has_add_permission"] is False
    assert record.context["has_change_permission"] is False
