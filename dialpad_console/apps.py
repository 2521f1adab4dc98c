from django.apps import AppConfig


class DialpadConsoleConfig(AppConfig):
    name = "dialpad_console"
    verbose_name = "Dialpad Console"
