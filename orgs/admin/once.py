"""One push per rendered form: the one-time token of a push form page.

Every page with a push form (the push views, the bulk actions' pages, the inline "Add
operator" form) carries a fresh random token as a hidden input (`token_input`); a
confirmation page passes the token of the form it confirms on. The POST that is about to push
claims its token first (`claim`): it inserts a PushSubmission, whose token column is unique,
in its own committed statement, before anything is sent. Of two submits of the same page (a
double click, a resubmit after "Back", two tabs) the database lets exactly one insert the row,
on SQLite as on PostgreSQL; the other raises AlreadySubmitted, and its page says what became
of the first push, with a link to its journal row (or its bulk push's page).

A POST without a token (a script, a test client) is not deduplicated: it pushes as before.
"""

import re
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import format_html

from ..models import PushRecord, PushSubmission
from .display import admin_url, changelist_url, short_datetime

TOKEN = "_push_token"
# What token_input hands out (token_urlsafe(24): 32 characters). Anything else posted as a
# token did not come from one of our pages and is ignored, never stored.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class AlreadySubmitted(Exception):
    """The token was claimed before: `first` is that submission, `message` what to say (safe
    HTML)."""

    def __init__(self, first):
        self.first = first
        self.message = already_sent_message(first)
        super().__init__(self.message)


def token_input(token=None):
    """The hidden input of a push form page: `token` (one passed on), else a new one."""
    token = token or secrets.token_urlsafe(24)
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN, token)


def posted_token(request):
    """The token the POST carries, or "" (none, or not one of ours)."""
    token = request.POST.get(TOKEN, "")
    return token if _TOKEN_SHAPE.match(token) else ""


def claim(request):
    """Claim the POST's token before pushing: the new PushSubmission, or None when the POST
    carries no token. Raises AlreadySubmitted when this page was submitted before.

    Call it outside a transaction: the row must be committed before anything is sent, so
    that a concurrent submit sees it (on PostgreSQL it waits for it, then fails to insert).
    """
    token = posted_token(request)
    if not token:
        return None
    actor = request.user if request.user.is_authenticated else None
    try:
        with transaction.atomic():
            return PushSubmission.objects.create(token=token, actor=actor)
    except IntegrityError:
        first = (PushSubmission.objects.select_related("push_record", "bulk_job")
                 .filter(token=token).first())
        raise AlreadySubmitted(first) from None


def submitted_before(request):
    """AlreadySubmitted for a POST whose token was claimed before, else None (a read: the
    push still claims its token with `claim`)."""
    token = posted_token(request)
    if not token:
        return None
    first = (PushSubmission.objects.select_related("push_record", "bulk_job")
             .filter(token=token).first())
    return AlreadySubmitted(first) if first is not None else None


def finish(submission, *, push_record=None, bulk_job=None):
    """Record what the claimed submission pushed (nothing to do for a POST without token)."""
    if submission is None:
        return
    submission.finished_at = timezone.now()
    submission.push_record = push_record
    submission.bulk_job = bulk_job
    submission.save(update_fields=["finished_at", "push_record", "bulk_job"])


finish.alters_data = True


def already_sent_message(first):
    """What the page of a second submit says (safe HTML, with a link to the first push)."""
    if first is None:  # the first submission's row was deleted since: nothing to link
        return "This form was already submitted. Nothing was sent again."
    when = short_datetime(first.created_at)
    if first.bulk_job is not None:
        return format_html(
            'This form was already submitted at {}: see the bulk push <a href="{}" '
            'class="dialpad-first-push">{}</a>. Nothing was sent again.',
            when, admin_url(first.bulk_job), first.bulk_job)
    record = first.push_record
    if record is not None:
        return format_html(
            'This form was already submitted at {}: see its push in the journal, '
            '<a href="{}" class="dialpad-first-push">{}</a> ({}). Nothing was sent again.',
            when, admin_url(record), record.message or record, record.get_outcome_display())
    if first.finished_at is None:
        return format_html(
            "This form was already submitted at {} and that push is still being sent to "
            'Dialpad. Nothing was sent again: its outcome will be in the <a href="{}" '
            'class="dialpad-first-push">push journal</a>.',
            when, changelist_url(PushRecord))
    return format_html("This form was already submitted at {}. Nothing was sent again.", when)
