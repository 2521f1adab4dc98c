"""The pushes to a group's operators: add one, remove one, change one's role."""

from django.http import Http404

from ... import forms, kinds, permissions
from ...choices import OperatorType
from ...forms import parse_object_id
from ...kinds import object_label
from ..pickers import use_pickers
from .base import PushView


class OperatorView(PushView):
    """A push to a group's operators, from the group's page."""

    permission = permissions.ASSIGN_OPERATOR
    object_kwarg = "group"


class OperatorAddView(OperatorView):
    form_class = forms.OperatorAddForm
    title = submit_label = "Add operator"
    autocomplete_fields = ("user", "room")
    chooser = "operator_type"

    def summary(self, form):
        member = form.cleaned_data["member"]
        role = "admin operator" if form.cleaned_data["role"] == "admin" else "operator"
        return f"Add {object_label(member)} as {role} of {object_label(self.object)}."


def operator_add_form(model_admin, group):
    """The "Add operator" form as the group's change page shows it (posting to the view)."""
    form = forms.OperatorAddForm(group=group, auto_id="id_operator_%s")
    return use_pickers(form, model_admin.admin_site, OperatorAddView.autocomplete_fields)


class OperatorRemoveView(OperatorView):
    form_class = forms.OperatorRemoveForm
    title = submit_label = "Remove operator"
    confirm_on_get = True

    def load(self, operator_type, operator_id, **kwargs):
        # An operator is a user or a room (Dialpad's operator_type names its kind).
        kind = kinds.KINDS[operator_type] if operator_type in OperatorType.values else None
        operator_id = parse_object_id(operator_id)
        self.member = (kind.model.objects.filter(pk=operator_id).first()
                       if kind and operator_id is not None else None)
        if self.member is None:
            raise Http404("No such operator.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "member": self.member}

    def summary(self, form):
        return (f"Remove {object_label(self.member)} from the operators of "
                f"{object_label(self.object)}.")
