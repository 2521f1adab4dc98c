"""SMS events, and a conversation per external number."""

from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from dialpad_console.forbidden import denied, view_permission

from ..models import SmsEvent
from ..selectors import sms_conversation, sms_conversations
from .display import RecordAdmin, mirrored_object, object_link

TEXT_SHOWN = 60


def conversation_url(number):
    return reverse("admin:events_smsevent_conversation", args=[number])


@admin.register(SmsEvent)
class SmsEventAdmin(RecordAdmin):
    list_display = ("message_id", "created_at", "direction", "contact_display",
                    "target_display", "message_status", "delivery_result", "text_display")
    list_filter = ("direction", "message_status", "has_text")
    search_fields = ("contact_number", "from_number", "contact_name", "target_name", "=message_id")
    date_hierarchy = "created_at"
    list_select_related = ("event",)
    fields = ("message_id", "event_display", "direction", "created_at", "message_status",
              "delivery_result", "target_display", "target_number", "contact_display",
              "contact_name", "sender_id", "from_number", "to_numbers", "mms", "has_text",
              "text")
    readonly_fields = fields

    @admin.display(description="external number", ordering="contact_number")
    def contact_display(self, sms):
        if not sms.contact_number:
            return "—"
        return format_html('<a href="{}">{}</a>', conversation_url(sms.contact_number),
                           sms.contact_number)

    @admin.display(description="target")
    def target_display(self, sms):
        text = sms.target_name or f"{sms.target_type} {sms.target_id}"
        return object_link(mirrored_object(sms.target_type, sms.target_id), text)

    @admin.display(description="text")
    def text_display(self, sms):
        if not sms.has_text:
            return "(no text: the API key lacks the message-content scope)"
        return sms.text if len(sms.text) <= TEXT_SHOWN else sms.text[:TEXT_SHOWN - 1] + "…"

    @admin.display(description="event")
    def event_display(self, sms):
        return object_link(sms.event)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("conversations/", view(self.conversations_view),
                 name="events_smsevent_conversations"),
            path("conversations/<str:number>/", view(self.conversation_view),
                 name="events_smsevent_conversation"),
        ] + super().get_urls()

    def _context(self, request, title, **extra):
        if not self.has_view_permission(request):
            raise denied(view_permission(self.opts))
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title,
                **extra}

    def conversations_view(self, request):
        context = self._context(request, "SMS conversations",
                                conversations=list(sms_conversations()[:500]))
        return TemplateResponse(request, "admin/events/conversations.html", context)

    def conversation_view(self, request, number):
        messages = sms_conversation(number)
        if not messages:
            raise Http404("No SMS event names this number.")
        context = self._context(request, f"Conversation with {number}", number=number,
                                messages=messages)
        return TemplateResponse(request, "admin/events/conversation.html", context)
