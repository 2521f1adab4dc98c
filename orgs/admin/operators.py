"""The operator memberships: which user or room is an operator of which group, and its role."""

from django.contrib import admin

from ..models import Office, OperatorMembership
from .base import PAYLOAD_FIELDSET, MirroredAdmin
from .display import EMPTY, kind_tagged, link
from .export import CsvExportMixin
from .filters import GroupOfficeFilter, PresenceFilter


def _group_office(membership):
    group = membership.office or membership.department or membership.callcenter
    if group is None:
        return None
    return group if isinstance(group, Office) else group.office


MEMBERSHIP_CSV_COLUMNS = [
    ("Operator", lambda m: m.operator),
    ("Operator kind", lambda m: m.get_operator_type_display()),
    ("Operator email", lambda m: m.user.email if m.user else ""),
    ("Role", lambda m: m.get_role_display()),
    ("Group", lambda m: m.group),
    ("Group kind", lambda m: m.get_group_type_display()),
    ("Group's office", lambda m: _group_office(m) or ""),
    ("Operator's Dialpad ID", lambda m: m.operator_id),
    ("Group's Dialpad ID", lambda m: m.group_id),
    ("Gone from Dialpad since", lambda m: m.gone_at),
    ("Read from Dialpad", lambda m: m.last_seen_at),
]


@admin.register(OperatorMembership)
class OperatorMembershipAdmin(CsvExportMixin, MirroredAdmin):
    list_display = ("operator_link", "role", "group_link", "group_office", "gone")
    # The operator and group columns are links to those objects; the role opens the membership.
    list_display_links = ("role",)
    list_filter = (PresenceFilter, "group_type", "role", "operator_type", GroupOfficeFilter)
    search_fields = ("user__display_name", "user__emails", "=user__extension", "room__name",
                     "office__name", "department__name", "callcenter__name")
    list_select_related = ("office", "department__office", "callcenter__office", "user", "room")
    csv_columns = MEMBERSHIP_CSV_COLUMNS
    csv_name = "operator-memberships"
    fieldsets = (
        (None, {"fields": ("operator_link", "operator_type", "role", "group_link", "group_type",
                           "group_office")}),
        ("Dialpad", {"fields": ("key", "group_id", "operator_id", "last_seen_at", "gone_at")}),
        PAYLOAD_FIELDSET,
    )

    @admin.display(description="Operator")
    def operator_link(self, obj):
        return kind_tagged(link(obj.operator), obj.get_operator_type_display().lower())

    @admin.display(description="Group")
    def group_link(self, obj):
        return kind_tagged(link(obj.group), obj.get_group_type_display().lower())

    @admin.display(description="Office")
    def group_office(self, obj):
        office = _group_office(obj)
        return EMPTY if office is None else link(office)
