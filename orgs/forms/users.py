"""Users: move one to another office (and, in the same flow, fix what the move leaves
wrong)."""

from django import forms

from .. import services
from ..models import Office
from ._base import ObjectChoiceField, PushForm, alive


class UserMoveOfficeForm(PushForm):
    """Move `user` to another office. Always confirmed: the confirmation lists what the move
    leaves wrong and offers the pushes that fix it (`set_e911`, `remove_memberships`, ticked
    there), made after the move by `save()`; `follow_ups` says how each went."""

    service = staticmethod(services.user_move_office)
    needs_confirmation = True

    office = ObjectChoiceField(Office, label="Move to office")
    # Offered on the confirmation page (which renders them), not on the form.
    set_e911 = forms.BooleanField(required=False, widget=forms.HiddenInput)
    remove_memberships = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["office"].queryset = alive(Office).exclude(pk=user.office_id)
        self.follow_ups = []

    @property
    def consequences(self):
        return services.user_move_consequences(user=self.user,
                                               office=self.cleaned_data["office"])

    def push_kwargs(self):
        return {"user": self.user, "office": self.cleaned_data["office"]}

    def save(self, *, actor):
        old_office = self.user.office
        user = super().save(actor=actor)
        if user is not None:
            self.follow_ups = services.user_move_follow_ups(
                actor=actor, user=user, old_office=old_office, office=self.cleaned_data["office"],
                set_e911=self.cleaned_data["set_e911"],
                remove_memberships=self.cleaned_data["remove_memberships"])
        return user
