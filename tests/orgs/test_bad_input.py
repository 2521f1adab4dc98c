"""No input answers 500 (issue 8, case 6): a bad id or number from a request is a form error,
a 404 or the admin's "bad filter" page, wherever it comes in.

Walked over every push view (from the ModelAdmins' push_views) and every changelist of the
org mirror. The inputs: what is not an id ("abc"; "²" and "٣", which str.isdigit() or int()
take; "-1"), and numbers no int64 column can hold, which reached the database as OverflowError
(SQLite) or DataError (PostgreSQL).

These use factory rows, not the simulator: nothing here may reach Dialpad.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.db import models
from django.urls import reverse

from orgs.admin.base import ReadOnlyAdmin
from orgs.admin.pickers import PICKERS
from orgs.models import BulkPushJob, PushRecord
from tests import factories

pytestmark = pytest.mark.django_db

TOO_BIG = ["9" * 25, str(2 ** 63), "-" + "9" * 25]
NOT_IDS = ["abc", "²", "٣", "-1", *TOO_BIG]

ADMINS = {type(a).__name__: a for a in admin.site._registry.values()
          if isinstance(a, ReadOnlyAdmin) and a.opts.app_label == "orgs"}
PUSH_VIEWS = [(a.opts.model_name, name, route) for a in ADMINS.values()
              for route, _view, name, _kwargs in a.push_views]
OBJECT_VIEWS = [v for v in PUSH_VIEWS if "<path:object_id>" in v[2]]
CREATE_VIEWS = [v for v in PUSH_VIEWS if v[1] == "create"]


def view_id(view):
    return f"{view[0]}-{view[1]}"


@pytest.fixture
def org():
    return factories.org_build(size=1)


@pytest.fixture
def admin_client(client):
    client.force_login(factories.admin_who_may_push())
    return client


def push_url(view, object_id, org):
    model_name, name, route = view
    args = [object_id]
    if "<int:operator_id>" in route:
        args += ["user", org.users[0].pk]
    return reverse(f"admin:orgs_{model_name}_{name}", args=args)


# --- ids in URLs: 404 --------------------------------------------------------------------------


@pytest.mark.parametrize("view", OBJECT_VIEWS, ids=view_id)
def test_a_push_view_of_an_id_that_cannot_be_a_row_is_404(admin_client, org, view):
    answers = {object_id: (admin_client.get(push_url(view, object_id, org)).status_code,
                           admin_client.post(push_url(view, object_id, org),
                                             {"_confirmed": "1"}).status_code)
               for object_id in NOT_IDS}

    assert answers == dict.fromkeys(NOT_IDS, (404, 404))


@pytest.mark.parametrize("operator_id", TOO_BIG[:2])
@pytest.mark.parametrize("group", ["office", "department", "callcenter"])
def test_removing_an_operator_whose_id_cannot_be_a_row_is_404(admin_client, org, group,
                                                              operator_id):
    group_id = getattr(org, f"{group}s")[0].pk
    url = reverse(f"admin:orgs_{group}_operator_remove", args=[group_id, "user", operator_id])

    assert admin_client.get(url).status_code == 404


@pytest.mark.parametrize("office_id", NOT_IDS)
@pytest.mark.parametrize("view", CREATE_VIEWS, ids=view_id)
def test_a_create_view_for_an_office_that_cannot_be_one_is_404(admin_client, org, view,
                                                              office_id):
    url = reverse(f"admin:orgs_{view[0]}_create")

    assert admin_client.get(url, {"office": office_id}).status_code == 404


@pytest.mark.parametrize("model_name", sorted({a.opts.model_name for a in ADMINS.values()}))
def test_a_change_page_of_an_id_that_cannot_be_a_row_is_not_found(admin_client, org,
                                                                 model_name):
    answers = {object_id: admin_client.get(reverse(f"admin:orgs_{model_name}_change",
                                                   args=[object_id]))
               for object_id in NOT_IDS}

    # The admin's "does not exist" redirect.
    assert {k: (r.status_code, r.url) for k, r in answers.items()} == dict.fromkeys(
        NOT_IDS, (302, reverse("admin:index")))


# --- posted choices: the field's error ----------------------------------------------------------


def operator_add(group):
    return lambda org: reverse(f"admin:orgs_{group}_operator_add",
                               args=[getattr(org, f"{group}s")[0].pk])


CHOICES = [
    # (what, url of the form, the posted fields but the choice, the choice's field)
    ("add user to office", operator_add("office"), {"operator_type": "user"}, "user"),
    ("add room to office", operator_add("office"), {"operator_type": "room"}, "room"),
    ("add user to department", operator_add("department"), {"operator_type": "user"}, "user"),
    ("add room to department", operator_add("department"), {"operator_type": "room"}, "room"),
    ("add user to call center", operator_add("callcenter"), {"operator_type": "user"}, "user"),
    *[(f"assign a number to a {kind}",
       lambda org: reverse("admin:orgs_phonenumber_assign_to", args=[org.numbers[0].pk]),
       {"target_type": kind}, kind)
      for kind in ("office", "room", "user", "callcenter", "department")],
    ("move a user to an office",
     lambda org: reverse("admin:orgs_dialpaduser_move_office", args=[org.users[0].pk]), {},
     "office"),
    *[(f"create a {kind}", lambda org, kind=kind: reverse(f"admin:orgs_{kind}_create"),
       {"name": "X"}, "office") for kind in ("room", "department", "callcenter")],
]


@pytest.mark.parametrize("what,url,data,field", CHOICES, ids=[c[0] for c in CHOICES])
def test_a_posted_choice_that_is_not_an_id_is_a_field_error(admin_client, org, what, url, data,
                                                            field):
    answers = {value: admin_client.post(url(org), {**data, "role": "operator", field: value})
               for value in NOT_IDS}

    assert {value: (r.status_code, r.context["form"].errors.get(field))
            for value, r in answers.items()} == dict.fromkeys(NOT_IDS, (200, [
                "Select a valid choice. That choice is not one of the available choices."]))
    assert PushRecord.objects.count() == 0


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize("group", ["department", "callcenter"])
def test_a_bulk_actions_group_that_is_not_an_id_is_a_field_error(admin_client, org, group,
                                                                 value):
    response = admin_client.post(reverse("admin:orgs_dialpaduser_changelist"), {
        "action": "add_to_group", "_selected_action": [org.users[0].pk],
        "_bulk_step": "preview", "group_type": group, group: value, "role": "operator"})

    assert response.status_code == 200
    assert response.context["form"].errors[group] == [
        "Select a valid choice. That choice is not one of the available choices."]


# --- changelists: filters, search, autocomplete, action selections ------------------------------


def number_filters(model):
    """Filter parameters over the model's number columns and relations, and date parts."""
    params = []
    for field in model._meta.get_fields():
        if not field.concrete:
            continue
        if isinstance(field, models.ForeignKey):
            target = field.target_field.name
            params += [field.name, f"{field.name}__in", f"{field.name}__{target}__exact"]
        elif isinstance(field, models.IntegerField):
            params += [f"{field.name}__exact", f"{field.name}__in"]
        elif isinstance(field, models.DateTimeField):
            params += [f"{field.name}__year"]
    return params


CHANGELIST_FILTERS = [(a.opts.model_name, param) for a in ADMINS.values()
                      for param in number_filters(a.model)]
CHANGELIST_FILTERS.append(("operatormembership", "in_office"))  # GroupOfficeFilter


@pytest.mark.parametrize("model_name,param", CHANGELIST_FILTERS,
                         ids=[f"{m}-{p}" for m, p in CHANGELIST_FILTERS])
def test_a_filter_by_a_number_no_column_holds_is_a_bad_filter(admin_client, org, model_name,
                                                               param):
    url = reverse(f"admin:orgs_{model_name}_changelist")

    answers = {value: admin_client.get(url, {param: value}) for value in TOO_BIG}

    # The admin's answer to a bad filter value: back to the list, saying so (?e=1).
    assert {value: (r.status_code, r.url) for value, r in answers.items()} == dict.fromkeys(
        TOO_BIG, (302, f"{url}?{ERROR_FLAG}=1"))


def test_a_date_hierarchy_beyond_year_9999_is_a_bad_filter(admin_client, org):
    url = reverse("admin:orgs_pushrecord_changelist")

    response = admin_client.get(url, {"started_at__year": "2026",
                                      "started_at__month": str(2 ** 40)})

    assert response.status_code == 302 and response.url == f"{url}?{ERROR_FLAG}=1"


SEARCHES = ["1" * 30, "+" + "9" * 25, "²"]


@pytest.mark.parametrize("model_name", sorted({a.opts.model_name for a in ADMINS.values()}))
def test_a_search_for_a_huge_number_finds_nothing(admin_client, org, model_name):
    url = reverse(f"admin:orgs_{model_name}_changelist")

    answers = {term: admin_client.get(url, {"q": term}) for term in SEARCHES}

    assert {term: (r.status_code, r.context["cl"].result_count)
            for term, r in answers.items()} == dict.fromkeys(SEARCHES, (200, 0))


@pytest.mark.parametrize("field", ["office", "department", "callcenter", "user", "room"])
def test_the_autocomplete_with_a_huge_id_finds_nothing(admin_client, org, field):
    answers = {term: admin_client.get(reverse("admin:autocomplete"), {
        "app_label": "orgs", "model_name": "operatormembership", "field_name": field,
        "term": term}) for term in SEARCHES}

    assert {term: (r.status_code, r.json()["results"]) for term, r in answers.items()} == (
        dict.fromkeys(SEARCHES, (200, [])))


@pytest.mark.parametrize("picker", ["office", "department", "callcenter", "user", "room",
                                    "free_number"])
def test_a_picker_with_a_huge_id_finds_nothing(admin_client, org, picker):
    model_name = PICKERS[picker].model._meta.model_name
    answers = {term: admin_client.get(reverse(f"admin:orgs_{model_name}_picker"), {
        "app_label": "orgs", "model_name": model_name, "field_name": picker,
        "term": term}) for term in SEARCHES}

    assert {term: (r.status_code, r.json()["results"]) for term, r in answers.items()} == (
        dict.fromkeys(SEARCHES, (200, [])))


@pytest.mark.parametrize("selected", [["abc"], ["9" * 25], ["²"], ["1", "9" * 25]])
@pytest.mark.parametrize("action", ["add_to_group", "assign_e911"])
def test_a_bulk_action_on_a_selection_that_is_not_ids_does_nothing(admin_client, org, action,
                                                                   selected):
    url = reverse("admin:orgs_dialpaduser_changelist")

    response = admin_client.post(url, {"action": action, "_selected_action": selected,
                                       "_bulk_step": "confirm"})

    assert response.status_code == 302 and response.url == url
    assert BulkPushJob.objects.count() == 0
    followed = admin_client.get(url).content.decode()
    assert "The selection names rows that do not exist: nothing was done." in followed
