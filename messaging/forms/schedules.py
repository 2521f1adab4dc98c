"""Schedule a message; edit, cancel or send now a scheduled one."""

from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from django import forms

from .. import services
from ._base import RECIPIENTS_HELP, MessageForm, ObjectPushForm, active_users

TIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")


class SendAtField(forms.CharField):
    """A date and time as the admin reads it in the schedule's timezone (naive: the service
    places it in that timezone)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        for fmt in TIME_FORMATS:
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
        raise forms.ValidationError("Enter a date and time such as 2026-12-01 09:30.")


def timezone_field(**kwargs):
    return forms.CharField(required=False, help_text=(
        "A name such as America/New_York; empty: the sender's office's."), **kwargs)


def timezone_names():
    return sorted(available_timezones())


class ScheduleForm(MessageForm):
    service = staticmethod(services.schedule_create)

    user = forms.ModelChoiceField(queryset=active_users(), label="User",
                                  help_text="Who sends, from one of their numbers.")
    from_number = forms.CharField(required=False, label="From number",
                                  help_text="One of the user's numbers; empty: its first one.")
    recipients = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
                                 help_text=RECIPIENTS_HELP + " At most 50.")
    send_at = SendAtField(label="Send at", help_text="At least 10 minutes from now, in the "
                                                     "timezone below.")
    timezone = timezone_field()

    field_order = ["request_key", "user", "from_number", "recipients", "send_at", "timezone",
                   "text", "media", "media_data"]

    def push_kwargs(self):
        data = self.cleaned_data
        return {"user": data.get("user"), "from_number": data.get("from_number") or None,
                "recipients": data.get("recipients") or "", "send_at": data.get("send_at"),
                "timezone": data.get("timezone") or None, **self.message_kwargs()}


class ScheduleEditForm(ObjectPushForm):
    """Edit the schedule: what is changed is sent (the service refuses "nothing to
    change")."""

    service = staticmethod(services.schedule_update)
    object_name = "schedule"

    recipients = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
                                 help_text=RECIPIENTS_HELP + " At most 50.")
    send_at = SendAtField(label="Send at")
    timezone = timezone_field()
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5, "cols": 60,
                                                        "data-counter-max": "1600"}),
                           strip=False)

    def __init__(self, *args, **kwargs):
        row = kwargs["schedule"]
        kwargs.setdefault("initial", {
            "recipients": "\n".join(row.to_numbers), "text": row.text,
            "timezone": row.timezone, "send_at": row.scheduled_for.astimezone(
                ZoneInfo(row.timezone)).replace(tzinfo=None)})
        super().__init__(*args, **kwargs)

    def push_kwargs(self):
        data = self.cleaned_data
        return {**super().push_kwargs(), "recipients": data.get("recipients"),
                "text": data.get("text"), "send_at": data.get("send_at"),
                "timezone": data.get("timezone") or None}


class ScheduleCancelForm(ObjectPushForm):
    service = staticmethod(services.schedule_cancel)
    object_name = "schedule"


class ScheduleSendNowForm(ObjectPushForm):
    service = staticmethod(services.schedule_send_now)
    object_name = "schedule"
