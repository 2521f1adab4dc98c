"""One plain Django form per push, for custom admin views, bulk-action pages and commands.

Every form validates everything before anything is sent (numbers to E.164 in the target's
country, enums, single-line E911 fields, ring seconds 10-45, name and description lengths),
with each message on its field. A view then uses the same three steps for every push:

    form = OperatorAddForm(request.POST or None, group=callcenter)
    if form.is_valid():
        planned = form.preview(actor=request.user)   # PushRequest: what will be sent
        # ... a confirmation page shows planned.as_text() and planned.note when
        # form.needs_confirmation, and posts back with a "confirmed" flag ...
        if form.save(actor=request.user) is not None:
            ...  # success: form.result is the updated mirror object, and
                 # form.push_record the push's journal row
    # else re-render: form.errors holds the field errors, or Dialpad's refusal as a
    # non-field error ("Dialpad refused: ...", also in form.refusal)

Forms parse what was typed (types, choices, which of several fields was meant); the rules a
value must follow live once, in the services: a valid parse is checked by the service's own
rules (`<service>.validate`), whose messages land on the fields they name. `save()` and
`preview()` let PermissionDenied through (the view answers 403) and turn the service's
ValidationError and PushRefused into form errors. Model choice fields are plain
ModelChoiceFields over rows that are not gone; the admin can swap in autocomplete widgets.
"""

from django import forms
from django.core.exceptions import ValidationError

from . import services, validators
from .choices import OperatorRole, OperatorType
from .exceptions import PushRefused
from .kinds import NUMBER_TARGET_KINDS
from .models import CallCenter, Department, DialpadUser, E911Address, Office, Room
from .services.e911 import e911_address_rules


def _alive(model):
    return model.objects.filter(gone_at__isnull=True)


def _chosen(form, data, chooser, message):
    """The object in the field that the `chooser` field's value names (None if none); when
    that field was left empty, `message` (with {label}: the field's label) goes on it."""
    name = data.get(chooser)
    if not name or name not in form.fields:
        return None
    if not data.get(name):
        form.add_error(name, message.format(label=form[name].label.lower()))
    return data.get(name)


class PushForm(forms.Form):
    """What every push form shares: preview(), save(), and the refusal as a form error."""

    #: The service function (a staticmethod, or a property choosing one), called as
    #: self.service(actor=..., **self.push_kwargs()).
    service = None
    #: True when the push changes something in use: the view shows a confirmation page.
    needs_confirmation = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.result = None
        self.refusal = None

    def push_kwargs(self):
        """The service's keyword arguments (other than actor) from cleaned_data."""
        raise NotImplementedError

    def service_rules(self):
        """The input rules of the push's service, called with push_kwargs() (None: the
        service checks its input only when called)."""
        return getattr(self.service, "validate", None)

    def _post_clean(self):
        # After the fields and clean(): the service's rules, with their cleaned values (a
        # number in E.164, say) kept. Fields that did not parse reach the rules as None, so
        # that every field's message shows at once; the parse error stays the one shown.
        rules = self.service_rules()
        if rules is None:
            return
        parsed, failed = self.cleaned_data, set(self.errors)
        self.cleaned_data = {**dict.fromkeys(self.fields), **parsed}
        try:
            cleaned = rules(**self.push_kwargs())
        except ValidationError as exc:
            self._add_service_errors(exc, skip=failed)
            return
        finally:
            self.cleaned_data = parsed
        if not failed:
            for name, value in (cleaned or {}).items():
                if name in self.fields:
                    self.cleaned_data[name] = value

    def _call(self, actor, **extra):
        if not self.is_valid():
            return None  # the reasons are in self.errors; nothing is sent
        try:
            return self.service(actor=actor, **self.push_kwargs(), **extra)
        except ValidationError as exc:
            self._add_service_errors(exc)
        return None

    def preview(self, *, actor):
        """The PushRequest that save() would send (nothing is sent), or None if invalid."""
        return self._call(actor, preview=True)

    def save(self, *, actor):
        """Push; returns the updated mirror object, or None with the reason in the errors."""
        try:
            self.result = self._call(actor)
        except PushRefused as exc:
            self.refusal = exc
            self.add_error(None, exc.message)
            return None
        return self.result

    @property
    def push_record(self):
        """The journal row of the push save() made (None before, or if nothing was sent)."""
        return getattr(self.result, "push_record", None)

    def _add_service_errors(self, exc, skip=()):
        """The service's messages on the fields they name (non-field errors otherwise);
        none when the form already has errors and the field in `skip` has one."""
        if not hasattr(exc, "error_dict"):
            if not skip:
                self.add_error(None, exc)
            return
        for field, errors in exc.error_dict.items():
            field = field if field in self.fields else None
            if not skip or (field is not None and field not in skip):
                self.add_error(field, errors)

    @property
    def dialpad_refused(self):
        return self.refusal is not None


# --- operators -----------------------------------------------------------------------------


class OperatorAddForm(PushForm):
    """Add a user or a room (offices and departments only) as operator of `group`."""

    service = staticmethod(services.operator_add)

    operator_type = forms.ChoiceField(
        label="Operator type", choices=OperatorType.choices, initial=OperatorType.USER)
    user = forms.ModelChoiceField(queryset=_alive(DialpadUser), required=False)
    room = forms.ModelChoiceField(queryset=_alive(Room), required=False)
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
        data["member"] = _chosen(self, data, "operator_type", "Choose the {label} to add.")
        return data

    def push_kwargs(self):
        data = self.cleaned_data
        return {"group": self.group, "member": data["member"], "role": data["role"]}


class OperatorGroupForm(forms.Form):
    """Choose a department or call center and a role (e.g. for "add the selected users")."""

    group_type = forms.ChoiceField(choices=[("department", "Department"),
                                            ("callcenter", "Call center")])
    department = forms.ModelChoiceField(queryset=_alive(Department), required=False)
    callcenter = forms.ModelChoiceField(queryset=_alive(CallCenter), required=False,
                                        label="Call center")
    role = forms.ChoiceField(choices=OperatorRole.choices, initial=OperatorRole.OPERATOR)

    def clean(self):
        data = super().clean()
        data["group"] = _chosen(self, data, "group_type", "Choose the group to add them to.")
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


# --- E911 ----------------------------------------------------------------------------------


class E911AddressForm(PushForm):
    """The six E911 fields (the address alone, for a bulk action; its subclasses push it)."""

    address = forms.CharField(label=validators.E911_LABELS["address"])
    address2 = forms.CharField(label=validators.E911_LABELS["address2"], required=False)
    city = forms.CharField(label=validators.E911_LABELS["city"])
    state = forms.CharField(label=validators.E911_LABELS["state"])
    zip = forms.CharField(label=validators.E911_LABELS["zip"])
    country = forms.CharField(help_text="Two-letter code, e.g. US.",
                              widget=forms.TextInput(attrs={"size": 4}))
    use_validated_option = forms.BooleanField(
        required=False, label="Use Dialpad's validated address",
        help_text="Let Dialpad replace the address with the validated form of it.")

    def __init__(self, *args, stored=None, **kwargs):
        if stored is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(stored, name) for name in
                                 ("address", "address2", "city", "state", "zip")}
            kwargs["initial"]["country"] = (stored.country or "").upper()
        super().__init__(*args, **kwargs)

    def service_rules(self):
        return e911_address_rules if self.service is None else super().service_rules()

    def push_kwargs(self):
        return {"address": self.address_values()}

    def address_values(self):
        return {name: self.cleaned_data.get(name, "") for name in
                ("address", "address2", "city", "state", "zip", "country")}


class OfficeE911Form(E911AddressForm):
    """Edit an office's E911 address (optionally applying it to all the office's users)."""

    service = staticmethod(services.office_e911_update)

    apply_to_users = forms.BooleanField(
        required=False, label="Apply to all users of the office",
        help_text="Replaces the E911 address of every user of this office.")

    def __init__(self, *args, office, **kwargs):
        stored = E911Address.objects.filter(office=office).first()
        super().__init__(*args, stored=stored, **kwargs)
        self.office = office

    @property
    def needs_confirmation(self):
        return bool(getattr(self, "cleaned_data", {}).get("apply_to_users"))

    def push_kwargs(self):
        return {"office": self.office, "address": self.address_values(),
                "apply_to_users": self.cleaned_data.get("apply_to_users", False),
                "use_validated_option": self.cleaned_data.get("use_validated_option", False)}


class UserE911Form(E911AddressForm):
    """Edit a user's E911 address."""

    service = staticmethod(services.user_e911_update)

    def __init__(self, *args, user, **kwargs):
        stored = E911Address.objects.filter(user=user).first()
        super().__init__(*args, stored=stored, **kwargs)
        self.user = user

    def push_kwargs(self):
        return {"user": self.user, "address": self.address_values(),
                "use_validated_option": self.cleaned_data.get("use_validated_option", False)}


# --- numbers -------------------------------------------------------------------------------


class NumberAssignForm(PushForm):
    """Assign a number to `target`: a given number (typed in any format), or any free number
    of an area code. Not made primary unless asked."""

    service = staticmethod(services.number_assign)

    number = forms.CharField(
        required=False, max_length=32,
        help_text="E.164 (+14155550100) or as dialled in the target's country.")
    area_code = forms.CharField(required=False, max_length=5,
                                help_text="Or: any free number in this area code.")
    primary = forms.BooleanField(required=False, label="Make it the primary number")

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target

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
    office = forms.ModelChoiceField(queryset=_alive(Office), required=False)
    room = forms.ModelChoiceField(queryset=_alive(Room), required=False)
    user = forms.ModelChoiceField(queryset=_alive(DialpadUser), required=False)
    callcenter = forms.ModelChoiceField(queryset=_alive(CallCenter), required=False,
                                        label="Call center")
    department = forms.ModelChoiceField(queryset=_alive(Department), required=False)
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
        data["target"] = _chosen(self, data, "target_type", "Choose the {label}.")
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


# --- rooms ---------------------------------------------------------------------------------


class RoomCreateForm(PushForm):
    """Create a room in `office` (or in the office chosen in the form)."""

    service = staticmethod(services.room_create)

    office = forms.ModelChoiceField(queryset=_alive(Office))
    name = forms.CharField()

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        if office is not None:
            del self.fields["office"]

    def push_kwargs(self):
        return {"office": self.office or self.cleaned_data["office"],
                "name": self.cleaned_data["name"]}


class RoomRenameForm(PushForm):
    service = staticmethod(services.room_rename)

    name = forms.CharField()

    def __init__(self, *args, room, **kwargs):
        kwargs.setdefault("initial", {"name": room.name})
        super().__init__(*args, **kwargs)
        self.room = room

    def push_kwargs(self):
        return {"room": self.room, "name": self.cleaned_data["name"]}


class RoomDeleteForm(PushForm):
    """Delete `room` (no fields: a confirmation; the preview names its numbers)."""

    service = staticmethod(services.room_delete)
    needs_confirmation = True

    def __init__(self, *args, room, **kwargs):
        super().__init__(*args, **kwargs)
        self.room = room

    def push_kwargs(self):
        return {"room": self.room}


# --- departments and call centers ----------------------------------------------------------


def _hours_text(times):
    """["08:00", "12:00", "13:00", "17:00"] -> "08:00-12:00, 13:00-17:00"."""
    times = list(times or [])
    return ", ".join(f"{a}-{b}" for a, b in zip(times[::2], times[1::2]))


class CallGroupForm(PushForm):
    """Create (without `instance`) or edit (with it) a department or call center.

    When editing, only the fields the admin changed are sent. Hours are typed per day as
    "08:00-12:00, 13:00-17:00"; empty means closed that day.
    """

    kind = None  # "department" | "callcenter"
    create_service = None
    update_service = None

    office = forms.ModelChoiceField(queryset=_alive(Office))
    name = forms.CharField()
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    ring_seconds = forms.IntegerField(
        required=False,
        help_text=f"How long the line rings before voicemail: {validators.RING_SECONDS_MIN} "
                  f"to {validators.RING_SECONDS_MAX} seconds.")
    hours_on = forms.BooleanField(
        required=False, label="Open only during the hours below",
        help_text="Unticked: takes calls at any time (24/7).")

    def __init__(self, *args, instance=None, office=None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            payload = instance.payload or {}
            initial = {"name": instance.name, "description": instance.description,
                       "ring_seconds": instance.ring_seconds,
                       "hours_on": bool(payload.get("hours_on"))}
            for day in validators.DAYS:
                initial[f"{day}_hours"] = _hours_text(payload.get(f"{day}_hours"))
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for day in validators.DAYS:
            self.fields[f"{day}_hours"] = forms.CharField(
                required=False, label=f"{day.capitalize()} hours",
                help_text="e.g. 08:00-18:00" if day == "monday" else "")
        self.office = office or getattr(instance, "office", None)
        if instance is not None or office is not None:
            del self.fields["office"]

    def clean(self):
        data = super().clean()
        for day in validators.DAYS:
            field = f"{day}_hours"
            try:
                data[field] = validators.day_hours(data.get(field) or "", day=day)
            except ValidationError as exc:
                self.add_error(field, exc)
        return data

    @property
    def service(self):
        return self.update_service if self.instance is not None else self.create_service

    def push_kwargs(self):
        data = self.cleaned_data
        if self.instance is None:
            kwargs = {"office": self.office or data["office"], "name": data["name"],
                      "description": data["description"] or None,
                      "ring_seconds": data["ring_seconds"]}
            if data["hours_on"]:
                kwargs["hours_on"] = True
                kwargs["hours"] = {day: data[f"{day}_hours"] for day in validators.DAYS}
            return kwargs
        changed = set(self.changed_data)
        kwargs = {self.kind: self.instance}
        for name in ("name", "description", "ring_seconds", "hours_on"):
            if name in changed and not (name == "ring_seconds" and data[name] is None):
                kwargs[name] = data[name]
        hours = {day: data[f"{day}_hours"] for day in validators.DAYS
                 if f"{day}_hours" in changed}
        if hours:
            kwargs["hours"] = hours
        return kwargs


class DepartmentForm(CallGroupForm):
    kind = "department"
    create_service = staticmethod(services.department_create)
    update_service = staticmethod(services.department_update)


class CallCenterForm(CallGroupForm):
    kind = "callcenter"
    create_service = staticmethod(services.callcenter_create)
    update_service = staticmethod(services.callcenter_update)


# --- users ---------------------------------------------------------------------------------


class UserMoveOfficeForm(PushForm):
    """Move `user` to another office (the preview warns when that swaps its numbers)."""

    service = staticmethod(services.user_move_office)

    office = forms.ModelChoiceField(queryset=_alive(Office), label="Move to office")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["office"].queryset = _alive(Office).exclude(pk=user.office_id)

    @property
    def needs_confirmation(self):
        office = getattr(self, "cleaned_data", {}).get("office")
        return services.move_changes_country(self.user, office)

    def push_kwargs(self):
        return {"user": self.user, "office": self.cleaned_data["office"]}
