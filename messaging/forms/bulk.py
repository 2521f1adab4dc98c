"""Compose a bulk message: a user sends, from one of its numbers, to recipients pasted or
uploaded as a CSV column."""

from django import forms
from django.core.exceptions import ValidationError

from ..recipients import csv_entries
from ..services import bulk_message_start
from ._base import RECIPIENTS_HELP, MessageForm, active_users


class BulkComposeForm(MessageForm):
    service = staticmethod(bulk_message_start)

    user = forms.ModelChoiceField(queryset=active_users(), label="User", help_text=(
        "Who sends. Dialpad sends bulk messages only from the user's own number, registered "
        "for A2P messaging."))
    from_number = forms.CharField(required=False, label="From number",
                                  help_text="One of the user's numbers; empty: its first one.")
    recipients = forms.CharField(required=False, widget=forms.Textarea(
        attrs={"rows": 8, "cols": 60}), help_text=RECIPIENTS_HELP)
    csv_file = forms.FileField(required=False, label="or a CSV file", help_text=(
        "A column of numbers, with a header row or not."))

    field_order = ["request_key", "user", "from_number", "recipients", "csv_file", "text",
                   "media", "media_data"]

    def clean_recipients(self):
        """A CSV file's column joins the pasted list; the confirmation page re-posts it as
        text, since a file cannot be posted again."""
        pasted = self.cleaned_data.get("recipients") or ""
        upload = self.files.get("csv_file") if self.files else None
        if upload is None:
            return pasted
        try:
            entries = csv_entries(upload.read(5 * 1024 * 1024))
        except ValidationError as exc:
            self.add_error("csv_file", exc.message_dict.get("csv_file", exc.messages))
            return pasted
        combined = "\n".join(filter(None, [pasted.strip(), *entries]))
        self.data = self.data.copy()
        self.data["recipients"] = combined
        return combined

    def push_kwargs(self):
        data = self.cleaned_data
        return {"user": data.get("user"), "from_number": data.get("from_number") or None,
                "recipients": data.get("recipients") or "", **self.message_kwargs()}
