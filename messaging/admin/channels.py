"""Channels and their members (mirrored by the sync; changed through the channel pushes),
and the company's SMS opt-out list."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.html import format_html

from orgs.admin.base import MirroredAdmin, can, is_present, push_url
from orgs.admin.display import EMPTY, attribute_cell, link
from orgs.admin.filters import PresenceFilter
from orgs.admin.sections import RelatedSection
from orgs.selectors import Capped

from .. import permissions
from ..models import Channel, ChannelMember, SmsOptOut
from .channel_views import (
    ChannelCreateView, ChannelDeleteView, ChannelMemberAddView, ChannelMemberRemoveView,
)

MEMBERS_SHOWN = 200


@admin.register(Channel)
class ChannelAdmin(MirroredAdmin):
    list_display = ("__str__", "member_count", "gone", "last_seen_at")
    list_filter = (PresenceFilter,)
    search_fields = ("name", "dialpad_id__exact")
    fieldsets = (
        (None, {"fields": ("name", "member_count")}),
        ("Dialpad", {"fields": ("dialpad_id", "last_seen_at", "gone_at")}),
    )
    push_views = [
        ("create/", ChannelCreateView, "create", {}),
        ("<path:object_id>/delete-in-dialpad/", ChannelDeleteView, "delete_in_dialpad", {}),
        ("<path:object_id>/members/add/", ChannelMemberAddView, "member_add", {}),
        ("<path:object_id>/members/<int:user_id>/remove/", ChannelMemberRemoveView,
         "member_remove", {}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members_alive=Count(
            "members", filter=Q(members__gone_at__isnull=True)))

    @admin.display(description="Members", ordering="members_alive")
    def member_count(self, obj):
        return obj.members_alive

    def get_changelist_tools(self, request):
        if not can(request, permissions.MANAGE_CHANNELS):
            return []
        return [("Create a channel", push_url(Channel, "create"))]

    def get_push_tools(self, request, obj):
        if not can(request, permissions.MANAGE_CHANNELS):
            return []
        return [("Add member", push_url(obj, "member_add", obj.pk)),
                ("Delete in Dialpad", push_url(obj, "delete_in_dialpad", obj.pk))]

    def get_related_sections(self, request, obj):
        members = obj.members.filter(gone_at__isnull=True).select_related("user").order_by(
            "name")
        may_push = can(request, permissions.MANAGE_CHANNELS) and is_present(obj)
        columns = [("Member", lambda m: link(m.user) if m.user else m.name or EMPTY),
                   ("Dialpad ID", attribute_cell("user_dialpad_id"))]
        if may_push:
            columns.append(("", lambda m: format_html(
                '<a class="dialpad-remove-member" href="{}">Remove</a>',
                push_url(obj, "member_remove", obj.pk, m.user_dialpad_id))))
        listing = Capped(items=list(members[:MEMBERS_SHOWN]), total=members.count())
        return [RelatedSection("members", "Members", listing, columns)]


@admin.register(ChannelMember)
class ChannelMemberAdmin(MirroredAdmin):
    list_display = ("__str__", "channel", "user_link", "gone", "last_seen_at")
    list_filter = (PresenceFilter, "channel")
    search_fields = ("name", "channel__name", "user_dialpad_id__exact")
    list_select_related = ("channel", "user")
    fieldsets = ((None, {"fields": ("channel", "user", "name", "user_dialpad_id")}),
                 ("Dialpad", {"fields": ("last_seen_at", "gone_at")}))

    @admin.display(description="User")
    def user_link(self, obj):
        return link(obj.user) if obj.user else obj.name


@admin.register(SmsOptOut)
class SmsOptOutAdmin(MirroredAdmin):
    """Who opted out of the company's SMS (texted STOP): left out of every message."""

    list_display = ("number", "state", "changed_at", "scope_level", "gone", "last_seen_at")
    list_filter = ("state", PresenceFilter, "scope_level")
    search_fields = ("number",)
    fieldsets = ((None, {"fields": ("number", "state", "changed_at", "scope_level",
                                    "scope_id")}),
                 ("Dialpad", {"fields": ("last_seen_at", "gone_at")}))
