"""The Events list (every verified delivery, what it said, what the console did with it) and
the *Dialpad webhook* page."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from dialpad_console.forbidden import denied, view_permission

from ..choices import EventStatus
from ..models import Event
from ..selectors import age_text, event_flow
from ..services.setup import MANAGE_WEBHOOKS, webhooks_ensure, webhooks_status
from .display import RecordAdmin, mirrored_object, object_link, pretty_json

STATUS_COLOURS = {
    EventStatus.PENDING: "#205067", EventStatus.REFRESHING: "#205067",
    EventStatus.DONE: "#2e7d32", EventStatus.UNHANDLED: "#b26a00",
    EventStatus.FAILED: "#ba2121",
}


@admin.register(Event)
class EventAdmin(RecordAdmin):
    list_display = ("__str__", "received_at", "kind", "status_display", "what_display",
                    "changed_by", "outcome")
    list_filter = ("kind", "status", "verified")
    search_fields = ("action", "target_id", "changed_by", "dedupe_key", "outcome")
    date_hierarchy = "received_at"
    fields = ("kind", "status_display", "received_at", "occurred_at", "verified", "action",
              "target_display", "changed_by", "outcome", "attempts", "processed_at",
              "dedupe_key", "payload_display")
    readonly_fields = fields

    @admin.display(description="status", ordering="status")
    def status_display(self, event):
        return format_html('<strong style="color:{}">{}</strong>',
                           STATUS_COLOURS.get(event.status, "#333"),
                           event.get_status_display())

    @admin.display(description="what")
    def what_display(self, event):
        if event.target_id:
            return f"{event.action or event.get_kind_display()}: {event.target_type} " \
                   f"{event.target_id}"
        return event.action or event.get_kind_display()

    @admin.display(description="target")
    def target_display(self, event):
        if not event.target_id:
            return "—"
        text = f"{event.target_type} {event.target_id}"
        return object_link(mirrored_object(event.target_type, event.target_id), text)

    @admin.display(description="payload")
    def payload_display(self, event):
        return pretty_json(event.payload)

    # --- the Dialpad webhook page ------------------------------------------------------

    def get_urls(self):
        return [
            path("webhook/", self.admin_site.admin_view(self.webhook_view),
                 name="events_event_webhook"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        flow = event_flow()
        extra_context = {**(extra_context or {}), "flow": flow,
                         "flow_age": age_text(flow.age_seconds)}
        return super().changelist_view(request, extra_context=extra_context)

    def webhook_view(self, request):
        """GET: what exists in Dialpad; POST (events.manage_webhooks): create or update the
        webhook and the subscriptions for the URL given."""
        if not self.has_view_permission(request):
            raise denied(view_permission(self.opts))
        may_manage = request.user.has_perm(MANAGE_WEBHOOKS)
        default_url = request.build_absolute_uri(reverse("dialpad_webhook"))
        url = request.POST.get("url", default_url) if request.method == "POST" else default_url
        report, error = None, ""
        if request.method == "POST":
            if not may_manage:
                raise denied(MANAGE_WEBHOOKS)
            try:
                report = webhooks_ensure(actor=request.user, url=url)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                level = messages.SUCCESS if report.ok and not report.warnings else \
                    messages.WARNING
                self.message_user(request, "Dialpad's webhook set-up: " + ", ".join(
                    f"{step.what} {step.outcome}" for step in report.steps), level)
        context = {
            **self.admin_site.each_context(request), "opts": self.opts,
            "title": "Dialpad webhook", "url": url, "report": report, "error": error,
            "may_manage": may_manage, "status": webhooks_status(url=url),
            "flow": event_flow(),
        }
        return TemplateResponse(request, "admin/events/webhook.html", context)
