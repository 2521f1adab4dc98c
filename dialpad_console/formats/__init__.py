"""The console's one date and time format, in the console's time zone (DJANGO_TIME_ZONE).

Django localizes every date it renders (USE_L10N is always on since Django 5), so the
DATETIME_FORMAT setting alone is ignored: the formats live in a format module
(`en/formats.py`, found through settings.FORMAT_MODULE_PATH). Code that writes a moment into a
message uses `console_datetime`, so messages and pages read the same.
"""

from django.utils import timezone
from django.utils.formats import date_format


def console_datetime(moment):
    """'2026-12-01 09:30' in the console's time zone; '' for None."""
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment, "DATETIME_FORMAT")
