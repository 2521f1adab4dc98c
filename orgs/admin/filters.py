"""The list filters of the org mirror's changelists (beyond a field's own filter)."""

import html
from datetime import timedelta

from django.contrib import admin
from django.contrib.admin.filters import AllValuesFieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.html import escape

from .. import selectors
from ..dashboard import ATTENTION_BY_KEY, RECENT_REFUSALS
from ..forms import parse_object_id


class OptionsFilter(admin.SimpleListFilter):
    """A filter of a few fixed options, each a filter of the queryset: `options` is
    [(value, label, filter keyword arguments)]; no option chosen shows every row."""

    options = ()  # not `choices`: SimpleListFilter.choices() renders the options

    def lookups(self, request, model_admin):
        return [(value, label) for value, label, _ in self.options]

    def queryset(self, request, queryset):
        for value, _, lookup in self.options:
            if self.value() == value:
                return queryset.filter(**lookup)
        return queryset


class PresenceFilter(OptionsFilter):
    """Present in Dialpad or gone from it; the default listing shows both."""

    title = "presence in Dialpad"
    parameter_name = "presence"
    options = [("present", "Present", {"gone_at__isnull": True}),
               ("gone", "Gone", {"gone_at__isnull": False})]


class DistinctValuesFilter(AllValuesFieldListFilter):
    """A field's values, as AllValuesFieldListFilter offers them, read from the column's
    index (selectors.distinct_values) instead of every row: for indexed columns of big
    tables."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.lookup_choices = selectors.distinct_values(model=model, field=field.name)


class OfficeFilter(admin.RelatedFieldListFilter):
    """By office, as the office field's own filter, for thousands of offices: the choices
    are read without the offices' payloads, their links built by substitution, and each
    list item rendered here (its template joins them)."""

    _PLACEHOLDER = "~office~"  # unchanged by iri_to_uri and escape; in no lookup's name
    template = "admin/orgs/office_filter.html"

    def field_choices(self, field, request, model_admin):
        return selectors.office_choices()

    def choices(self, changelist):
        link = changelist.get_query_string({self.lookup_kwarg: self._PLACEHOLDER},
                                           [self.lookup_kwarg_isnull])
        if changelist.add_facets or link.count(self._PLACEHOLDER) != 1:
            # Counts asked for, or a search with the placeholder in it: the field's own
            # (slower) way.
            yield from map(_rendered, super().choices(changelist))
            return
        yield _rendered(next(super().choices(changelist)))  # "All"; the rest, cheaper:
        # The link's HTML, escaped once: an id (digits) needs no escaping where it goes.
        before, after = escape(iri_to_uri(link)).split(self._PLACEHOLDER)
        selected = set(self.lookup_val or [])
        for pk, name in self.lookup_choices:
            pk = str(pk)
            yield {"selected": pk in selected, "display": name,
                   "query_string": link.replace(self._PLACEHOLDER, pk),
                   "html": _list_item(pk in selected, f"{before}{pk}{after}", name)}
        if self.include_empty_choice:
            yield _rendered({
                "selected": bool(self.lookup_val_isnull), "display": self.empty_value_display,
                "query_string": changelist.get_query_string({self.lookup_kwarg_isnull: "True"},
                                                            [self.lookup_kwarg]),
            })


def _rendered(choice):
    """A filter choice with its list item."""
    choice["html"] = _list_item(choice["selected"], escape(iri_to_uri(choice["query_string"])),
                                choice["display"])
    return choice


def _list_item(selected, href, display):
    """A filter choice's list item as admin/filter.html renders it, for an `href` already
    escaped (plain string formatting: format_html would double the cost of a thousand)."""
    selected = ' class="selected"' if selected else ""
    return f'<li{selected}><a href="{href}">{html.escape(str(display))}</a></li>'



class GroupOfficeFilter(admin.SimpleListFilter):
    """Memberships of an office itself or of any department or call center in it."""

    title = "office"
    parameter_name = "in_office"

    def lookups(self, request, model_admin):
        return selectors.office_choices()

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        office_id = parse_object_id(self.value())
        if office_id is None:
            raise IncorrectLookupParameters(f"No office has the id {self.value()!r}.")
        return queryset.filter(
            Q(office_id=office_id)
            | Q(department__office_id=office_id)
            | Q(callcenter__office_id=office_id)
        )


class E911OwnerFilter(OptionsFilter):
    """An office's addresses or users' addresses."""

    title = "owner"
    parameter_name = "owner"
    options = [("office", "Office", {"office__isnull": False}),
               ("user", "User", {"user__isnull": False})]


class ActorFilter(AllValuesFieldListFilter):
    """By the console user who pushed (their name is kept if the login is deleted)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "actor"


class AttentionFilter(admin.SimpleListFilter):
    """The rows of what needs attention (orgs.dashboard.ATTENTION): each option an attention
    item's condition, so the dashboard's count and this list's rows are the same rows.
    Subclasses name the items: `items` = [(attention key, label)]."""

    items = ()

    def _options(self):
        """[(the option's value, its label, its attention item)]."""
        found = [ATTENTION_BY_KEY[key] for key, _ in self.items]
        return [(item.query[self.parameter_name], label, item)
                for item, (_, label) in zip(found, self.items)]

    def lookups(self, request, model_admin):
        return [(value, label) for value, label, _ in self._options()]

    def queryset(self, request, queryset):
        for value, _, item in self._options():
            if self.value() == value:
                return queryset.filter(item.condition())
        return queryset


class UserE911Filter(AttentionFilter):
    title = "E911 address"
    parameter_name = "e911"
    items = [("user_e911_missing", "None on record"),
             ("user_e911_differs", "Differs from the office's")]


class OfficeE911Filter(AttentionFilter):
    title = "E911 address"
    parameter_name = "e911"
    items = [("office_e911_missing", "None")]


class SuspendedHoldingFilter(AttentionFilter):
    title = "suspended users"
    parameter_name = "suspended"
    items = [("user_suspended_holding", "Still holding numbers or operator roles")]


class NumberAssignmentFilter(AttentionFilter):
    title = "assignment"
    parameter_name = "assignment"
    items = [("number_unassigned", "Unassigned")]


class GroupOperatorsFilter(AttentionFilter):
    """Departments or call centers (the changelist's model) with no operators."""

    title = "operators"
    # Not "operators": that names the groups' memberships, which the guards read as a filter.
    parameter_name = "has_operators"

    def __init__(self, request, params, model, model_admin):
        self.items = [(f"{model._meta.model_name}_no_operators", "No")]
        super().__init__(request, params, model, model_admin)


class RecentFilter(admin.SimpleListFilter):
    """Started within the last day, week or month (a window back from now, where the date
    hierarchy offers calendar days)."""

    title = "started"
    parameter_name = "within"
    windows = [("24h", "In the last 24 hours", timedelta(hours=24)),
               ("7d", "In the last 7 days", RECENT_REFUSALS),
               ("30d", "In the last 30 days", timedelta(days=30))]

    def lookups(self, request, model_admin):
        return [(value, label) for value, label, _ in self.windows]

    def queryset(self, request, queryset):
        for value, _, window in self.windows:
            if self.value() == value:
                return queryset.filter(started_at__gte=timezone.now() - window)
        return queryset
