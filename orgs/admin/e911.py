"""The E911 addresses the console has read from Dialpad, each an office's or a user's."""

from django.contrib import admin

from ..models import E911Address
from .base import ReadOnlyAdmin
from .display import link
from .filters import E911OwnerFilter


@admin.register(E911Address)
class E911AddressAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "owner", "city", "state", "zip", "country", "fetched_at")
    list_filter = (E911OwnerFilter, "country")
    search_fields = ("address", "address2", "city", "zip", "office__name", "user__display_name",
                     "user__emails")
    list_select_related = ("office", "user")
    fieldsets = (
        (None, {"fields": ("owner", "address", "address2", "city", "state", "zip", "country",
                           "fetched_at")}),
    )

    @admin.display(description="Owner")
    def owner(self, obj):
        return link(obj.office or obj.user)
