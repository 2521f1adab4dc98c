"""Channels: create, delete, add and remove a member."""

from django import forms

from orgs.forms._base import PushForm

from .. import services
from ._base import active_users


class ChannelCreateForm(PushForm):
    service = staticmethod(services.channel_create)

    name = forms.CharField(help_text="Unique in the company, e.g. facilities (no # needed).")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    privacy_type = forms.ChoiceField(choices=[("public", "Public"), ("private", "Private")],
                                     label="Privacy")
    owner = forms.ModelChoiceField(queryset=active_users(), label="Owner",
                                   help_text="Its first member.")

    def push_kwargs(self):
        data = self.cleaned_data
        return {"name": data.get("name"), "description": data.get("description") or "",
                "privacy_type": data.get("privacy_type"), "owner": data.get("owner")}


class ChannelForm(PushForm):
    """A push on `channel`."""

    def __init__(self, *args, channel, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel

    def push_kwargs(self):
        return {"channel": self.channel}


class ChannelDeleteForm(ChannelForm):
    service = staticmethod(services.channel_delete)
    needs_confirmation = True


class ChannelMemberAddForm(ChannelForm):
    service = staticmethod(services.channel_member_add)

    user = forms.ModelChoiceField(queryset=active_users())

    def push_kwargs(self):
        return {**super().push_kwargs(), "user": self.cleaned_data.get("user")}


class ChannelMemberRemoveForm(ChannelForm):
    service = staticmethod(services.channel_member_remove)
    needs_confirmation = True

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def push_kwargs(self):
        return {**super().push_kwargs(), "user": self.user}
