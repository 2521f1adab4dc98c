"""Messaging's push views: orgs' PushView (form, confirmation page showing the exact
request, then the push) with what messages need on top: an uploaded attachment, a live
character counter, the sender shown before anything is sent."""

from django.contrib import messages
from django.http import HttpResponseRedirect

from orgs.admin.display import admin_url
from orgs.admin.push_views import PushView, autocomplete

from .. import forms, permissions
from ..forms._base import numbers_datalist


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
        return autocomplete(form, self.model_admin.admin_site, self.autocomplete_fields)

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

    def push(self, form):
        job = form.save(actor=self.request.user)
        if form.errors:
            return self.render_form(form)
        messages.success(self.request, (
            f"Bulk message #{job.pk} queued: {job.total} recipients in "
            f"{job.batches.count()} batches. This page follows the batches, then each "
            "recipient's delivery."))
        return HttpResponseRedirect(self.success_url(job))
