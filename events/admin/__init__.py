"""The events app's admin: the events, SMS events with a conversation per external number,
and the *Dialpad webhook* page (set-up and what exists in Dialpad)."""

from .events import EventAdmin
from .sms import SmsEventAdmin

__all__ = ["EventAdmin", "SmsEventAdmin"]
