"""The org app's models: the mirror of the Dialpad org (`mirror`) and the console's own
records of what it pushed (`journal`)."""

from .journal import PushRecord, BulkPushJob, BulkPushItem, PushSubmission
from .mirror import Mirrored, DialpadObject, Company, Office, CallGroup, Department, CallCenter, Room, DialpadUser, PhoneNumber, OperatorMembership, E911Address, Deskphone

__all__ = ['BulkPushItem', 'BulkPushJob', 'CallCenter', 'CallGroup', 'Company', 'Department', 'Deskphone', 'DialpadObject', 'DialpadUser', 'E911Address', 'Mirrored', 'Office', 'OperatorMembership', 'PhoneNumber', 'PushRecord', 'PushSubmission', 'Room']
