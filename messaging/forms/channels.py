"""Channels: create, delete, add and remove a member."""

from django import forms

from orgs.forms._base import PushForm

from .. import services
from ._base import ObjectPushForm, active_users


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


class ChannelForm(ObjectPushForm):
    object_name = "channel"


class ChannelDeleteForm(ChannelForm):
    service = staticmethod(services.channel_delete)


class ChannelMemberAddForm(ChannelForm):
    service = staticmethod(services.channel_member_add)
    needs_confirmation = False  # adding changes nothing in use

    user = forms.ModelChoiceField(queryset=active_users())

    def push_kwargs(self):
        return {**super().push_kwargs(), "user": self.cleaned_data.get("user")}


class ChannelMemberRemoveForm(ChannelForm):
    """Remove `user` (given by the page's URL) from the channel."""

    service = staticmethod(services.channel_member_remove)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def push_kwargs(self):
        return {**super().push_kwargs(), "user": self.user}
