"""Who a message is sent as, resolved from the mirror and shown before anything is sent.

Dialpad's rules (SendSMSMessage): an explicit from-number wins; it must be assigned to a
user or to an office, department or call center. Else the message is sent as a user, from
the user's number; or as a user on behalf of a group (office, department, call center) the
user operates, from the group's number. Bulk messages and schedules are always sent as a
user, from one of the user's own numbers.

Each resolver returns a Sender or raises ValidationError({field: [message]}), naming the
field the admin filled in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from orgs import validators
from orgs.kinds import GROUP_KINDS, kind_of, object_label
from orgs.models import DialpadUser, OperatorMembership, PhoneNumber

from .choices import SenderKind

# What a from-number may be assigned to, to send SMS (SendSMSMessage.from_number).
SENDING_TARGETS = ("user", "office", "department", "callcenter")


@dataclass(frozen=True)
class Sender:
    kind: str  # SenderKind
    user: DialpadUser | None = None
    group: object | None = None  # Office, Department or CallCenter
    from_number: str = ""  # given, or the number the message goes out from
    explicit_number: bool = False

    @property
    def label(self):
        """As the preview and the record name it."""
        if self.kind == SenderKind.NUMBER:
            owner = _owner(self.from_number)
            return f"{self.from_number} ({object_label(owner)})" if owner else self.from_number
        if self.kind == SenderKind.GROUP:
            return f"{object_label(self.group)}, as {self.user}" + _from(self.from_number)
        return f"user {self.user}" + _from(self.from_number)

    @property
    def country(self):
        """Where the sender is: recipients' national numbers are read in this country."""
        office = None
        if self.kind == SenderKind.GROUP:
            office = self.group if kind_of(self.group).name == "office" else self.group.office
        elif self.user is not None:
            office = self.user.office
        else:
            number = PhoneNumber.objects.filter(number=self.from_number).first()
            office = number.office if number else None
        country = (office.country if office else "") or (self.user.country if self.user else "")
        return (country or "us").upper()

    @property
    def timezone(self):
        """The sender's office's timezone (a schedule's default)."""
        office = self.user.office if self.user is not None else None
        return (office.timezone if office else "") or (self.user.timezone if self.user else "") \
            or "UTC"

    def sms_fields(self):
        """The SendSMSMessage fields that say who sends."""
        if self.kind == SenderKind.NUMBER:
            return {"from_number": self.from_number}
        fields = {"user_id": self.user.pk}
        if self.kind == SenderKind.GROUP:
            fields.update(sender_group_type=kind_of(self.group).name,
                          sender_group_id=self.group.pk)
        return fields


def _from(number):
    return f", from {number}" if number else ""


def _owner(e164):
    row = PhoneNumber.objects.filter(number=e164).select_related(
        "assigned_user", "assigned_office", "assigned_department", "assigned_callcenter",
        "assigned_room").first()
    return row.target if row else None


def sendable_numbers():
    """The numbers an SMS may be sent from: assigned, in the mirror, to a user or group."""
    return PhoneNumber.objects.filter(gone_at__isnull=True,
                                      target_type__in=SENDING_TARGETS).exclude(
        assigned_user__state__in=["suspended", "cancelled", "deleted", "pending"])


def resolve_sms_sender(*, from_number=None, user=None, group=None):
    """The Sender of an SMS (see the module docstring)."""
    if from_number:
        return Sender(SenderKind.NUMBER, from_number=_sending_number(from_number),
                      explicit_number=True)
    if user is None:
        field = "user" if group is not None else "from_number"
        message = (f"Choose the user who sends on behalf of {object_label(group)}."
                   if group is not None else
                   "Choose who sends: a number, a user, or a user on behalf of a group.")
        raise ValidationError({field: [message]})
    _check_user(user, "user")
    if group is None:
        return Sender(SenderKind.USER, user=user, from_number=_numbers_of(user, "user")[0])
    _check_group(user, group)
    return Sender(SenderKind.GROUP, user=user, group=group,
                  from_number=_numbers_of(group, "group")[0])


def resolve_user_sender(*, user, from_number=None, field="from_number"):
    """The Sender of a bulk message or a schedule: a user, from one of its own numbers (its
    first one when none is given)."""
    if user is None:
        raise ValidationError({"user": ["Choose the user who sends."]})
    _check_user(user, "user")
    own = _numbers_of(user, "user")
    if not from_number:
        return Sender(SenderKind.USER, user=user, from_number=own[0])
    try:
        number = validators.e164(from_number, region=_user_country(user))
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    if number not in own:
        raise ValidationError({field: [
            f"{number} is not {user}'s number: Dialpad sends a bulk or scheduled message "
            f"only from the sender's own numbers ({', '.join(own)})."]})
    return Sender(SenderKind.USER, user=user, from_number=number, explicit_number=True)


def _sending_number(text):
    try:
        number = validators.e164(text, region="US")
    except ValidationError as exc:
        raise ValidationError({"from_number": exc.messages}) from None
    row = PhoneNumber.objects.filter(number=number, gone_at__isnull=True).first()
    target = row.target if row else None
    kind = kind_of(target)
    if row is None or kind is None or kind.name not in SENDING_TARGETS:
        where = f" (it is assigned to {object_label(target)}, which cannot send)" if \
            target is not None else ""
        raise ValidationError({"from_number": [
            f"{number} is not assigned to any user or group{where}."]})
    if kind.name == "user" and target.state != "active":
        raise ValidationError({"from_number": [
            f"{number} belongs to {target}, who is {target.state or 'not active'} and cannot "
            "send messages."]})
    return number


def _check_user(user, field):
    if not isinstance(user, DialpadUser):
        raise ValidationError({field: ["Choose a user."]})
    if user.gone_at is not None or user.state != "active":
        state = "gone from Dialpad" if user.gone_at else (user.state or "not active")
        raise ValidationError({field: [f"{user} is {state} and cannot send messages."]})


def _check_group(user, group):
    kind = kind_of(group)
    if kind is None or kind.name not in GROUP_KINDS or group.gone_at is not None:
        raise ValidationError({"group": ["Choose an office, department or call center."]})
    operates = OperatorMembership.objects.filter(
        operator_type="user", operator_id=user.pk, group_type=kind.name, group_id=group.pk,
        gone_at__isnull=True).exists()
    if not operates:
        raise ValidationError({"group": [
            f"{user} is not an operator of {object_label(group)}: a user sends only on behalf "
            "of a group it operates."]})


def _numbers_of(target, field):
    """The target's numbers, primary first (as its payload lists them)."""
    kind = kind_of(target)
    assigned = set(PhoneNumber.objects.filter(
        gone_at__isnull=True, **{kind.number_column: target.pk}).values_list("number",
                                                                             flat=True))
    listed = [n for n in (target.payload or {}).get("phone_numbers") or [] if n in assigned]
    numbers = listed + sorted(assigned - set(listed))
    if not numbers:
        raise ValidationError({field: [
            f"{object_label(target)[0].upper()}{object_label(target)[1:]} has no number to "
            "send from."]})
    return numbers


def _user_country(user):
    return ((user.office.country if user.office else "") or user.country or "us").upper()


def group_choices():
    """(value, label) of every group a message may be sent on behalf of: "department:123"."""
    choices = []
    for name, kind in GROUP_KINDS.items():
        for group in kind.model.objects.filter(gone_at__isnull=True).order_by("name"):
            choices.append((f"{name}:{group.pk}", object_label(group)))
    return choices


def group_from_choice(value):
    """The group a group_choices() value names (None if none, or unknown)."""
    name, _, pk = (value or "").partition(":")
    kind = GROUP_KINDS.get(name)
    if kind is None or not pk.isdigit():
        return None
    return kind.model.objects.filter(pk=int(pk)).first()
