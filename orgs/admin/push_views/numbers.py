"""Assign a number to the page's object, or from a number's page; unassign one."""

from ... import forms, permissions
from ...kinds import object_label
from .base import PushView


class AssignView(PushView):
    """Assign a number: `number_and_target(form)` says which to what; taking a number from
    its holder is confirmed first (the service's note names the holder)."""

    permission = permissions.ASSIGN_NUMBER
    submit_label = "Assign"

    def number_and_target(self, form):
        raise NotImplementedError

    def summary(self, form):
        number, target = self.number_and_target(form)
        primary = form.cleaned_data.get("primary")
        return (f"Assign {number} to {object_label(target)} "
                f"{'as primary number' if primary else 'as an additional number'}.")


class NumberAssignView(AssignView):
    """Assign a number (picked among the company's free ones, typed, or any free one of an
    area code) to the page's object."""

    form_class = forms.NumberAssignForm
    title = "Assign a number"
    object_kwarg = "target"
    autocomplete_fields = (("number", "free_number"),)

    def number_and_target(self, form):
        return form.cleaned_data["number"], self.object


class NumberAssignToView(AssignView):
    """From a number's page: assign it to an office, room, user, call center or department."""

    form_class = forms.NumberAssignToForm
    title = "Assign to…"
    autocomplete_fields = ("office", "room", "user", "callcenter", "department")
    chooser = "target_type"

    def number_and_target(self, form):
        return self.object.number, form.cleaned_data["target"]


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
