"""The related sections of a change page: capped tables of an object's related rows.

`RelatedSection` is one table (with a "See all" link to the filtered changelist); the column
lists say what each kind of row shows; `operators_section`, `numbers_section` and
`e911_section` add the push controls of those sections for an admin who may push.

Rows gone from Dialpad are left out of the sections and their counts (a removed operator is
no operator), and each section says how many it leaves out; `?gone=1` on the page shows them,
marked gone (base.show_gone).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from .. import permissions, selectors
from . import once
from .base import can, is_present, push_url
from .display import EMPTY, attribute_cell, choice_cell, gone_badge, link, number_target
from .display import number_text
from .display import short_datetime
from .push_views import operator_add_form


@dataclass
class Row:
    cells: list
    gone: bool

    @property
    def tds(self):
        """The row's cells as HTML: a page lists up to 150 rows of these, and a template loop
        per cell costs as much as the rest of the row."""
        return mark_safe("".join("<td>%s</td>" % conditional_escape(cell) for cell in self.cells))


def table_row(obj, columns):
    """obj's row in a table of `columns` ([(header, obj -> cell)]), its first cell marked
    "Gone" when obj is gone from Dialpad."""
    cells = [value(obj) for _, value in columns]
    badge = gone_badge(obj)
    if badge:
        cells[0] = format_html("{} {}", cells[0], badge)
    return Row(cells=cells, gone=bool(badge))


@dataclass
class RelatedSection:
    """A capped table of an object's related rows, shown under its change form.

    `actions` ([(label, url)]) and `controls_template` (a template included inside the
    section, with `section` and `original` in its context) are where push controls go.
    """

    key: str
    title: str
    listing: selectors.Capped
    columns: list  # [(header, obj -> cell)]
    see_all_url: str = ""
    actions: list = field(default_factory=list)
    controls_template: str = ""
    controls: dict = field(default_factory=dict)  # what controls_template needs (a form...)
    note: str = ""  # shown above the table (e.g. "Could not read ... from Dialpad")
    template: str = "admin/orgs/includes/related_section.html"
    with_gone: bool = False  # the page shows rows gone from Dialpad (?gone=1)

    @property
    def gone_hidden(self):
        """How many rows gone from Dialpad the section leaves out (one click shows them)."""
        return 0 if self.with_gone else self.listing.gone

    @property
    def list_url(self):
        """The full list: only what Dialpad still has, unless the page shows gone rows."""
        if not self.see_all_url or self.with_gone:
            return self.see_all_url
        return f"{self.see_all_url}{'&' if '?' in self.see_all_url else '?'}presence=present"

    @property
    def headers(self):
        return [header for header, _ in self.columns]

    @cached_property
    def rows(self):
        return [table_row(obj, self.columns) for obj in self.listing.items]

    @property
    def total(self):
        return self.listing.total

    @property
    def more(self):
        return self.listing.more


# --- What each kind of row shows: [(header, obj -> cell)], the first a link to the row ---------

CALL_GROUP_COLUMNS = [
    ("Name", link), ("State", choice_cell("state")),
    ("Availability", choice_cell("availability_status")), ("Timezone", attribute_cell("timezone")),
]
ROOM_COLUMNS = [
    ("Name", link), ("State", choice_cell("state")), ("Country", attribute_cell("country")),
]
USER_COLUMNS = [
    ("User", link), ("Extension", attribute_cell("extension")),
    ("Email", attribute_cell("email")), ("State", choice_cell("state")),
]
NUMBER_COLUMNS = [
    ("Number", lambda number: link(number, number_text(number.number))),
    ("Status", choice_cell("status")), ("Type", choice_cell("type")),
    ("Assigned to", number_target),
]
DESKPHONE_COLUMNS = [
    ("Name", link), ("Type", attribute_cell("type")),
    ("MAC address", attribute_cell("mac_address")), ("Number", attribute_cell("phone_number")),
]
E911_COLUMNS = [
    ("Address", link),
    ("Read from Dialpad",
     lambda address: EMPTY if address.fetched_at is None else short_datetime(address.fetched_at)),
]


def membership_columns(other_end):
    """Operator memberships on the page of one of their ends: the other end ("operator" on
    a group's page, "group" on a user's or room's) with its kind, the role, the membership."""
    return [
        (other_end.capitalize(), lambda m: link(getattr(m, other_end))),
        ("Kind", choice_cell(f"{other_end}_type")),
        ("Role", choice_cell("role")),
        ("Membership", lambda m: link(m, "details")),
    ]


OPERATOR_COLUMNS = membership_columns("operator")  # a group's operators
GROUP_COLUMNS = membership_columns("group")  # the groups a user or room is an operator of


# --- Sections with push controls ---------------------------------------------------------------


def operator_links(group, membership):
    """"Change role" (users: Dialpad reports no room's role) and "Remove"."""
    if membership.gone_at is not None:
        return ""
    who = (group.pk, membership.operator_type, membership.operator_id)
    remove = format_html('<a href="{}" class="dialpad-remove-operator">Remove</a>',
                         push_url(group, "operator_remove", *who))
    if membership.operator_type != "user":
        return remove
    return format_html('<a href="{}" class="dialpad-change-role">Change role</a> · {}',
                       push_url(group, "operator_role", *who), remove)


def operators_section(request, model_admin, group, listing, see_all_url):
    """A group's operators with their roles; for who may, an "Add operator" form under the
    table and "Change role" and "Remove" links per operator."""
    section = RelatedSection("operators", "Operators", listing, list(OPERATOR_COLUMNS),
                             see_all_url)
    if is_present(group) and can(request, permissions.ASSIGN_OPERATOR):
        add_url = push_url(group, "operator_add", group.pk)
        section.columns.append(("", lambda m: operator_links(group, m)))
        section.controls_template = "admin/orgs/includes/operator_add.html"
        section.controls = {"form": operator_add_form(model_admin, group), "url": add_url,
                            "token_input": once.token_input()}
    return section


def numbers_section(request, obj, listing, see_all_url):
    """An office's, room's, user's or group's numbers; for who may, "Assign a number"."""
    section = RelatedSection("numbers", "Numbers", listing, NUMBER_COLUMNS, see_all_url)
    if is_present(obj) and can(request, permissions.ASSIGN_NUMBER):
        section.actions.append(("Assign a number", push_url(obj, "number_assign", obj.pk)))
    return section


def e911_section(request, obj):
    """An office's or user's E911 address; for who may, "Edit E911 address"."""
    address = getattr(obj, "e911_address", None)
    items = [address] if address is not None else []
    section = RelatedSection("e911", "E911 address",
                             selectors.Capped(items=items, total=len(items)), E911_COLUMNS)
    if is_present(obj) and can(request, permissions.CHANGE_E911):
        section.actions.append(("Edit E911 address", push_url(obj, "e911", obj.pk)))
    return section
