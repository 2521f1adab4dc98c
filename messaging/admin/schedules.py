"""Scheduled messages: the list (each at its time in its own timezone), "Schedule a
message", and a schedule's page with Edit, Cancel and Send now while it is active."""

from django.contrib import admin

from orgs.admin.base import can, push_url

from .. import permissions
from ..choices import ScheduleStatus
from ..models import ScheduledMessage
from ..services.schedules import local_time
from ._base import SentAdmin, counted, joined
from .views import ScheduleCancelView, ScheduleCreateView, ScheduleEditView, ScheduleSendNowView


@admin.register(ScheduledMessage)
class ScheduledMessageAdmin(SentAdmin):
    list_display = ("when", "status", "recipient_count", "user_link", "short_text", "by")
    list_filter = ("status",)
    search_fields = ("text", "to_numbers", "from_number", "=dialpad_id", "created_by_username")
    list_select_related = ("user",)
    fieldsets = (
        (None, {"fields": ("when", "status", "message", "user_link", "from_number",
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

    compose_label = "Schedule a message"
    recipient_count = counted("to_numbers", "Recipients")
    recipients_display = joined("to_numbers", "Recipients")

    def get_push_tools(self, request, obj):
        if not can(request, permissions.SEND_SMS) or obj.status != ScheduleStatus.ACTIVE:
            return []
        return [(label, push_url(obj, name, obj.pk)) for label, name in (
            ("Edit", "edit"), ("Cancel", "cancel"), ("Send now", "send_now"))]

    @admin.display(description="Send at", ordering="scheduled_for")
    def when(self, obj):
        return local_time(obj)

    @admin.display(description="Text")
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 60 else obj.text[:59] + "…"
