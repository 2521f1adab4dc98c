"""Storing what happened to a number that left the company."""

from .entities import NUMBERS
from .fields import NUMBER_TARGET_COLUMNS, clean_payload
from .pages import Table, mark_gone


def mark_number_released(number, answer, read_at):
    """The number left the company (Dialpad said so at `read_at`): keep the row, unlinked
    and marked gone. Returns the row as stored."""
    unlinked = {"status": "", "target_type": "", "target_id": None,
                **dict.fromkeys(NUMBER_TARGET_COLUMNS.values())}
    payload = clean_payload({**(number.payload or {}), **(answer or {}), "number": number.number})
    mark_gone(Table.of(NUMBERS), [number.pk], read_at=read_at,
              values={**unlinked, "payload": payload})
    number.refresh_from_db()
    return number
