"""Create rooms, departments and call centers in an office; rename and delete rooms; edit
departments and call centers."""

from django.http import Http404

from django.utils.html import format_html

from ... import forms, permissions
from ...forms import parse_object_id
from ...kinds import object_label
from ...models import Office
from ..display import admin_url, kind_tagged, link
from .base import Consequence, PushView


class CreateInOfficeView(PushView):
    """Create a room, department or call center in an office: reached from a changelist (the
    form asks for the office) or from an office's page with ?office=<id> (404 if unknown). A
    success goes to the new object's page."""

    permission = permissions.MANAGE_GROUPS
    needs_object = False

    def load(self, **kwargs):
        office_id = self.request.GET.get("office")
        self.office = None
        if office_id:
            office_id = parse_object_id(office_id)
            self.office = (Office.objects.filter(pk=office_id).first()
                           if office_id is not None else None)
            if self.office is None:
                raise Http404("No such office.")

    def cancel_url(self):
        return admin_url(self.office) if self.office is not None else super().cancel_url()

    def context(self, form, **extra):
        context = super().context(form, **extra)
        if self.office is not None:
            context["subtitle"] = f"in {self.office}"
        return context

    def get_form_kwargs(self):
        return {"office": self.office}

    def success_url(self, result):
        return admin_url(result)


class RoomCreateView(CreateInOfficeView):
    form_class = forms.RoomCreateForm
    title, submit_label = "Add room", "Create room"


class RoomView(PushView):
    """A push from a room's page."""

    permission = permissions.MANAGE_GROUPS


class RoomRenameView(RoomView):
    form_class = forms.RoomRenameForm
    title, submit_label = "Rename room", "Rename"


class DeleteInDialpadView(PushView):
    """Delete the page's object in Dialpad: a confirmation naming what it affects (its
    numbers, and the memberships `memberships` names: the object's related name, and their
    `other_end`, described by `ended`)."""

    permission = permissions.MANAGE_GROUPS
    confirm_on_get = True
    memberships, other_end, ended = "", "", ""

    def summary(self, form):
        return (f"Delete {object_label(self.object)} in Dialpad. The console keeps its row, "
                "marked gone, for the record.")

    def consequences(self, form):
        return deleted_consequences(self.object, getattr(self.object, self.memberships),
                                    self.other_end, self.ended)


class RoomDeleteView(DeleteInDialpadView):
    form_class = forms.RoomDeleteForm
    title, submit_label = "Delete room", "Delete the room in Dialpad"
    memberships, other_end = "memberships", "group"
    ended = "The groups it operates ({n}), which it leaves"


class CallGroupCreateView(CreateInOfficeView):
    """Add a department or call center (the ModelAdmin's route gives form_class and title)."""

    submit_label = "Create"


class CallGroupEditView(PushView):
    """Edit a department or call center (the ModelAdmin's route gives form_class and title)."""

    permission = permissions.MANAGE_GROUPS
    submit_label = "Save in Dialpad"
    object_kwarg = "instance"


class CallGroupDeleteView(DeleteInDialpadView):
    """Delete a department or call center (the ModelAdmin's route gives form_class and
    title)."""

    submit_label = "Delete in Dialpad"
    object_kwarg = "group"
    memberships, other_end = "operators", "operator"
    ended = "Its operators ({n}), who will no longer be operators of it"


def deleted_consequences(obj, memberships, other_end, title):
    """The numbers and operator memberships a delete of `obj` ends, for its confirmation."""
    numbers = list(obj.assigned_numbers.filter(gone_at__isnull=True).order_by("number"))
    ended = list(memberships.filter(gone_at__isnull=True).select_related(
        "office", "department", "callcenter", "user", "room"))
    return [
        # Where the numbers go is the push's note, above.
        Consequence("numbers", f"Its numbers ({len(numbers)}), which Dialpad unassigns",
                    [link(n) for n in numbers], note="" if numbers else "None."),
        Consequence("memberships", title.format(n=len(ended)), [
            membership_item(m, other_end) for m in ended], note="" if ended else "None."),
    ]


def membership_item(membership, end):
    """One end of a membership ("group" or "operator"), with its kind and the role."""
    other = getattr(membership, end)
    return format_html("{} ({})", kind_tagged(link(other), getattr(
        membership, f"get_{end}_type_display")().lower()), membership.get_role_display().lower())
