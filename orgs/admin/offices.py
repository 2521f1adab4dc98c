"""The company's and the offices' pages."""

from django.contrib import admin

from .. import permissions, selectors
from ..models import CallCenter, Company, Department, DialpadUser, Office, OperatorMembership
from ..models import PhoneNumber, Room
from .base import DIALPAD_FIELDSET, PAYLOAD_FIELDSET, MirroredAdmin, NumberSearchMixin
from .base import is_change_page, show_gone
from .base import annotation_column, can, push_url
from .display import changelist_url, week_hours
from .filters import OfficeE911Filter, PresenceFilter
from .push_views import NUMBER_ASSIGN_VIEW, OPERATOR_VIEWS, OfficeE911View
from .sections import CALL_GROUP_COLUMNS, ROOM_COLUMNS, USER_COLUMNS, RelatedSection
from .sections import e911_section, numbers_section, operators_section


@admin.register(Company)
class CompanyAdmin(MirroredAdmin):
    list_display = ("name", "domain", "country", "account_type", "state", "admin_email", "gone",
                    "last_seen_at")
    search_fields = ("name", "domain", "admin_email")
    fieldsets = (
        (None, {"fields": ("name", "domain", "country", "account_type", "state", "admin_email")}),
        DIALPAD_FIELDSET,
        PAYLOAD_FIELDSET,
    )


@admin.register(Office)
class OfficeAdmin(NumberSearchMixin, MirroredAdmin):
    change_select_related = ("e911_address",)  # its E911 section and field
    list_display = ("name", "state_gone", "country", "timezone", "primary", "user_count",
                    "number_count")
    list_filter = (PresenceFilter, "state", "country", "is_primary_office", "availability_status",
                   OfficeE911Filter)
    search_fields = ("name", "dialpad_id__exact")
    fieldsets = (
        (None, {"fields": ("name", "state", "country", "timezone", "is_primary_office",
                           "availability_status", "ring_seconds", "e911")}),
        ("Hours of operation", {"fields": ("hours",)}),
        DIALPAD_FIELDSET,
        PAYLOAD_FIELDSET,
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # The list's counts of users and numbers; the change page lists them instead.
        return queryset if is_change_page(request) else selectors.office_list_annotate(queryset)

    @admin.display(description="Week")
    def hours(self, obj):
        return week_hours(obj)

    @admin.display(description="Primary", boolean=True, ordering="is_primary_office")
    def primary(self, obj):
        return obj.is_primary_office

    user_count = annotation_column("user_count", "Users")
    number_count = annotation_column("number_count", "Numbers")

    push_views = [
        *OPERATOR_VIEWS,
        NUMBER_ASSIGN_VIEW,
        ("<path:object_id>/e911/", OfficeE911View, "e911", {}),
    ]

    def get_push_tools(self, request, obj):
        if not can(request, permissions.MANAGE_GROUPS):
            return []
        return [
            ("Add department", push_url(Department, "create", office=obj.pk)),
            ("Add call center", push_url(CallCenter, "create", office=obj.pk)),
            ("Add room", push_url(Room, "create", office=obj.pk)),
        ]

    def get_related_sections(self, request, obj):
        related = selectors.office_related_get(office=obj, limit=self.related_limit,
                                               with_gone=show_gone(request))
        in_office = {"office__dialpad_id__exact": obj.pk}
        return [
            e911_section(request, obj),
            RelatedSection("departments", "Departments", related["departments"],
                           CALL_GROUP_COLUMNS, changelist_url(Department, **in_office)),
            RelatedSection("callcenters", "Call centers", related["callcenters"],
                           CALL_GROUP_COLUMNS, changelist_url(CallCenter, **in_office)),
            RelatedSection("rooms", "Rooms", related["rooms"], ROOM_COLUMNS,
                           changelist_url(Room, **in_office)),
            RelatedSection("users", "Users", related["users"], USER_COLUMNS,
                           changelist_url(DialpadUser, **in_office)),
            numbers_section(request, obj, related["numbers"],
                            changelist_url(PhoneNumber, **in_office)),
            operators_section(request, self, obj, related["operators"],
                              changelist_url(OperatorMembership, **in_office)),
        ]
