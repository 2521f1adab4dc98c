"""The operator memberships: which user or room is an operator of which group, and its role."""

from django.contrib import admin

from ..models import Office, OperatorMembership
from .base import PAYLOAD_FIELDSET, MirroredAdmin
from .display import EMPTY, link
from .filters import GroupOfficeFilter, PresenceFilter


@admin.register(OperatorMembership)
class OperatorMembershipAdmin(MirroredAdmin):
    list_display = ("operator_link", "operator_type", "role", "group_link", "group_type",
                    "group_office", "gone", "last_seen_at")
    # The operator and group columns are links to those objects; the role opens the membership.
    list_display_links = ("role",)
    list_filter = (PresenceFilter, "group_type", "role", "operator_type", GroupOfficeFilter)
    search_fields = ("user__display_name", "user__emails", "=user__extension", "room__name",
                     "office__name", "department__name", "callcenter__name")
    list_select_related = ("office", "department__office", "callcenter__office", "user", "room")
    fieldsets = (
        (None, {"fields": ("operator_link", "operator_type", "role", "group_link", "group_type",
                           "group_office")}),
        ("Dialpad", {"fields": ("key", "group_id", "operator_id", "last_seen_at", "gone_at")}),
        PAYLOAD_FIELDSET,
    )

    @admin.display(description="Operator")
    def operator_link(self, obj):
        return link(obj.operator)

    @admin.display(description="Group")
    def group_link(self, obj):
        return link(obj.group)

    @admin.display(description="Office")
    def group_office(self, obj):
        group = obj.office or obj.department or obj.callcenter
        if group is None:
            return EMPTY
        return link(group if isinstance(group, Office) else group.office)
