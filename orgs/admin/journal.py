"""The push journal (every push the console sent, or refused to send) and the bulk pushes."""

import json

from django.contrib import admin
from django.db.models import Case, Count, Q, Value, When
from django.utils.html import format_html

from .. import kinds, selectors
from dialpad_console.dialpad import parse_id

from ..models import BulkPushItem, BulkPushJob, PushRecord
from ..models.journal import operation_label
from .base import ReadOnlyAdmin
from .display import EMPTY, admin_page_url, attribute_cell, changelist_url, kind_tagged, link
from .filters import ActorFilter, RecentFilter
from .sections import RelatedSection

OUTCOME_COLOURS = {
    PushRecord.Outcome.SUCCEEDED: "#2e7d32",
    PushRecord.Outcome.REFUSED: "#ba2121",
    PushRecord.Outcome.UNKNOWN: "#b26a00",
    PushRecord.Outcome.INVALID: "#666",
    PushRecord.Outcome.DENIED: "#666",
    BulkPushItem.Outcome.ERRORED: "#ba2121",
    BulkPushItem.Outcome.PENDING: "#666",
}
BULK_ITEMS_SHOWN = 500


def outcome_badge(obj):
    return format_html('<strong class="dialpad-outcome-{}" style="color:{}">{}</strong>',
                       obj.outcome, OUTCOME_COLOURS.get(obj.outcome, "#333"),
                       obj.get_outcome_display())


def members_named(records):
    """Give each operator push in `records` its member (`record.member`: the user or room,
    or None), read with one query per kind: a journal page names who was added, not only
    the group."""
    wanted = {}
    for record in records:
        ref = record.member_ref
        if ref is not None and ref[0] in kinds.KINDS:
            wanted.setdefault(ref[0], set()).add(ref[1])
    found = {}
    for kind_name, ids in wanted.items():
        ids = {parse_id(i) for i in ids} - {None}
        found[kind_name] = kinds.KINDS[kind_name].model._default_manager.in_bulk(ids)
    for record in records:
        ref = record.member_ref
        record.member = (found.get(ref[0], {}).get(parse_id(ref[1]))
                         if ref is not None else None)
    return records


class OperationFilter(admin.SimpleListFilter):
    """The operations in the journal, in words."""

    title = "operation"
    parameter_name = "operation__exact"  # as the field's own filter: old links still work

    def lookups(self, request, model_admin):
        operations = model_admin.get_queryset(request).order_by().values_list(
            "operation", flat=True).distinct()
        return sorted(((op, operation_label(op)) for op in operations), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(operation=self.value()) if self.value() else queryset


def target_url(record):
    """Where a journal row's target is: its page; for a number, the numbers found by it."""
    kind = kinds.KINDS.get(record.target_type)
    if kind is kinds.NUMBER:
        return changelist_url(kind.model, q=record.target_id) if record.target_id else ""
    if kind is not None and record.target_id.isdigit():
        return admin_page_url(kind.model, "change", record.target_id)
    return ""


@admin.register(PushRecord)
class PushRecordAdmin(ReadOnlyAdmin):
    """The push journal: every push the console sent (or refused to send), read-only."""

    list_display = ("started_at", "actor", "operation_display", "target_display",
                    "outcome_display", "short_message")
    list_display_links = ("started_at",)
    list_filter = ("outcome", RecentFilter, OperationFilter, ("actor_username", ActorFilter),
                   "target_type")
    search_fields = ("target_repr", "=target_id", "message", "actor_username", "operation")
    search_help_text = "What was pushed to (a name, a Dialpad ID, a number), the message or who."
    date_hierarchy = "started_at"
    fieldsets = (
        (None, {"fields": ("started_at", "actor_username", "operation_display", "target_display",
                           "outcome_display", "dialpad_status", "duration", "message")}),
        ("Sent to Dialpad", {"fields": ("request_pretty",)}),
    )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        members_named(changelist.result_list)
        return changelist

    def get_object(self, request, object_id, from_field=None):
        record = super().get_object(request, object_id, from_field)
        return members_named([record])[0] if record is not None else None

    @admin.display(description="Operation", ordering="operation")
    def operation_display(self, obj):
        return obj.operation_label

    @admin.display(description="Pushed to", ordering="target_repr")
    def target_display(self, obj):
        text = obj.target_repr or obj.target_id or EMPTY
        target = kind_tagged(text, kinds.label(obj.target_type), target_url(obj))
        member = getattr(obj, "member", None)
        if member is None and obj.member_ref is not None:  # a member the console lacks
            member = "{} {}".format(*obj.member_ref)
        if member is None:
            return target
        return format_html("{} in {}", kind_tagged(link(member), kinds.kind_of(member).label)
                           if kinds.kind_of(member) else member, target)

    @admin.display(description="Outcome", ordering="outcome")
    def outcome_display(self, obj):
        return outcome_badge(obj)

    @admin.display(description="Duration", ordering="duration_ms")
    def duration(self, obj):
        return EMPTY if obj.duration_ms is None else f"{obj.duration_ms} ms"

    @admin.display(description="Message")
    def short_message(self, obj):
        text = obj.message or ""
        if obj.dialpad_status:  # Dialpad's HTTP status, when it answered with an error
            text = f"[{obj.dialpad_status}] {text}"
        return text if len(text) <= 90 else text[:89] + "…"

    @admin.display(description="By", ordering="actor_username")
    def actor(self, obj):
        return obj.actor_username or EMPTY

    @admin.display(description="Request")
    def request_pretty(self, obj):
        if not obj.request:
            return "Nothing was sent."
        text = f"{obj.request.get('method', '')} {obj.request.get('path', '')}"
        if obj.request.get("query"):
            text += f"\nquery: {json.dumps(obj.request['query'], ensure_ascii=False)}"
        if "body" in obj.request:
            text += "\n" + json.dumps(obj.request["body"], indent=2, ensure_ascii=False)
        return format_html('<pre class="dialpad-payload">{}</pre>', text)


BULK_ITEM_COLUMNS = [
    ("#", attribute_cell("position")),
    ("User", lambda item: link(item.user) if item.user else item.target_repr),
    ("Outcome", outcome_badge),
    ("Message", lambda item: item.message or EMPTY),
    ("Journal", lambda item: link(item.push_record, "entry") if item.push_record else EMPTY),
]


@admin.register(BulkPushJob)
class BulkPushJobAdmin(ReadOnlyAdmin):
    """Bulk pushes started from an admin action; a job's page follows its progress."""

    list_display = ("__str__", "status", "progress", "created_by_username", "created_at",
                    "finished_at")
    list_filter = ("status", "operation")
    search_fields = ("description", "created_by_username")
    fieldsets = (
        (None, {"fields": ("description", "status", "progress", "created_by_username",
                           "created_at", "started_at", "finished_at", "run_inline")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            done=Count("items", filter=~Q(items__outcome=BulkPushItem.Outcome.PENDING)),
            succeeded=Count("items", filter=Q(items__outcome=BulkPushItem.Outcome.SUCCEEDED)),
        )

    def has_view_permission(self, request, obj=None):
        # Whoever started a job may watch it, with or without the view permission.
        return super().has_view_permission(request, obj) or (
            obj is not None and obj.created_by_id == request.user.pk)

    @admin.display(description="Progress")
    def progress(self, obj):
        failed = obj.done - obj.succeeded
        text = f"{obj.done} of {obj.total} done: {obj.succeeded} succeeded"
        return f"{text}, {failed} not" if failed else text

    def get_related_sections(self, request, obj):
        ok = [BulkPushItem.Outcome.SUCCEEDED, BulkPushItem.Outcome.PENDING]
        items = obj.items.select_related("user", "push_record").order_by(
            # What went wrong first, then the rest in the selection's order.
            Case(When(outcome__in=ok, then=Value(1)), default=Value(0)), "position",
        )
        listing = selectors.Capped(items=list(items[:BULK_ITEMS_SHOWN]), total=obj.total)
        return [RelatedSection("items", "Results", listing, BULK_ITEM_COLUMNS)]
