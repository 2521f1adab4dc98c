"""Dialpad ids: int64 in the spec, JSON strings in responses ("5835806903417907")."""

from __future__ import annotations

from collections.abc import Iterable

INT64_MAX = 2**63 - 1


def parse_id(value) -> int | None:
    """An int from a Dialpad id given as an int or a numeric string; None for None or "".

    Anything else (a float, a bool, "12a", a negative or over-int64 number) raises ValueError:
    a garbled id must not be stored as some other object's id.
    """
    if value is None:
        return None
    if isinstance(value, bool):  # bool is an int subclass; True is not id 1
        raise ValueError(f"Not a Dialpad id: {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if text == "":
            return None
        # int() alone would accept "-1", "+1", "1_000" and non-ASCII digits: plain digits only.
        if not (text.isascii() and text.isdecimal()):
            raise ValueError(f"Not a Dialpad id: {value!r}")
        number = int(text)
    else:
        raise ValueError(f"Not a Dialpad id: {value!r}")
    if not 0 <= number <= INT64_MAX:
        raise ValueError(f"Dialpad id out of range: {value!r}")
    return number


def parse_ids(values: Iterable | None) -> list[int]:
    """A list of ids (e.g. a user's admin_office_ids); None gives [], None items are dropped."""
    if values is None:
        return []
    if isinstance(values, (str, bytes, int)):
        raise ValueError(f"Expected a list of Dialpad ids, got {values!r}")
    return [number for number in (parse_id(value) for value in values) if number is not None]
