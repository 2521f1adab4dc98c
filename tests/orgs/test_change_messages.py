"""Messages name things as an admin reads them: History names fields by their labels and the
rows a foreign key points at by name; the push journal names operations in words and the user
or room an operator push was about, with links."""

import pytest
from django.urls import reverse

from orgs.history import describe_changes
from orgs.models import DialpadUser, E911Address, PhoneNumber, PushRecord
from orgs.models.journal import operation_label
from orgs.services.groups import sent_fields_label
from tests import factories

pytestmark = pytest.mark.django_db


def test_history_names_fields_by_their_labels():
    text = describe_changes({"first_name": ("Ann", "Anna"), "job_title": ("", "Analyst"),
                             "is_admin": (False, True)}, DialpadUser)

    assert text == "first name: Ann → Anna; job title: — → Analyst; is admin: no → yes"


def test_history_names_the_office_a_user_moved_between():
    old, new = factories.OfficeFactory(name="Berlin"), factories.OfficeFactory(name="Paris")

    text = describe_changes({"office_id": (old.pk, new.pk)}, DialpadUser)

    assert text == "office: Berlin → Paris"


def test_an_office_the_console_lacks_is_still_named_by_its_id():
    new = factories.OfficeFactory(name="Paris")

    assert describe_changes({"office_id": (123, new.pk)}, DialpadUser) == "office: 123 → Paris"


def test_e911_and_number_fields_have_readable_labels():
    assert describe_changes({"address2": ("", "Floor 3"), "zip": ("1", "2")}, E911Address) == (
        "address line 2: — → Floor 3; ZIP code: 1 → 2")
    assert describe_changes({"target_type": ("user", "room")}, PhoneNumber) == (
        "assigned to (kind): user → room")


def test_a_group_update_names_what_it_sent_in_words():
    body = {"name": "Sales", "group_description": "x", "ring_seconds": 20, "hours_on": True,
            "monday_hours": ["08:00", "18:00"], "saturday_hours": []}

    assert sent_fields_label(body) == (
        "name, description, ring seconds, hours on or off and hours of Monday, Saturday")
    assert sent_fields_label({"ring_seconds": 30}) == "ring seconds"
    assert sent_fields_label({"name": "A", "ring_seconds": 30}) == "name and ring seconds"


@pytest.mark.parametrize("operation, label", [
    ("operator_add", "Add operator"), ("callcenter_update", "Edit call center"),
    ("user_move_office", "Move user to another office"), ("something_new", "Something new"),
])
def test_operations_have_names_in_words(operation, label):
    assert operation_label(operation) == label


def test_the_journal_names_the_user_an_operator_push_added(client):
    group = factories.CallCenterFactory(name="Support")
    user = factories.DialpadUserFactory(display_name="Ann Smith")
    room = factories.RoomFactory(name="Lobby")
    for body in ({"user_id": user.pk, "role": "operator"},
                 {"operator_id": str(room.pk), "operator_type": "room", "role": "operator"}):
        PushRecord.objects.create(
            actor_username="pusher", operation="operator_add", target_type="callcenter",
            target_id=str(group.pk), target_repr="Support", outcome="succeeded",
            request={"method": "POST", "path": "/x", "body": body})
    client.force_login(factories.superuser())

    response = client.get(reverse("admin:orgs_pushrecord_changelist"))

    content = response.content.decode()
    assert reverse("admin:orgs_dialpaduser_change", args=[user.pk]) in content
    assert reverse("admin:orgs_room_change", args=[room.pk]) in content
    assert "Ann Smith</a> <span class=\"dialpad-kind\">user</span> in" in content
    record = PushRecord.objects.order_by("pk").first()
    page = client.get(reverse("admin:orgs_pushrecord_change", args=[record.pk]))
    assert "Ann Smith" in page.content.decode()


def test_a_member_the_console_does_not_have_is_named_by_kind_and_id(client):
    PushRecord.objects.create(
        actor_username="pusher", operation="operator_remove", target_type="department",
        target_id="1", target_repr="Sales", outcome="refused",
        request={"method": "DELETE", "path": "/x", "body": {"operator_id": 987,
                                                          "operator_type": "user"}})
    client.force_login(factories.superuser())

    content = client.get(reverse("admin:orgs_pushrecord_changelist")).content.decode()

    assert "user 987 in" in content
    assert "Remove operator" in content


def test_history_links_the_numbers_and_sync_runs_a_message_names(client):
    from orgs.history import CHANGE, log_entries

    user = factories.DialpadUserFactory()
    number = factories.PhoneNumberFactory(number="+14155550177", target=user)
    log_entries(actor=factories.superuser(username="history-writer"), action_flag=CHANGE,
                entries=[(user, "Assigned number +14155550177 as primary number; <b>x</b>"),
                         (user, "Sync run #42: first name: A → B; lost +14155550999.")])
    client.force_login(factories.superuser())

    content = client.get(reverse("admin:orgs_dialpaduser_history", args=[user.pk])
                         ).content.decode()

    number_url = reverse("admin:orgs_phonenumber_change", args=[number.pk])
    assert f'<a href="{number_url}">+14155550177</a>' in content
    run_url = reverse("admin:syncjobs_syncrun_change", args=[42])
    assert f'<a href="{run_url}">Sync run #42</a>' in content
    assert "lost +14155550999." in content  # a number the console lacks stays text
    assert "&lt;b&gt;x&lt;/b&gt;" in content  # the rest is escaped
