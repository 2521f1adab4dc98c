"""Non-trivial reads of the org mirror (the writes live in orgs.services).

Keyword-only, no side effects, no API calls: the admin, custom views, commands and tasks read
through these when a read is more than a one-line filter.
"""

import re
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .models import (
    CallCenter,
    Department,
    Deskphone,
    DialpadUser,
    Office,
    OperatorMembership,
    PhoneNumber,
    Room,
)

# How many related rows a change page shows per section before it links to the changelist.
RELATED_LIMIT = 25

# A search term made only of what people type inside a phone number: "+1 (415) 555-0100",
# "415.555.0100", "555-0100". Anything else (a name, an email) is not a number search.
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]+$")

# Fewer digits than this match too many numbers to be a useful "who has this number" search
# outside the numbers list itself (and are more likely an extension).
OWNER_SEARCH_MIN_DIGITS = 7

# The PhoneNumber links to its target, for select_related.
NUMBER_TARGETS = (
    "assigned_user",
    "assigned_room",
    "assigned_callcenter",
    "assigned_department",
    "assigned_office",
)

# Present rows first, then gone ones: a gone row is kept for the record, not the point.
PRESENT_FIRST = F("gone_at").asc(nulls_first=True)


def digits_normalize(value) -> str:
    """The digits of `value` alone: "+1 (415) 555-0100" -> "14155550100"."""
    return "".join(ch for ch in str(value or "") if ch.isascii() and ch.isdigit())


def phone_term_digits(term) -> list[str]:
    """The digit strings a search term may match inside a stored number, [] if not phone-like.

    "(415) 555-0100", "+1 415-555-0100", "4155550100" and "555-0100" are all substrings of the
    stored digits "14155550100". A national trunk prefix or an international "00" ("020 7946
    0958", "0044 20 7946 0958") is dropped as a second candidate, since the stored digits start
    with the country code.
    """
    term = (term or "").strip()
    if not term or not _PHONE_LIKE.match(term):
        return []
    digits = digits_normalize(term)
    if not digits:
        return []
    candidates = [digits]
    without_prefix = digits.lstrip("0")
    if without_prefix and without_prefix != digits:
        candidates.append(without_prefix)
    return candidates


def number_digits_q(term, *, prefix="") -> Q | None:
    """A Q matching numbers whose digits contain the term's, or None if it is not phone-like.

    `prefix` is the path from the queried model to PhoneNumber's columns (e.g. "number__").
    """
    candidates = phone_term_digits(term)
    if not candidates:
        return None
    return Q.create(
        [(f"{prefix}digits__contains", digits) for digits in candidates], connector=Q.OR
    )


def numbers_matching(*, term):
    """The numbers whose digits contain the term's digits (none if the term is not phone-like)."""
    q = number_digits_q(term)
    if q is None:
        return PhoneNumber.objects.none()
    return PhoneNumber.objects.filter(q)


def owner_number_q(*, term, column) -> Q | None:
    """A Q on an owner model (user, room, ...) for "has a number matching this term".

    `column` is the PhoneNumber column that points at the owner (e.g. "assigned_user_id").
    None when the term is not a phone number of at least OWNER_SEARCH_MIN_DIGITS digits.
    """
    q = number_digits_q(term)
    if q is None or len(digits_normalize(term)) < OWNER_SEARCH_MIN_DIGITS:
        return None
    # A subquery rather than a join: an owner with several numbers is still one row.
    return Q(pk__in=PhoneNumber.objects.filter(q).values(column))


def number_get_by_digits(*, digits) -> PhoneNumber | None:
    """The number whose digits are `digits` in any format, or None.

    An exact match on all digits wins ("+14155550100", "1 415 555 0100"); otherwise a number
    ending with them, if exactly one does ("(415) 555-0100" without the country code).
    A present number is preferred over one gone from Dialpad.
    """
    wanted = digits_normalize(digits)
    if not wanted:
        return None
    numbers = PhoneNumber.objects.select_related("office", *NUMBER_TARGETS).order_by(
        PRESENT_FIRST, "number"
    )
    exact = numbers.filter(digits=wanted).first()
    if exact is not None:
        return exact
    national = wanted.lstrip("0")
    if len(national) < OWNER_SEARCH_MIN_DIGITS:
        return None
    ending = list(numbers.filter(digits__endswith=national, gone_at__isnull=True)[:2])
    return ending[0] if len(ending) == 1 else None


def number_owner_get(*, digits):
    """Who or what a number is assigned to (a DialpadUser, Room, CallCenter, Department or
    Office), or None when the number is unknown, unassigned, or assigned to a kind of target
    the console does not mirror (a call router, say: see the number's target_type/target_id).
    """
    number = number_get_by_digits(digits=digits)
    return number.target if number is not None else None


# --- Changelist annotations -------------------------------------------------------------


def _present_count(model, column):
    """A correlated COUNT of the present `model` rows whose `column` is the outer row."""
    counted = (
        model.objects.filter(**{column: OuterRef("pk")}, gone_at__isnull=True)
        .order_by()
        .values(column)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def office_list_annotate(queryset):
    """Offices with their count of present users and numbers (one query for the page)."""
    return queryset.annotate(
        user_count=_present_count(DialpadUser, "office"),
        number_count=_present_count(PhoneNumber, "office"),
    )


def call_group_list_annotate(queryset):
    """Departments or call centers with their count of present operators."""
    column = "department" if queryset.model is Department else "callcenter"
    return queryset.annotate(operator_count=_present_count(OperatorMembership, column))


# --- Change pages: an object's related rows, capped ---------------------------------------


@dataclass(frozen=True)
class Capped:
    """The first `limit` rows of a listing and how many there are in all."""

    items: list
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.items)


def _capped(queryset, limit) -> Capped:
    # Always two queries (rows, count), whatever the size: a page's query count is constant.
    return Capped(items=list(queryset[:limit]), total=queryset.count())


def _numbers():
    return PhoneNumber.objects.select_related(*NUMBER_TARGETS).order_by(PRESENT_FIRST, "number")


def _memberships():
    return OperatorMembership.objects.select_related(
        "office", "department", "callcenter", "user", "room"
    ).order_by(PRESENT_FIRST, "group_type", "role", "operator_type", "operator_id")


def office_related_get(*, office, limit=RELATED_LIMIT) -> dict[str, Capped]:
    """What an office page lists: its departments, call centers, rooms, users, numbers and
    operators (the users and rooms that are operators of the office itself)."""
    return {
        "departments": _capped(
            Department.objects.filter(office=office).order_by(PRESENT_FIRST, "name"), limit
        ),
        "callcenters": _capped(
            CallCenter.objects.filter(office=office).order_by(PRESENT_FIRST, "name"), limit
        ),
        "rooms": _capped(Room.objects.filter(office=office).order_by(PRESENT_FIRST, "name"), limit),
        "users": _capped(
            DialpadUser.objects.filter(office=office).order_by(PRESENT_FIRST, "display_name"),
            limit,
        ),
        "numbers": _capped(_numbers().filter(office=office), limit),
        "operators": _capped(_memberships().filter(office=office), limit),
    }


def call_group_related_get(*, group, limit=RELATED_LIMIT) -> dict[str, Capped]:
    """What a department or call center page lists: its operators (with role) and numbers."""
    if isinstance(group, Department):
        memberships, numbers = {"department": group}, {"assigned_department": group}
    else:
        memberships, numbers = {"callcenter": group}, {"assigned_callcenter": group}
    return {
        "operators": _capped(_memberships().filter(**memberships), limit),
        "numbers": _capped(_numbers().filter(**numbers), limit),
    }


def user_related_get(*, user, limit=RELATED_LIMIT) -> dict[str, Capped]:
    """What a Dialpad user's page lists: the groups the user is an operator of, with role,
    and the user's numbers."""
    return {
        "groups": _capped(_memberships().filter(user=user), limit),
        "numbers": _capped(_numbers().filter(assigned_user=user), limit),
    }


def room_related_get(*, room, limit=RELATED_LIMIT) -> dict[str, Capped]:
    """What a room's page lists: its numbers, the groups it is an operator of, its deskphones."""
    return {
        "numbers": _capped(_numbers().filter(assigned_room=room), limit),
        "groups": _capped(_memberships().filter(room=room), limit),
        "deskphones": _capped(
            Deskphone.objects.filter(room=room).order_by(PRESENT_FIRST, "name"), limit
        ),
    }


def office_choices():
    """(pk, name) of every office, for list filters: one query, present offices first."""
    return list(Office.objects.order_by(PRESENT_FIRST, "name").values_list("pk", "name"))
