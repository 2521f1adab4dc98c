"""Searching the org mirror at scale: what each search matches, in the shape its index serves.

- Users: every word of the term is in the user's names, any email or job title (the
  lower-cased `search_text`), or is the extension or the Dialpad ID; plus, for a phone number
  of 7 or more digits, the users who have that number (the admin's NumberSearchMixin).
- Numbers: the digits of a phone-like term inside the number's digits, in any format
  (selectors.number_digits_q); any other term, the numbers whose target (a user by the user
  search, an office, department, call center or room by name) matches it.
- Offices, departments, call centers and rooms: every word in the name (`objects_named`, for
  the global search), as `name__icontains`.

The indexes (migration 0006): on PostgreSQL, trigram GIN indexes (pg_trgm), which serve
`LIKE '%word%'`: on `search_text` and `digits`, and on `UPPER(name)` of the four named models
(what `name__icontains` compares). SQLite has no such index: there, covering indexes of the
searched columns let a search read a narrow index instead of the rows and their payloads.

A search matches in a subquery of primary keys (`pk IN (SELECT pk ... WHERE ...)`): the index
does the matching, and the page's ordering and joins apply to the few rows found, with no
duplicates to remove (no DISTINCT) whatever the search follows. On SQLite this is also what
keeps the planner from walking the page's ordering index through every wide row.
"""

from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal

from . import selectors
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


def _user_word_q(word) -> Q:
    # search_text is lower-cased: `contains` (LIKE, which the trigram index serves on
    # PostgreSQL) rather than `icontains`, whose UPPER() no index of it serves.
    q = Q(search_text__contains=word.lower()) | Q(extension=word)
    dialpad_id = _as_id(word)
    return q if dialpad_id is None else q | Q(pk=dialpad_id)


def users_found(term):
    """The users that every word of `term` finds by name, any email, job title, extension or
    Dialpad ID (not by number: see the admin's NumberSearchMixin); None for no words."""
    words = search_words(term)
    return DialpadUser.objects.filter(*map(_user_word_q, words)).order_by() if words else None


def user_search(queryset, *, term):
    """The users of `queryset` that `term` finds (users_found); all of them for no words."""
    found = users_found(term)
    return queryset if found is None else queryset.filter(pk__in=found.values("pk"))


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


def number_search(queryset, *, term):
    """The numbers of `queryset` a search term finds: by digits in any format when the term
    is phone-like, else by what they are assigned to (a user by the user search, an office,
    department, call center or room by name)."""
    by_digits = selectors.number_digits_q(term)
    if by_digits is not None:
        return queryset.filter(pk__in=PhoneNumber.objects.filter(by_digits).values("pk"))
    if not search_words(term):
        return queryset
    targets = [("assigned_user", users_found(term))]
    targets += [(column, objects_named(model=model, term=term)) for column, model in _NAMED_TARGETS]
    # A UNION of one lookup per kind of target, each through its index: an OR of the five
    # would read every number.
    found = [PhoneNumber.objects.filter(**{f"{column}__in": rows.values("pk")}).order_by()
             .values("pk") for column, rows in targets]
    return queryset.filter(pk__in=found[0].union(*found[1:], all=True))
