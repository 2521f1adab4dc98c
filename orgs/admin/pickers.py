"""Pickers: the autocomplete widgets of the push forms, naming more than a name.

Django's own autocomplete (admin:autocomplete) names a row by str(): "Andre Ward" three times
in a large org. A picker names each row as orgs.kinds.detailed_label does (a user's email,
extension and office; a room's or group's office; a number's area code and office), and
may offer only some rows of its model (the company's free numbers) or also take what is
typed (a number that is not free).

`PICKERS` names each picker. A form's fields get one with `use_pickers(form, admin_site,
fields)`; the widget (PickerSelect, select2 as the admin ships it) asks `PickerView`, routed
for every ReadOnlyAdmin as `admin:orgs_<model>_picker`: it searches with that ModelAdmin's
own search (`get_search_results`), offers only rows still in Dialpad, and needs the model's
view permission, as Django's autocomplete does.
"""

import json
from dataclasses import dataclass, field

from django import forms
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.urls import reverse

from ..forms import parse_object_id
from ..kinds import detailed_label
from ..models import CallCenter, Department, DialpadUser, Office, PhoneNumber, Room


@dataclass(frozen=True)
class Picker:
    name: str
    model: type
    offered: dict = field(default_factory=dict)  # which rows, beyond "still in Dialpad"
    to_field: str = "pk"  # what the form receives: the row's pk, or e.g. a number's E.164
    free_text: bool = False  # also takes a value typed in (select2's "tags")

    def rows(self):
        """The rows this picker can name (with what their labels read)."""
        queryset = self.model.objects.all()
        try:
            self.model._meta.get_field("office")
        except FieldDoesNotExist:
            return queryset
        return queryset.select_related("office")

    def offered_rows(self):
        return self.rows().filter(gone_at__isnull=True, **self.offered)


PICKERS = {picker.name: picker for picker in (
    Picker("office", Office),
    Picker("department", Department),
    Picker("callcenter", CallCenter),
    Picker("room", Room),
    Picker("user", DialpadUser),
    Picker("free_number", PhoneNumber, {"status": "available"}, to_field="number",
           free_text=True),
)}


class PickerView(AutocompleteJsonView):
    """The searches of one model's pickers (select2's JSON: results, pagination)."""

    model_admin = None

    def process_request(self, request):
        picker = PICKERS.get(request.GET.get("field_name", ""))
        if picker is None or picker.model is not self.model_admin.model:
            raise PermissionDenied  # as Django's autocomplete answers a malformed request
        self.picker = picker
        return request.GET.get("term", ""), self.model_admin, None, picker.to_field

    def get_queryset(self):
        queryset = self.picker.offered_rows()
        queryset, may_have_duplicates = self.model_admin.get_search_results(
            self.request, queryset, self.term)
        return queryset.distinct() if may_have_duplicates else queryset

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": detailed_label(obj)}


class PickerSelect(AutocompleteSelect):
    """select2 over a picker's rows; the chosen row is rendered with its detailed label."""

    def __init__(self, picker, admin_site, attrs=None):
        super().__init__(None, admin_site, attrs={"style": "width: 40em", **(attrs or {})})
        self.picker = picker

    def get_url(self):
        opts = self.picker.model._meta
        return reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_picker")

    def build_attrs(self, base_attrs, extra_attrs=None):
        # AutocompleteMixin's attributes, naming the picker instead of a model field.
        attrs = forms.Select.build_attrs(self, base_attrs, extra_attrs)
        opts = self.picker.model._meta
        attrs.update({
            "data-ajax--cache": "true", "data-ajax--delay": 250, "data-ajax--type": "GET",
            "data-ajax--url": self.get_url(), "data-app-label": opts.app_label,
            "data-model-name": opts.model_name, "data-field-name": self.picker.name,
            "data-theme": "admin-autocomplete",
            "data-allow-clear": json.dumps(not self.is_required), "data-placeholder": "",
            "lang": self.i18n_name,
            "class": f"{attrs.get('class', '')} admin-autocomplete".strip(),
        })
        if self.picker.free_text:
            attrs["data-tags"] = "true"  # what is typed is a choice too
        return attrs

    def optgroups(self, name, value, attr=None):
        """The empty choice and the chosen value, labelled (select2 loads the rest)."""
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        chosen = [str(v) for v in value if v not in (None, "")][:1]
        if chosen:
            by_pk = self.picker.to_field == "pk"
            key = parse_object_id(chosen[0]) if by_pk else chosen[0]
            row = (self.picker.rows().filter(**{self.picker.to_field: key}).first()
                   if key is not None else None)
            label = detailed_label(row) if row is not None else (
                chosen[0] if self.picker.free_text else None)
            if label is not None:
                options.append(self.create_option(name, chosen[0], label, True, len(options)))
        return [(None, options, 0)]


def use_pickers(form, admin_site, fields):
    """Give the form's fields their pickers: `fields` names them, each either a picker's
    name (the field of the same name) or (field name, picker name)."""
    for entry in fields:
        name, picker = (entry, entry) if isinstance(entry, str) else entry
        form_field = form.fields.get(name)
        if form_field is None:
            continue
        widget = PickerSelect(PICKERS[picker], admin_site)
        widget.is_required = form_field.required
        form_field.widget = widget
    return form
