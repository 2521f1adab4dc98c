"""Who can send what in the demo org as the console mirrors it (for the messaging tests)."""

from orgs.models import DialpadUser, OperatorMembership, PhoneNumber
from messaging.models import SmsOptOut


def a_sender(sim):
    """An active user whose own first number is A2P-registered in the simulator."""
    a2p = sim.state.messaging.a2p_numbers
    for user in DialpadUser.objects.filter(state="active", gone_at__isnull=True).order_by("pk"):
        numbers = user.payload.get("phone_numbers") or []
        if numbers and numbers[0] in a2p:
            return user
    raise LookupError("no A2P-registered sender")


def an_unregistered_sender(sim):
    a2p = sim.state.messaging.a2p_numbers
    for user in DialpadUser.objects.filter(state="active", gone_at__isnull=True).order_by("pk"):
        numbers = user.payload.get("phone_numbers") or []
        if numbers and numbers[0] not in a2p:
            return user
    raise LookupError("every sender is registered")


def first_number(user):
    return user.payload["phone_numbers"][0]




def an_opted_out_number():
    return SmsOptOut.objects.filter(state="opted_out", gone_at__isnull=True).first().number


def a_number_of(kind):
    """A number assigned to a `kind` ("office", "room", "user"...)."""
    return PhoneNumber.objects.filter(target_type=kind, gone_at__isnull=True).first().number


CUSTOMERS = [f"+1415555{2000 + i:04d}" for i in range(2000)]


def an_operator_and_department():
    """(user, department): an active user who operates a department."""
    membership = OperatorMembership.objects.filter(
        operator_type="user", group_type="department", gone_at__isnull=True,
        user__state="active", department__isnull=False).order_by("pk").first()
    return membership.user, membership.department


def a_department_it_does_not_operate(user):
    from orgs.models import Department

    operated = OperatorMembership.objects.filter(
        operator_type="user", operator_id=user.pk, group_type="department").values("group_id")
    return Department.objects.exclude(pk__in=operated).first()
