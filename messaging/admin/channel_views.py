"""The push views of channels (orgs' PushView): create, delete, add and remove a member."""

from django.http import Http404

from orgs.admin.display import admin_url
from orgs.admin.push_views import PushView
from orgs.models import DialpadUser

from .. import forms, permissions


class ChannelView(PushView):
    permission = permissions.MANAGE_CHANNELS
    object_kwarg = "channel"


class ChannelCreateView(ChannelView):
    form_class = forms.ChannelCreateForm
    title, submit_label = "Create a channel", "Create in Dialpad"
    needs_object = False

    def get_form_kwargs(self):
        return {}

    def success_url(self, result):
        return admin_url(result)


class ChannelDeleteView(ChannelView):
    form_class = forms.ChannelDeleteForm
    title, submit_label = "Delete channel", "Delete the channel in Dialpad"
    confirm_on_get = True

    def summary(self, form):
        return (f"Delete channel {self.object} in Dialpad. The console keeps its row, marked "
                "gone, for the record.")


class ChannelMemberAddView(ChannelView):
    form_class = forms.ChannelMemberAddForm
    title = submit_label = "Add member"
    autocomplete_fields = ("user",)


class ChannelMemberRemoveView(ChannelView):
    form_class = forms.ChannelMemberRemoveForm
    title = submit_label = "Remove member"
    confirm_on_get = True

    def load(self, user_id, **kwargs):
        self.member = DialpadUser.objects.filter(pk=user_id).first()
        if self.member is None:
            raise Http404("No such user.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.member}

    def summary(self, form):
        return f"Remove {self.member} from channel {self.object}."
