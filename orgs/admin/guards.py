"""Numbers from a request that the database cannot take, caught before a query is built.

Django's admin checks a changelist filter when it builds the query (a ValueError sends the
admin back to the unfiltered list with ?e=1), but a number no column can hold passes that
check and fails only when the rows are read: OverflowError on SQLite ("Python int too large
to convert to SQLite INTEGER"; PostgreSQL compares it as a numeric and finds nothing), and a
date part beyond what Python's datetime takes as OverflowError on either. So ReadOnlyAdmin
asks `bad_filter_value` first, and treats what it finds like any other bad filter value. The
ids in URLs and in an action's selection go through orgs.forms.parse_object_id.
"""

from django.contrib.admin.views.main import ERROR_FLAG, IGNORED_PARAMS, PAGE_VAR
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.db.models.constants import LOOKUP_SEP

# Lookups whose value is a number of the field's own type; "in" and "range" take a list.
NUMBER_LOOKUPS = {"exact", "iexact", "in", "range", "gt", "gte", "lt", "lte"}
LIST_LOOKUPS = {"in", "range"}
# Parts of a date: the admin's date hierarchy builds a datetime from them.
DATE_PARTS = {"year", "iso_year", "quarter", "month", "week", "week_day", "iso_week_day", "day",
              "hour", "minute", "second"}
DATE_PART_RANGE = (0, 9999)
INT64_RANGE = (-(2 ** 63), 2 ** 63 - 1)


def _field_and_lookups(model, key):
    """The model field a filter parameter names (following relations), and the lookups
    after it; (None, []) when the key is not a field path (a SimpleListFilter's own)."""
    opts, field = model._meta, None
    parts = key.split(LOOKUP_SEP)
    for index, part in enumerate(parts):
        try:
            field = opts.get_field(opts.pk.name if part == "pk" else part)
        except FieldDoesNotExist:
            return field, parts[index:]
        if field.is_relation:
            if field.related_model is None:
                return None, []
            opts = field.related_model._meta
    return field, []


def _number_range(field, lookups):
    """(min, max) of the numbers the parameter's value must be, or None if not a number."""
    if field is not None and field.is_relation:
        field = field.target_field  # a relation is filtered by the key of its other end
    if field is None or len(lookups) > 2:
        return None
    if lookups and lookups[0] in DATE_PARTS and isinstance(field, models.DateField):
        lookups = lookups[1:]
        bounds = DATE_PART_RANGE
    elif isinstance(field, models.IntegerField):  # also AutoField, BigIntegerField...
        bounds = connection.ops.integer_field_range(field.get_internal_type())
    else:
        return None
    if lookups and lookups[0] not in NUMBER_LOOKUPS:
        return None
    low, high = bounds
    return (INT64_RANGE[0] if low is None else low, INT64_RANGE[1] if high is None else high)


def _is_number_within(text, bounds):
    text = text.strip()
    if text == "":
        return True  # Django's own check refuses it
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdecimal()):
        return False
    return bounds[0] <= int(text) <= bounds[1]


def bad_filter_value(model, params):
    """A message naming the first filter parameter of a changelist request whose value is not
    a number its column can hold, or "" when there is none."""
    for key, values in params.lists():
        if key in IGNORED_PARAMS or key in (PAGE_VAR, ERROR_FLAG):
            continue
        field, lookups = _field_and_lookups(model, key)
        bounds = _number_range(field, lookups)
        if bounds is None:
            continue
        for value in values:
            items = value.split(",") if lookups[-1:] and lookups[-1] in LIST_LOOKUPS else [value]
            if not all(_is_number_within(item, bounds) for item in items):
                return f"{key}={value!r} is not a number the console can filter by."
    return ""
