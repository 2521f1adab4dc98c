"""Searching the org mirror at scale: what each search matches, in the shape its index serves.

- Users: every word of the term is in the user's names, any email or job title (the
  lower-cased `search_text`), or is the extension or the Dialpad ID; plus, for a phone number
  of 7 or more digits, the users who have that number (the admin's NumberSearchMixin). A
  phone number is not looked for in names and emails.
- Numbers: the digits of a phone-like term inside the number's digits, in any format
  (selectors.number_digits_q); any other term, the numbers whose target (a user by the user
  search, an office, department, call center or room by name) matches it.
- Offices, departments, call centers and rooms: every word in the name (`objects_named`, what
  a number search follows), as `name__icontains`.
- Everything at once (`search_everything`, the header's global search): each kind as its
  changelist searches it (`kind_search`), so that "See all" lists the same rows; for the named
  kinds, each word in the name, the office's name (a call group's description too), the
  Dialpad ID, or a number of theirs, one UNION per word whose parts go through the indexes.

The indexes (migration 0006): on PostgreSQL, trigram GIN indexes (pg_trgm), which serve
`LIKE '%word%'`: on `search_text` and `digits`, and on `UPPER(name)` of the four named models
(what `name__icontains` compares). On SQLite, covering indexes of the searched columns let a
search read a narrow index instead of the rows and their payloads, and a phone number's digits
are found through an FTS5 trigram index (migration 0009, orgs.text_index).

A search matches in a subquery of primary keys (`pk IN (SELECT pk ... WHERE ...)`): the index
does the matching, and the page's ordering and joins apply to the few rows found, with no
duplicates to remove (no DISTINCT) whatever the search follows. On SQLite this is also what
keeps the planner from walking the page's ordering index through every wide row. The users a
search finds are searched for once per page (`user_ids_found`): when few, their ids are what
the page's count, rows and number lookups filter by.
"""

from dataclasses import dataclass

from django.contrib.auth import get_permission_codename
from django.db.models import Count, Q, Window
from django.utils.text import smart_split, unescape_string_literal

from . import kinds, selectors
from .kinds import Kind
from .models import CallCenter, Department, DialpadUser, Office, PhoneNumber, Room

# The largest Dialpad ID (int64): a longer run of digits is no ID, and would overflow.
MAX_ID = 2**63 - 1


def search_words(term) -> list[str]:
    """The words of a search term as the admin splits them: by spaces, except inside quotes
    ('"Ada Lovelace"' is one word)."""
    words = []
    for word in smart_split(term or ""):
        if word[:1] in ('"', "'") and word[-1:] == word[0] and len(word) > 1:
            word = unescape_string_literal(word)
        if word:
            words.append(word)
    return words


def _as_id(word):
    return int(word) if word.isascii() and word.isdigit() and int(word) <= MAX_ID else None


def _user_word_q(word, *, in_text=True) -> Q:
    q = Q(extension=word)
    if in_text:
        # search_text is lower-cased: `contains` (LIKE, which the trigram index serves on
        # PostgreSQL) rather than `icontains`, whose UPPER() no index of it serves.
        q |= Q(search_text__contains=word.lower())
    dialpad_id = _as_id(word)
    return q if dialpad_id is None else q | Q(pk=dialpad_id)


def users_found(term):
    """The users that every word of `term` finds by name, any email, job title, extension or
    Dialpad ID (not by number: see the admin's NumberSearchMixin); None for no words.

    A phone number ("(415) 555-0100") is no name or email: its words are compared with the
    extension and the Dialpad ID only, each an index lookup, and not looked for inside every
    user's text (a read of every user, for nothing)."""
    words = search_words(term)
    if not words:
        return None
    in_text = not selectors.is_phone_number(term)
    return DialpadUser.objects.filter(*(_user_word_q(word, in_text=in_text) for word in words)
                                      ).order_by()


# A search that finds at most this many rows hands their ids to the page's other queries (its
# count, its rows, the numbers those users own): each then reads them by primary key, where a
# subquery would search every user's text again. A search that finds more stops reading there.
FOUND_IDS_MAX = 2000


def found_ids(queryset):
    """The ids of `queryset`'s rows: a list when there are at most FOUND_IDS_MAX of them, else
    the queryset's subquery of them (a common word: its first rows come quickly)."""
    ids = list(queryset.values_list("pk", flat=True)[:FOUND_IDS_MAX + 1])
    return ids if len(ids) <= FOUND_IDS_MAX else queryset.values("pk")


def user_ids_found(term):
    """found_ids(users_found(term)): what the page's queries filter the users by; None for no
    words."""
    found = users_found(term)
    return None if found is None else found_ids(found)


def user_search(queryset, *, term, user_ids=None):
    """The users of `queryset` that `term` finds (users_found); all of them for no words.
    `user_ids`: user_ids_found(term), when the caller has it already."""
    if user_ids is None:
        user_ids = user_ids_found(term)
    return queryset if user_ids is None else queryset.filter(pk__in=user_ids)


def name_q(term, *, field="name") -> Q:
    """Every word of `term` in `field`, case-insensitively (what the trigram indexes on
    UPPER(name) serve on PostgreSQL)."""
    return Q.create([(f"{field}__icontains", word) for word in search_words(term)])


def objects_named(*, model, term):
    """The rows of `model` (Office, Department, CallCenter or Room) whose name has every word
    of `term`: what the global search lists."""
    return model.objects.filter(name_q(term))


# The PhoneNumber links to the targets a number search finds by name.
_NAMED_TARGETS = (
    ("assigned_office", Office),
    ("assigned_department", Department),
    ("assigned_callcenter", CallCenter),
    ("assigned_room", Room),
)


def number_search(queryset, *, term, user_ids=None):
    """The numbers of `queryset` a search term finds: by digits in any format when the term
    is phone-like, else by what they are assigned to (a user by the user search, an office,
    department, call center or room by name). `user_ids`: user_ids_found(term), when the
    caller has it already."""
    by_digits = selectors.number_digits_q(term)
    if by_digits is not None:
        return queryset.filter(pk__in=PhoneNumber.objects.filter(by_digits).values("pk"))
    if not search_words(term):
        return queryset
    if user_ids is None:
        user_ids = user_ids_found(term)
    targets = [("assigned_user", user_ids)]
    targets += [(column, objects_named(model=model, term=term).values("pk"))
                for column, model in _NAMED_TARGETS]
    # A UNION of one lookup per kind of target, each through its index: an OR of the five
    # would read every number.
    found = [PhoneNumber.objects.filter(**{f"{column}__in": ids}).order_by().values("pk")
             for column, ids in targets]
    return queryset.filter(pk__in=found[0].union(*found[1:], all=True))


# --- The global search: every kind at once ----------------------------------------------------

# How many rows of each kind the global search shows; "See all" opens the kind's changelist.
RESULTS_PER_KIND = 10
# A longer term is no search anyone types (and would make every LIKE longer): refused.
MAX_TERM_LENGTH = 200

# What each named kind's changelist search matches by substring (its ModelAdmin's
# search_fields, besides the Dialpad ID and the numbers): the global search finds the same
# rows, so that its "See all N" opens a list of those N (tests/orgs/test_global_search.py).
_NAMED_KIND_FIELDS = {
    kinds.OFFICE: ("name",),
    kinds.DEPARTMENT: ("name", "description", "office__name"),
    kinds.CALLCENTER: ("name", "description", "office__name"),
    kinds.ROOM: ("name", "office__name"),
}
# The kinds in the order the results page shows them.
GLOBAL_KINDS = (kinds.USER, kinds.NUMBER, kinds.OFFICE, kinds.DEPARTMENT, kinds.CALLCENTER,
                kinds.ROOM)
# What each kind's rows link to, to be told apart (a user's office; a number's office and
# target): their names are read with the rows (selectors.with_related_names).
_SHOWN_RELATED = {kinds.USER: ("office",),
                  kinds.NUMBER: ("office", *selectors.NUMBER_TARGETS),
                  kinds.DEPARTMENT: ("office",), kinds.CALLCENTER: ("office",),
                  kinds.ROOM: ("office",)}


def _id_word_q(word) -> Q | None:
    # As the admin's `dialpad_id__exact` compares the ID as text: only its own digits match.
    dialpad_id = _as_id(word)
    return Q(pk=dialpad_id) if dialpad_id is not None and str(dialpad_id) == word else None


def _admin_words(term):
    """The words of `term` as ModelAdmin.get_search_results splits them (a lone quote is an
    empty word, which matches everything there too)."""
    for word in smart_split(term):
        if word.startswith(('"', "'")) and word[0] == word[-1]:
            word = unescape_string_literal(word)
        yield word


def _named_kind_q(model, term, fields) -> Q:
    """Every word of `term` in one of `fields` (case-insensitively) or the Dialpad ID, as the
    admin's default search compares them.

    Each word is a UNION of one lookup per field, each through its index (the name's; the
    office's name, then the rows' office_id): an OR across the fields and a join would read
    every row with its payload.
    """
    words = []
    for word in _admin_words(term):
        found = [model.objects.filter(**{f"{field}__icontains": word}) for field in fields
                 if field != "office__name"]
        if "office__name" in fields:
            found.append(model.objects.filter(
                office__in=Office.objects.filter(name__icontains=word).values("pk")))
        id_q = _id_word_q(word)
        if id_q is not None:
            found.append(model.objects.filter(id_q))
        found = [rows.order_by().values("pk") for rows in found]
        words.append(Q(pk__in=found[0].union(*found[1:], all=True)) if len(found) > 1
                     else Q(pk__in=found[0]))
    return Q.create(words)


def _with_number_owners(found, *, kind, term):
    """`found`, and the rows of `kind` that have a number matching the term (7 digits or
    more), as the admin's NumberSearchMixin adds them: a UNION, each side through its index."""
    owners = selectors.number_owners(term=term, column=kind.number_column)
    if owners is None:
        return found
    return kind.model.objects.filter(pk__in=found.order_by().values("pk").union(owners, all=True))


def kind_search(kind, term, *, user_ids=None):
    """The rows of `kind` that `term` finds, as that kind's changelist search finds them:
    users by users_found and their numbers, numbers by number_search, the others by the words
    of their changelist's search fields, their Dialpad ID and their numbers. `user_ids`:
    user_ids_found(term), when the caller has it already."""
    if kind is kinds.NUMBER:
        return number_search(PhoneNumber.objects.all(), term=term, user_ids=user_ids)
    if kind is kinds.USER:
        found = user_search(DialpadUser.objects.all(), term=term, user_ids=user_ids)
    else:
        found = kind.model.objects.filter(
            _named_kind_q(kind.model, term, _NAMED_KIND_FIELDS[kind]))
    return _with_number_owners(found, kind=kind, term=term)


def may_view(user, kind):
    """The login may see this kind's rows (its view or change permission, as the admin asks)."""
    opts = kind.model._meta
    return any(user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
               for action in ("view", "change"))


@dataclass(frozen=True)
class FoundKind:
    """What the global search found of one kind: the first rows (present ones first), how
    many in all and, of those, how many are gone from Dialpad (listed too, marked, as the
    changelists list them)."""

    kind: Kind
    rows: list
    total: int
    gone: int

    @property
    def more(self):
        return self.total > len(self.rows)


def search_everything(term, *, user, limit=RESULTS_PER_KIND) -> list[FoundKind]:
    """What `term` finds of each kind `user` may view (GLOBAL_KINDS, in that order, kinds
    that found nothing included): per kind the first `limit` rows, present ones first, then
    in the changelist's order, and the totals. One query per kind, and one for the users
    found, whatever the org's size and whatever the term finds.
    Callers check the term first (search_term_problem)."""
    groups = []
    user_ids = None  # the users found, for the users and the numbers: searched once
    for kind in GLOBAL_KINDS:
        if not may_view(user, kind):
            continue
        if kind in (kinds.USER, kinds.NUMBER) and user_ids is None:
            user_ids = user_ids_found(term)
        ordering = (selectors.PRESENT_FIRST, *kind.model._meta.ordering, "pk")
        related = _SHOWN_RELATED.get(kind, ())
        # The first rows with the names of what they link to, and the totals (window
        # counts, computed before the LIMIT, on the found rows alone): one query.
        first = selectors.with_related_names(
            selectors.without_payloads(kind_search(kind, term, user_ids=user_ids)), related,
        ).annotate(
            found_total=Window(Count("pk")),
            found_gone=Window(Count("pk", filter=Q(gone_at__isnull=False))),
        ).order_by(*ordering)[:limit]
        rows = selectors.attach_related_names(list(first), related)
        total, gone = (rows[0].found_total, rows[0].found_gone) if rows else (0, 0)
        groups.append(FoundKind(kind, rows, total, gone))
    return groups


def search_term_problem(term) -> str:
    """Why `term` cannot be searched ("" if it can): what the results page says instead."""
    if not search_words(term):
        return "Type a name, an email, an extension or a number to search for."
    if len(term) > MAX_TERM_LENGTH:
        return f"That search is {len(term)} characters long: search for at most {MAX_TERM_LENGTH}."
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in term):
        # PostgreSQL refuses a NUL in a string; no name has control characters.
        return "That search has control characters in it: type the words again."
    return ""
