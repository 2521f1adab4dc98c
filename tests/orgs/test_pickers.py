"""Every picker of the push forms names more than a name (issue 11): a user's email,
extension and office; a room's, department's and call center's office; a free number's area
code and office. Pickers offer only what is still in Dialpad, search with the model's own
admin search, and need the model's view permission."""

import pytest
from django.contrib import admin
from django.urls import reverse

from orgs import forms
from orgs.admin.pickers import PICKERS, use_pickers
from tests import factories

pytestmark = pytest.mark.django_db


def pick(client, picker, term=""):
    model_name = PICKERS[picker].model._meta.model_name
    return client.get(reverse(f"admin:orgs_{model_name}_picker"), {
        "app_label": "orgs", "model_name": model_name, "field_name": picker, "term": term})


def texts(response):
    assert response.status_code == 200, response.status_code
    return [result["text"] for result in response.json()["results"]]


def test_three_users_of_the_same_name_are_told_apart(logged_in):
    for office, extension in (("New York", "1042"), ("London", "2042"), ("Paris", "3042")):
        factories.DialpadUserFactory(display_name="Andre Ward", extension=extension,
                                     email=f"andre.{extension}@example.com",
                                     office=factories.OfficeFactory(name=office))

    found = texts(pick(logged_in, "user", "Andre Ward"))

    assert sorted(found) == [
        "Andre Ward · andre.1042@example.com · ext. 1042 · New York",
        "Andre Ward · andre.2042@example.com · ext. 2042 · London",
        "Andre Ward · andre.3042@example.com · ext. 3042 · Paris",
    ]


def test_a_user_is_found_by_email_or_extension(logged_in):
    user = factories.DialpadUserFactory(display_name="Jo Bloggs", extension="7321",
                                        email="jo.bloggs@example.com")

    assert [user.display_name in text for text in texts(pick(logged_in, "user", "7321"))] == [
        True]
    assert len(texts(pick(logged_in, "user", "jo.bloggs@"))) == 1


@pytest.mark.parametrize("picker,factory", [
    ("room", factories.RoomFactory),
    ("department", factories.DepartmentFactory),
    ("callcenter", factories.CallCenterFactory),
])
def test_rooms_and_groups_name_their_office(logged_in, picker, factory):
    row = factory(name="Front desk", office=factories.OfficeFactory(name="Berlin"))

    assert texts(pick(logged_in, picker, "Front")) == [f"{row.name} · Berlin"]


def test_the_free_number_picker_offers_available_numbers_with_their_area_code(logged_in):
    office = factories.OfficeFactory(name="San Francisco")
    free = factories.PhoneNumberFactory(number="+14155550123", office=office)
    factories.PhoneNumberFactory(number="+14155550124", target=factories.DialpadUserFactory())
    factories.PhoneNumberFactory(number="+14155550125", gone=True)

    response = pick(logged_in, "free_number", "415")

    assert response.json()["results"] == [{
        "id": free.number, "text": "+14155550123 · area code 415 · San Francisco · Available"}]


def test_a_gone_row_is_not_offered(logged_in):
    factories.RoomFactory(name="Old lobby", gone=True)
    factories.RoomFactory(name="New lobby")

    assert [text.split(" · ")[0] for text in texts(pick(logged_in, "room", "lobby"))] == [
        "New lobby"]


def test_a_picker_needs_the_models_view_permission(client):
    factories.RoomFactory(name="Lobby")
    client.force_login(factories.LoginFactory(
        username="numbers-only", is_staff=True, permissions=["orgs.view_phonenumber"]))

    assert pick(client, "room", "Lobby").status_code == 403
    assert pick(client, "free_number").status_code == 200


@pytest.mark.parametrize("model_name,field_name", [
    ("room", "user"),  # a picker of another model
    ("room", "nothing"),  # no such picker
    ("dialpaduser", ""),
])
def test_a_malformed_picker_request_is_refused(logged_in, model_name, field_name):
    response = logged_in.get(reverse(f"admin:orgs_{model_name}_picker"), {
        "app_label": "orgs", "model_name": model_name, "field_name": field_name})

    assert response.status_code == 403


def test_the_chosen_row_is_rendered_with_its_detailed_label():
    user = factories.DialpadUserFactory(display_name="Jo Bloggs", extension="7321",
                                        office=factories.OfficeFactory(name="Lisbon"))
    group = factories.DepartmentFactory()
    form = use_pickers(forms.OperatorAddForm({"operator_type": "user", "user": user.pk},
                                             group=group), admin.site, ["user"])

    html = str(form["user"])

    assert f'<option value="{user.pk}" selected>Jo Bloggs · {user.email} · ext. 7321 · Lisbon' \
        in html
