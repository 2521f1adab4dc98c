"""Users: move one to another office."""

from django import forms

from .. import services
from ..models import Office
from ._base import ObjectChoiceField, PushForm, alive


class UserMoveOfficeForm(PushForm):
    """Move `user` to another office (the preview warns when that swaps its numbers)."""

    service = staticmethod(services.user_move_office)

    office = ObjectChoiceField(Office, label="Move to office")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["office"].queryset = alive(Office).exclude(pk=user.office_id)

    @property
    def needs_confirmation(self):
        office = getattr(self, "cleaned_data", {}).get("office")
        return services.move_changes_country(self.user, office)

    def push_kwargs(self):
        return {"user": self.user, "office": self.cleaned_data["office"]}
