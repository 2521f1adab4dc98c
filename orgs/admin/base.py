"""What every ModelAdmin of the org mirror shares: read-only pages, push controls, searches.

`ReadOnlyAdmin` shows rows that only the sync and the service layer write, routes the
ModelAdmin's `push_views` and puts its related sections and push buttons on the change page;
ids and numbers from the request (the object's id, an action's selection, a filter's value)
that cannot name a row are refused before they reach the database (guards);
`MirroredAdmin` adds the columns of a mirrored row (gone, payload); `NumberSearchMixin` finds
a row by one of its numbers. The small helpers at the top decide which push controls an admin
sees (`can`, `is_present`) and where they go (`push_url`).
"""

import html
import json

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.views.main import PAGE_VAR, ChangeList
from django.db.models import Prefetch
from django.urls import path
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .. import kinds, permissions, selectors
from ..forms import parse_object_id
from ..models import PhoneNumber
from .display import EMPTY, admin_page_url, e911_link, gone_badge, gone_banner, id_url, link
from .display import linked_messages, number_links
from .guards import bad_filter_value
from .pickers import PickerView

DIALPAD_FIELDSET = ("Dialpad", {"fields": ("dialpad_id", "last_seen_at", "gone_at")})
PAYLOAD_FIELDSET = ("Payload", {"classes": ("collapse",), "fields": ("payload_pretty",)})


# --- Push controls ----------------------------------------------------------------------------


def can(request, permission):
    return request.user.has_perm(permission)


def is_present(obj):
    """Still in Dialpad: only such an object gets push controls."""
    return obj is not None and getattr(obj, "gone_at", None) is None


def push_url(obj_or_model, name, *args, **query):
    """The URL of a push view that a ModelAdmin's `push_views` registered."""
    return admin_page_url(obj_or_model, name, *args, **query)


# --- Columns and requests ----------------------------------------------------------------------


def annotation_column(name, description):
    """A changelist column that shows the queryset's annotation `name`, sortable by it."""
    return admin.display(description=description, ordering=name)(
        lambda model_admin, obj: getattr(obj, name))


def show_gone(request):
    """The change page shows, in its related sections, the rows gone from Dialpad (?gone=1);
    by default they are left out, and counted apart."""
    return request.GET.get("gone") == "1"


def is_autocomplete(request):
    """The request is an autocomplete widget's search (admin:autocomplete)."""
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


def is_change_page(request):
    """The request is for a row's change page (admin:<app>_<model>_change)."""
    match = getattr(request, "resolver_match", None)
    return match is not None and (match.url_name or "").endswith("_change")


# --- Base classes -----------------------------------------------------------------------------


# How many rows a list shows a page: ?per_page= picks one of these (the list offers them),
# LIST_PER_PAGE without it. As NetBox does: fifty rows are what a screen and a glance take in,
# and a page of them renders in half the time of a hundred.
PER_PAGE_VAR = "per_page"
PER_PAGE_CHOICES = (25, 50, 100, 250)
LIST_PER_PAGE = 50


def _per_page(request):
    """The rows a page the request asks for, if it is one of PER_PAGE_CHOICES; else None."""
    value = request.GET.get(PER_PAGE_VAR, "")
    return int(value) if value.isdigit() and int(value) in PER_PAGE_CHOICES else None


class MirrorChangeList(ChangeList):
    def __init__(self, request, *args, **kwargs):
        self.per_page_asked = _per_page(request)
        super().__init__(request, *args, **kwargs)

    def get_filters_params(self, params=None):
        # ?per_page= is no filter (Django would refuse it as an unknown lookup).
        params = super().get_filters_params(params)
        params.pop(PER_PAGE_VAR, None)
        return params

    @property
    def per_page_links(self):
        """[(rows a page, the list's URL with it, whether it is the current one)]."""
        return [(count, self.get_query_string({PER_PAGE_VAR: count}, [PAGE_VAR]),
                 count == self.list_per_page) for count in PER_PAGE_CHOICES]

    def get_queryset(self, request, exclude_parameters=None):
        # A list shows columns: no payloads (of its rows, and of the rows it selects).
        queryset = selectors.without_payloads(super().get_queryset(request, exclude_parameters),
                                              self.model_admin.list_select_related)
        return selectors.with_related_names(queryset, self.model_admin.list_related_names)

    def get_results(self, request):
        if self.per_page_asked:
            self.list_per_page = self.per_page_asked
        super().get_results(request)
        if not self.query and not self.get_filters_params():
            # Nothing to "Show all" of: without it, the search bar would say "70 results
            # (Show all)" with a link to this very page (show_full_result_count is off).
            self.full_result_count = self.result_count
        selectors.attach_related_names(self.result_list, self.model_admin.list_related_names)

    def url_for_result(self, result):
        # As ChangeList's, without a reverse() per row (for an integer primary key).
        pk = getattr(result, self.pk_attname)
        if not isinstance(pk, int):
            return super().url_for_result(result)
        return id_url(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", pk)


_CHECKBOX = '<input type="checkbox" name="%s" value="%s" class="action-select" aria-label="%s">'


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows rows that only the sync and the service layer write.

    `list_select_related` is applied to the change page's object too, and `list_prefetch` to
    both, so that a column or read-only field that follows a relation costs no query per row;
    `change_select_related` to the change page's object alone. `list_related_names`: the
    relations a list links to by name, read by subqueries rather than joins (for a list of
    many joins, which PostgreSQL takes longer to plan than to run; the CSV export too).
    Subclasses list every shown field in `fieldsets`; all of them are read-only.

    A step of a view may leave notes for the change page's sections in the context, as
    `section_notes` ({section key: note}).
    """

    list_select_related = ()
    list_prefetch = ()
    list_per_page = LIST_PER_PAGE
    # A searched or filtered list says "12 results (Show all)", not "(100,000 total)": the
    # total is a count of every row (on PostgreSQL, 11 ms at 100,000 users), on every search.
    # The unfiltered list, one click away, gives it.
    show_full_result_count = False
    change_select_related = ()  # what the change page alone reads of the row's relations
    list_related_names = ()  # orgs.selectors.with_related_names, for the list and its CSV
    related_limit = selectors.RELATED_LIMIT
    push_views = ()  # [(route, PushView subclass, url name suffix, as_view() kwargs)]

    def get_changelist(self, request, **kwargs):
        return MirrorChangeList

    def action_checkbox(self, obj):
        # ModelAdmin's checkbox, without rendering a form widget per row (a tenth of a list),
        # nor format_html's per-value machinery.
        label = _("Select this object for an action - {}").format(html.escape(str(obj)))
        return mark_safe(_CHECKBOX % (helpers.ACTION_CHECKBOX_NAME, html.escape(str(obj.pk)),
                                      label))

    def get_urls(self):
        opts = self.opts
        custom = [
            path(route, self.admin_site.admin_view(view.as_view(model_admin=self, **kwargs)),
                 name=f"{opts.app_label}_{opts.model_name}_{name}")
            for route, view, name, kwargs in self.push_views
        ]
        # The searches of the push forms' pickers of this model (orgs.admin.pickers).
        picker = PickerView.as_view(admin_site=self.admin_site, model_admin=self)
        custom.append(path("picker/", self.admin_site.admin_view(picker),
                           name=f"{opts.app_label}_{opts.model_name}_picker"))
        return custom + super().get_urls()

    # Ids and numbers from the request. Every ModelAdmin here is keyed by an int64.

    def get_object(self, request, object_id, from_field=None):
        """None (the page answers 404) also for an id that cannot be a row's."""
        if from_field is None and parse_object_id(object_id) is None:
            return None
        return super().get_object(request, object_id, from_field)

    def get_changelist_instance(self, request):
        problem = bad_filter_value(self.model, request.GET)
        if problem:  # back to the unfiltered list with ?e=1, as for any bad filter value
            raise IncorrectLookupParameters(problem)
        return super().get_changelist_instance(request)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if any(parse_object_id(pk) is None for pk in selected):
            self.message_user(request, "The selection names rows that do not exist: nothing "
                              "was done.", messages.WARNING)
            return None  # the changelist again
        return super().response_action(request, queryset)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_autocomplete(request) and hasattr(queryset.model, "gone_at"):
            # A push form's autocomplete offers only what still exists in Dialpad.
            queryset = queryset.filter(gone_at__isnull=True)
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        if self.change_select_related and is_change_page(request):
            queryset = queryset.select_related(*self.change_select_related)
        if self.list_prefetch:
            queryset = queryset.prefetch_related(*self.list_prefetch)
        return queryset

    # Viewing needs the model's view permission; changing goes through orgs.services.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    has_delete_permission = has_change_permission

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
            notes = context.get("section_notes", {})
            for section in sections:
                section.with_gone = show_gone(request)
                section.note = notes.get(section.key) or section.note
                if section.controls.get("form") is not None:
                    context["media"] = context["media"] + section.controls["form"].media
            context["related_sections"] = sections
            context["push_tools"] = self.get_push_tools(request, obj) if is_present(obj) else []
            if not is_present(obj):
                context["gone_banner"] = gone_banner(obj, selectors.gone_cause_get(obj=obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "push_tools": self.get_changelist_tools(request)}
        return super().changelist_view(request, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        page = getattr(response, "context_data", {}).get("action_list")
        if page:
            # The numbers and sync runs a message names, as links (admin/orgs/object_history).
            actions = list(page)
            for action, html in zip(actions, linked_messages(
                    [action.get_change_message() for action in actions])):
                action.linked_message = html
        return response

    # Admin actions name these (ModelAdmin.get_actions asks has_<name>_permission).
    def has_assign_operator_permission(self, request):
        return can(request, permissions.ASSIGN_OPERATOR)

    def has_change_e911_permission(self, request):
        return can(request, permissions.CHANGE_E911)

    # Columns and fields that several admins show.
    @admin.display(description="Office", ordering="office__name")
    def office_link(self, obj):
        return link(obj.office)

    @admin.display(description="E911 address")
    def e911(self, obj):
        return e911_link(obj)


class MirroredAdmin(ReadOnlyAdmin):
    """A mirrored model: gone rows marked, the payload pretty-printed and collapsed."""

    @admin.display(description="Gone", ordering="gone_at")
    def gone(self, obj):
        return gone_badge(obj)

    @admin.display(description="State", ordering="state")
    def state_gone(self, obj):
        """The state, and a "Gone" badge for a row gone from Dialpad: one column of two, so
        that a list fits a 1,366-pixel screen."""
        state = obj.get_state_display() or EMPTY
        badge = gone_badge(obj)
        return format_html("{} {}", state, badge) if badge else state

    @admin.display(description="Payload")
    def payload_pretty(self, obj):
        text = json.dumps(obj.payload, indent=2, sort_keys=True, ensure_ascii=False)
        return format_html('<pre class="dialpad-payload">{}</pre>', text)

    @admin.display(description="Numbers")
    def numbers(self, obj):
        # Only for admins whose list_prefetch has LISTED_NUMBERS.
        return number_links(obj.listed_numbers)


# The prefetch of a list's "numbers" column (for list_prefetch): each number's id and number,
# and its links to what it is assigned to (what the prefetch matches it by), not its payload,
# whose JSON would be decoded for nothing. A list on each row (`listed_numbers`), not a
# related manager's cache: that costs a manager and a queryset per row.
LISTED_NUMBERS = Prefetch("assigned_numbers", queryset=PhoneNumber.objects.only(
    "pk", "number", *(kind.number_column for kind in kinds.NUMBER_TARGET_KINDS.values())),
    to_attr="listed_numbers")


class NumberSearchMixin:
    """The changelist search also finds a row by one of its numbers, in any format."""

    @property
    def number_owner_column(self):
        """The PhoneNumber column that points at this model."""
        return kinds.kind_of(self.model).number_column

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        owners = selectors.number_owners(term=search_term, column=self.number_owner_column)
        if owners is None:
            return found, may_have_duplicates
        # A UNION, each side through its index (an OR of the two would read every row).
        return queryset.filter(pk__in=found.order_by().values("pk").union(owners, all=True)), False
