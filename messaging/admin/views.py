"""Messaging's push views: orgs' PushView (form, confirmation page showing the exact
request, then the push) with what messages need on top: an uploaded attachment, a live
character counter, the sender shown before anything is sent."""

from zoneinfo import ZoneInfo

from orgs.admin.display import admin_url
from orgs.admin.pickers import use_pickers
from orgs.admin.push_views import PushView

from .. import forms, permissions
from ..forms._base import numbers_datalist
from ..forms.schedules import timezone_names
from ..services.schedules import local_time


class MessageView(PushView):
    """A message composed in the admin (reached from a changelist)."""

    permission = permissions.SEND_SMS
    needs_object = False
    submit_label = "Preview"
    form_template = "admin/messaging/compose.html"
    autocomplete_fields = ("user",)

    def get_form(self, data=None):
        files = self.request.FILES if data is not None else None
        form = self.form_class(data, files, **self.get_form_kwargs())
        return use_pickers(form, self.model_admin.admin_site, self.autocomplete_fields)

    def success_url(self, result):
        return admin_url(result)

    def context(self, form, **extra):
        return super().context(form, numbers=numbers_datalist(), **extra)


class SmsComposeView(MessageView):
    form_class = forms.SmsComposeForm
    title = "Send an SMS"

    def summary(self, form):
        values = form.service.validate(**form.push_kwargs())
        count = len(values["numbers"])
        return (f"Send an SMS as {values['sender'].label} to {count} recipient"
                f"{'s' if count != 1 else ''}.")


class BulkComposeView(MessageView):
    form_class = forms.BulkComposeForm
    title = "Send a bulk message"

    def summary(self, form):
        values = form.service.validate(**form.push_kwargs())
        return (f"Send a bulk message as {values['sender'].label} to "
                f"{len(values['numbers'])} recipients.")

    def success_message(self, form, job):
        return (f"Bulk message #{job.pk} queued: {job.total} recipients in "
                f"{job.batches.count()} batches. This page follows the batches, then each "
                "recipient's delivery.")


class ScheduleCreateView(MessageView):
    form_class = forms.ScheduleForm
    title = "Schedule a message"

    def summary(self, form):
        values = form.service.validate(**form.push_kwargs())
        when = values["start"].astimezone(ZoneInfo(values["timezone"]))
        return (f"Schedule a message as {values['sender'].label} to "
                f"{len(values['numbers'])} recipients, for {when:%Y-%m-%d %H:%M} "
                f"({values['timezone']}).")

    def context(self, form, **extra):
        return super().context(form, timezones=timezone_names(), **extra)


class ScheduleView(PushView):
    """A push from a scheduled message's page; `summary_text` says what it does, with
    {when}: the schedule's time in its own timezone."""

    permission = permissions.SEND_SMS
    object_kwarg = "schedule"
    confirm_on_get = True
    summary_text = ""

    def summary(self, form):
        return self.summary_text.format(when=local_time(self.object))


class ScheduleEditView(ScheduleView):
    form_class = forms.ScheduleEditForm
    title, submit_label = "Edit the scheduled message", "Preview"
    form_template = "admin/messaging/compose.html"
    confirm_on_get = False
    summary_text = "Change the message planned for {when}."

    def context(self, form, **extra):
        return super().context(form, timezones=timezone_names(), **extra)


class ScheduleCancelView(ScheduleView):
    form_class, title = forms.ScheduleCancelForm, "Cancel the scheduled message"
    summary_text = "Cancel the message planned for {when}: it will not be sent."


class ScheduleSendNowView(ScheduleView):
    form_class, title = forms.ScheduleSendNowForm, "Send it now"
    summary_text = "Send the message planned for {when} now."
