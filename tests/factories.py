"""factory_boy factories for the org mirror, and the console's personas.

Ids are realistic int64 Dialpad ids from one counter shared by every model (Dialpad's ids
are unique across kinds), and payloads say what the columns say, with ids as JSON strings as
Dialpad sends them.

    office = OfficeFactory()
    user = DialpadUserFactory(office=office, extension="1042")
    PhoneNumberFactory(number="+14155550100", target=user)        # assigned_user, status...
    OperatorMembershipFactory(group=department, operator=user, role="admin")

Personas (plain functions; each call creates a new Django user):
    superuser(), admin_who_may_push(), messenger(), messaging_viewer(), read_only_admin(),
    outsider()
"""

import functools
import itertools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.utils import timezone

from orgs.models import (
    CallCenter,
    Company,
    Department,
    Deskphone,
    DialpadUser,
    E911Address,
    Office,
    OperatorMembership,
    PhoneNumber,
    Room,
)

DIALPAD_ID_START = 5_000_000_000_000_000
_dialpad_ids = itertools.count(DIALPAD_ID_START)


def next_dialpad_id():
    return next(_dialpad_ids)


def _id(value):
    """An id as Dialpad's JSON carries it: a string (None stays None)."""
    return None if value is None else str(value)


class MirroredFactory(factory.django.DjangoModelFactory):
    last_seen_at = factory.LazyFunction(timezone.now)
    gone_at = None

    class Meta:
        abstract = True

    class Params:
        # MirroredFactory(gone=True): marked gone by a sync an hour ago.
        gone = factory.Trait(
            gone_at=factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1))
        )


class CompanyFactory(MirroredFactory):
    class Meta:
        model = Company

    dialpad_id = factory.LazyFunction(next_dialpad_id)
    name = factory.Faker("company")
    domain = factory.Sequence(lambda n: f"company{n}.example.com")
    country = "us"
    account_type = "enterprise"
    state = "active"
    admin_email = factory.LazyAttribute(lambda o: f"it@{o.domain}")
    payload = factory.LazyAttribute(
        lambda o: {
            "id": _id(o.dialpad_id),
            "name": o.name,
            "domain": o.domain,
            "country": o.country,
            "account_type": o.account_type,
            "state": o.state,
            "admin_email": o.admin_email,
        }
    )


class OfficeFactory(MirroredFactory):
    class Meta:
        model = Office

    dialpad_id = factory.LazyFunction(next_dialpad_id)
    name = factory.Sequence(lambda n: f"Office {n:03d}")
    state = "active"
    country = "us"
    timezone = "America/Los_Angeles"
    is_primary_office = False
    availability_status = "open"
    ring_seconds = 30
    payload = factory.LazyAttribute(
        lambda o: {
            "id": _id(o.dialpad_id),
            "office_id": _id(o.dialpad_id),
            "name": o.name,
            "state": o.state,
            "country": o.country,
            "timezone": o.timezone,
            "is_primary_office": o.is_primary_office,
            "availability_status": o.availability_status,
            "ring_seconds": o.ring_seconds,
        }
    )


def _call_group_payload(o):
    return {
        "id": _id(o.dialpad_id),
        "office_id": _id(o.office.pk if o.office else None),
        "name": o.name,
        "group_description": o.description,
        "state": o.state,
        "timezone": o.timezone,
        "availability_status": o.availability_status,
        "ring_seconds": o.ring_seconds,
    }


class DepartmentFactory(MirroredFactory):
    class Meta:
        model = Department

    dialpad_id = factory.LazyFunction(next_dialpad_id)
    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"Department {n:03d}")
    description = ""
    state = "active"
    timezone = "America/Los_Angeles"
    availability_status = "open"
    ring_seconds = 30
    payload = factory.LazyAttribute(_call_group_payload)


class CallCenterFactory(DepartmentFactory):
    class Meta:
        model = CallCenter

    name = factory.Sequence(lambda n: f"Call center {n:03d}")


class RoomFactory(MirroredFactory):
    class Meta:
        model = Room

    dialpad_id = factory.LazyFunction(next_dialpad_id)
    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"Room {n:03d}")
    state = "active"
    country = "us"
    payload = factory.LazyAttribute(
        lambda o: {
            "id": _id(o.dialpad_id),
            "office_id": _id(o.office.pk if o.office else None),
            "name": o.name,
            "state": o.state,
            "country": o.country,
        }
    )


class DialpadUserFactory(MirroredFactory):
    class Meta:
        model = DialpadUser

    dialpad_id = factory.LazyFunction(next_dialpad_id)
    office = factory.SubFactory(OfficeFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    display_name = factory.LazyAttribute(lambda o: f"{o.first_name} {o.last_name}")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    emails = factory.LazyAttribute(lambda o: o.email)
    extension = factory.Sequence(lambda n: str(2000 + n))
    state = "active"
    timezone = "America/Los_Angeles"
    country = "us"
    license = "talk"
    job_title = ""
    is_admin = False
    is_super_admin = False
    date_added = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=90))
    payload = factory.LazyAttribute(
        lambda o: {
            "id": _id(o.dialpad_id),
            "office_id": _id(o.office.pk if o.office else None),
            "first_name": o.first_name,
            "last_name": o.last_name,
            "display_name": o.display_name,
            "emails": o.emails.split("\n") if o.emails else [],
            "extension": o.extension,
            "state": o.state,
            "timezone": o.timezone,
            "country": o.country,
            "license": o.license,
            "job_title": o.job_title,
            "is_admin": o.is_admin,
            "is_super_admin": o.is_super_admin,
            "date_added": o.date_added.isoformat() if o.date_added else None,
            "group_details": [],
        }
    )


# A number's target kind: (target_type, status, the PhoneNumber column that links it).
NUMBER_TARGET_KINDS = {
    DialpadUser: ("user", "user", "assigned_user"),
    Room: ("room", "room", "assigned_room"),
    CallCenter: ("callcenter", "call_center", "assigned_callcenter"),
    Department: ("department", "department", "assigned_department"),
    Office: ("office", "office", "assigned_office"),
}


def _target_kind(o):
    return NUMBER_TARGET_KINDS.get(type(o.target)) if o.target is not None else None


def _assigned(kind_model):
    column = NUMBER_TARGET_KINDS[kind_model][2]

    def declaration(o):
        kind = _target_kind(o)
        return o.target if kind is not None and kind[2] == column else None

    return factory.LazyAttribute(declaration)


def _number_office(o):
    if o.target is None:
        return None
    return o.target if isinstance(o.target, Office) else o.target.office


class PhoneNumberFactory(MirroredFactory):
    """PhoneNumberFactory(target=user_room_group_or_office); no target: an available number."""

    class Meta:
        model = PhoneNumber

    class Params:
        target = None

    number = factory.Sequence(lambda n: f"+1628{2000000 + n:07d}")
    digits = factory.LazyAttribute(lambda o: "".join(ch for ch in o.number if ch.isdigit()))
    area_code = factory.LazyAttribute(lambda o: o.digits[1:4] if o.number.startswith("+1") else "")
    status = factory.LazyAttribute(lambda o: _target_kind(o)[1] if _target_kind(o) else "available")
    type = "local"
    office = factory.LazyAttribute(_number_office)
    target_type = factory.LazyAttribute(lambda o: _target_kind(o)[0] if _target_kind(o) else "")
    target_id = factory.LazyAttribute(lambda o: o.target.pk if o.target is not None else None)
    assigned_user = _assigned(DialpadUser)
    assigned_room = _assigned(Room)
    assigned_callcenter = _assigned(CallCenter)
    assigned_department = _assigned(Department)
    assigned_office = _assigned(Office)
    payload = factory.LazyAttribute(
        lambda o: {
            "number": o.number,
            "area_code": o.area_code,
            "status": o.status,
            "type": o.type,
            "office_id": _id(o.office.pk if o.office else None),
            "target_type": o.target_type or None,
            "target_id": _id(o.target_id),
        }
    )


_GROUP_TYPES = {Office: ("office", "office"), Department: ("department", "department"),
                CallCenter: ("callcenter", "callcenter")}
_OPERATOR_TYPES = {DialpadUser: ("user", "user"), Room: ("room", "room")}


def _group_column(o, column):
    return o.group if _GROUP_TYPES[type(o.group)][1] == column else None


def _operator_column(o, column):
    return o.operator if _OPERATOR_TYPES[type(o.operator)][1] == column else None


class OperatorMembershipFactory(MirroredFactory):
    """OperatorMembershipFactory(group=office_department_or_callcenter, operator=user_or_room)."""

    class Meta:
        model = OperatorMembership

    class Params:
        group = factory.SubFactory(DepartmentFactory)
        operator = factory.SubFactory(DialpadUserFactory)

    group_type = factory.LazyAttribute(lambda o: _GROUP_TYPES[type(o.group)][0])
    group_id = factory.LazyAttribute(lambda o: o.group.pk)
    operator_type = factory.LazyAttribute(lambda o: _OPERATOR_TYPES[type(o.operator)][0])
    operator_id = factory.LazyAttribute(lambda o: o.operator.pk)
    role = "operator"
    key = factory.LazyAttribute(
        lambda o: OperatorMembership.make_key(o.group_type, o.group_id, o.operator_type,
                                              o.operator_id)
    )
    office = factory.LazyAttribute(lambda o: _group_column(o, "office"))
    department = factory.LazyAttribute(lambda o: _group_column(o, "department"))
    callcenter = factory.LazyAttribute(lambda o: _group_column(o, "callcenter"))
    user = factory.LazyAttribute(lambda o: _operator_column(o, "user"))
    room = factory.LazyAttribute(lambda o: _operator_column(o, "room"))
    payload = factory.LazyAttribute(
        lambda o: {"group_type": o.group_type, "group_id": _id(o.group_id), "role": o.role}
    )


class E911AddressFactory(factory.django.DjangoModelFactory):
    """An office's address by default; E911AddressFactory(office=None, user=user) for a user's."""

    class Meta:
        model = E911Address

    office = factory.SubFactory(OfficeFactory)
    user = None
    address = factory.Faker("street_address")
    address2 = ""
    city = "San Francisco"
    state = "ca"
    zip = "94105"
    country = "us"
    fetched_at = factory.LazyFunction(timezone.now)


class DeskphoneFactory(MirroredFactory):
    class Meta:
        model = Deskphone

    dialpad_id = factory.Sequence(lambda n: f"dp{6_000_000_000 + n}")
    room = factory.SubFactory(RoomFactory)
    name = factory.Sequence(lambda n: f"Deskphone {n:03d}")
    type = "polycom"
    mac_address = factory.Sequence(lambda n: "00:04:f2:" + ":".join(
        f"{(n >> shift) & 0xFF:02x}" for shift in (16, 8, 0)))
    phone_number = ""
    payload = factory.LazyAttribute(
        lambda o: {
            "id": o.dialpad_id,
            "name": o.name,
            "type": o.type,
            "mac_address": o.mac_address,
            "phone_number": o.phone_number or None,
            "owner_type": "room",
            "owner_id": _id(o.room.pk if o.room else None),
        }
    )


# --- Console logins (auth.User) and personas -------------------------------------------------

ORGS_MODELS = ("company", "office", "department", "callcenter", "room", "dialpaduser",
               "phonenumber", "operatormembership", "e911address", "deskphone")
PUSH_PERMISSIONS = ("assign_operator", "change_e911", "assign_number", "manage_groups")
PASSWORD = "correct horse battery staple"


class LoginFactory(factory.django.DjangoModelFactory):
    """A console login (auth.User), password PASSWORD."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"login{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    is_staff = False
    is_superuser = False
    password = factory.LazyFunction(lambda: _password_hash())

    @factory.post_generation
    def permissions(obj, create, extracted, **kwargs):
        """LoginFactory(permissions=["orgs.view_office", ...])."""
        if create and extracted:
            obj.user_permissions.add(*orgs_permissions(extracted))
        if create:
            obj.save()


@functools.cache
def _password_hash():
    # Hashed once per test session: a PBKDF2 hash per login costs a third of a second.
    return make_password(PASSWORD)


def orgs_permissions(names):
    """Permission rows for "app_label.codename" names."""
    wanted = [name.split(".", 1) for name in names]
    found = list(
        Permission.objects.filter(
            content_type__app_label__in={app for app, _ in wanted},
            codename__in={codename for _, codename in wanted},
        ).select_related("content_type")
    )
    by_name = {f"{p.content_type.app_label}.{p.codename}": p for p in found}
    missing = set(names) - set(by_name)
    if missing:
        raise LookupError(f"No such permission: {', '.join(sorted(missing))}")
    return [by_name[name] for name in names]


VIEW_ORGS = [f"orgs.view_{model}" for model in ORGS_MODELS]
# The push journal and the bulk pushes' pages (view permissions: nothing to push with).
VIEW_PUSHES = ["orgs.view_pushrecord", "orgs.view_bulkpushjob"]


def superuser(**kwargs):
    return LoginFactory(username=kwargs.pop("username", "root"), is_staff=True,
                        is_superuser=True, **kwargs)


def admin_who_may_push(**kwargs):
    """Staff who can see the org and the push journal, and push operator, E911, number and
    group changes."""
    return LoginFactory(
        username=kwargs.pop("username", "pusher"), is_staff=True,
        permissions=VIEW_ORGS + VIEW_PUSHES
        + [f"orgs.{codename}" for codename in PUSH_PERMISSIONS], **kwargs,
    )


MESSAGING_MODELS = ("smsmessage", "bulkmessagejob", "scheduledmessage", "channel",
                    "channelmember", "smsoptout")
VIEW_MESSAGING = [f"messaging.view_{model}" for model in MESSAGING_MODELS]


def messenger(**kwargs):
    """Staff who can see the org and send SMS, bulk and scheduled messages, and manage
    channels (but push nothing else)."""
    return LoginFactory(
        username=kwargs.pop("username", "messenger"), is_staff=True,
        permissions=VIEW_ORGS + VIEW_PUSHES + VIEW_MESSAGING
        + ["messaging.send_sms", "messaging.manage_channels"], **kwargs,
    )


def messaging_viewer(**kwargs):
    """Staff who can see the org and what was sent, and send nothing."""
    return LoginFactory(username=kwargs.pop("username", "messaging-viewer"), is_staff=True,
                        permissions=VIEW_ORGS + VIEW_PUSHES + VIEW_MESSAGING, **kwargs)


def read_only_admin(**kwargs):
    """Staff with only view permissions: the org mirror, the push journal, bulk pushes."""
    return LoginFactory(username=kwargs.pop("username", "viewer"), is_staff=True,
                        permissions=VIEW_ORGS + VIEW_PUSHES, **kwargs)


def outsider(**kwargs):
    """An active login that is not staff: the admin sends it to the login page."""
    return LoginFactory(username=kwargs.pop("username", "outsider"), **kwargs)


# --- A small org, for pages that need one of everything ----------------------------------------


class Org:
    """What org_build made: lists of each kind, in creation order."""

    def __init__(self):
        self.offices, self.departments, self.callcenters, self.rooms = [], [], [], []
        self.users, self.numbers, self.memberships = [], [], []
        self.e911_addresses, self.deskphones = [], []


def org_build(*, size=1, office=None, org=None):
    """`size` units of an org, each with one of every mirrored kind and their links.

    A unit: an office (or the given `office`, shared by every unit), a department, a call
    center, a room and a user in it; a number assigned to each of those five; the user as an
    operator of the office, the department and the call center (admin of the latter), the room
    as an operator of the department; an E911 address for the office (when new) and the user; a
    deskphone for the room. Pass `org` to add to an earlier result.
    """
    org = org or Org()
    for _ in range(size):
        unit_office = office or OfficeFactory()
        if office is None:
            org.offices.append(unit_office)
            org.e911_addresses.append(E911AddressFactory(office=unit_office))
        department = DepartmentFactory(office=unit_office)
        callcenter = CallCenterFactory(office=unit_office)
        room = RoomFactory(office=unit_office)
        user = DialpadUserFactory(office=unit_office)
        org.departments.append(department)
        org.callcenters.append(callcenter)
        org.rooms.append(room)
        org.users.append(user)
        for target in (user, room, department, callcenter, unit_office):
            org.numbers.append(PhoneNumberFactory(target=target))
        org.memberships += [
            OperatorMembershipFactory(group=unit_office, operator=user),
            OperatorMembershipFactory(group=department, operator=user),
            OperatorMembershipFactory(group=callcenter, operator=user, role="admin"),
            OperatorMembershipFactory(group=department, operator=room),
        ]
        org.e911_addresses.append(E911AddressFactory(office=None, user=user))
        org.deskphones.append(DeskphoneFactory(room=room))
    return org
