"""The pages of rooms and their deskphones."""

from django.contrib import admin

from .. import permissions, selectors
from ..models import Deskphone, OperatorMembership, PhoneNumber, Room
from .base import DIALPAD_FIELDSET, PAYLOAD_FIELDSET, MirroredAdmin, NumberSearchMixin, can
from .base import LISTED_NUMBERS, show_gone
from .base import push_url
from .display import changelist_url, link
from .filters import OfficeFilter, PresenceFilter
from .push_views import NUMBER_ASSIGN_VIEW, RoomCreateView, RoomDeleteView, RoomRenameView
from .sections import DESKPHONE_COLUMNS, GROUP_COLUMNS, RelatedSection, numbers_section


@admin.register(Room)
class RoomAdmin(NumberSearchMixin, MirroredAdmin):
    list_display = ("name", "office_link", "state_gone", "country", "numbers")
    list_filter = (PresenceFilter, "state", ("office", OfficeFilter), "country")
    search_fields = ("name", "office__name", "dialpad_id__exact")
    list_select_related = ("office",)
    list_prefetch = (LISTED_NUMBERS,)
    fieldsets = (
        (None, {"fields": ("name", "office", "state", "country")}),
        DIALPAD_FIELDSET,
        PAYLOAD_FIELDSET,
    )

    push_views = [
        NUMBER_ASSIGN_VIEW,
        ("create/", RoomCreateView, "create", {}),
        ("<path:object_id>/rename/", RoomRenameView, "rename", {}),
        ("<path:object_id>/delete-in-dialpad/", RoomDeleteView, "delete_in_dialpad", {}),
    ]

    def get_push_tools(self, request, obj):
        if not can(request, permissions.MANAGE_GROUPS):
            return []
        return [("Rename", push_url(obj, "rename", obj.pk)),
                ("Delete in Dialpad", push_url(obj, "delete_in_dialpad", obj.pk))]

    def get_changelist_tools(self, request):
        if not can(request, permissions.MANAGE_GROUPS):
            return []
        return [("Add room", push_url(Room, "create"))]

    def get_related_sections(self, request, obj):
        related = selectors.room_related_get(room=obj, limit=self.related_limit,
                                             with_gone=show_gone(request))
        return [
            numbers_section(request, obj, related["numbers"],
                            changelist_url(PhoneNumber, assigned_room__dialpad_id__exact=obj.pk)),
            RelatedSection("groups", "Operator of", related["groups"], GROUP_COLUMNS,
                           changelist_url(OperatorMembership, room__dialpad_id__exact=obj.pk)),
            RelatedSection("deskphones", "Deskphones", related["deskphones"], DESKPHONE_COLUMNS,
                           changelist_url(Deskphone, room__dialpad_id__exact=obj.pk)),
        ]


@admin.register(Deskphone)
class DeskphoneAdmin(MirroredAdmin):
    list_display = ("__str__", "room_link", "type", "mac_address", "phone_number", "gone",
                    "last_seen_at")
    list_filter = (PresenceFilter, "type", ("room__office", OfficeFilter))
    search_fields = ("name", "mac_address", "phone_number", "room__name", "dialpad_id")
    list_select_related = ("room",)
    fieldsets = (
        (None, {"fields": ("name", "room", "type", "mac_address", "phone_number")}),
        DIALPAD_FIELDSET,
        PAYLOAD_FIELDSET,
    )

    @admin.display(description="Room", ordering="room__name")
    def room_link(self, obj):
        return link(obj.room)
