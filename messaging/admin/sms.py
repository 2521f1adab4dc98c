"""The SMS the console sent, and the page that composes one."""

from django.contrib import admin
from django.utils.html import format_html

from orgs.admin.display import EMPTY, link

from ..choices import SendOutcome
from ..models import SmsMessage
from ._base import SentAdmin, counted, joined
from .views import SmsComposeView

OUTCOME_COLOURS = {SendOutcome.SENT: "#2e7d32", SendOutcome.REFUSED: "#ba2121",
                   SendOutcome.UNKNOWN: "#b26a00", SendOutcome.SENDING: "#b26a00"}


def outcome_badge(obj, label=None):
    return format_html('<strong class="dialpad-outcome-{}" style="color:{}">{}</strong>',
                       obj.outcome, OUTCOME_COLOURS.get(obj.outcome, "#333"),
                       label or obj.get_outcome_display())


@admin.register(SmsMessage)
class SmsMessageAdmin(SentAdmin):
    list_display = ("created_at", "by", "sent_as", "recipient_count", "outcome_display",
                    "delivery")
    list_filter = ("outcome", "sender_kind", "message_status")
    search_fields = ("recipients", "text", "sender_label", "created_by_username", "=dialpad_id")
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("created_at", "created_by_username", "sender_label", "user_link",
                           "recipients_display", "opted_out_display", "text", "text_length",
                           "media_bytes")}),
        ("Dialpad", {"fields": ("outcome_display", "message", "dialpad_id", "message_status",
                                "message_delivery_result", "journal")}),
    )
    push_views = [("compose/", SmsComposeView, "compose", {})]
    compose_label = "Send an SMS"
    recipient_count = counted("recipients", "Recipients")
    recipients_display = joined("recipients", "Recipients")

    @admin.display(description="Outcome", ordering="outcome")
    def outcome_display(self, obj):
        if obj.outcome == SendOutcome.SENDING:
            # Still "sending" once the request is over: the console stopped half-way.
            return outcome_badge(obj, "Outcome unknown (the console stopped while sending)")
        return outcome_badge(obj)

    @admin.display(description="Delivery", ordering="message_status")
    def delivery(self, obj):
        """Dialpad's status, and its delivery result when it gave one."""
        status = obj.message_status or EMPTY
        if obj.message_delivery_result:
            return f"{status} ({obj.message_delivery_result})"
        return status

    @admin.display(description="Journal")
    def journal(self, obj):
        return link(obj.push_record, "entry") if obj.push_record_id else EMPTY
