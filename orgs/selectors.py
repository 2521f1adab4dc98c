"""Non-trivial reads of the org mirror (the writes live in orgs.services).

Keyword-only, no side effects, no API calls: the admin, custom views, commands and tasks read
through these when a read is more than a one-line filter.
"""

import re
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from . import text_index
from .history import SYNC_USERNAME
from .models import (
    CallCenter,
    Department,
    Deskphone,
    DialpadUser,
    Office,
    OperatorMembership,
    PhoneNumber,
    PushRecord,
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


def is_phone_number(term) -> bool:
    """The term is a phone number (phone-like, OWNER_SEARCH_MIN_DIGITS digits or more): the
    searches look it up among the numbers and their owners."""
    return bool(phone_term_digits(term)) and len(digits_normalize(term)) >= OWNER_SEARCH_MIN_DIGITS


def number_digits_q(term, *, prefix="") -> Q | None:
    """A Q matching numbers whose digits contain the term's, or None if it is not phone-like.

    `prefix` is the path from the queried model to PhoneNumber's columns (e.g. "number__").
    """
    candidates = phone_term_digits(term)
    if not candidates:
        return None
    return Q.create([_digits_q(digits, prefix) for digits in candidates], connector=Q.OR)


def _digits_q(digits, prefix):
    if len(digits) >= OWNER_SEARCH_MIN_DIGITS:
        # A phone number's digits are in few numbers: SQLite's trigram index finds them.
        return text_index.contains_q(PhoneNumber, "digits", digits, prefix=prefix)
    return Q(**{f"{prefix}digits__contains": digits})


def numbers_matching(*, term):
    """The numbers whose digits contain the term's digits (none if the term is not phone-like).

    The digits are matched in a subquery of ids: SQLite answers it from the digits' index
    alone, and reads a number's row (with its payload) only when it matches.
    """
    q = number_digits_q(term)
    if q is None:
        return PhoneNumber.objects.none()
    return PhoneNumber.objects.filter(pk__in=PhoneNumber.objects.filter(q).values("pk"))


def number_owners(*, term, column):
    """The ids of the owners (users, rooms, ...) of the numbers matching this term, as a
    subquery: `column` is the PhoneNumber column that points at the owner (e.g.
    "assigned_user_id"). None when the term is not a phone number of at least
    OWNER_SEARCH_MIN_DIGITS digits.
    """
    if not is_phone_number(term):
        return None
    # A subquery rather than a join: an owner with several numbers is still one row.
    return (numbers_matching(term=term).filter(**{f"{column}__isnull": False}).order_by()
            .values(column))


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
    """The first `limit` rows of a listing and how many there are in all (`total`, counting
    only the rows listed: with or without those gone from Dialpad); `gone`: how many of the
    listing's rows are gone from Dialpad."""

    items: list
    total: int
    gone: int = 0

    @property
    def more(self) -> bool:
        return self.total > len(self.items)


def _capped_all(listings, limit, with_gone=True):
    """{key: Capped} of each listing ({key: queryset}) capped at `limit`; without `with_gone`,
    their rows gone from Dialpad are left out (and counted apart).

    The listings' counts are read in one query for all of them, then each listing's first
    rows: a page's query count is constant, whatever the size. A listing of numbers reads
    the names of what they are assigned to by subqueries (_numbers), for the rows of the
    page only, and attaches them."""
    counts = _present_and_gone(listings)
    capped = {}
    for key, queryset in listings.items():
        present, gone = counts[key]
        if with_gone:
            rows, total = queryset, present + gone
        else:
            rows, total = queryset.filter(gone_at__isnull=True), present
        items = list(rows[:limit])
        if rows.model is PhoneNumber:
            attach_related_names(items, NUMBER_TARGETS)
        capped[key] = Capped(items=items, total=total, gone=gone)
    return capped


def _present_and_gone(listings):
    """{key: (rows present in Dialpad, rows gone)} of each listing ({key: queryset}): one
    query, a UNION of one count per listing."""
    counts = [
        queryset.order_by().values(listing=Value(key)).annotate(
            present=Count("pk", filter=Q(gone_at__isnull=True)),
            gone=Count("pk", filter=Q(gone_at__isnull=False)),
        ).values_list("listing", "present", "gone")
        for key, queryset in listings.items()
    ]
    found = counts[0].union(*counts[1:], all=True) if len(counts) > 1 else counts[0]
    return {key: (0, 0) for key in listings} | {key: (present, gone)
                                               for key, present, gone in found}


def without_payloads(queryset, related=()):
    """`queryset` without the payload columns of its rows and of the `related` rows it
    selects (paths as select_related takes them): lists show columns, and a payload is a
    kilobyte or more of JSON per row to read and decode."""
    deferred = []
    for path in ("", *related):
        model = queryset.model
        for name in filter(None, path.split("__")):
            model = model._meta.get_field(name).related_model
        if any(f.name == "payload" for f in model._meta.concrete_fields):
            deferred.append(f"{path}__payload" if path else "payload")
    return queryset.defer(*deferred)


# What a link to a row shows of it (its __str__): a user's names, any other row's name.
_SHOWN_COLUMNS = {DialpadUser: ("display_name", "first_name", "last_name")}


def _shown_columns(model):
    return _SHOWN_COLUMNS.get(model, ("name",))


def with_related_names(queryset, related):
    """`queryset` with what a link shows of each of its `related` rows (foreign keys, by
    name), each read by a scalar subquery on the related row's key instead of a join:
    PostgreSQL plans a query of many joins in more time than it reads a page of rows.
    attach_related_names gives the rows their related rows back."""
    annotations = {}
    for fk in related:
        model = queryset.model._meta.get_field(fk).related_model
        for column in _shown_columns(model):
            annotations[f"shown_{fk}_{column}"] = Subquery(
                model.objects.filter(pk=OuterRef(f"{fk}_id")).order_by().values(column)[:1])
    return queryset.annotate(**annotations)


def attach_related_names(rows, related):
    """Set each of the `related` rows of `rows` (read by with_related_names) to a stand-in
    that has its key and what a link shows: enough for link(), without a query."""
    for row in rows:
        for fk in related:
            field = row._meta.get_field(fk)
            pk = getattr(row, field.attname)
            if pk is None:
                continue
            model = field.related_model
            field.set_cached_value(row, model(pk=pk, **{
                column: getattr(row, f"shown_{fk}_{column}") for column in _shown_columns(model)}))
    return rows


# What a change page's list of numbers shows of each number (orgs.admin.sections.NUMBER_COLUMNS);
# of what it is assigned to, the name, by with_related_names (the page attaches it).
_NUMBER_LISTED = ("number", "status", "type", "gone_at", "target_type", "target_id",
                  *NUMBER_TARGETS)


def _numbers():
    return with_related_names(PhoneNumber.objects.only(*_NUMBER_LISTED),
                              NUMBER_TARGETS).order_by(PRESENT_FIRST, "number")


# A membership's two ends, as select_related names them: a group's page lists its operators,
# a user's or room's page the groups; each reads only the end it shows (every join costs the
# PostgreSQL planner more than the rows do).
OPERATOR_END = ("user", "room")
GROUP_END = ("office", "department", "callcenter")


def _memberships(end):
    return without_payloads(OperatorMembership.objects.select_related(*end), end).order_by(
        PRESENT_FIRST, "group_type", "role", "operator_type", "operator_id")


def _of_office(model, office, ordering):
    return without_payloads(model.objects.filter(office=office)).order_by(PRESENT_FIRST, ordering)


def office_related_get(*, office, limit=RELATED_LIMIT, with_gone=True) -> dict[str, Capped]:
    """What an office page lists: its departments, call centers, rooms, users, numbers and
    operators (the users and rooms that are operators of the office itself); without
    `with_gone`, rows gone from Dialpad are left out (and counted)."""
    return _capped_all({
        "departments": _of_office(Department, office, "name"),
        "callcenters": _of_office(CallCenter, office, "name"),
        "rooms": _of_office(Room, office, "name"),
        "users": _of_office(DialpadUser, office, "display_name"),
        "numbers": _numbers().filter(office=office),
        "operators": _memberships(OPERATOR_END).filter(office=office),
    }, limit, with_gone)


def call_group_related_get(*, group, limit=RELATED_LIMIT, with_gone=True) -> dict[str, Capped]:
    """What a department or call center page lists: its operators (with role) and numbers."""
    if isinstance(group, Department):
        memberships, numbers = {"department": group}, {"assigned_department": group}
    else:
        memberships, numbers = {"callcenter": group}, {"assigned_callcenter": group}
    return _capped_all({
        "operators": _memberships(OPERATOR_END).filter(**memberships),
        "numbers": _numbers().filter(**numbers),
    }, limit, with_gone)


def user_related_get(*, user, limit=RELATED_LIMIT, with_gone=True) -> dict[str, Capped]:
    """What a Dialpad user's page lists: the groups the user is an operator of, with role,
    and the user's numbers."""
    return _capped_all({
        "groups": _memberships(GROUP_END).filter(user=user),
        "numbers": _numbers().filter(assigned_user=user),
    }, limit, with_gone)


def room_related_get(*, room, limit=RELATED_LIMIT, with_gone=True) -> dict[str, Capped]:
    """What a room's page lists: its numbers, the groups it is an operator of, its deskphones."""
    return _capped_all({
        "numbers": _numbers().filter(assigned_room=room),
        "groups": _memberships(GROUP_END).filter(room=room),
        "deskphones": without_payloads(Deskphone.objects.filter(room=room)).order_by(
            PRESENT_FIRST, "name"),
    }, limit, with_gone)


# --- Gone rows: who removed them, and how ------------------------------------------------------


@dataclass(frozen=True)
class GoneCause:
    """How a row went from Dialpad, per the History entry written when it was marked gone:
    a console push (`actor`, the push's journal row `push` when found) or a sync that did
    not find it in a complete listing (`sync_run_id`; `confirmed_by` when it was held)."""

    when: object  # the History entry's time
    message: str
    actor: str = ""
    push: object = None
    sync_run_id: int | None = None
    confirmed_by: str = ""

    @property
    def by_sync(self):
        return self.sync_run_id is not None or not self.actor


_SYNC_RUN = re.compile(r"^Sync run #(\d+)")
_CONFIRMED_BY = re.compile(r"; confirmed by (.+?)\.?$")


def gone_cause_get(*, obj) -> GoneCause | None:
    """Who removed a row gone from Dialpad and how (None: not gone, or no History entry was
    written when it was marked, as for rows marked before the console wrote them).

    Every writer that marks a row gone writes its History right after, in the same
    transaction: the first entry at or after `gone_at` is that one.
    """
    if getattr(obj, "gone_at", None) is None:
        return None
    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj), for_concrete_model=False),
        object_id=str(obj.pk), action_time__gte=obj.gone_at,
    ).select_related("user").order_by("action_time", "pk").first()
    if entry is None:
        return None
    message = entry.change_message
    if entry.user is None or entry.user.username == SYNC_USERNAME:
        run = _SYNC_RUN.match(message)
        confirmed = _CONFIRMED_BY.search(message)
        return GoneCause(when=entry.action_time, message=message,
                         sync_run_id=int(run.group(1)) if run else None,
                         confirmed_by=confirmed.group(1) if confirmed else "")
    push = PushRecord.objects.filter(
        actor=entry.user, outcome__in=[PushRecord.Outcome.SUCCEEDED, PushRecord.Outcome.REFUSED,
                                       PushRecord.Outcome.UNKNOWN],
        started_at__lte=entry.action_time).order_by("-started_at", "-pk").first()
    return GoneCause(when=entry.action_time, message=message, actor=entry.user.username,
                     push=push)


def distinct_values(*, model, field) -> list:
    """The distinct values of an indexed, non-null column, in order: a list filter's choices.

    One query that reads the index once per value (a loose index scan: the smallest value,
    then the smallest one above it, and so on), where SELECT DISTINCT reads every row.
    """
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(model._meta.get_field(field).column)
    sql = (
        f"WITH RECURSIVE found(value) AS (SELECT MIN({column}) FROM {table} UNION ALL "
        f"SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > found.value) FROM found "
        "WHERE found.value IS NOT NULL) SELECT value FROM found WHERE value IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [value for (value,) in cursor.fetchall()]


def office_choices():
    """(pk, name) of every office, for list filters: one query, present offices first."""
    return list(Office.objects.order_by(PRESENT_FIRST, "name").values_list("pk", "name"))
