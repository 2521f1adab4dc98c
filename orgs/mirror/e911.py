"""Storing E911 addresses read from (or accepted by) Dialpad, through the one writer."""

from ..models import DialpadUser, E911Address
from .fields import E911_FIELDS, e911_fields
from .pages import Table, write_rows

OFFICE_E911 = Table(E911Address, "office_id", E911_FIELDS, stamp="fetched_at", mirrored=False)
USER_E911 = Table(E911Address, "user_id", E911_FIELDS, stamp="fetched_at", mirrored=False)


def store_e911(*, office=None, user=None, answer, read_at):
    """Store the E911 address of an office or a user read at `read_at`; (row, changes)."""
    values = e911_fields(answer)
    table, owner = (OFFICE_E911, office) if office is not None else (USER_E911, user)
    written = write_rows(table, {owner.pk: values}, read_at=read_at, touch=True)
    row = E911Address.objects.get(**{table.identity_field: owner.pk})
    if written.created:
        return row, {name: (None, value) for name, value in values.items() if value}
    return row, (written.changed[0][2] if written.changed else {})


def store_office_users_e911(office, answer, read_at):
    """Dialpad applied the office's address to all its users: store it as theirs.
    Returns the users."""
    values = e911_fields(answer)
    users = list(DialpadUser.objects.filter(office=office, gone_at__isnull=True))
    write_rows(USER_E911, {user.pk: dict(values) for user in users}, read_at=read_at,
               touch=True)
    return users
