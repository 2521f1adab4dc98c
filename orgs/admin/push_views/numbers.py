"""Assign a number to the page's object, or from a number's page; unassign one."""

from ... import forms, permissions
from ...kinds import object_label
from .base import PushView


def _as(form):
    return "as primary number" if form.cleaned_data.get("primary") else "as an additional number"


class NumberAssignView(PushView):
    """Assign a number (picked among the company's free ones, typed, or any free one of an
    area code) to the page's object; taking one from its holder is confirmed first (the
    service's note names the holder)."""

    permission = permissions.ASSIGN_NUMBER
    form_class = forms.NumberAssignForm
    title, submit_label = "Assign a number", "Assign"
    object_kwarg = "target"
    autocomplete_fields = (("number", "free_number"),)

    def summary(self, form):
        return (f"Assign {form.cleaned_data['number']} to {object_label(self.object)} "
                f"{_as(form)}.")


class NumberAssignToView(PushView):
    """From a number's page: assign it to an office, room, user, call center or department."""

    permission = permissions.ASSIGN_NUMBER
    form_class = forms.NumberAssignToForm
    title, submit_label = "Assign to…", "Assign"
    autocomplete_fields = ("office", "room", "user", "callcenter", "department")
    chooser = "target_type"

    def summary(self, form):
        # What it takes from its current holder: the service's note, on the same page.
        return (f"Assign {self.object.number} to {object_label(form.cleaned_data['target'])} "
                f"{_as(form)}.")


class NumberUnassignView(PushView):
    permission = permissions.ASSIGN_NUMBER
    form_class = forms.NumberUnassignForm
    title, submit_label = "Unassign number", "Unassign"
    confirm_on_get = True

    def summary(self, form):
        target = self.object.target
        where = f" from {object_label(target)}" if target is not None else ""
        return f"Unassign {self.object.number}{where}."

    def alternatives(self, form):
        here = self.request.path
        if form.cleaned_data.get("release"):
            return [("Return it to the company's reserved pool instead", here)]
        return [("Release it for good instead", f"{here}?release=on")]
