"""user_e911_update: set one user's E911 address."""

from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dialpad_console.dialpad import get_client
from orgs import forms, services
from orgs.exceptions import PushRefused
from orgs.models import DialpadUser, E911Address
from tests import factories
from tests.orgs.helpers_push import history_of, journal, mirror_snapshot, sync_changes, writes

pytestmark = pytest.mark.django_db

ADDRESS = {"address": "1 Main St", "address2": "", "city": "Austin", "state": "TX",
           "zip": "78701", "country": "us"}


@pytest.fixture
def user():
    return DialpadUser.objects.filter(state="active").first()


def test_it_changes_the_users_address(org, pusher, user):
    row = services.user_e911_update(actor=pusher, user=user, address=ADDRESS)

    assert org.state.user_e911[user.pk] == ADDRESS
    assert (row.user, row.address, row.city, row.zip) == (user, "1 Main St", "Austin", "78701")
    assert E911Address.objects.filter(user=user).count() == 1
    assert history_of(user)[-1].startswith(
        "Changed E911 address to 1 Main St, Austin, TX, 78701, US via Dialpad Console")
    [record] = journal()
    assert (record.operation, record.target_type, record.outcome) == (
        "user_e911_update", "user", "succeeded")


def test_it_sends_the_validated_option_explicitly(org, pusher, user):
    services.user_e911_update(actor=pusher, user=user, address=ADDRESS,
                              use_validated_option=True)

    [put] = writes(org)
    assert (put.method, put.path) == ("PUT", f"/api/v2/users/{user.pk}/e911")
    assert put.json == {**ADDRESS, "use_validated_option": True}


def test_it_requires_the_change_e911_permission(org, user):
    with pytest.raises(PermissionDenied):
        services.user_e911_update(actor=factories.read_only_admin(), user=user,
                                  address=ADDRESS)

    assert writes(org) == []
    assert journal()[0].outcome == "denied"


def test_it_puts_each_bad_field_message_on_its_field_and_sends_nothing(org, pusher, user):
    with pytest.raises(ValidationError) as error:
        services.user_e911_update(actor=pusher, user=user, address={
            **ADDRESS, "address": "", "state": "Texas\nUSA", "country": "Texas"})

    assert set(error.value.message_dict) == {"address", "state", "country"}
    assert writes(org) == []


def test_it_shows_dialpads_reason_and_leaves_the_mirror_unchanged(org, pusher, user):
    del org.state.users[user.pk]
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.user_e911_update(actor=pusher, user=user, address=ADDRESS)

    assert str(error.value).startswith(f"Dialpad refused: user {user.pk} not found")
    assert mirror_snapshot() == before
    assert journal()[0].outcome == "refused"


def test_a_rate_limit_is_a_refusal_that_says_to_wait(org, pusher, user, monkeypatch):
    org.set_rate_limit(1)
    get_client().get("/api/v2/company")  # the minute's only request
    # No retries: the client would otherwise wait out Retry-After (up to a minute).
    monkeypatch.setattr(services._push, "get_client", partial(get_client, max_retries=0))
    before = mirror_snapshot()

    with pytest.raises(PushRefused) as error:
        services.user_e911_update(actor=pusher, user=user, address=ADDRESS)

    assert error.value.status == 429
    assert "try again in a minute" in str(error.value)
    assert mirror_snapshot() == before
    assert journal()[0].dialpad_status == 429


def test_a_sync_after_the_push_records_no_change(org, pusher, user):
    services.user_e911_update(actor=pusher, user=user, address=ADDRESS)

    assert sync_changes() == {}


def test_the_form_refuses_an_unknown_country_on_its_field(org, user):
    form = forms.UserE911Form({**ADDRESS, "country": "ZZ"}, user=user)

    assert not form.is_valid()
    assert list(form.errors) == ["country"]


def test_the_form_pushes_the_address(org, pusher, user):
    form = forms.UserE911Form({**ADDRESS, "use_validated_option": "on"}, user=user)
    assert form.is_valid(), form.errors

    form.save(actor=pusher)

    assert writes(org)[0].json["use_validated_option"] is True
    assert org.state.user_e911[user.pk]["city"] == "Austin"
