"""The org app's models: the mirror of the Dialpad org (`mirror`) and the console's own
records of what it pushed (`journal`)."""

from .journal import BulkPushItem, BulkPushJob, PushRecord, PushSubmission
from .mirror import (
    CallCenter,
    CallGroup,
    Company,
    Department,
    Deskphone,
    DialpadObject,
    DialpadUser,
    E911Address,
    Mirrored,
    Office,
    OperatorMembership,
    PhoneNumber,
    Room,
    search_text,
)

__all__ = [
    "BulkPushItem", "BulkPushJob", "CallCenter", "CallGroup", "Company", "Department",
    "Deskphone", "DialpadObject", "DialpadUser", "E911Address", "Mirrored", "Office",
    "OperatorMembership", "PhoneNumber", "PushRecord", "PushSubmission", "Room", "search_text",
]
