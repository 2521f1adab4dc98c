"""The events app's exceptions."""


class Unhandled(Exception):
    """An event says nothing the console can act on; the message says why (shown on it)."""
