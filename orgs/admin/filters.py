"""The list filters of the org mirror's changelists (beyond a field's own filter)."""

from django.contrib import admin
from django.contrib.admin.filters import AllValuesFieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Q

from .. import selectors
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
