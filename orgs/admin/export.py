"""CSV export of a changelist: the rows the list shows (its search and filters), all of them,
streamed, with human column headers.

A ModelAdmin with `CsvExportMixin` lists its columns in `csv_columns` ([(header, obj ->
value)]); the changelist gets an "Export CSV" link that carries the list's query string to
`<model>/export.csv`. The export needs the model's view permission, as the list does.
"""

import csv
import re

from django.contrib.admin.options import IncorrectLookupParameters
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone

from dialpad_console.forbidden import denied, view_permission
from dialpad_console.formats import console_datetime

from ..selectors import attach_related_names
from .display import changelist_url

CHUNK_ROWS = 2000
# What a spreadsheet would run as a formula; a phone number ("+1 415...") is left alone.
_FORMULA_START = ("=", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"^[+-][\d ()./-]*$")
# Query parameters of the list that are not its filters or search.
_NOT_FILTERS = {"p", "e", "_changelist_filters", "all"}


def csv_value(value):
    """A cell: dates in the console's format, yes/no, and text a spreadsheet will not run."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return console_datetime(value)
    text = str(value)
    if text.startswith(_FORMULA_START) or (text[:1] in ("+", "-")
                                          and not _SIGNED_NUMBER.match(text)):
        return "'" + text
    return text


class _Echo:
    """A file that hands back what csv.writer writes, so each row can be streamed."""

    def write(self, value):
        return value


def csv_rows(columns, objects):
    """The CSV text, row by row: the headers, then a row per object."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([header for header, _ in columns])  # BOM: Excel reads UTF-8
    for obj in objects:
        yield writer.writerow([csv_value(cell(obj)) for _, cell in columns])


class CsvExportMixin:
    csv_columns = ()
    csv_name = ""  # the file name's start, e.g. "users"

    def get_urls(self):
        opts = self.opts
        export = path("export.csv", self.admin_site.admin_view(self.csv_export_view),
                      name=f"{opts.app_label}_{opts.model_name}_export")
        return [export, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        query = request.GET.copy()
        for name in _NOT_FILTERS:
            query.pop(name, None)
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_export")
        extra_context = {**(extra_context or {}),
                         "export_url": f"{url}?{query.urlencode()}" if query else url}
        return super().changelist_view(request, extra_context)

    def csv_queryset(self, request):
        """Every row of the list as the request filters, searches and orders it."""
        changelist = self.get_changelist_instance(request)
        return changelist.queryset

    def csv_export_view(self, request):
        if not self.has_view_permission(request):
            raise denied(view_permission(self.opts))
        try:
            queryset = self.csv_queryset(request)
        except IncorrectLookupParameters:  # a bad filter value: the list says so, no 500
            return HttpResponseRedirect(changelist_url(self.model, e="1"))
        stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
        names = getattr(self, "list_related_names", ())
        rows = (attach_related_names([row], names)[0]
                for row in queryset.iterator(chunk_size=CHUNK_ROWS))
        response = StreamingHttpResponse(
            csv_rows(self.csv_columns, rows),
            content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.csv_name or self.opts.model_name}-{stamp}.csv"')
        return response
