"""Bulk messages: the list, "Send a bulk message", and a job's page, which follows its
batches and then each recipient's delivery (refreshing itself until both are final)."""

from django.contrib import admin
from django.db.models import Case, Count, IntegerField, Q, Value, When

from orgs.admin.display import EMPTY, attribute_cell, choice_cell, link
from orgs.admin.sections import RelatedSection
from orgs.selectors import Capped

from ..choices import BatchState
from ..models import BulkMessageJob, BulkRecipient
from ._base import SentAdmin
from .views import BulkComposeView

RECIPIENTS_SHOWN = 500
BATCH_COLUMNS = [
    ("#", attribute_cell("position")),
    ("State", choice_cell("state")),
    ("Recipients", lambda b: len(b.recipients)),
    ("Dialpad ID", attribute_cell("dialpad_id")),
    ("Sends", attribute_cell("attempts")),
    ("Message", attribute_cell("message")),
    ("Journal", lambda b: link(b.push_record, "entry") if b.push_record_id else EMPTY),
]
RECIPIENT_COLUMNS = [
    ("Number", attribute_cell("phone_number")),
    ("Delivery", lambda r: r.delivery_status or ("sent" if r.attempted_send else "not read yet")),
    ("Error", attribute_cell("error_message")),
    ("Read at", attribute_cell("updated_at")),
]


@admin.register(BulkMessageJob)
class BulkMessageJobAdmin(SentAdmin):
    list_display = ("__str__", "by", "sent_as", "status", "progress", "delivery_final")
    list_filter = ("status", "delivery_final")
    search_fields = ("text", "sender_label", "created_by_username", "from_number")
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("created_at", "created_by_username", "sender_label", "user_link",
                           "text", "media_bytes", "total", "opted_out_display")}),
        ("Sending", {"fields": ("status", "progress", "deliveries", "started_at",
                                "finished_at", "delivery_read_at")}),
    )
    push_views = [("compose/", BulkComposeView, "compose", {})]
    compose_label = "Send a bulk message"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            batch_count=Count("batches", distinct=True),
            sent_batches=Count("batches", filter=Q(batches__state=BatchState.SENT),
                               distinct=True),
        )

    def has_view_permission(self, request, obj=None):
        # Whoever sent it may follow it.
        return super().has_view_permission(request, obj) or (
            obj is not None and obj.created_by_id == request.user.pk)

    @admin.display(description="Batches sent")
    def progress(self, obj):
        return f"{obj.sent_batches} of {obj.batch_count}"

    @admin.display(description="Deliveries")
    def deliveries(self, obj):
        counts = dict(BulkRecipient.objects.filter(job=obj).values_list(
            "delivery_status").annotate(n=Count("pk")).values_list("delivery_status", "n"))
        if not counts:
            return EMPTY
        text = ", ".join(f"{n} {status or 'not read yet'}" for status, n in sorted(
            counts.items(), key=lambda item: str(item[0])))
        return text if obj.delivery_final else f"{text} (reading back…)"

    def get_related_sections(self, request, obj):
        batches = obj.batches.select_related("push_record").order_by("position")
        recipients = BulkRecipient.objects.filter(job=obj).order_by(
            # Failures first, then what is still on its way, then the delivered.
            Case(When(delivery_status="failed", then=Value(0)),
                 When(delivery_status="delivered", then=Value(2)), default=Value(1),
                 output_field=IntegerField()), "phone_number")
        return [
            RelatedSection("batches", "Batches", Capped(items=list(batches),
                                                        total=len(batches)), BATCH_COLUMNS),
            RelatedSection("recipients", "Recipients",
                           Capped(items=list(recipients[:RECIPIENTS_SHOWN]),
                                  total=recipients.count()), RECIPIENT_COLUMNS),
        ]
