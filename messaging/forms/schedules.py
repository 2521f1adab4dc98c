"""Schedule a message; edit, cancel or send now a scheduled one."""

from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from django import forms

from orgs.forms._base import PushForm

from .. import services
from ._base import RECIPIENTS_HELP, MessageForm, active_users

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


class ScheduleEditForm(PushForm):
    """Edit `schedule`: what is changed is sent (the service refuses "nothing to change")."""

    service = staticmethod(services.schedule_update)
    needs_confirmation = True

    recipients = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
                                 help_text=RECIPIENTS_HELP + " At most 50.")
    send_at = SendAtField(label="Send at")
    timezone = timezone_field()
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5, "cols": 60,
                                                        "data-counter-max": "1600"}),
                           strip=False)

    def __init__(self, *args, schedule, **kwargs):
        zone = ZoneInfo(schedule.timezone)
        kwargs.setdefault("initial", {
            "recipients": "\n".join(schedule.to_numbers), "text": schedule.text,
            "timezone": schedule.timezone,
            "send_at": schedule.scheduled_for.astimezone(zone).replace(tzinfo=None)})
        super().__init__(*args, **kwargs)
        self.schedule = schedule

    def push_kwargs(self):
        data = self.cleaned_data
        return {"schedule": self.schedule, "recipients": data.get("recipients"),
                "text": data.get("text"), "send_at": data.get("send_at"),
                "timezone": data.get("timezone") or None}


class ScheduleEndForm(PushForm):
    """Cancel or send now (no fields: a confirmation)."""

    needs_confirmation = True

    def __init__(self, *args, schedule, **kwargs):
        super().__init__(*args, **kwargs)
        self.schedule = schedule

    def push_kwargs(self):
        return {"schedule": self.schedule}


class ScheduleCancelForm(ScheduleEndForm):
    service = staticmethod(services.schedule_cancel)


class ScheduleSendNowForm(ScheduleEndForm):
    service = staticmethod(services.schedule_send_now)
