"""The registry of mirrored object kinds: every per-kind map of the console derives from here.

A kind is Dialpad's name for a kind of object ("office", "department", "callcenter", "room",
"user", "number") with its model, the label messages use, the sync entity that mirrors it,
and the PhoneNumber column that links a number assigned to it. Adding a kind is one entry.
"""

from dataclasses import dataclass

from .models import CallCenter, Department, DialpadUser, Office, PhoneNumber, Room


@dataclass(frozen=True)
class Kind:
    name: str  # Dialpad's name, as in target_type / group_type
    model: type
    label: str  # as messages name it: "call center Support"
    entity: str  # the sync entity (orgs.mirror.ENTITY_MIRRORS) that mirrors it
    number_column: str = ""  # PhoneNumber's link to a number's target of this kind
    is_group: bool = False  # has operators (office, department, call center)

    @property
    def mirror(self):
        from .mirror import ENTITY_MIRRORS  # mirror's fields read this registry

        return ENTITY_MIRRORS[self.entity]


OFFICE = Kind("office", Office, "office", "offices", "assigned_office_id", is_group=True)
DEPARTMENT = Kind("department", Department, "department", "departments",
                  "assigned_department_id", is_group=True)
CALLCENTER = Kind("callcenter", CallCenter, "call center", "callcenters",
                  "assigned_callcenter_id", is_group=True)
ROOM = Kind("room", Room, "room", "rooms", "assigned_room_id")
USER = Kind("user", DialpadUser, "user", "users", "assigned_user_id")
NUMBER = Kind("number", PhoneNumber, "number", "numbers")

KINDS = {kind.name: kind for kind in (OFFICE, DEPARTMENT, CALLCENTER, ROOM, USER, NUMBER)}
# What has operators.
GROUP_KINDS = {name: kind for name, kind in KINDS.items() if kind.is_group}
# What a number can be assigned to, in the order an admin is offered them.
NUMBER_TARGET_KINDS = {kind.name: kind for kind in (OFFICE, ROOM, USER, CALLCENTER, DEPARTMENT)}
_BY_MODEL = {kind.model: kind for kind in KINDS.values()}


def kind_of(obj):
    """The Kind of a mirrored object (or model), None for anything else."""
    model = obj if isinstance(obj, type) else type(obj)
    return _BY_MODEL.get(model)


def kind_name(obj):
    kind = kind_of(obj)
    return kind.name if kind else None


def label(kind_name):
    kind = KINDS.get(kind_name)
    return kind.label if kind else kind_name


def object_label(obj):
    """A mirrored object as messages name it: 'call center Support', 'user Jane Doe',
    'number +14155550100'."""
    kind = kind_of(obj)
    return f"{kind.label if kind else 'object'} {obj}"


def detailed_label(obj):
    """A mirrored row as a picker names it: enough to tell two "Andre Ward" apart.

    A user: name, email, extension and office; a room, department or call center: name and
    office; a number: the number, its area code, office and status; an office: name and
    country. Reads `obj.office`: select it with the row.
    """
    office = getattr(obj, "office", None)
    if isinstance(obj, DialpadUser):
        parts = [str(obj), obj.email, f"ext. {obj.extension}" if obj.extension else "", office]
    elif isinstance(obj, PhoneNumber):
        parts = [obj.number, f"area code {obj.area_code}" if obj.area_code else "", office,
                 obj.get_status_display()]
    elif isinstance(obj, Office):
        parts = [str(obj), (obj.country or "").upper()]
    else:
        parts = [str(obj), office]
    return " · ".join(str(part) for part in parts if part)
