"""A changelist's rows, rendered as Django's admin renders them, in a fraction of its time.

Django's `items_for_result` (contrib.admin.templatetags.admin_list) decides, for every cell,
how the column finds its value: a model field, a ModelAdmin method, an attribute of the row.
It looks that up again in each of a page's rows (with an exception for each column that is not
a field), works out the link column's preserved filters again for each row (a URL `resolve()`
each on a searched list) and leaves each cell to a template variable. On a list of 100 users
that was over half of the page's time.

Here each column is decided once per page (`Column`), a row is one string, and the link's
preserved filters are worked out once. The HTML is the same as Django's, byte for byte
(tests/orgs/test_admin_list_rendering.py compares the two on every changelist of the
console); a list with editable columns (a formset) is left to Django.
"""

import datetime

from django.contrib.admin.templatetags.admin_list import ResultList, _coerce_field_name
from django.contrib.admin.templatetags.admin_list import result_list as django_result_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import FieldIsAForeignKeyColumnName, _get_non_gfk_field
from django.contrib.admin.utils import display_for_field, display_for_value, lookup_field
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def result_list(cl):
    """The context of Django's `result_list` tag (change_list_results.html), each row one
    string."""
    if cl.formset:
        return django_result_list(cl)
    context = django_result_list(_WithoutRows(cl))
    context["results"] = list(rows(cl))
    return context


def rows(cl):
    """Each of the page's rows, as the one string of its cells (in a ResultList, which the
    template iterates as it does Django's)."""
    columns = [Column(cl, index, name) for index, name in enumerate(cl.list_display)]
    links = _LinkMaker(cl)
    for result in cl.result_list:
        cells = []
        first = True
        for column in columns:
            linked = column.is_link(first)
            cells.append(column.cell(result, links if linked else None, first))
            first = first and not linked
        yield ResultList(None, [mark_safe("".join(cells))])


class _WithoutRows:
    """A ChangeList whose page has no rows: Django's result_list() then builds the headers and
    hidden fields only."""

    result_list = ()

    def __init__(self, cl):
        self._cl = cl

    def __getattr__(self, name):
        return getattr(self._cl, name)


class Column:
    """How one column of list_display finds and shows its value, decided once per page."""

    def __init__(self, cl, index, name):
        self.name = name
        self.model_admin = cl.model_admin
        self.empty = cl.model_admin.get_empty_value_display()
        self.classes = "field-%s" % _coerce_field_name(name, index)
        links = cl.list_display_links
        self.linked = links is not None and name in links
        self.link_if_first = links is not None and not links
        self.field = self._model_field(cl.model, name)
        # A ModelAdmin method (most of the console's columns), found once: lookup_field would
        # first try the name as a model field again, and raise, in every row.
        self.method = (getattr(cl.model_admin, name)
                       if self.field is None and isinstance(name, str) and name != "__str__"
                       and hasattr(cl.model_admin, name) else None)

    @staticmethod
    def _model_field(model, name):
        """The model field that lookup_field would find for `name`, or None."""
        if callable(name):
            return None
        try:
            return _get_non_gfk_field(model._meta, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            return None

    def is_link(self, first):
        return self.linked or (first and self.link_if_first)

    def value(self, result):
        """(field, attr, value) as admin.utils.lookup_field gives them."""
        if self.field is not None:
            return self.field, None, getattr(result, self.name)
        if self.method is not None:
            return None, self.method, self.method(result)
        return lookup_field(self.name, result, self.model_admin)

    def cell(self, result, links, first):
        classes = [self.classes]
        empty = self.empty
        try:
            field, attr, value = self.value(result)
        except ObjectDoesNotExist:
            shown = empty
        else:
            empty = getattr(attr, "empty_value_display", empty)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if field is None or field.auto_created:
                if self.name == "action_checkbox":
                    classes = ["action-checkbox"]
                boolean = getattr(attr, "boolean", False)
                if isinstance(attr, property) and hasattr(attr, "fget"):
                    boolean = getattr(attr.fget, "boolean", False)
                shown = display_for_value(value, empty, boolean)
                if isinstance(value, (datetime.date, datetime.time)):
                    classes.append("nowrap")
            else:
                if isinstance(field.remote_field, models.ManyToOneRel):
                    related = getattr(result, field.name)
                    shown = empty if related is None else related
                else:
                    shown = display_for_field(value, field, empty, avoid_link=links is not None)
                if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
                    classes.append("nowrap")
        class_attribute = ' class="%s"' % " ".join(classes)
        if links is None:
            return "<td%s>%s</td>" % (class_attribute, conditional_escape(shown))
        tag = "th" if first else "td"
        return "<%s%s>%s</%s>" % (tag, class_attribute, links.link(result, shown), tag)


class _LinkMaker:
    """The link of a row's link column: to its change page, with the list's filters kept."""

    def __init__(self, cl):
        self.cl = cl
        self.attname = str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname
        self.filters = {"preserved_filters": cl.preserved_filters, "opts": cl.opts}
        self.query = None  # what add_preserved_filters appends to a change page's URL

    def url(self, result):
        url = self.cl.url_for_result(result)
        if "?" in url or "#" in url:
            return add_preserved_filters(self.filters, url)
        if self.query is None:
            # The same for every row: every row's URL resolves to the same change view.
            self.query = add_preserved_filters(self.filters, url)[len(url):]
        return url + self.query

    def link(self, result, shown):
        try:
            url = self.url(result)
        except NoReverseMatch:
            return conditional_escape(shown)
        popup = (format_html(' data-popup-opener="{}"', result.serializable_value(self.attname))
                 if self.cl.is_popup else "")
        return format_html('<a href="{}"{}>{}</a>', url, popup, shown)

