"""Storing E911 addresses read from (or accepted by) Dialpad."""

from ..models import DialpadUser, E911Address
from .fields import e911_fields


def store_e911(*, office=None, user=None, answer, seen_at):
    """Create or update the stored E911 address of an office or a user; (row, changes)."""
    values = e911_fields(answer)
    lookup = {"office": office} if office is not None else {"user": user}
    row = E911Address.objects.filter(**lookup).first()
    if row is None:
        row = E911Address.objects.create(**lookup, **values, fetched_at=seen_at)
        return row, {name: (None, value) for name, value in values.items() if value}
    changes = {name: (getattr(row, name), value) for name, value in values.items()
               if getattr(row, name) != value}
    for name, value in values.items():
        setattr(row, name, value)
    row.fetched_at = seen_at
    row.save()
    return row, changes


def store_office_users_e911(office, answer, now):
    """Dialpad applied the office's address to all its users: store it as theirs.
    Returns the users."""
    values = e911_fields(answer)
    users = list(DialpadUser.objects.filter(office=office, gone_at__isnull=True))
    existing = {row.user_id: row for row in E911Address.objects.filter(user__in=users)}
    to_update, to_create = [], []
    for user in users:
        row = existing.get(user.pk)
        if row is None:
            to_create.append(E911Address(user=user, **values, fetched_at=now))
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.fetched_at = now
            to_update.append(row)
    E911Address.objects.bulk_create(to_create)
    E911Address.objects.bulk_update(to_update, [*values, "fetched_at"])
    return users
