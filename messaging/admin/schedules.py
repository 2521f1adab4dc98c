"""Scheduled messages: the list (each at its time in its own timezone), "Schedule a
message", and a schedule's page with Edit, Cancel and Send now while it is active."""

from django.contrib import admin

from orgs.admin.base import ReadOnlyAdmin, can, push_url
from orgs.admin.display import EMPTY, link

from .. import permissions
from ..choices import ScheduleStatus
from ..models import ScheduledMessage
from ..services.schedules import local_time
from .views import ScheduleCancelView, ScheduleCreateView, ScheduleEditView, ScheduleSendNowView


@admin.register(ScheduledMessage)
class ScheduledMessageAdmin(ReadOnlyAdmin):
    list_display = ("when", "status", "recipient_count", "sender", "short_text",
                    "created_by_username", "read_at")
    list_filter = ("status",)
    search_fields = ("text", "to_numbers", "from_number", "=dialpad_id", "created_by_username")
    list_select_related = ("user",)
    fieldsets = (
        (None, {"fields": ("when", "status", "message", "sender", "from_number",
                           "recipients_display", "opted_out_display", "text", "media_bytes")}),
        ("Dialpad", {"fields": ("dialpad_id", "read_at", "created_by_username",
                                "created_at")}),
    )
    push_views = [
        ("compose/", ScheduleCreateView, "compose", {}),
        ("<path:object_id>/edit/", ScheduleEditView, "edit", {}),
        ("<path:object_id>/cancel/", ScheduleCancelView, "cancel", {}),
        ("<path:object_id>/send-now/", ScheduleSendNowView, "send_now", {}),
    ]

    def get_changelist_tools(self, request):
        if not can(request, permissions.SEND_SMS):
            return []
        return [("Schedule a message", push_url(ScheduledMessage, "compose"))]

    def get_push_tools(self, request, obj):
        if not can(request, permissions.SEND_SMS) or obj.status != ScheduleStatus.ACTIVE:
            return []
        return [(label, push_url(obj, name, obj.pk)) for label, name in (
            ("Edit", "edit"), ("Cancel", "cancel"), ("Send now", "send_now"))]

    @admin.display(description="Send at", ordering="scheduled_for")
    def when(self, obj):
        return local_time(obj)

    @admin.display(description="Recipients")
    def recipient_count(self, obj):
        return len(obj.to_numbers)

    @admin.display(description="Sent by")
    def sender(self, obj):
        return link(obj.user)

    @admin.display(description="Text")
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 60 else obj.text[:59] + "…"

    @admin.display(description="Recipients")
    def recipients_display(self, obj):
        return ", ".join(obj.to_numbers) or EMPTY

    @admin.display(description="Left out (opted out)")
    def opted_out_display(self, obj):
        return ", ".join(obj.opted_out) or EMPTY
