"""What the messaging services share: the text and media limits, the sender and recipients
as an admin gives them, the record of who asked."""

from __future__ import annotations

import base64

from django.core.exceptions import ValidationError

from dialpad_console.dialpad import DialpadError

from ..choices import DELIVERY_RESULTS
from ..recipients import recipients as parse_recipients
from ..recipients import split_entries, without_opted_out

TEXT_MAX = 1600
MEDIA_MAX_BYTES = 500 * 1024
SMS_MAX_RECIPIENTS = 10
BULK_BATCH_SIZE = 50
BULK_MAX_RECIPIENTS = 10_000
SCHEDULE_MAX_RECIPIENTS = 50


def merge(errors, exc):
    """Add a ValidationError's messages to `errors` ({field: [messages]})."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    else:
        errors.setdefault("__all__", []).extend(exc.messages)


def attempt(errors, func, *args, **kwargs):
    """func(...), or None with its ValidationError's messages added to `errors`."""
    try:
        return func(*args, **kwargs)
    except ValidationError as exc:
        merge(errors, exc)
        return None


def check_content(errors, text, media):
    """The text (at most 1,600 characters, required without media) and the media (at most
    500 KiB); returns (text, media as base64 or None)."""
    text = (text or "").replace("\r\n", "\n")
    if not text.strip() and not media:
        errors.setdefault("text", []).append("Write the message (or attach a picture).")
    if len(text) > TEXT_MAX:
        errors.setdefault("text", []).append(
            f"A message can have at most {TEXT_MAX:,} characters; this one has {len(text):,}.")
    encoded = None
    if media:
        if len(media) > MEDIA_MAX_BYTES:
            errors.setdefault("media", []).append(
                f"The attachment can be at most 500 KiB; this one is {len(media) // 1024:,} "
                "KiB.")
        encoded = base64.b64encode(media).decode()
    return text, encoded


def media_size(encoded):
    return len(base64.b64decode(encoded)) if encoded else 0


def check_recipients(errors, entries, sender, *, at_most=None, bulk_hint=False):
    """(numbers to send to, numbers that opted out): parsed in the sender's country; every
    recipient opted out is an error too (nothing would be sent)."""
    if isinstance(entries, str):
        entries = split_entries(entries)
    country = sender.country if sender is not None else "US"
    numbers = attempt(errors, parse_recipients, list(entries or []), country=country,
                      at_most=at_most, bulk_hint=bulk_hint)
    if numbers is None:
        return [], []
    kept, opted_out = without_opted_out(numbers)
    if not kept:
        errors.setdefault("recipients", []).append(
            "Every recipient has opted out of SMS from the company "
            f"({', '.join(opted_out)}): nothing would be sent.")
    return kept, opted_out


def opted_out_note(opted_out):
    if not opted_out:
        return ""
    return (f"Left out, because they opted out of SMS from the company: "
            f"{', '.join(opted_out)}.")


def delivery_refusal(answer, path):
    """A DialpadError saying, in plain words, why Dialpad did not send (message_status
    failed), for Push.refuse."""
    result = answer.get("message_delivery_result") or "failed"
    words = DELIVERY_RESULTS.get(result, "the message was not sent")
    return DialpadError(f"{result}: {words}", method="POST", path=path)
