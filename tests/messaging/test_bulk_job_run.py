"""bulk_job_run: the worker sends every batch exactly once; lost answers and dead workers
are settled by reading the batch back from Dialpad before anything is re-sent."""

import pytest
from django.utils import timezone

from messaging import claims, services
from messaging.models import BulkMessageBatch, BulkRecipient
from tests.messaging.helpers import CUSTOMERS, a_sender, an_unregistered_sender
from tests.orgs.helpers_push import journal, set_read_timeout, slow_only_the_first_write

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(org, messenger):
    return services.bulk_message_start(actor=messenger, user=a_sender(org),
                                       recipients=CUSTOMERS[:120], text="Closed Friday.")


# A job's first run reads the opt-out list first (two requests: opted out, opted back in),
# so its first batch is request number 3.
FIRST_POST = 3


def slow_from_the_first_post(sim, seconds, until_requests):
    """slow_only_the_first_write, started once the opt-out list has been read."""
    watchers = []
    sim.after_answer(lambda method, path, query: query.get("opt_out_state") == "opted_back_in",
                     lambda: watchers.append(slow_only_the_first_write(
                         sim, seconds, until_requests=until_requests)))
    return watchers


def bulk_posts(sim):
    return [r for r in sim.requests if r.method == "POST" and r.path == "/api/v2/message/bulk"]


def sent_titles(sim):
    return sorted(m["title"] for m in sim.state.messaging.bulk_messages.values())


def states(job):
    return list(job.batches.order_by("position").values_list("state", flat=True))


def test_it_sends_each_batch_once_in_order(org, job):
    services.bulk_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == "finished" and states(job) == ["sent"] * 3
    assert sent_titles(org) == [f"Dialpad Console #{job.pk}.{n}" for n in (1, 2, 3)]
    batch = job.batches.get(position=1)
    assert batch.dialpad_id in org.state.messaging.bulk_messages
    assert BulkRecipient.objects.filter(job=job).count() == 120
    assert [r.outcome for r in journal()] == ["succeeded"] * 3


def test_a_second_run_of_a_finished_job_sends_nothing(org, job):
    services.bulk_job_run(job_id=job.pk)

    services.bulk_job_run(job_id=job.pk)

    assert len(bulk_posts(org)) == 3


def test_a_job_held_by_a_live_worker_is_left_alone(org, job):
    assert claims.take(job.pk, "another-worker")

    services.bulk_job_run(job_id=job.pk)

    assert bulk_posts(org) == [] and states(job) == ["pending"] * 3


def test_a_refusal_of_the_sender_stops_the_job_in_plain_words(org, messenger):
    job = services.bulk_message_start(actor=messenger, user=an_unregistered_sender(org),
                                      recipients=CUSTOMERS[:120], text="Closed Friday.")

    services.bulk_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == "finished" and states(job) == ["refused"] * 3
    first, rest = job.batches.get(position=1), job.batches.get(position=2)
    assert "is not A2P-registered" in first.message and first.message.startswith(
        "Dialpad refused: from_number:")
    assert rest.message.startswith("Not sent: Dialpad refused batch 1 for its sender")
    assert len(bulk_posts(org)) == 1


def test_a_lost_answer_is_read_back_and_the_batch_is_not_sent_again(org, job, settings):
    set_read_timeout(settings, 0.3)
    watchers = slow_from_the_first_post(org, 0.6, until_requests=2)

    services.bulk_job_run(job_id=job.pk)
    watchers[0].join()

    assert states(job) == ["sent", "sent", "sent"]
    assert len(sent_titles(org)) == 3 and len(set(sent_titles(org))) == 3
    first = journal()[0]
    assert first.outcome == "succeeded" and "took effect" in first.message


def test_a_batch_never_created_is_unknown_then_read_back_and_sent_once(org, job, settings):
    settings.DIALPAD_BULK_STALE_AFTER = 0.5
    org.faults.drop_nth = {FIRST_POST}  # the first POST never reaches the handler

    services.bulk_job_run(job_id=job.pk)

    assert states(job) == ["unknown", "sent", "sent"]
    BulkMessageBatch.objects.filter(job=job, position=1).update(
        sending_since=timezone.now() - timezone.timedelta(seconds=5))
    services.bulk_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == "finished" and states(job) == ["sent"] * 3
    assert len(sent_titles(org)) == 3 and len(set(sent_titles(org))) == 3


def test_a_batch_left_sending_by_a_dead_worker_is_read_back_first(org, job, settings):
    settings.DIALPAD_BULK_STALE_AFTER = 0.5
    services.bulk_job_run(job_id=job.pk)
    # As if a worker had died right after Dialpad created batch 2: its row still says
    # "sending", and its claim went silent long ago.
    past = timezone.now() - timezone.timedelta(seconds=5)
    BulkMessageBatch.objects.filter(job=job, position=2).update(state="sending",
                                                                sending_since=past)
    job.__class__.objects.filter(pk=job.pk).update(status="running", claim_token="dead",
                                                   beat_at=past)

    services.bulk_job_run(job_id=job.pk)

    assert states(job) == ["sent"] * 3 and len(bulk_posts(org)) == 3
    assert "it was sent" in job.batches.get(position=2).message


def test_a_server_error_that_changed_nothing_puts_the_batch_back_in_line(org, job):
    org.faults.fail_nth = {FIRST_POST}

    services.bulk_job_run(job_id=job.pk)

    batch = job.batches.get(position=1)
    assert (batch.state, batch.attempts) == ("sent", 2)
    assert len(sent_titles(org)) == 3


def test_recipients_who_opted_out_meanwhile_are_left_out(org, job):
    from messaging.models import SmsOptOut

    SmsOptOut.objects.create(number=CUSTOMERS[0], state="opted_out")

    services.bulk_job_run(job_id=job.pk)

    batch = job.batches.get(position=1)
    assert batch.skipped == [CUSTOMERS[0]]
    assert CUSTOMERS[0] not in bulk_posts(org)[0].json["to_numbers"]


def test_deliveries_are_read_back_until_final(org, job):
    services.bulk_job_run(job_id=job.pk)
    org.state.messaging.unreachable.add(CUSTOMERS[3])

    services.bulk_delivery_read(job_id=job.pk)
    job.refresh_from_db()
    assert not job.delivery_final
    assert set(BulkRecipient.objects.filter(job=job).values_list("delivery_status",
                                                                 flat=True)) == {"pending"}

    org.state.messaging.advance(10)
    services.bulk_delivery_read(job_id=job.pk)

    job.refresh_from_db()
    assert job.delivery_final
    failed = BulkRecipient.objects.get(job=job, phone_number=CUSTOMERS[3])
    assert failed.delivery_status == "failed" and "unreachable" in failed.error_message
    assert BulkRecipient.objects.filter(job=job, delivery_status="delivered").count() == 119


def test_the_followup_resumes_a_stalled_job_and_reads_deliveries(org, job, settings):
    settings.DIALPAD_BULK_STALE_AFTER = 0.5

    done = services.messaging_followup()
    org.state.messaging.advance(10)
    again = services.messaging_followup()

    job.refresh_from_db()
    assert done["bulk_resumed"] == 1 and job.status == "finished"
    assert again["deliveries_read"] == 1 and job.delivery_final


def test_who_opted_out_since_the_last_sync_is_left_out(org, job):
    number = CUSTOMERS[7]
    org.state.messaging.opt_out(number, org.state.company["id"])  # texted STOP just now

    services.bulk_job_run(job_id=job.pk)

    assert job.batches.get(position=1).skipped == [number]
    assert all(number not in r.json["to_numbers"] for r in bulk_posts(org))
    reads = [r for r in org.requests if r.path.endswith("/smsoptout")]
    assert [r.query["opt_out_state"] for r in reads][-2:] == ["opted_out", "opted_back_in"]
