"""Reading the values of an event's payload, whose format Dialpad documents loosely: every
reader returns something storable (or None/"") rather than raising on an odd value."""

from datetime import datetime, timezone as dt_timezone

from dialpad_console.dialpad import parse_id


def id_or_none(value):
    """A Dialpad id (int or digit string) as an int; None for anything else."""
    try:
        return parse_id(value)
    except (TypeError, ValueError):
        return None


def text_of(value, length):
    """A scalar as text cut to `length` ("" for None, objects and lists)."""
    return "" if value is None or isinstance(value, (dict, list)) else str(value)[:length]


def event_time(value):
    """A datetime from Dialpad's unix time in milliseconds (or seconds), or an ISO date."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    number = id_or_none(value)
    try:
        if number is not None:
            seconds = number / 1000 if number > 100_000_000_000 else number
            return datetime.fromtimestamp(seconds, tz=dt_timezone.utc)
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt_timezone.utc)
