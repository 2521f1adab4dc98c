from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Dialpad events"

    def ready(self):
        from . import health  # noqa: F401 -- registers the real "last_event" check
