"""The pages of departments and call centers (the call groups: operators and numbers)."""

from django.contrib import admin

from .. import forms, kinds, permissions, selectors
from ..models import CallCenter, Department, OperatorMembership, PhoneNumber
from .base import DIALPAD_FIELDSET, PAYLOAD_FIELDSET, MirroredAdmin, NumberSearchMixin
from .base import LISTED_NUMBERS, show_gone
from .base import annotation_column, can, push_url
from .display import EMPTY, changelist_url, week_hours
from .filters import GroupOperatorsFilter, OfficeFilter, PresenceFilter
from .push_views import NUMBER_ASSIGN_VIEW, OPERATOR_VIEWS, CallGroupCreateView
from .push_views import CallGroupDeleteView, CallGroupEditView
from .sections import numbers_section, operators_section


class CallGroupAdmin(NumberSearchMixin, MirroredAdmin):
    list_display = ("name", "office_link", "state_gone", "timezone", "ring", "operator_count",
                    "numbers")
    list_filter = (PresenceFilter, "state", ("office", OfficeFilter), "availability_status",
                   GroupOperatorsFilter)
    search_fields = ("name", "description", "office__name", "dialpad_id__exact")
    list_select_related = ("office",)
    list_prefetch = (LISTED_NUMBERS,)
    fieldsets = (
        (None, {"fields": ("name", "office", "description", "state", "availability_status",
                           "timezone", "ring_seconds")}),
        ("Hours of operation", {"fields": ("hours",)}),
        DIALPAD_FIELDSET,
        PAYLOAD_FIELDSET,
    )

    def get_queryset(self, request):
        return selectors.call_group_list_annotate(super().get_queryset(request))

    operator_count = annotation_column("operator_count", "Operators")

    @admin.display(description="Week")
    def hours(self, obj):
        return week_hours(obj)

    @admin.display(description="Ring", ordering="ring_seconds")
    def ring(self, obj):
        return EMPTY if obj.ring_seconds is None else f"{obj.ring_seconds} s"

    call_group_form = None  # orgs.forms.DepartmentForm / CallCenterForm
    call_group_delete_form = None  # orgs.forms.DepartmentDeleteForm / CallCenterDeleteForm

    @property
    def membership_column(self):
        """OperatorMembership's link to this model (PhoneNumber's is assigned_<it>)."""
        return kinds.kind_name(self.model)

    @property
    def push_views(self):
        form, name = self.call_group_form, self.opts.verbose_name
        return [
            *OPERATOR_VIEWS,
            NUMBER_ASSIGN_VIEW,
            ("create/", CallGroupCreateView, "create",
             {"form_class": form, "title": f"Add {name}"}),
            ("<path:object_id>/edit/", CallGroupEditView, "edit",
             {"form_class": form, "title": f"Edit {name}"}),
            ("<path:object_id>/delete-in-dialpad/", CallGroupDeleteView, "delete_in_dialpad",
             {"form_class": self.call_group_delete_form, "title": f"Delete {name}"}),
        ]

    def get_push_tools(self, request, obj):
        if not can(request, permissions.MANAGE_GROUPS):
            return []
        return [(f"Edit {self.opts.verbose_name}", push_url(obj, "edit", obj.pk)),
                ("Delete in Dialpad", push_url(obj, "delete_in_dialpad", obj.pk))]

    def get_changelist_tools(self, request):
        if not can(request, permissions.MANAGE_GROUPS):
            return []
        return [(f"Add {self.opts.verbose_name}", push_url(self.model, "create"))]

    def get_related_sections(self, request, obj):
        related = selectors.call_group_related_get(group=obj, limit=self.related_limit,
                                                   with_gone=show_gone(request))
        return [
            operators_section(
                request, self, obj, related["operators"],
                changelist_url(OperatorMembership,
                               **{f"{self.membership_column}__dialpad_id__exact": obj.pk}),
            ),
            numbers_section(
                request, obj, related["numbers"],
                changelist_url(PhoneNumber,
                               **{f"assigned_{self.membership_column}__dialpad_id__exact": obj.pk}),
            ),
        ]


@admin.register(Department)
class DepartmentAdmin(CallGroupAdmin):
    call_group_form = forms.DepartmentForm
    call_group_delete_form = forms.DepartmentDeleteForm


@admin.register(CallCenter)
class CallCenterAdmin(CallGroupAdmin):
    call_group_form = forms.CallCenterForm
    call_group_delete_form = forms.CallCenterDeleteForm
