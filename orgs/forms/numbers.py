"""Numbers: assign one to the page's object or from a number's page, unassign one."""

from django import forms

from .. import services
from ..kinds import NUMBER_TARGET_KINDS
from ..models import CallCenter, Department, DialpadUser, Office, Room
from ._base import ObjectChoiceField, PushForm, chosen


class NumberAssignForm(PushForm):
    """Assign a number to `target`: a given number (one of the company's free numbers picked
    in the admin, or typed in any format), or any free number of an area code. Not made
    primary unless asked. A number assigned to something else is taken from it: that needs
    a confirmation, which names its holder."""

    service = staticmethod(services.number_assign)

    number = forms.CharField(
        required=False, max_length=32,
        help_text="One of the company's free numbers (search by digits or area code), or "
                  "type any number of the company, as E.164 (+14155550100) or as dialled in "
                  "the target's country. A number in use elsewhere is moved only after a "
                  "confirmation naming who has it.")
    area_code = forms.CharField(required=False, max_length=5,
                                help_text="Or: any free number in this area code.")
    primary = forms.BooleanField(required=False, label="Make it the primary number")

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target

    @property
    def holder(self):
        """What the chosen number is assigned to now, other than the target (None: free)."""
        number = getattr(self, "cleaned_data", {}).get("number")
        return services.number_holder(number=number, target=self.target) if number else None

    @property
    def needs_confirmation(self):
        return self.holder is not None

    def push_kwargs(self):
        data = self.cleaned_data
        return {"target": self.target, "number": data["number"] or None,
                "area_code": data["area_code"] or None, "primary": data["primary"]}


class NumberAssignToForm(PushForm):
    """Assign `number` (a PhoneNumber) to a target chosen by type, from the number's page."""

    service = staticmethod(services.number_assign)

    target_type = forms.ChoiceField(
        label="Assign to",
        choices=[(name, kind.label.capitalize()) for name, kind in NUMBER_TARGET_KINDS.items()])
    office = ObjectChoiceField(Office, required=False)
    room = ObjectChoiceField(Room, required=False)
    user = ObjectChoiceField(DialpadUser, required=False)
    callcenter = ObjectChoiceField(CallCenter, required=False, label="Call center")
    department = ObjectChoiceField(Department, required=False)
    primary = forms.BooleanField(required=False, label="Make it the primary number")

    def __init__(self, *args, number, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number

    @property
    def needs_confirmation(self):
        # Moving a number away from its current target takes it from them, also when the
        # target is a kind the console does not mirror (a call router, say: no `target`).
        return self.number.target is not None or bool(self.number.target_type)

    def clean(self):
        data = super().clean()
        data["target"] = chosen(self, data, "target_type", "Choose the {label}.")
        return data

    def push_kwargs(self):
        return {"target": self.cleaned_data["target"], "number": self.number.number,
                "primary": self.cleaned_data["primary"]}


class NumberUnassignForm(PushForm):
    """Unassign `number`; `consequence` says plainly when it may be lost for good."""

    service = staticmethod(services.number_unassign)
    needs_confirmation = True

    release = forms.BooleanField(
        required=False, label="Release the number",
        help_text="Give the number up for good instead of returning it to the company's "
                  "reserved pool.")

    def __init__(self, *args, number, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number

    @property
    def consequence(self):
        release = bool(getattr(self, "cleaned_data", {}).get("release"))
        return services.number_unassign_consequence(number=self.number.number, release=release)

    def push_kwargs(self):
        return {"number": self.number, "release": self.cleaned_data["release"]}
