"""Storing what happened to a number that left the company."""

from .fields import clean_payload


def mark_number_released(number, answer, now):
    """The number left the company: keep the row, unlinked and marked gone."""
    number.status = ""
    number.target_type = ""
    number.target_id = None
    number.assigned_office = number.assigned_department = number.assigned_callcenter = None
    number.assigned_room = number.assigned_user = None
    number.payload = clean_payload({**(number.payload or {}), **(answer or {}),
                                    "number": number.number})
    number.gone_at = now
    number.save()
    return number
