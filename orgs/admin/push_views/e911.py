"""Edit an office's or a user's E911 address."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from ... import forms, permissions, services
from ...exceptions import DialpadReadFailed
from ...kinds import object_label
from ...models import E911Address
from .base import PushView


class E911View(PushView):
    """Edit an office's or a user's E911 address."""

    permission = permissions.CHANGE_E911
    title, submit_label = "Edit E911 address", "Save the E911 address in Dialpad"


class OfficeE911View(E911View):
    form_class = forms.OfficeE911Form

    def summary(self, form):
        return (f"Set the E911 address of {object_label(self.object)}, and of every user of "
                "the office.")


class UserE911View(E911View):
    form_class = forms.UserE911Form

    def get(self, request, *args, **kwargs):
        # Start from what Dialpad has, if the console has not read it yet.
        note = user_e911_read_if_missing(request, self.object)
        if note:
            messages.warning(request, note)
        return super().get(request, *args, **kwargs)


def user_e911_read_if_missing(request, user):
    """Read the user's E911 address from Dialpad for a page that shows it, if the console has
    none yet; a note for the page if that read failed, else "".

    The page must open whatever Dialpad says: a failed read is a note, not an error; and
    soon, so the read is a quick one (short timeout, no retries).
    """
    if E911Address.objects.filter(user=user).exists():
        return ""
    try:
        services.user_e911_get(actor=request.user, user=user, quick=True)
    except DialpadReadFailed as exc:
        return f"{exc.message}. The page shows what the console has."
    except PermissionDenied:
        return ""
    return ""
