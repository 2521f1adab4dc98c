"""What the messaging forms share: the hidden key that makes a form send once, the media
attachment carried from the preview to the confirmation, the sender's fields."""

from __future__ import annotations

import base64
import binascii
import uuid

from django import forms

from orgs.forms._base import PushForm
from orgs.models import DialpadUser

from ..senders import sendable_numbers

RECIPIENTS_HELP = ("One per line, or separated by commas, in any common format: "
                   "(415) 555-0100, +44 20 7946 0958. National numbers are read in the "
                   "sender's country.")


def active_users():
    return DialpadUser.objects.filter(gone_at__isnull=True, state="active")


class MessageForm(PushForm):
    """A message: sent once per form (request_key), with an optional picture or video.

    The attachment is uploaded with the first post; the form keeps it, base64-encoded, in
    the hidden `media_data`, so that the confirmation page (which re-posts every field as
    hidden) sends the same bytes.
    """

    needs_confirmation = True  # nothing goes out before the admin saw the request

    request_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5, "cols": 60,
                                                        "data-counter-max": "1600"}),
                           required=False, strip=False)
    media = forms.FileField(required=False, label="Picture or video",
                            help_text="Optional; at most 500 KiB. Sends the message as MMS.")
    media_data = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_media_data(self):
        upload = self.files.get("media") if self.files else None
        if upload is not None:
            # Read at most a byte past the limit: enough to say it is too big.
            raw = upload.read(500 * 1024 + 1)
            encoded = base64.b64encode(raw).decode()
            self.data = self.data.copy()
            self.data["media_data"] = encoded  # re-posted by the confirmation page
            return raw
        encoded = self.cleaned_data.get("media_data") or ""
        try:
            return base64.b64decode(encoded, validate=True) if encoded else None
        except (binascii.Error, ValueError):
            raise forms.ValidationError("The attachment was lost on the way; attach it "
                                        "again.") from None

    def message_kwargs(self):
        data = self.cleaned_data
        return {"text": data.get("text"), "media": data.get("media_data"),
                "request_key": data.get("request_key")}


def numbers_datalist():
    """(number, who it belongs to) of every number an SMS may go out from, for a datalist."""
    rows = sendable_numbers().select_related(
        "assigned_user", "assigned_office", "assigned_department", "assigned_callcenter")
    return [(row.number, str(row.target)) for row in rows.order_by("number")]


class ObjectPushForm(PushForm):
    """A push on one object the view names (`object_name`: "channel", "schedule"), kept as
    `target`; without fields of its own it is a confirmation."""

    object_name = ""
    needs_confirmation = True

    def __init__(self, *args, **kwargs):
        self.target = kwargs.pop(self.object_name)
        super().__init__(*args, **kwargs)

    def push_kwargs(self):
        return {self.object_name: self.target}
