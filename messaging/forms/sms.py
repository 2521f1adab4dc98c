"""Compose an SMS: who sends (a number, a user, or a user for a group), to whom, what."""

from django import forms

from ..choices import SenderKind
from ..services import sms_send
from ..senders import group_choices, group_from_choice
from ._base import RECIPIENTS_HELP, MessageForm, active_users


class SmsComposeForm(MessageForm):
    service = staticmethod(sms_send)

    send_as = forms.ChoiceField(choices=SenderKind.choices, initial=SenderKind.USER,
                                widget=forms.RadioSelect, label="Send")
    from_number = forms.CharField(required=False, label="From number", help_text=(
        "A number assigned to a user, office, department or call center."))
    user = forms.ModelChoiceField(queryset=active_users(), required=False, label="User",
                                  help_text="Who sends (from their number, or for the group).")
    group = forms.ChoiceField(required=False, label="On behalf of", help_text=(
        "An office, department or call center the user operates."))
    recipients = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
                                 help_text=RECIPIENTS_HELP + " At most 10.")

    field_order = ["request_key", "send_as", "from_number", "user", "group", "recipients",
                   "text", "media", "media_data"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "---------")] + group_choices()

    def push_kwargs(self):
        data = self.cleaned_data
        kind = data.get("send_as")
        sender = {}
        if kind == SenderKind.NUMBER:
            sender["from_number"] = data.get("from_number") or None
        else:
            sender["user"] = data.get("user")
        if kind == SenderKind.GROUP:
            sender["group"] = group_from_choice(data.get("group"))
        return {**sender, "recipients": data.get("recipients") or "", **self.message_kwargs()}

    def clean(self):
        data = super().clean()
        if data.get("send_as") == SenderKind.GROUP and group_from_choice(data.get("group")) \
                is None:
            self.add_error("group", "Choose the group the message is sent for.")
        return data
