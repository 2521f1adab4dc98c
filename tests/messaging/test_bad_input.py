"""No input answers 500 on messaging's pages either: what cannot be an id in a URL is a 404
(push views) or the admin's "does not exist" (change pages), a number no column holds in a
filter is the admin's "bad filter" page. As tests/orgs/test_bad_input.py does for the org."""

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.urls import reverse

from orgs.admin.base import ReadOnlyAdmin
from tests import factories
from tests.orgs.test_bad_input import NOT_IDS, TOO_BIG, number_filters

pytestmark = pytest.mark.django_db

ADMINS = [a for a in admin.site._registry.values()
          if isinstance(a, ReadOnlyAdmin) and a.opts.app_label == "messaging"]
OBJECT_VIEWS = [(a.opts.model_name, name, route) for a in ADMINS
                for route, _view, name, _kwargs in a.push_views if "<path:object_id>" in route]
FILTERS = [(a.opts.model_name, param) for a in ADMINS for param in number_filters(a.model)]


@pytest.fixture
def messenger_client(client):
    client.force_login(factories.messenger())
    return client


def url(model_name, name, *args):
    return reverse(f"admin:messaging_{model_name}_{name}", args=args)


@pytest.mark.parametrize("view", OBJECT_VIEWS, ids=lambda v: f"{v[0]}-{v[1]}")
def test_a_push_view_of_an_id_that_cannot_be_a_row_is_404(messenger_client, view):
    model_name, name, route = view
    extra = [1] if "<int:user_id>" in route else []

    answers = {object_id: (
        messenger_client.get(url(model_name, name, object_id, *extra)).status_code,
        messenger_client.post(url(model_name, name, object_id, *extra),
                              {"_confirmed": "1"}).status_code) for object_id in NOT_IDS}

    assert answers == dict.fromkeys(NOT_IDS, (404, 404))


@pytest.mark.parametrize("model_name", sorted({a.opts.model_name for a in ADMINS}))
def test_a_change_page_of_an_id_that_cannot_be_a_row_is_not_found(messenger_client,
                                                                 model_name):
    answers = {object_id: messenger_client.get(url(model_name, "change", object_id))
               for object_id in NOT_IDS}

    assert {k: (r.status_code, r.url) for k, r in answers.items()} == dict.fromkeys(
        NOT_IDS, (302, reverse("admin:index")))


@pytest.mark.parametrize("model_name,param", FILTERS, ids=[f"{m}-{p}" for m, p in FILTERS])
def test_a_filter_by_a_number_no_column_holds_is_a_bad_filter(messenger_client, model_name,
                                                               param):
    listing = url(model_name, "changelist")

    answers = {value: messenger_client.get(listing, {param: value}) for value in TOO_BIG}

    assert {value: (r.status_code, r.url) for value, r in answers.items()} == dict.fromkeys(
        TOO_BIG, (302, f"{listing}?{ERROR_FLAG}=1"))
