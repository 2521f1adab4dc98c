"""What the events admin pages share: read-only rows, links to mirrored objects."""

import json

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from orgs.kinds import KINDS
from orgs.models import PhoneNumber

from ..services.process import TARGET_KINDS


class RecordAdmin(admin.ModelAdmin):
    """Rows written by the receiver and the workers: nobody adds, edits or deletes them."""

    def has_add_permission(self, request):
        return False

    # Viewing is all there is: the view permission opens the pages.
    has_change_permission = has_delete_permission = (lambda self, request, obj=None: False)


def pretty_json(value):
    return format_html('<pre style="white-space:pre-wrap">{}</pre>',
                       json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True))


def mirrored_object(target_type, target_id):
    """The mirror row a Dialpad (type, id) names, or None."""
    kind = TARGET_KINDS.get(str(target_type or "").lower())
    if kind == "number":
        return PhoneNumber.objects.filter(number=str(target_id)).first()
    if kind not in KINDS or not str(target_id or "").isdigit():
        return None
    return KINDS[kind].model.objects.filter(pk=int(target_id)).first()


def object_link(obj, text=None):
    if obj is None:
        return text or "—"
    opts = obj._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return text or str(obj)
    return format_html('<a href="{}">{}</a>', url, text or str(obj))
