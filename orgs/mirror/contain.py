"""Values from Dialpad that a column cannot hold: stored safely, never a failed write.

Dialpad's data is not ours to trust: an office with `ring_seconds` -1 or an id beyond int64
must not stop a sync (a database CHECK or an overflow would fail the whole page). Each such
value is stored as None (or the nearest value a non-null column holds) and reported, so the
sync records a warning naming the object, the column and the value; the payload keeps it.
"""

from django.db import connection, models


def _integer_range(field):
    internal = field.get_internal_type()
    if isinstance(field, models.ForeignKey):
        internal = field.target_field.get_internal_type()
    low, high = connection.ops.integer_field_range(internal)
    if isinstance(field, (models.PositiveIntegerField, models.PositiveSmallIntegerField,
                          models.PositiveBigIntegerField)):
        low = max(low or 0, 0)
    return low, high


def contain(model, values):
    """Make `values` ({column: value}) storable in `model`; [(column, raw value)] changed."""
    problems = []
    for column, value in values.items():
        if value is None or isinstance(value, bool) or not isinstance(value, int):
            continue
        field = model._meta.get_field(column)  # by name or attname ("office_id")
        if not isinstance(field, (models.IntegerField, models.ForeignKey)):
            continue
        low, high = _integer_range(field)
        if (low is not None and value < low) or (high is not None and value > high):
            problems.append((column, value))
            values[column] = None if field.null else min(max(value, low), high)
    return problems

