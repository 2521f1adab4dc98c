"""Messaging: SMS, bulk and scheduled messages, event subscriptions, webhooks (not built yet)."""
