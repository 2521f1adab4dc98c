"""Move a user to another office."""

from ... import forms, permissions
from .base import PushView


class UserMoveOfficeView(PushView):
    permission = permissions.MANAGE_GROUPS
    form_class = forms.UserMoveOfficeForm
    title, submit_label = "Move to another office", "Move"

    def summary(self, form):
        return (f"Move {self.object} from {self.object.office or 'no office'} to "
                f"{form.cleaned_data['office']}.")
