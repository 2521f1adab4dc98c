"""Messaging: SMS, bulk and scheduled messages, channels, and the SMS opt-out list (issue 9).
Event webhooks are not here yet."""
