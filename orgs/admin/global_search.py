"""The global search: one box in every admin page's header, one page of what it finds.

The page (/admin/search/?q=..., routed in dialpad_console/urls.py behind the admin's login)
shows what orgs.search.search_everything finds of each kind the admin may view: the first
rows of each, with enough to tell them apart, and a "See all N" link to the kind's
changelist searched for the same term (which finds the same N). It never jumps to a single
result: the page says what kind it is, whether it is gone, and what else came close.
"""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from .. import kinds, search
from .display import (
    EMPTY,
    attribute_cell,
    changelist_url,
    choice_cell,
    link,
    number_target,
    readable_number,
)
from .sections import table_row


def _emails(user):
    emails = [(email,) for email in user.emails.splitlines() if email] or [(user.email,)]
    return format_html_join(mark_safe("<br>"), "{}", emails) if any(e for e, in emails) else EMPTY


def _office(obj):
    return link(obj.office)


# What each kind's results show, to tell two "Andre Ward" apart: [(header, obj -> cell)], the
# first a link to the row's page.
_COLUMNS = {
    kinds.USER: [("User", link), ("Email", _emails), ("Extension", attribute_cell("extension")),
                 ("Office", _office), ("State", choice_cell("state"))],
    kinds.NUMBER: [("Number", lambda number: link(number, readable_number(number.number))),
                   ("E.164", attribute_cell("number")), ("Assigned to", number_target),
                   ("Office", _office), ("Status", choice_cell("status"))],
    kinds.OFFICE: [("Office", link), ("Country", lambda office: (office.country or EMPTY).upper()),
                   ("State", choice_cell("state"))],
    kinds.DEPARTMENT: [("Department", link), ("Office", _office), ("State", choice_cell("state"))],
    kinds.CALLCENTER: [("Call center", link), ("Office", _office), ("State", choice_cell("state"))],
    kinds.ROOM: [("Room", link), ("Office", _office), ("State", choice_cell("state"))],
}
_NOUNS = {kinds.USER: ("user", "users"), kinds.NUMBER: ("number", "numbers"),
          kinds.OFFICE: ("office", "offices"), kinds.DEPARTMENT: ("department", "departments"),
          kinds.CALLCENTER: ("call center", "call centers"), kinds.ROOM: ("room", "rooms")}


class ResultGroup:
    """One kind's results as the page shows them: a table, a total, a "See all" link."""

    def __init__(self, found, term):
        self.found = found
        self.key = found.kind.name
        self.noun = _NOUNS[found.kind][1]  # "call centers"
        self.title = self.noun.capitalize()
        self.headers = [header for header, _ in _COLUMNS[found.kind]]
        self.see_all_url = changelist_url(found.kind.model, q=term)
        self.rows = [table_row(obj, _COLUMNS[found.kind]) for obj in found.rows]

    @property
    def total(self):
        return self.found.total

    @property
    def summary(self):
        """"1 user", "12 call centers"."""
        return f"{self.total} {_NOUNS[self.found.kind][self.total != 1]}"

    @property
    def gone(self):
        return self.found.gone

    @property
    def more(self):
        return self.found.more


def global_search_view(request):
    term = request.GET.get("q", "")
    problem = search.search_term_problem(term)
    groups = [] if problem else [
        ResultGroup(found, term.strip())
        for found in search.search_everything(term.strip(), user=request.user)]
    context = {
        **admin.site.each_context(request),
        "title": f"Search for “{term.strip()}”" if groups else "Search",
        "global_search_term": "" if problem else term,  # the header's box keeps it
        "problem": problem,
        "found_groups": [group for group in groups if group.total],
        "empty_groups": [group for group in groups if not group.total],
        "may_view_any": not problem and bool(groups),
        "per_kind": search.RESULTS_PER_KIND,
    }
    return TemplateResponse(request, "admin/global_search.html", context)
