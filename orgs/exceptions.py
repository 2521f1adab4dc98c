"""What the service layer raises when a push does not go through.

Besides these, services raise Django's PermissionDenied (the acting user lacks the permission)
and ValidationError (bad input; nothing was sent), so views and forms handle them as usual.
"""


class PushRefused(Exception):
    """Dialpad did not apply the push; `message` says why, in words for the admin.

    `status` is Dialpad's HTTP status (None when it did not answer), `reason` Dialpad's own
    message, `record` the PushRecord journal row of this push.
    """

    outcome = "refused"

    def __init__(self, message, *, status=None, reason="", record=None):
        self.message = message
        self.status = status
        self.reason = reason
        self.record = record
        super().__init__(message)

    def __str__(self):
        return self.message


class PushOutcomeUnknown(PushRefused):
    """Dialpad did not answer in time and a re-read could not show the push was applied.

    The message says what the re-read found (or that it failed too). The change may still
    be applied by Dialpad later: the admin should reload before trying again.
    """

    outcome = "unknown"


class DialpadReadFailed(Exception):
    """A read the console needed (e.g. a user's E911 address) failed; `message` says why."""

    def __init__(self, message, *, status=None):
        self.message = message
        self.status = status
        super().__init__(message)

    def __str__(self):
        return self.message
