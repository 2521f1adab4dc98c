"""The Dialpad users' pages, and the bulk actions of their changelist.

Opening a user's page reads the user's E911 address from Dialpad when the console has none
yet (a sync does not read it: one call per user). That read is an explicit step of the change
view (`change_view`), before the page is built; building the page reads only the mirror.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .. import permissions, search, selectors
from ..models import DialpadUser, OperatorMembership, PhoneNumber
from .base import DIALPAD_FIELDSET, PAYLOAD_FIELDSET, MirroredAdmin, NumberSearchMixin, can
from .base import LISTED_NUMBERS, show_gone
from .base import is_present, push_url
from .bulk_actions import BulkOperatorAdd, BulkUserE911
from .display import EMPTY, breakable, changelist_url
from .export import CsvExportMixin
from .filters import DistinctValuesFilter, OfficeFilter, PresenceFilter
from .filters import SuspendedHoldingFilter, UserE911Filter
from .push_views import NUMBER_ASSIGN_VIEW, UserE911View, UserMoveOfficeView
from .push_views import user_e911_read_if_missing
from .sections import GROUP_COLUMNS, RelatedSection, e911_section, numbers_section


class UserWordSearch:
    """The words of a user search, through its index (orgs.search.user_search): names, any
    email, job title, extension, Dialpad ID. NumberSearchMixin adds the user's numbers."""

    def get_search_results(self, request, queryset, search_term):
        return search.user_search(queryset, term=search_term), False


def _numbers(obj):
    return " ".join(n.number for n in obj.listed_numbers)  # list_prefetch's LISTED_NUMBERS


USER_CSV_COLUMNS = [
    ("Name", str),
    ("First name", lambda u: u.first_name),
    ("Last name", lambda u: u.last_name),
    ("Email", lambda u: u.email),
    ("All emails", lambda u: "; ".join(u.emails.split())),
    ("Extension", lambda u: u.extension),
    ("Numbers (E.164)", _numbers),
    ("Office", lambda u: u.office or ""),
    ("State", lambda u: u.get_state_display()),
    ("License", lambda u: u.license),
    ("Job title", lambda u: u.job_title),
    ("Time zone", lambda u: u.timezone),
    ("Country", lambda u: u.country.upper()),
    ("Company admin", lambda u: u.is_admin),
    ("Dialpad ID", lambda u: u.pk),
    ("Gone from Dialpad since", lambda u: u.gone_at),
    ("Read from Dialpad", lambda u: u.last_seen_at),
]


@admin.register(DialpadUser)
class DialpadUserAdmin(CsvExportMixin, NumberSearchMixin, UserWordSearch, MirroredAdmin):
    change_select_related = ("e911_address",)  # its E911 section and field
    # What fits a 1,366-pixel screen beside the filters; time zone, country and license are
    # filters, and on the user's page.
    list_display = ("__str__", "office_link", "state_gone", "extension", "email_first",
                    "numbers")
    list_filter = (PresenceFilter, "state", ("office", OfficeFilter),
                   ("license", DistinctValuesFilter), "is_admin",
                   ("country", DistinctValuesFilter), UserE911Filter, SuspendedHoldingFilter)
    # The search box; UserWordSearch and NumberSearchMixin decide what it finds.
    search_fields = ("search_text", "=extension", "dialpad_id__exact")
    search_help_text = ("Name, any of the user's emails, extension, Dialpad ID, or one of the "
                        "user's numbers in any format.")
    list_select_related = ("office",)
    list_prefetch = (LISTED_NUMBERS,)
    csv_columns = USER_CSV_COLUMNS
    csv_name = "users"
    fieldsets = (
        (None, {"fields": ("display_name", "first_name", "last_name", "email_list", "extension",
                           "office", "state", "job_title", "timezone", "country", "license",
                           "is_admin", "is_super_admin", "date_added", "e911")}),
        DIALPAD_FIELDSET,
        PAYLOAD_FIELDSET,
    )

    @admin.display(description="Email", ordering="email")
    def email_first(self, obj):
        others = len([e for e in obj.emails.splitlines() if e]) - 1
        if not obj.email:
            return EMPTY
        if others <= 0:
            return breakable(obj.email)
        return format_html('{} <span class="dialpad-kind">+{} more</span>', breakable(obj.email),
                           others)

    @admin.display(description="Emails", ordering="email")
    def email_list(self, obj):
        emails = [(email,) for email in obj.emails.splitlines() if email]
        return format_html_join(mark_safe("<br>"), "{}", emails) if emails else EMPTY

    push_views = [
        NUMBER_ASSIGN_VIEW,
        ("<path:object_id>/e911/", UserE911View, "e911", {}),
        ("<path:object_id>/move-office/", UserMoveOfficeView, "move_office", {}),
    ]
    actions = ["add_to_group", "assign_e911"]

    @admin.action(description="Add selected users to a call center or department",
                  permissions=["assign_operator"])
    def add_to_group(self, request, queryset):
        return BulkOperatorAdd(self, request, queryset)()

    @admin.action(description="Assign an E911 address to selected users",
                  permissions=["change_e911"])
    def assign_e911(self, request, queryset):
        return BulkUserE911(self, request, queryset)()

    def get_push_tools(self, request, obj):
        if not can(request, permissions.MANAGE_GROUPS):
            return []
        return [("Move to another office", push_url(obj, "move_office", obj.pk))]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The user's page: first, on a GET, read the user's E911 address from Dialpad if the
        console has none yet; then the page, with a note in the E911 section if that failed."""
        notes = {}
        if request.method == "GET":
            notes["e911"] = self.read_e911_if_missing(request, object_id)
        extra_context = {**(extra_context or {}), "section_notes": notes}
        return super().change_view(request, object_id, form_url, extra_context)

    def read_e911_if_missing(self, request, object_id):
        """Read the E911 address of a user still in Dialpad whom the admin may view, if the
        console has none; a note for the page if that read failed, else ""."""
        user = self.get_object(request, unquote(object_id))
        if not is_present(user) or not self.has_view_or_change_permission(request, user):
            return ""  # the page says "no such user" or "forbidden"; a gone user is not read
        return user_e911_read_if_missing(request, user)

    def get_related_sections(self, request, obj):
        related = selectors.user_related_get(user=obj, limit=self.related_limit,
                                             with_gone=show_gone(request))
        return [
            e911_section(request, obj),
            RelatedSection("groups", "Operator of", related["groups"], GROUP_COLUMNS,
                           changelist_url(OperatorMembership, user__dialpad_id__exact=obj.pk)),
            numbers_section(request, obj, related["numbers"],
                            changelist_url(PhoneNumber, assigned_user__dialpad_id__exact=obj.pk)),
        ]
