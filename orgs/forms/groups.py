"""Departments and call centers: create, edit and delete."""

from django import forms
from django.core.exceptions import ValidationError

from .. import services, validators
from ..models import Office
from ._base import ObjectChoiceField, PushForm


def _hours_text(times):
    """["08:00", "12:00", "13:00", "17:00"] -> "08:00-12:00, 13:00-17:00"."""
    times = list(times or [])
    return ", ".join(f"{a}-{b}" for a, b in zip(times[::2], times[1::2]))


class CallGroupForm(PushForm):
    """Create (without `instance`) or edit (with it) a department or call center.

    When editing, only the fields the admin changed are sent. Hours are typed per day as
    "08:00-12:00, 13:00-17:00"; empty means closed that day.
    """

    kind = None  # "department" | "callcenter"
    create_service = None
    update_service = None

    office = ObjectChoiceField(Office)
    name = forms.CharField()
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    ring_seconds = forms.IntegerField(
        required=False,
        help_text=f"How long the line rings before voicemail: {validators.RING_SECONDS_MIN} "
                  f"to {validators.RING_SECONDS_MAX} seconds.")
    hours_on = forms.BooleanField(
        required=False, label="Open only during the hours below",
        help_text="Unticked: takes calls at any time (24/7).")

    def __init__(self, *args, instance=None, office=None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            payload = instance.payload or {}
            initial = {"name": instance.name, "description": instance.description,
                       "ring_seconds": instance.ring_seconds,
                       "hours_on": bool(payload.get("hours_on"))}
            for day in validators.DAYS:
                initial[f"{day}_hours"] = _hours_text(payload.get(f"{day}_hours"))
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for day in validators.DAYS:
            self.fields[f"{day}_hours"] = forms.CharField(
                required=False, label=f"{day.capitalize()} hours",
                help_text="e.g. 08:00-18:00" if day == "monday" else "")
        self.office = office or getattr(instance, "office", None)
        if instance is not None or office is not None:
            del self.fields["office"]

    def clean(self):
        data = super().clean()
        for day in validators.DAYS:
            field = f"{day}_hours"
            try:
                data[field] = validators.day_hours(data.get(field) or "", day=day)
            except ValidationError as exc:
                self.add_error(field, exc)
        return data

    @property
    def service(self):
        return self.update_service if self.instance is not None else self.create_service

    def push_kwargs(self):
        data = self.cleaned_data
        if self.instance is None:
            kwargs = {"office": self.office or data["office"], "name": data["name"],
                      "description": data["description"] or None,
                      "ring_seconds": data["ring_seconds"]}
            if data["hours_on"]:
                kwargs["hours_on"] = True
                kwargs["hours"] = {day: data[f"{day}_hours"] for day in validators.DAYS}
            return kwargs
        changed = set(self.changed_data)
        kwargs = {self.kind: self.instance}
        for name in ("name", "description", "ring_seconds", "hours_on"):
            if name in changed and not (name == "ring_seconds" and data[name] is None):
                kwargs[name] = data[name]
        hours = {day: data[f"{day}_hours"] for day in validators.DAYS
                 if f"{day}_hours" in changed}
        if hours:
            kwargs["hours"] = hours
        return kwargs


class DepartmentForm(CallGroupForm):
    kind = "department"
    create_service = staticmethod(services.department_create)
    update_service = staticmethod(services.department_update)


class CallCenterForm(CallGroupForm):
    kind = "callcenter"
    create_service = staticmethod(services.callcenter_create)
    update_service = staticmethod(services.callcenter_update)


class CallGroupDeleteForm(PushForm):
    """Delete `group`, a department or call center (no fields: a confirmation; the preview
    names its numbers and operators)."""

    kind = None
    needs_confirmation = True

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group

    def push_kwargs(self):
        return {self.kind: self.group}


class DepartmentDeleteForm(CallGroupDeleteForm):
    kind = "department"
    service = staticmethod(services.department_delete)


class CallCenterDeleteForm(CallGroupDeleteForm):
    kind = "callcenter"
    service = staticmethod(services.callcenter_delete)
