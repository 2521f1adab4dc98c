"""The push views of channels (orgs' PushView): create, delete, add and remove a member."""

from django.http import Http404

from orgs.admin.display import admin_url
from orgs.admin.push_views import PushView
from orgs.models import DialpadUser

from .. import forms, permissions


class ChannelView(PushView):
    """A push from a channel's page; `summary_text` says what it does ({channel}, {user})."""

    permission = permissions.MANAGE_CHANNELS
    object_kwarg = "channel"
    summary_text = ""

    def summary(self, form):
        return self.summary_text.format(channel=self.object, user=getattr(self, "member", ""))


class ChannelCreateView(ChannelView):
    form_class, title, submit_label = forms.ChannelCreateForm, "Create a channel", "Create"
    needs_object = False

    def get_form_kwargs(self):
        return {}

    def success_url(self, result):
        return admin_url(result)


class ChannelDeleteView(ChannelView):
    form_class, title = forms.ChannelDeleteForm, "Delete channel"
    submit_label, confirm_on_get = "Delete the channel in Dialpad", True
    summary_text = ("Delete channel {channel} in Dialpad. The console keeps its row, marked "
                    "gone, for the record.")


class ChannelMemberAddView(ChannelView):
    form_class, title, submit_label = forms.ChannelMemberAddForm, "Add member", "Add member"
    autocomplete_fields = ("user",)


class ChannelMemberRemoveView(ChannelView):
    form_class, title, submit_label = forms.ChannelMemberRemoveForm, "Remove member", "Remove"
    confirm_on_get = True
    summary_text = "Remove {user} from channel {channel}."

    def load(self, user_id, **kwargs):
        self.member = DialpadUser.objects.filter(pk=user_id).first()
        if self.member is None:
            raise Http404("No such user.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.member}
