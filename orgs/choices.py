"""Dialpad's enums as TextChoices, values exactly as the OpenAPI spec spells them."""

from django.db import models


class State(models.TextChoices):
    ACTIVE = "active", "Active"
    PENDING = "pending", "Pending"
    SUSPENDED = "suspended", "Suspended"
    CANCELLED = "cancelled", "Cancelled"
    DELETED = "deleted", "Deleted"


class GroupType(models.TextChoices):
    OFFICE = "office", "Office"
    DEPARTMENT = "department", "Department"
    CALLCENTER = "callcenter", "Call center"


class OperatorType(models.TextChoices):
    USER = "user", "User"
    ROOM = "room", "Room"


class OperatorRole(models.TextChoices):
    OPERATOR = "operator", "Operator"
    ADMIN = "admin", "Admin"


class NumberStatus(models.TextChoices):
    AVAILABLE = "available", "Available"
    CALL_CENTER = "call_center", "Call center"
    CALL_ROUTER = "call_router", "Call router"
    DEPARTMENT = "department", "Department"
    DYNAMIC_CALLER = "dynamic_caller", "Dynamic caller"
    OFFICE = "office", "Office"
    PENDING = "pending", "Pending"
    PORTING = "porting", "Porting"
    ROOM = "room", "Room"
    USER = "user", "User"


class NumberType(models.TextChoices):
    FREE = "free", "Free"
    LOCAL = "local", "Local"
    MOBILE = "mobile", "Mobile"
    SOFTBANK = "softbank", "Softbank"
    TOLLFREE = "tollfree", "Toll-free"


class NumberTargetType(models.TextChoices):
    CALLCENTER = "callcenter", "Call center"
    CALLROUTER = "callrouter", "Call router"
    CHANNEL = "channel", "Channel"
    COACHINGGROUP = "coachinggroup", "Coaching group"
    COACHINGTEAM = "coachingteam", "Coaching team"
    DEPARTMENT = "department", "Department"
    OFFICE = "office", "Office"
    ROOM = "room", "Room"
    STAFFGROUP = "staffgroup", "Staff group"
    UNKNOWN = "unknown", "Unknown"
    USER = "user", "User"


class AvailabilityStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    HOLIDAY_OPEN = "holiday_open", "Holiday open"
    HOLIDAY_CLOSED = "holiday_closed", "Holiday closed"
