"""Assign a number to the page's object, or from a number's page; unassign one."""

from ... import forms, permissions
from ...kinds import object_label
from .base import PushView


class NumberAssignView(PushView):
    """Assign a number (given, or any free one of an area code) to the page's object."""

    permission = permissions.ASSIGN_NUMBER
    form_class = forms.NumberAssignForm
    title, submit_label = "Assign a number", "Assign"
    object_kwarg = "target"


class NumberAssignToView(PushView):
    """From a number's page: assign it to an office, room, user, call center or department."""

    permission = permissions.ASSIGN_NUMBER
    form_class = forms.NumberAssignToForm
    title, submit_label = "Assign to…", "Assign"
    autocomplete_fields = ("office", "room", "user", "callcenter", "department")
    chooser = "target_type"

    def summary(self, form):
        number = self.object
        current = (object_label(number.target) if number.target is not None else
                   f"{number.get_target_type_display().lower()} {number.target_id or ''}".strip())
        return (f"Assign {number.number} to {object_label(form.cleaned_data['target'])}. It "
                f"is assigned to {current} now: it will no longer ring there.")


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
