"""Input rules for pushes, as Dialpad's spec states them; shared by the services and the forms.

Each function either returns the cleaned value or raises Django's ValidationError with a
message written for the admin who typed the value.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError

# Lengths and ranges Dialpad's spec states (CreateDepartmentMessage / CreateCallCenterMessage).
GROUP_NAME_MAX = 100
GROUP_DESCRIPTION_MAX = 256
RING_SECONDS_MIN = 10
RING_SECONDS_MAX = 45
# The spec gives rooms no maximum; this is the mirror's column.
ROOM_NAME_MAX = 255
# E911 fields fit the mirror's columns (orgs.E911Address).
E911_MAX_LENGTHS = {"address": 255, "address2": 255, "city": 128, "state": 64, "zip": 32}
E911_REQUIRED = ("address", "city", "state", "zip", "country")
E911_LABELS = {"address": "Address line 1", "address2": "Address line 2", "city": "City",
               "state": "State or province", "zip": "ZIP or postal code"}

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_AREA_CODE_RE = re.compile(r"^\d{2,5}$")
_COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")


def single_line(value, *, label="This value"):
    """`value` stripped; refuses line breaks (Dialpad's "[single-line only]" fields)."""
    text = "" if value is None else str(value)
    if any(ch in text for ch in "\r\n\v\f\x85\u2028\u2029"):
        raise ValidationError(f"{label} must be on a single line.", code="multiline")
    return text.strip()


def required_single_line(value, *, label="This field", max_length=None):
    text = single_line(value, label=label)
    if not text:
        raise ValidationError(f"{label} is required.", code="required")
    if max_length is not None and len(text) > max_length:
        raise ValidationError(
            f"{label} can have at most {max_length} characters (it has {len(text)}).",
            code="max_length",
        )
    return text


def country_code(value):
    """A two-letter ISO 3166 country code, lower case as Dialpad answers it ("us")."""
    text = single_line(value, label="Country").strip()
    if not _COUNTRY_RE.match(text):
        raise ValidationError(
            "Enter the country as a two-letter code, e.g. US or CA.", code="country"
        )
    if text.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationError(
            f"“{text}” is not a country code; enter a two-letter ISO 3166 code, e.g. US.",
            code="country",
        )
    return text.lower()


def e164(value, *, region=None):
    """A phone number normalised to E.164 ("+14155550100").

    `region` (a two-letter country code, e.g. the target office's country) lets an admin
    type a national number such as "(415) 555-0100".
    """
    text = single_line(value, label="The number")
    if not text:
        raise ValidationError("Enter a phone number.", code="required")
    region = (region or "").upper() or None
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        hint = "" if region else " Start it with + and the country code."
        raise ValidationError(
            f"“{text}” is not a phone number.{hint}", code="invalid_number"
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            f"“{text}” is not a valid phone number"
            + (f" in {region}" if region and not text.startswith("+") else "")
            + ".",
            code="invalid_number",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def area_code(value):
    text = single_line(value, label="The area code")
    if not _AREA_CODE_RE.match(text):
        raise ValidationError("Enter an area code of 2 to 5 digits, e.g. 415.", code="area_code")
    return text


def ring_seconds(value):
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        raise ValidationError("Enter a whole number of seconds.", code="invalid") from None
    if isinstance(value, bool) or not RING_SECONDS_MIN <= seconds <= RING_SECONDS_MAX:
        raise ValidationError(
            f"Ring seconds must be between {RING_SECONDS_MIN} and {RING_SECONDS_MAX}.",
            code="ring_seconds",
        )
    return seconds


def group_name(value):
    return required_single_line(value, label="The name", max_length=GROUP_NAME_MAX)


def room_name(value):
    return required_single_line(value, label="The name", max_length=ROOM_NAME_MAX)


def group_description(value):
    text = "" if value is None else str(value).strip()
    if len(text) > GROUP_DESCRIPTION_MAX:
        raise ValidationError(
            f"The description can have at most {GROUP_DESCRIPTION_MAX} characters "
            f"(it has {len(text)}).",
            code="max_length",
        )
    return text


def day_hours(value, *, day="this day"):
    """One day's hours of operation: ["08:00", "12:00", "14:00", "18:00"] (open, close, ...).

    An empty list means closed all day. Also accepts a string "08:00-12:00, 14:00-18:00".
    """
    if value is None:
        return []
    if isinstance(value, str):
        text = single_line(value, label=f"The hours of {day}")
        value = [t.strip() for t in re.split(r"[-–,;\s]+", text) if t.strip()]
    times = [str(t).strip() for t in value]
    label = day.capitalize()
    for t in times:
        if not _TIME_RE.match(t):
            raise ValidationError(
                f"{label}: “{t}” is not a time; use HH:MM, e.g. 08:00.", code="hours"
            )
    if len(times) % 2:
        raise ValidationError(
            f"{label}: give opening and closing times in pairs, e.g. 08:00-18:00.", code="hours"
        )
    if any(a >= b for a, b in zip(times, times[1:])):
        raise ValidationError(
            f"{label}: each time must come after the one before, e.g. 08:00-12:00, 14:00-18:00.",
            code="hours",
        )
    return times


def hours_of_operation(value):
    """{"monday": [...], ...} with only known days; each day checked by `day_hours`."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValidationError("Hours of operation must map days to times.", code="hours")
    unknown = sorted(set(value) - set(DAYS))
    if unknown:
        raise ValidationError(f"Unknown day(s): {', '.join(unknown)}.", code="hours")
    return {day: day_hours(value[day], day=day) for day in DAYS if day in value}
