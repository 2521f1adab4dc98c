"""Messaging's permissions, in one place (granted per group in the admin).

Declared on the models' Meta (messaging.models); the services check them and the admin
shows a control only to who holds its permission.
"""

SEND_SMS = "messaging.send_sms"  # SMS, bulk and scheduled messages
MANAGE_CHANNELS = "messaging.manage_channels"
