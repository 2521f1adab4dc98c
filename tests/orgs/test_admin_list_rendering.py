"""What a changelist renders per row, built without a reverse() or a form widget per row:
the same HTML as Django's own."""

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.urls import reverse, set_script_prefix

from orgs.admin.display import id_url
from orgs.models import DialpadUser
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", [
    "admin:orgs_dialpaduser_change",
    "admin:orgs_office_history",
    "admin:orgs_dialpaduser_e911",
    "admin:orgs_phonenumber_unassign",
])
@pytest.mark.parametrize("prefix", ["/", "/console/"])
def test_an_id_url_is_the_url_reverse_gives(url_name, prefix):
    set_script_prefix(prefix)
    try:
        for id_ in (1, 918273645, 5_000_000_000_000_123):
            assert id_url(url_name, id_) == reverse(url_name, args=[id_])
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("name", ["Ada Lovelace", "<b>Ada</b> & \"Co\""])
def test_the_action_checkbox_is_djangos(name):
    user = factories.DialpadUserFactory(display_name=name)
    user_admin = admin.site.get_model_admin(DialpadUser)

    assert user_admin.action_checkbox(user) == ModelAdmin.action_checkbox(user_admin, user)


def test_a_changelist_row_links_its_change_page(logged_in):
    user = factories.DialpadUserFactory(display_name="Ada Lovelace")

    response = logged_in.get(reverse("admin:orgs_dialpaduser_changelist"))

    change_url = reverse("admin:orgs_dialpaduser_change", args=[user.pk])
    assert f'<a href="{change_url}">Ada Lovelace</a>' in response.content.decode()
