"""Recipients as an admin gives them: pasted in any common format, or a CSV column.

Each entry is parsed with phonenumbers (national numbers in the sender's country), written
in E.164, duplicates dropped (first one kept), and every entry that is not a number named in
the message. Numbers on the company's SMS opt-out list are taken out before sending, and
named.
"""

from __future__ import annotations

import csv
import io
import re

import phonenumbers
from django.core.exceptions import ValidationError

from .choices import OptOutState
from .models import SmsOptOut

# Entries are separated by line breaks, commas or semicolons (a space may be part of one).
_SEPARATORS = re.compile(r"[\r\n,;]+")
# Shown at most: a pasted list of thousands can be wrong everywhere.
ERRORS_SHOWN = 10
MAX_ENTRY = 40


def split_entries(text):
    """The non-empty entries of a pasted list."""
    return [entry.strip() for entry in _SEPARATORS.split(text or "") if entry.strip()]


def parse_numbers(entries, *, country):
    """(E.164 numbers without duplicates, in order; messages naming each bad entry)."""
    numbers, errors = [], []
    for entry in entries:
        number = _e164(entry, country)
        if number is None:
            shown = entry if len(entry) <= MAX_ENTRY else entry[:MAX_ENTRY - 1] + "…"
            errors.append(f"“{shown}” is not a phone number"
                          + (" in " + country if country and not entry.startswith("+") else "")
                          + ".")
        elif number not in numbers:
            numbers.append(number)
    return numbers, errors


def _e164(entry, country):
    try:
        parsed = phonenumbers.parse(entry, country or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def recipients(entries, *, country, field="recipients", at_most=None, bulk_hint=False):
    """Parse `entries`; ValidationError({field: ...}) names the bad ones, or says there are
    none or too many. Returns the E.164 numbers."""
    numbers, errors = parse_numbers(entries, country=country)
    if errors:
        more = len(errors) - ERRORS_SHOWN
        shown = errors[:ERRORS_SHOWN] + ([f"… and {more} more."] if more > 0 else [])
        raise ValidationError({field: shown})
    if not numbers:
        raise ValidationError({field: ["Enter at least one phone number."]})
    if at_most is not None and len(numbers) > at_most:
        hint = " Send a bulk message to reach more." if bulk_hint else ""
        raise ValidationError({field: [
            f"A message goes to at most {at_most} recipients; this has {len(numbers)}.{hint}"]})
    return numbers


def without_opted_out(numbers):
    """(numbers to send to, numbers left out because they opted out), each in order."""
    opted_out = set()
    for start in range(0, len(numbers), 500):
        opted_out.update(SmsOptOut.objects.filter(
            number__in=numbers[start:start + 500], state=OptOutState.OPTED_OUT,
            gone_at__isnull=True).values_list("number", flat=True))
    return ([n for n in numbers if n not in opted_out],
            [n for n in numbers if n in opted_out])


def csv_entries(data):
    """The entries of an uploaded CSV: its column of numbers (the one where most cells are
    numbers, if there are several), with or without a header row."""
    text = _decode(data)
    try:
        rows = [row for row in csv.reader(io.StringIO(text)) if any(c.strip() for c in row)]
    except csv.Error as exc:
        raise ValidationError({"csv_file": [f"The file is not a CSV file ({exc})."]}) from None
    if not rows:
        raise ValidationError({"csv_file": ["The file has no numbers."]})
    width = max(len(row) for row in rows)
    columns = [[row[i].strip() if i < len(row) else "" for row in rows] for i in range(width)]
    column = max(columns, key=lambda cells: sum(1 for c in cells if _looks_like_number(c)))
    if column and not _looks_like_number(column[0]) and re.search(r"[A-Za-z]", column[0]):
        column = column[1:]  # a header: "phone", "Mobile number", ...
    return [cell for cell in column if cell]


def _looks_like_number(cell):
    return bool(cell) and sum(ch.isdigit() for ch in cell) >= 6 and not re.search(
        r"[A-Za-z]{2}", cell)


def _decode(data):
    """Spreadsheets save CSV as UTF-8 (maybe with a BOM), UTF-16 with a BOM, or Latin-1."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")
