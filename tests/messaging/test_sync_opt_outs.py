"""The full sync mirrors the company's SMS opt-out list, in both of its states."""

import pytest

from dialpad_console.dialpad import endpoints
from messaging.models import SmsOptOut
from syncjobs.engine import run_sync
from tests.orgs.helpers_push import sync_changes

pytestmark = pytest.mark.django_db


def test_the_sync_mirrors_who_opted_out_and_who_opted_back_in(org):
    listed = org.state.messaging.opt_outs

    assert dict(SmsOptOut.objects.values_list("number", "state")) == {
        number: entry["opt_out_state"] for number, entry in listed.items()}
    out = SmsOptOut.objects.filter(state="opted_out").first()
    assert (out.scope_level, out.scope_id) == ("company", org.state.company["id"])
    assert out.changed_at is not None


def test_it_reads_both_listings_of_the_opt_out_list(use_sim):
    run_sync()

    reads = [r.query["opt_out_state"] for r in use_sim.requests
             if r.path.endswith("/smsoptout")]

    assert reads == ["opted_out", "opted_back_in"]


def test_a_number_that_opts_back_in_is_updated_not_gone(org):
    number = next(n for n, e in org.state.messaging.opt_outs.items()
                  if e["opt_out_state"] == "opted_out")
    org.state.messaging.opt_out(number, org.state.company["id"], back_in=True)

    sync_changes()

    row = SmsOptOut.objects.get(number=number)
    assert (row.state, row.gone_at) == ("opted_back_in", None)


def test_a_number_dialpad_no_longer_lists_is_marked_gone(org, settings):
    settings.DIALPAD_SYNC_MAX_GONE_SHARE = 0.5  # one of the demo's six numbers
    number = next(iter(org.state.messaging.opt_outs))
    del org.state.messaging.opt_outs[number]

    changes = sync_changes()

    assert changes["sms_opt_outs"]["gone"] == 1
    assert SmsOptOut.objects.get(number=number).gone_at is not None


def test_a_list_that_suddenly_loses_most_numbers_is_held_for_review(org):
    # Marking them gone would let the console text people who opted out.
    org.state.messaging.opt_outs.clear()

    run = run_sync()

    assert run.status == "needs_review"
    assert SmsOptOut.objects.filter(gone_at__isnull=False).count() == 0


def test_a_key_that_may_not_read_the_list_skips_it_and_keeps_the_rows(org, monkeypatch):
    before = set(SmsOptOut.objects.filter(gone_at__isnull=True).values_list("number", flat=True))
    # Another company's list: the simulator answers 403, as Dialpad does to a key without
    # the company admin's rights.
    monkeypatch.setattr(endpoints, "sms_opt_outs",
                        lambda company_id: f"{endpoints.COMPANY}/1/smsoptout")

    run = run_sync()

    assert run.status == "succeeded", run.error
    assert "sms_opt_outs: skipped: Dialpad refused the listing" in run.log
    assert set(SmsOptOut.objects.filter(gone_at__isnull=True).values_list(
        "number", flat=True)) == before
