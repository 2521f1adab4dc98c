"""The pushes to a group's operators: add one, remove one, change one's role."""

from django.http import Http404

from ... import forms, kinds, permissions
from ...choices import OperatorRole, OperatorType
from ...forms import parse_object_id
from ...kinds import object_label
from ...models import OperatorMembership
from .. import once
from ..display import admin_page_url
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


class MemberView(OperatorView):
    """A push to one operator of the group, named in the URL (operator_type, operator_id)."""

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


class OperatorRemoveView(MemberView):
    form_class = forms.OperatorRemoveForm
    title = submit_label = "Remove operator"
    confirm_on_get = True

    def summary(self, form):
        return (f"Remove {object_label(self.member)} from the operators of "
                f"{object_label(self.object)}.")


class OperatorRoleView(MemberView):
    """Change an operator's role: remove, then add back with the new role, confirmed. When
    the add fails after the remove, the page says the operator is now removed and offers
    to add them back with their old role (a form posting to "Add operator")."""

    form_class = forms.OperatorRoleForm
    title, submit_label = "Change operator role", "Change role"
    form_template = "admin/orgs/push/role_form.html"

    def load(self, **kwargs):
        super().load(**kwargs)
        self.membership = OperatorMembership.objects.filter(
            key=OperatorMembership.make_key(kinds.kind_name(self.object), self.object.pk,
                                            kwargs["operator_type"], self.member.pk)).first()

    def get_form_kwargs(self):
        current = self.membership.role if self.membership is not None else None
        return {**super().get_form_kwargs(), "current_role": current}

    def summary(self, form):
        old = self.membership.get_role_display().lower() if self.membership else "operator"
        new = dict(OperatorRole.choices)[form.cleaned_data["role"]].lower()
        return (f"Change the role of {object_label(self.member)} in "
                f"{object_label(self.object)} from {old} to {new}.")

    def context(self, form, **extra):
        context = super().context(form, **extra)
        if self.membership is not None:
            self.membership.refresh_from_db()
            context["membership"] = self.membership
            if self.membership.gone_at is not None and form.errors:
                context["readd"] = {
                    "url": admin_page_url(self.object, "operator_add", self.object.pk),
                    "token_input": once.token_input(),
                    "operator_type": self.membership.operator_type,
                    "role": self.membership.role,
                    "role_label": self.membership.get_role_display().lower(),
                }
        return context
