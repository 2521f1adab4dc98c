"""E911 addresses: an office's, a user's, or an address alone (for a bulk action)."""

from django import forms

from .. import services, validators
from ..models import E911Address
from ..services.e911 import e911_address_rules
from ._base import PushForm


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
