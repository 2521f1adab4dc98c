"""Operators: add one to a group, remove one, and choose a group for a bulk add."""

from django import forms

from .. import services
from ..choices import OperatorRole, OperatorType
from ..models import CallCenter, DialpadUser, Department, Room
from ._base import ObjectChoiceField, PushForm, chosen


class OperatorAddForm(PushForm):
    """Add a user or a room (offices and departments only) as operator of `group`."""

    service = staticmethod(services.operator_add)

    operator_type = forms.ChoiceField(
        label="Operator type", choices=OperatorType.choices, initial=OperatorType.USER)
    user = ObjectChoiceField(DialpadUser, required=False)
    room = ObjectChoiceField(Room, required=False)
    role = forms.ChoiceField(choices=OperatorRole.choices, initial=OperatorRole.OPERATOR)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        if isinstance(group, CallCenter):
            # Call centers take users only.
            self.fields["operator_type"].choices = [(OperatorType.USER, OperatorType.USER.label)]
            del self.fields["room"]

    def clean(self):
        data = super().clean()
        data["member"] = chosen(self, data, "operator_type", "Choose the {label} to add.")
        return data

    def push_kwargs(self):
        data = self.cleaned_data
        return {"group": self.group, "member": data["member"], "role": data["role"]}


class OperatorGroupForm(forms.Form):
    """Choose a department or call center and a role (e.g. for "add the selected users")."""

    group_type = forms.ChoiceField(choices=[("department", "Department"),
                                            ("callcenter", "Call center")])
    department = ObjectChoiceField(Department, required=False)
    callcenter = ObjectChoiceField(CallCenter, required=False, label="Call center")
    role = forms.ChoiceField(choices=OperatorRole.choices, initial=OperatorRole.OPERATOR)

    def clean(self):
        data = super().clean()
        data["group"] = chosen(self, data, "group_type", "Choose the group to add them to.")
        return data


class OperatorRemoveForm(PushForm):
    """Remove `member` from the operators of `group` (no fields: a confirmation)."""

    service = staticmethod(services.operator_remove)
    needs_confirmation = True

    def __init__(self, *args, group, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.member = member

    def push_kwargs(self):
        return {"group": self.group, "member": self.member}


class OperatorRoleForm(PushForm):
    """Change the role of `member` (a user) in `group`: remove, then add back (confirmed)."""

    service = staticmethod(services.operator_role_change)
    needs_confirmation = True

    role = forms.ChoiceField(label="New role", choices=OperatorRole.choices)

    def __init__(self, *args, group, member, current_role=None, **kwargs):
        if current_role and "initial" not in kwargs:
            others = [value for value in OperatorRole.values if value != current_role]
            kwargs["initial"] = {"role": others[0] if others else current_role}
        super().__init__(*args, **kwargs)
        self.group = group
        self.member = member

    def push_kwargs(self):
        return {"group": self.group, "member": self.member, "role": self.cleaned_data["role"]}
