"""What the pages of sent messages share: the compose button, and columns built from a
field (a list joined, a list counted, a link)."""

from django.contrib import admin

from orgs.admin.base import ReadOnlyAdmin, can, push_url
from orgs.admin.display import EMPTY, link

from .. import permissions


def joined(field, description):
    """A column of the list in `field`, comma-separated."""
    return admin.display(description=description)(
        lambda model_admin, obj: ", ".join(getattr(obj, field)) or EMPTY)


def counted(field, description):
    return admin.display(description=description)(
        lambda model_admin, obj: len(getattr(obj, field)))


def linked(field, description):
    return admin.display(description=description)(
        lambda model_admin, obj: link(getattr(obj, field)))


class SentAdmin(ReadOnlyAdmin):
    """What the console sent (as a user, leaving out who opted out): read-only; its list
    offers `compose_label` (the model's "compose" push view) to who may send."""

    compose_label = ""
    user_link = linked("user", "Sent by")

    # Short headers and merged cells: the lists fit a 1,366-pixel screen beside the filters.
    @admin.display(description="By", ordering="created_by_username")
    def by(self, obj):
        return obj.created_by_username or "—"

    @admin.display(description="As", ordering="sender_label")
    def sent_as(self, obj):
        return obj.sender_label or "—"
    opted_out_display = joined("opted_out", "Left out (opted out)")

    def get_changelist_tools(self, request):
        if not can(request, permissions.SEND_SMS):
            return []
        return [(self.compose_label, push_url(self.model, "compose"))]

