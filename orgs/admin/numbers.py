"""The phone numbers' pages: who owns a number, and assigning or unassigning it."""

from django.contrib import admin
from django.utils.html import format_html

from .. import permissions, search, selectors
from ..models import PhoneNumber
from .base import PAYLOAD_FIELDSET, MirroredAdmin, can, push_url
from .display import EMPTY, gone_badge, number_target, number_text, readable_number
from .export import CsvExportMixin
from .filters import NumberAssignmentFilter, OfficeFilter, PresenceFilter
from .push_views import NumberAssignToView, NumberUnassignView


def _target_name(number):
    target = number.target
    return str(target) if target is not None else ""


NUMBER_CSV_COLUMNS = [
    ("Number (E.164)", lambda n: n.number),
    ("Number (international)", lambda n: readable_number(n.number)),
    ("Number (national)", lambda n: readable_number(n.number, "national")),
    ("Status", lambda n: n.get_status_display()),
    ("Type", lambda n: n.get_type_display()),
    ("Assigned to", _target_name),
    ("Assigned to (kind)", lambda n: n.get_target_type_display()),
    ("Assigned to (Dialpad ID)", lambda n: n.target_id),
    ("Office", lambda n: n.office or ""),
    ("Area code", lambda n: n.area_code),
    ("Gone from Dialpad since", lambda n: n.gone_at),
    ("Read from Dialpad", lambda n: n.last_seen_at),
]


@admin.register(PhoneNumber)
class PhoneNumberAdmin(CsvExportMixin, MirroredAdmin):
    list_display = ("number_display", "status_gone", "type", "target", "office_link")
    list_display_links = ("number_display",)
    list_filter = (PresenceFilter, "status", "type", "target_type", ("office", OfficeFilter),
                   NumberAssignmentFilter)
    # The search box; get_search_results decides what it finds (orgs.search.number_search).
    search_fields = ("digits", "assigned_user__search_text", "assigned_room__name",
                     "assigned_callcenter__name", "assigned_department__name",
                     "assigned_office__name")
    search_help_text = ('A number in any format ("(415) 555-0100", "555-0100"), or the name of '
                        "what it is assigned to (for a user, also an email).")
    # A list joined to six tables took PostgreSQL 15 ms to plan at 150,000 numbers; the
    # names of a page's offices and targets take a subquery each, for its 50 rows.
    list_related_names = ("office", *selectors.NUMBER_TARGETS)
    change_select_related = list_related_names
    csv_columns = NUMBER_CSV_COLUMNS
    csv_name = "numbers"
    fieldsets = (
        (None, {"fields": ("number", "international", "national", "status", "type", "target",
                           "office", "area_code")}),
        ("Assignment in Dialpad", {"fields": ("target_type", "target_id")}),
        ("Dialpad", {"fields": ("last_seen_at", "gone_at")}),
        PAYLOAD_FIELDSET,
    )

    def get_search_results(self, request, queryset, search_term):
        # By digits, or by target in subqueries (orgs.search): each an index, no DISTINCT.
        return search.number_search(queryset, term=search_term), False

    @admin.display(description="Number", ordering="number")
    def number_display(self, obj):
        return number_text(obj.number)

    @admin.display(description="Status", ordering="status")
    def status_gone(self, obj):
        status = obj.get_status_display() or EMPTY
        badge = gone_badge(obj)
        return format_html("{} {}", status, badge) if badge else status

    @admin.display(description="International format")
    def international(self, obj):
        return readable_number(obj.number)

    @admin.display(description="National format")
    def national(self, obj):
        return readable_number(obj.number, "national")

    @admin.display(description="Assigned to", ordering="target_type")
    def target(self, obj):
        return number_target(obj)

    push_views = [
        ("<path:object_id>/assign/", NumberAssignToView, "assign_to", {}),
        ("<path:object_id>/unassign/", NumberUnassignView, "unassign", {}),
    ]

    def get_push_tools(self, request, obj):
        if not can(request, permissions.ASSIGN_NUMBER):
            return []
        tools = [("Assign to…", push_url(obj, "assign_to", obj.pk))]
        if obj.target_type:
            tools.append(("Unassign", push_url(obj, "unassign", obj.pk)))
        return tools
