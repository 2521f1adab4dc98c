"""Move a user to another office: the confirmation lists what the move leaves wrong (an E911
address, memberships in the old office's groups, numbers swapped by a move abroad) and offers
to fix it in the same flow; the page after says plainly what did not go through."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from ... import forms, permissions, services
from ...kinds import object_label
from .base import Consequence, Offer, PushView, request_json
from .e911 import user_e911_read_if_missing
from .groups import membership_item


def _offer(name, label, previews, **kwargs):
    """An Offer of the pushes `previews` (callables returning each one's PushRequest), or
    the reason the admin cannot make them (a missing permission, an invalid input)."""
    try:
        planned = [preview() for preview in previews]
    except PermissionDenied as exc:
        return Offer(name, label, reason=f"Not offered: {exc}")
    except ValidationError as exc:
        return Offer(name, label, reason=f"Not offered: {' '.join(exc.messages)}")
    return Offer(name, label, [(step, request_json(step)) for step in planned],
                 when="Sent after the move, if ticked:", **kwargs)


class UserMoveOfficeView(PushView):
    permission = permissions.MANAGE_GROUPS
    form_class = forms.UserMoveOfficeForm
    title, submit_label = "Move to another office", "Move"

    def summary(self, form):
        return (f"Move {self.object} from {self.object.office or 'no office'} to "
                f"{form.cleaned_data['office']}.")

    def consequences(self, form):
        note = user_e911_read_if_missing(self.request, self.object)  # the E911 to compare
        found = form.consequences
        listed = [self._e911(found, note), self._memberships(found)]
        if found.numbers_swapped:
            listed.append(Consequence(
                "numbers", f"Numbers Dialpad unassigns ({len(found.numbers_swapped)})",
                found.numbers_swapped,
                note=f"{found.office} is in another country: Dialpad unassigns these and "
                     f"assigns {self.object} a new number of {found.office}."))
        return listed

    def _e911(self, found, read_note):
        user, office, actor = self.object, found.office, self.request.user
        now = str(found.e911_now) if found.e911_now is not None else "unknown to the console"
        if found.e911_new is None:
            return Consequence("e911", "E911 address", note=(
                f"{user}'s E911 address is {now}. The console has no E911 address for "
                f"{office}: check {user}'s after the move. {read_note}").strip())
        if not found.e911_wrong:
            return Consequence("e911", "E911 address", note=(
                f"{user}'s E911 address is already {office}'s: {found.e911_new}."))
        offer = _offer("set_e911", f"Set {user}'s E911 address to {office}'s: "
                                   f"{found.e911_new}", [
            lambda: services.user_e911_update(actor=actor, user=user,
                                              address=found.e911_new, preview=True)],
            checked=True)
        return Consequence("e911", "E911 address that will be wrong", note=(
            f"{user}'s E911 address is {now}. After the move it stays so: wrong for someone "
            f"in {office} ({found.e911_new}), and emergency services would be sent there. "
            f"{read_note}").strip(), offer=offer)

    def _memberships(self, found):
        user, actor, old = self.object, self.request.user, self.object.office
        items = [membership_item(m, "group") for m in found.memberships]
        title = f"Operator of {old}'s groups ({len(items)})" if old else "Operator of groups"
        if not items:
            return Consequence("memberships", title, note=f"{user} operates none of them.")
        offer = _offer(
            "remove_memberships", f"Remove {user} from these {len(items)} group(s)",
            [lambda m=m: services.operator_remove(actor=actor, group=m.group, member=user,
                                                  preview=True) for m in found.memberships])
        return Consequence("memberships", title, items, offer=offer, note=(
            f"The move leaves {user} an operator of these: they keep taking {old}'s calls."))

    def succeeded(self, form, result):
        response = super().succeeded(form, result)
        office = form.cleaned_data["office"]
        for follow_up in form.follow_ups:
            if follow_up.ok:
                messages.success(self.request, follow_up.message)
            else:
                messages.error(self.request, (
                    f"{result} was moved to {object_label(office)}, but {follow_up.what} did "
                    f"not go through: {follow_up.message} Fix it from this page."))
        return response
