from django.apps import AppConfig


class DialpadConsoleConfig(AppConfig):
    name = "dialpad_console"
    verbose_name = "Dialpad Console"

    def ready(self):
        from . import checks  # noqa: F401 -- registers the system checks
