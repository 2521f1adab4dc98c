from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messaging"

    def ready(self):
        # The delivery status of a sent SMS comes back as SMS events (events app).
        from events.services import on_sms_event

        from .services.sms_status import sms_status_follow

        on_sms_event(sms_status_follow)
