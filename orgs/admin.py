"""The admin of the org mirror: find, filter and follow links; change nothing.

Mirrored rows are written by the sync and the service layer only, so every ModelAdmin here is
read-only (no add, change or delete in the admin: a "Save" would log a History entry for a
change Dialpad never saw). Pushes to Dialpad come as explicit controls that call
orgs.services; the change pages have template blocks for them (see
templates/admin/orgs/change_form.html) and `RelatedSection.actions` / `controls_template`.

Reads that are more than a filter live in orgs.selectors; the query count of every changelist
and change page is constant in the size of the org (tests/orgs/test_admin_query_counts.py).

Push controls: each ModelAdmin lists its custom push views in `push_views` (routed by
get_urls, wrapped in admin_site.admin_view; the views live in orgs.admin_views) and shows the
controls of the pushes the admin may make: object-tools buttons (`get_push_tools`,
`get_changelist_tools`), section actions, the inline "Add operator" form, a "Remove" link per
operator. A control whose permission the admin lacks is not shown (and its view answers 403).
"""

import json
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.filters import AllValuesFieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import Case, Count, Model, Q, Value, When
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from . import admin_views, forms, kinds, permissions, selectors
from .models import (
    BulkPushItem,
    BulkPushJob,
    CallCenter,
    Company,
    Department,
    Deskphone,
    DialpadUser,
    E911Address,
    Office,
    OperatorMembership,
    PhoneNumber,
    PushRecord,
    Room,
)

admin.site.site_header = "Dialpad Console"
admin.site.site_title = "Dialpad Console"
admin.site.index_title = "Administration"

EMPTY = "—"


# --- Small display helpers ------------------------------------------------------------------


def admin_url(obj, view="change"):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


def changelist_url(model, **filters):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def link(obj, text=None):
    """A link to obj's admin page; plain text for something that is not a mirrored row."""
    if obj is None:
        return EMPTY
    if not isinstance(obj, Model):
        return str(obj)
    return format_html('<a href="{}">{}</a>', admin_url(obj), obj if text is None else text)


def gone_badge(obj):
    if getattr(obj, "gone_at", None) is None:
        return ""
    since = date_format(localtime(obj.gone_at), "SHORT_DATETIME_FORMAT")
    return format_html(
        '<span class="dialpad-gone" title="Gone from Dialpad since {}">Gone</span>', since
    )


def number_target(number):
    """What a number is assigned to: a link to the mirrored target, else its type and id."""
    target = number.target
    if target is not None:
        return format_html(
            '{} <span class="dialpad-kind">{}</span>',
            link(target),
            number.get_target_type_display(),
        )
    if number.target_type:
        return f"{number.get_target_type_display()} {number.target_id or ''}".strip()
    return EMPTY


def number_links(numbers):
    return format_html_join(
        mark_safe("<br>"),
        '<a href="{}">{}</a>',
        ((admin_url(n), n.number) for n in numbers),
    )


# --- Related sections of a change page -------------------------------------------------------


@dataclass
class Row:
    cells: list
    gone: bool


@dataclass
class RelatedSection:
    """A capped table of an object's related rows, shown under its change form.

    `actions` ([(label, url)]) and `controls_template` (a template included inside the
    section, with `section` and `original` in its context) are where push controls go.
    """

    key: str
    title: str
    listing: selectors.Capped
    columns: list  # [(header, obj -> cell)]
    see_all_url: str = ""
    actions: list = field(default_factory=list)
    controls_template: str = ""
    controls: dict = field(default_factory=dict)  # what controls_template needs (a form...)
    note: str = ""  # shown above the table (e.g. "Could not read ... from Dialpad")
    template: str = "admin/orgs/includes/related_section.html"

    @property
    def headers(self):
        return [header for header, _ in self.columns]

    @cached_property
    def rows(self):
        rows = []
        for obj in self.listing.items:
            cells = [value(obj) for _, value in self.columns]
            badge = gone_badge(obj)
            if badge:
                cells[0] = format_html("{} {}", cells[0], badge)
            rows.append(Row(cells=cells, gone=bool(badge)))
        return rows

    @property
    def total(self):
        return self.listing.total

    @property
    def more(self):
        return self.listing.more


def _display(name):
    return lambda obj: getattr(obj, f"get_{name}_display")() or EMPTY


def _attr(name):
    return lambda obj: getattr(obj, name) or EMPTY


CALL_GROUP_COLUMNS = [
    ("Name", link),
    ("State", _display("state")),
    ("Availability", _display("availability_status")),
    ("Timezone", _attr("timezone")),
]
ROOM_COLUMNS = [("Name", link), ("State", _display("state")), ("Country", _attr("country"))]
USER_COLUMNS = [
    ("User", link),
    ("Extension", _attr("extension")),
    ("Email", _attr("email")),
    ("State", _display("state")),
]
NUMBER_COLUMNS = [
    ("Number", link),
    ("Status", _display("status")),
    ("Type", _display("type")),
    ("Assigned to", number_target),
]
OPERATOR_COLUMNS = [  # a group's operators
    ("Operator", lambda m: link(m.operator)),
    ("Kind", _display("operator_type")),
    ("Role", _display("role")),
    ("Membership", lambda m: link(m, "details")),
]
GROUP_COLUMNS = [  # the groups a user or room is an operator of
    ("Group", lambda m: link(m.group)),
    ("Kind", _display("group_type")),
    ("Role", _display("role")),
    ("Membership", lambda m: link(m, "details")),
]
DESKPHONE_COLUMNS = [
    ("Name", link),
    ("Type", _attr("type")),
    ("MAC address", _attr("mac_address")),
    ("Number", _attr("phone_number")),
]


# --- List filters -----------------------------------------------------------------------------


class PresenceFilter(admin.SimpleListFilter):
    """Present in Dialpad or gone from it; the default listing shows both."""

    title = "presence in Dialpad"
    parameter_name = "presence"

    def lookups(self, request, model_admin):
        return [("present", "Present"), ("gone", "Gone")]

    def queryset(self, request, queryset):
        if self.value() == "present":
            return queryset.filter(gone_at__isnull=True)
        if self.value() == "gone":
            return queryset.filter(gone_at__isnull=False)
        return queryset


class GroupOfficeFilter(admin.SimpleListFilter):
    """Memberships of an office itself or of any department or call center in it."""

    title = "office"
    parameter_name = "in_office"

    def lookups(self, request, model_admin):
        return selectors.office_choices()

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            office_id = int(self.value())
        except ValueError as exc:
            raise IncorrectLookupParameters(exc) from exc
        return queryset.filter(
            Q(office_id=office_id)
            | Q(department__office_id=office_id)
            | Q(callcenter__office_id=office_id)
        )


class E911OwnerFilter(admin.SimpleListFilter):
    title = "owner"
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [("office", "Office"), ("user", "User")]

    def queryset(self, request, queryset):
        if self.value() == "office":
            return queryset.filter(office__isnull=False)
        if self.value() == "user":
            return queryset.filter(user__isnull=False)
        return queryset


# --- Push controls ----------------------------------------------------------------------------


def can(request, permission):
    return request.user.has_perm(permission)


def is_present(obj):
    return obj is not None and getattr(obj, "gone_at", None) is None


def push_url(obj_or_model, name, *args, **query):
    """The URL of a push view that a ModelAdmin's `push_views` registered."""
    opts = obj_or_model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args)
    return f"{url}?{urlencode(query)}" if query else url


def remove_operator_link(group, membership):
    if membership.gone_at is not None:
        return ""
    url = push_url(group, "operator_remove", group.pk, membership.operator_type,
                   membership.operator_id)
    return format_html('<a href="{}" class="dialpad-remove-operator">Remove</a>', url)


def operators_section(request, model_admin, group, listing, see_all_url):
    """A group's operators with their roles; for who may, an "Add operator" form under the
    table and a "Remove" link per operator."""
    section = RelatedSection("operators", "Operators", listing, list(OPERATOR_COLUMNS),
                             see_all_url)
    if is_present(group) and can(request, permissions.ASSIGN_OPERATOR):
        add_url = push_url(group, "operator_add", group.pk)
        section.columns.append(("", lambda m: remove_operator_link(group, m)))
        section.controls_template = "admin/orgs/includes/operator_add.html"
        section.controls = {"form": admin_views.operator_add_form(model_admin, group),
                            "url": add_url}
    return section


def numbers_section(request, obj, listing, see_all_url):
    """An office's, room's, user's or group's numbers; for who may, "Assign a number"."""
    section = RelatedSection("numbers", "Numbers", listing, NUMBER_COLUMNS, see_all_url)
    if is_present(obj) and can(request, permissions.ASSIGN_NUMBER):
        section.actions.append(("Assign a number", push_url(obj, "number_assign", obj.pk)))
    return section


def _fetched(address):
    if address.fetched_at is None:
        return EMPTY
    return date_format(localtime(address.fetched_at), "SHORT_DATETIME_FORMAT")


E911_COLUMNS = [("Address", link), ("Read from Dialpad", _fetched)]


def e911_section(request, obj, note=""):
    """An office's or user's E911 address; for who may, "Edit E911 address"."""
    address = getattr(obj, "e911_address", None)
    items = [address] if address is not None else []
    section = RelatedSection("e911", "E911 address", selectors.Capped(items=items,
                             total=len(items)), E911_COLUMNS, note=note)
    if is_present(obj) and can(request, permissions.CHANGE_E911):
        section.actions.append(("Edit E911 address", push_url(obj, "e911", obj.pk)))
    return section


OPERATOR_VIEWS = [
    ("<path:object_id>/operators/add/", admin_views.OperatorAddView, "operator_add", {}),
    ("<path:object_id>/operators/<str:operator_type>/<int:operator_id>/remove/",
     admin_views.OperatorRemoveView, "operator_remove", {}),
]
NUMBER_ASSIGN_VIEW = ("<path:object_id>/numbers/assign/", admin_views.NumberAssignView,
                      "number_assign", {})


def is_autocomplete(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"



# --- Base classes -----------------------------------------------------------------------------

DIALPAD_FIELDSET = ("Dialpad", {"fields": ("dialpad_id", "last_seen_at", "gone_at")})
PAYLOAD_FIELDSET = ("Payload", {"classes": ("collapse",), "fields": ("payload_pretty",)})


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows rows that only the sync and the service layer write.

    `list_select_related` is applied to the change page's object too, and `list_prefetch` to
    both, so that a column or read-only field that follows a relation costs no query per row.
    Subclasses list every shown field in `fieldsets`; all of them are read-only.
    """

    list_select_related = ()
    list_prefetch = ()
    related_limit = selectors.RELATED_LIMIT
    push_views = ()  # [(route, PushView subclass, url name suffix, as_view() kwargs)]

    def get_urls(self):
        opts = self.opts
        custom = [
            path(route, self.admin_site.admin_view(view.as_view(model_admin=self, **kwargs)),
                 name=f"{opts.app_label}_{opts.model_name}_{name}")
            for route, view, name, kwargs in self.push_views
        ]
        return custom + super().get_urls()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_autocomplete(request) and hasattr(queryset.model, "gone_at"):
            # A push form's autocomplete offers only what still exists in Dialpad.
            queryset = queryset.filter(gone_at__isnull=True)
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        if self.list_prefetch:
            queryset = queryset.prefetch_related(*self.list_prefetch)
        return queryset

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewing needs the model's view permission; changing goes through orgs.services.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return flatten_fieldsets(self.fieldsets)

    def get_related_sections(self, request, obj):
        """The RelatedSections shown under obj's change form (none by default)."""
        return []

    def get_push_tools(self, request, obj):
        """[(label, url)]: push buttons in obj's object tools, for what the admin may push."""
        return []

    def get_changelist_tools(self, request):
        """[(label, url)]: push buttons in the changelist's object tools."""
        return []

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            sections = self.get_related_sections(request, obj)
            context["related_sections"] = sections
            for section in sections:
                if section.controls.get("form") is not None:
                    context["media"] = context["media"] + section.controls["form"].media
            context["push_tools"] = self.get_push_tools(request, obj) if is_present(obj) else []
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "push_tools": self.get_changelist_tools(request)}
        return super().changelist_view(request, extra_context)

    # Admin actions name these (ModelAdmin.get_actions asks has_<name>_permission).
    def has_assign_operator_permission(self, request):
        return can(request, permissions.ASSIGN_OPERATOR)

    def has_change_e911_permission(self, request):
        return can(request, permissions.CHANGE_E911)

    @admin.display(description="Office", ordering="office__name")
    def office_link(self, obj):
        return link(obj.office)


class MirroredAdmin(ReadOnlyAdmin):
    """A mirrored model: gone rows marked, the payload pretty-printed and collapsed."""

    @admin.display(description="Gone", ordering="gone_at")
    def gone(self, obj):
        return gone_badge(obj)

    @admin.display(description="Payload")
    def payload_pretty(self, obj):
        text = json.dumps(obj.payload, indent=2, sort_keys=True, ensure_ascii=False)
        return format_html('<pre class="dialpad-payload">{}</pre>', text)

    @admin.display(description="Numbers")
    def numbers(self, obj):
        # Only for admins whose list_prefetch has "assigned_numbers".
        return number_links(obj.assigned_numbers.all())


class NumberSearchMixin:
    """The changelist search also finds a row by one of its numbers, in any format."""

    number_owner_column = ""  # the PhoneNumber column that points at this model

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        by_number = selectors.owner_number_q(term=search_term, column=self.number_owner_column)
        if by_number is None:
            return found, may_have_duplicates
        return queryset.filter(Q(pk__in=found.values("pk")) | by_number), False


def e911_display(obj):
    address = getattr(obj, "e911_address", None)
    if address is None:
        return EMPTY
    return link(address)


# --- The mirrored models ----------------------------------------------------------------------


@admin.register(Company)
class CompanyAdmin(MirroredAdmin):
    list_display = ("name", "domain", "country", "account_type", "state", "admin_email", "gone",
                    "last_seen_at")
    search_fields = ("name", "domain", "admin_email")
    fieldsets = (
        (None, {"fields": ("name", "domain", "country", "account_type", "state", "admin_email")}),
        DIALPAD_FIELDSET,
        PAYLOAD_FIELDSET,
    )


@admin.register(Office)
class OfficeAdmin(NumberSearchMixin, MirroredAdmin):
    list_display = ("name", "state", "country", "timezone", "is_primary_office",
                    "availability_status", "user_count", "number_count", "gone", "last_seen_at")
    list_filter = (PresenceFilter, "state", "country", "is_primary_office", "availability_status")
    search_fields = ("name", "dialpad_id__exact")
    number_owner_column = "assigned_office_id"
    fieldsets = (
        (None, {"fields": ("name", "state", "country", "timezone", "is_primary_office",
                           "availability_status", "ring_seconds", "e911")}),
        DIALPAD_FIELDSET,
        PAYLOAD_FIELDSET,
    )

    def get_queryset(self, request):
        return selectors.office_list_annotate(super().get_queryset(request))

    @admin.display(description="Users", ordering="user_count")
    def user_count(self, obj):
        return obj.user_count

    @admin.display(description="Numbers", ordering="number_count")
    def number_count(self, obj):
        return obj.number_count

    @admin.display(description="E911 address")
    def e911(self, obj):
        return e911_display(obj)

    push_views = [
        *OPERATOR_VIEWS,
        NUMBER_ASSIGN_VIEW,
        ("<path:object_id>/e911/", admin_views.OfficeE911View, "e911", {}),
    ]

    def get_push_tools(self, request, obj):
        if not can(request, permissions.MANAGE_GROUPS):
            return []
        return [
            ("Add department", push_url(Department, "create", office=obj.pk)),
            ("Add call center", push_url(CallCenter, "create", office=obj.pk)),
            ("Add room", push_url(Room, "create", office=obj.pk)),
        ]

    def get_related_sections(self, request, obj):
        related = selectors.office_related_get(office=obj, limit=self.related_limit)
        in_office = {"office__dialpad_id__exact": obj.pk}
        return [
            e911_section(request, obj),
            RelatedSection("departments", "Departments", related["departments"],
                           CALL_GROUP_COLUMNS, changelist_url(Department, **in_office)),
            RelatedSection("callcenters", "Call centers", related["callcenters"],
                           CALL_GROUP_COLUMNS, changelist_url(CallCenter, **in_office)),
            RelatedSection("rooms", "Rooms", related["rooms"], ROOM_COLUMNS,
                           changelist_url(Room, **in_office)),
            RelatedSection("users", "Users", related["users"], USER_COLUMNS,
                           changelist_url(DialpadUser, **in_office)),
            numbers_section(request, obj, related["numbers"],
                            changelist_url(PhoneNumber, **in_office)),
            operators_section(request, self, obj, related["operators"],
                              changelist_url(OperatorMembership, **in_office)),
        ]


class CallGroupAdmin(NumberSearchMixin, MirroredAdmin):
    list_display = ("name", "office_link", "state", "availability_status", "timezone",
                    "ring_seconds", "operator_count", "numbers", "gone", "last_seen_at")
    list_filter = (PresenceFilter, "state", "office", "availability_status")
    search_fields = ("name", "description", "office__name", "dialpad_id__exact")
    list_select_related = ("office",)
    list_prefetch = ("assigned_numbers",)
    fieldsets = (
        (None, {"fields": ("name", "office", "description", "state", "availability_status",
                           "timezone", "ring_seconds")}),
        DIALPAD_FIELDSET,
        PAYLOAD_FIELDSET,
    )
    membership_column = ""  # OperatorMembership's and PhoneNumber's link to this model

    def get_queryset(self, request):
        return selectors.call_group_list_annotate(super().get_queryset(request))

    @admin.display(description="Operators", ordering="operator_count")
    def operator_count(self, obj):
        return obj.operator_count

    call_group_form = None  # orgs.forms.DepartmentForm / CallCenterForm

    @property
    def push_views(self):
        return [
            *OPERATOR_VIEWS,
            NUMBER_ASSIGN_VIEW,
            ("create/", admin_views.CallGroupCreateView, "create",
             {"form_class": self.call_group_form}),
            ("<path:object_id>/edit/", admin_views.CallGroupEditView, "edit",
             {"form_class": self.call_group_form}),
        ]

    def get_push_tools(self, request, obj):
        if not can(request, permissions.MANAGE_GROUPS):
            return []
        return [(f"Edit {self.opts.verbose_name}", push_url(obj, "edit", obj.pk))]

    def get_changelist_tools(self, request):
        if not can(request, permissions.MANAGE_GROUPS):
            return []
        return [(f"Add {self.opts.verbose_name}", push_url(self.model, "create"))]

    def get_related_sections(self, request, obj):
        related = selectors.call_group_related_get(group=obj, limit=self.related_limit)
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
    number_owner_column = "assigned_department_id"
    membership_column = "department"
    call_group_form = forms.DepartmentForm


@admin.register(CallCenter)
class CallCenterAdmin(CallGroupAdmin):
    number_owner_column = "assigned_callcenter_id"
    membership_column = "callcenter"
    call_group_form = forms.CallCenterForm


@admin.register(Room)
class RoomAdmin(NumberSearchMixin, MirroredAdmin):
    list_display = ("name", "office_link", "state", "country", "numbers", "gone", "last_seen_at")
    list_filter = (PresenceFilter, "state", "office", "country")
    search_fields = ("name", "office__name", "dialpad_id__exact")
    number_owner_column = "assigned_room_id"
    list_select_related = ("office",)
    list_prefetch = ("assigned_numbers",)
    fieldsets = (
        (None, {"fields": ("name", "office", "state", "country")}),
        DIALPAD_FIELDSET,
        PAYLOAD_FIELDSET,
    )

    push_views = [
        NUMBER_ASSIGN_VIEW,
        ("create/", admin_views.RoomCreateView, "create", {}),
        ("<path:object_id>/rename/", admin_views.RoomRenameView, "rename", {}),
        ("<path:object_id>/delete-in-dialpad/", admin_views.RoomDeleteView, "delete_in_dialpad",
         {}),
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
        related = selectors.room_related_get(room=obj, limit=self.related_limit)
        return [
            numbers_section(request, obj, related["numbers"],
                            changelist_url(PhoneNumber, assigned_room__dialpad_id__exact=obj.pk)),
            RelatedSection("groups", "Operator of", related["groups"], GROUP_COLUMNS,
                           changelist_url(OperatorMembership, room__dialpad_id__exact=obj.pk)),
            RelatedSection("deskphones", "Deskphones", related["deskphones"], DESKPHONE_COLUMNS,
                           changelist_url(Deskphone, room__dialpad_id__exact=obj.pk)),
        ]


@admin.register(DialpadUser)
class DialpadUserAdmin(NumberSearchMixin, MirroredAdmin):
    list_display = ("__str__", "office_link", "state", "extension", "email_list", "numbers",
                    "timezone", "country", "license", "gone", "last_seen_at")
    list_filter = (PresenceFilter, "state", "office", "license", "is_admin", "country")
    # `emails` holds all of a user's emails, one per line, so icontains finds any of them.
    search_fields = ("display_name", "first_name", "last_name", "emails", "=extension",
                     "job_title", "dialpad_id__exact")
    search_help_text = ("Name, any of the user's emails, extension, Dialpad ID, or one of the "
                        "user's numbers in any format.")
    number_owner_column = "assigned_user_id"
    list_select_related = ("office",)
    list_prefetch = ("assigned_numbers",)
    fieldsets = (
        (None, {"fields": ("display_name", "first_name", "last_name", "email_list", "extension",
                           "office", "state", "job_title", "timezone", "country", "license",
                           "is_admin", "is_super_admin", "date_added", "e911")}),
        DIALPAD_FIELDSET,
        PAYLOAD_FIELDSET,
    )

    @admin.display(description="Emails", ordering="email")
    def email_list(self, obj):
        emails = [(email,) for email in obj.emails.splitlines() if email]
        return format_html_join(mark_safe("<br>"), "{}", emails) if emails else EMPTY

    @admin.display(description="E911 address")
    def e911(self, obj):
        return e911_display(obj)

    push_views = [
        NUMBER_ASSIGN_VIEW,
        ("<path:object_id>/e911/", admin_views.UserE911View, "e911", {}),
        ("<path:object_id>/move-office/", admin_views.UserMoveOfficeView, "move_office", {}),
    ]
    actions = ["add_to_group", "assign_e911"]

    @admin.action(description="Add selected users to a call center or department",
                  permissions=["assign_operator"])
    def add_to_group(self, request, queryset):
        return admin_views.BulkOperatorAdd(self, request, queryset)()

    @admin.action(description="Assign an E911 address to selected users",
                  permissions=["change_e911"])
    def assign_e911(self, request, queryset):
        return admin_views.BulkUserE911(self, request, queryset)()

    def get_push_tools(self, request, obj):
        if not can(request, permissions.MANAGE_GROUPS):
            return []
        return [("Move to another office", push_url(obj, "move_office", obj.pk))]

    def read_e911_if_missing(self, request, obj):
        """A user's E911 address is read from Dialpad when its page first opens (a sync does
        not read it: one call per user). A note for the page if that read failed."""
        if request.method != "GET" or not is_present(obj):
            return ""
        if getattr(obj, "e911_address", None) is not None:
            return ""
        note = admin_views.user_e911_read(request, obj)
        obj._state.fields_cache.pop("e911_address", None)  # read the stored row afresh
        return note

    def get_related_sections(self, request, obj):
        note = self.read_e911_if_missing(request, obj)
        related = selectors.user_related_get(user=obj, limit=self.related_limit)
        return [
            e911_section(request, obj, note=note),
            RelatedSection("groups", "Operator of", related["groups"], GROUP_COLUMNS,
                           changelist_url(OperatorMembership, user__dialpad_id__exact=obj.pk)),
            numbers_section(request, obj, related["numbers"],
                            changelist_url(PhoneNumber, assigned_user__dialpad_id__exact=obj.pk)),
        ]


@admin.register(PhoneNumber)
class PhoneNumberAdmin(MirroredAdmin):
    list_display = ("number", "status", "type", "target", "office_link", "area_code", "gone",
                    "last_seen_at")
    list_filter = (PresenceFilter, "status", "type", "target_type", "office")
    search_fields = ("number", "assigned_user__display_name", "assigned_room__name",
                     "assigned_callcenter__name", "assigned_department__name",
                     "assigned_office__name")
    search_help_text = ('A number in any format ("(415) 555-0100", "555-0100"), or the name of '
                        "what it is assigned to.")
    list_select_related = ("office", *selectors.NUMBER_TARGETS)
    fieldsets = (
        (None, {"fields": ("number", "status", "type", "target", "office", "area_code")}),
        ("Assignment in Dialpad", {"fields": ("target_type", "target_id")}),
        ("Dialpad", {"fields": ("last_seen_at", "gone_at")}),
        PAYLOAD_FIELDSET,
    )

    def get_search_results(self, request, queryset, search_term):
        by_digits = selectors.number_digits_q(search_term)
        if by_digits is not None:
            return queryset.filter(by_digits), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="Assigned to", ordering="target_type")
    def target(self, obj):
        return number_target(obj)

    push_views = [
        ("<path:object_id>/assign/", admin_views.NumberAssignToView, "assign_to", {}),
        ("<path:object_id>/unassign/", admin_views.NumberUnassignView, "unassign", {}),
    ]

    def get_push_tools(self, request, obj):
        if not can(request, permissions.ASSIGN_NUMBER):
            return []
        tools = [("Assign to…", push_url(obj, "assign_to", obj.pk))]
        if obj.target_type:
            tools.append(("Unassign", push_url(obj, "unassign", obj.pk)))
        return tools


@admin.register(OperatorMembership)
class OperatorMembershipAdmin(MirroredAdmin):
    list_display = ("operator_link", "operator_type", "role", "group_link", "group_type",
                    "group_office", "gone", "last_seen_at")
    # The operator and group columns are links to those objects; the role opens the membership.
    list_display_links = ("role",)
    list_filter = (PresenceFilter, "group_type", "role", "operator_type", GroupOfficeFilter)
    search_fields = ("user__display_name", "user__emails", "=user__extension", "room__name",
                     "office__name", "department__name", "callcenter__name")
    list_select_related = ("office", "department__office", "callcenter__office", "user", "room")
    fieldsets = (
        (None, {"fields": ("operator_link", "operator_type", "role", "group_link", "group_type",
                           "group_office")}),
        ("Dialpad", {"fields": ("key", "group_id", "operator_id", "last_seen_at", "gone_at")}),
        PAYLOAD_FIELDSET,
    )

    @admin.display(description="Operator")
    def operator_link(self, obj):
        return link(obj.operator)

    @admin.display(description="Group")
    def group_link(self, obj):
        return link(obj.group)

    @admin.display(description="Office")
    def group_office(self, obj):
        group = obj.office or obj.department or obj.callcenter
        if group is None:
            return EMPTY
        return link(group if isinstance(group, Office) else group.office)


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


@admin.register(Deskphone)
class DeskphoneAdmin(MirroredAdmin):
    list_display = ("__str__", "room_link", "type", "mac_address", "phone_number", "gone",
                    "last_seen_at")
    list_filter = (PresenceFilter, "type", "room__office")
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


# --- The push journal and bulk pushes ---------------------------------------------------------

OUTCOME_COLOURS = {
    PushRecord.Outcome.SUCCEEDED: "#2e7d32",
    PushRecord.Outcome.REFUSED: "#ba2121",
    PushRecord.Outcome.UNKNOWN: "#b26a00",
    PushRecord.Outcome.INVALID: "#666",
    PushRecord.Outcome.DENIED: "#666",
    BulkPushItem.Outcome.ERRORED: "#ba2121",
    BulkPushItem.Outcome.PENDING: "#666",
}


def outcome_badge(obj):
    return format_html('<strong class="dialpad-outcome-{}" style="color:{}">{}</strong>',
                       obj.outcome, OUTCOME_COLOURS.get(obj.outcome, "#333"),
                       obj.get_outcome_display())


class ActorFilter(AllValuesFieldListFilter):
    """By the console user who pushed (their name is kept if the login is deleted)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "actor"


@admin.register(PushRecord)
class PushRecordAdmin(ReadOnlyAdmin):
    """The push journal: every push the console sent (or refused to send), read-only."""

    list_display = ("started_at", "actor_username", "operation", "target_display",
                    "outcome_display", "dialpad_status", "duration", "short_message")
    list_display_links = ("started_at",)
    list_filter = ("outcome", "operation", ("actor_username", ActorFilter), "target_type")
    search_fields = ("target_repr", "=target_id", "message", "actor_username", "operation")
    search_help_text = "What was pushed to (a name, a Dialpad ID, a number), the message or who."
    date_hierarchy = "started_at"
    fieldsets = (
        (None, {"fields": ("started_at", "actor_username", "operation", "target_display",
                           "outcome_display", "dialpad_status", "duration", "message")}),
        ("Sent to Dialpad", {"fields": ("request_pretty",)}),
    )

    @admin.display(description="Target", ordering="target_repr")
    def target_display(self, obj):
        text = obj.target_repr or obj.target_id or EMPTY
        kind = kinds.KINDS.get(obj.target_type)
        label = kinds.label(obj.target_type)
        if kind is not None and kind.name != "number" and obj.target_id.isdigit():
            url = reverse(f"admin:orgs_{kind.model._meta.model_name}_change",
                          args=[obj.target_id])
        elif obj.target_type == "number" and obj.target_id:
            url = changelist_url(PhoneNumber, q=obj.target_id)
        else:
            return format_html('{} <span class="dialpad-kind">{}</span>', text, label)
        return format_html('<a href="{}">{}</a> <span class="dialpad-kind">{}</span>', url, text,
                           label)

    @admin.display(description="Outcome", ordering="outcome")
    def outcome_display(self, obj):
        return outcome_badge(obj)

    @admin.display(description="Duration", ordering="duration_ms")
    def duration(self, obj):
        return EMPTY if obj.duration_ms is None else f"{obj.duration_ms} ms"

    @admin.display(description="Message")
    def short_message(self, obj):
        text = obj.message or ""
        return text if len(text) <= 120 else text[:119] + "…"

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


BULK_ITEMS_SHOWN = 500


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
        columns = [
            ("#", _attr("position")),
            ("User", lambda item: link(item.user) if item.user else item.target_repr),
            ("Outcome", outcome_badge),
            ("Message", lambda item: item.message or EMPTY),
            ("Journal", lambda item: link(item.push_record, "entry") if item.push_record
             else EMPTY),
        ]
        return [RelatedSection("items", "Results", listing, columns)]
