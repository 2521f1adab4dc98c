"""The local mirror of a Dialpad organization.

Rows here are written only through orgs.mirror's one writer: by the sync engine
(syncjobs), and by the service layer (orgs.services) after Dialpad accepted a change. Each
mirrored row keeps the fields admins filter and search on as real columns, the last payload
Dialpad sent (`payload`), when the data it holds was read from Dialpad (`last_seen_at`: the
writer never puts data read earlier over it), and when Dialpad no longer had it (`gone_at`):
something deleted in Dialpad is marked gone, never dropped.

Objects Dialpad identifies by an int64 id use that id as their primary key, so admin URLs,
History entries and foreign keys all carry the id an admin sees in Dialpad.
"""

from django.db import models

from ..choices import (
    AvailabilityStatus,
    GroupType,
    NumberStatus,
    NumberTargetType,
    NumberType,
    OperatorRole,
    OperatorType,
    State,
)


class Mirrored(models.Model):
    """What every mirrored row carries besides its own columns."""

    payload = models.JSONField(default=dict, blank=True, help_text="The last payload Dialpad sent.")
    last_seen_at = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name="read from Dialpad",
        help_text="When the data this row holds was read from Dialpad (a sync's page, or "
                  "Dialpad's answer to a push); older data never replaces it.",
    )
    gone_at = models.DateTimeField(
        null=True, blank=True, db_index=True,
        help_text="When Dialpad no longer had it (a complete listing, or a push's answer).",
    )

    class Meta:
        abstract = True

    @property
    def is_gone(self):
        return self.gone_at is not None


class DialpadObject(Mirrored):
    dialpad_id = models.BigIntegerField(primary_key=True, verbose_name="Dialpad ID")

    class Meta:
        abstract = True


class Company(DialpadObject):
    """The Dialpad company the API key belongs to (one row)."""

    name = models.CharField(max_length=255, blank=True)
    domain = models.CharField(max_length=255, blank=True)
    country = models.CharField(max_length=8, blank=True)
    account_type = models.CharField(max_length=32, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, blank=True)
    admin_email = models.CharField(max_length=254, blank=True)

    class Meta:
        verbose_name_plural = "companies"

    def __str__(self):
        return self.name or f"Company {self.dialpad_id}"


class Office(DialpadObject):
    """A Dialpad office: a site with its own main line, E911 address and operators."""

    name = models.CharField(max_length=255, db_index=True)
    state = models.CharField(max_length=16, choices=State.choices, blank=True, db_index=True)
    country = models.CharField(max_length=8, blank=True, db_index=True)
    timezone = models.CharField(max_length=64, blank=True)
    is_primary_office = models.BooleanField(default=False)
    availability_status = models.CharField(
        max_length=16, choices=AvailabilityStatus.choices, blank=True
    )
    ring_seconds = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CallGroup(DialpadObject):
    """What departments and call centers share: both are ringing groups inside an office."""

    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="%(class)ss",
    )
    name = models.CharField(max_length=255, db_index=True)
    description = models.TextField(blank=True)
    state = models.CharField(max_length=16, choices=State.choices, blank=True, db_index=True)
    timezone = models.CharField(max_length=64, blank=True)
    availability_status = models.CharField(
        max_length=16, choices=AvailabilityStatus.choices, blank=True
    )
    ring_seconds = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Department(CallGroup):
    """A Dialpad department."""

    class Meta(CallGroup.Meta):
        pass


class CallCenter(CallGroup):
    """A Dialpad call center (its operators are users only)."""

    class Meta(CallGroup.Meta):
        verbose_name = "call center"


class Room(DialpadObject):
    """A Dialpad room: a shared phone (lobby, meeting room) that belongs to an office."""

    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="rooms",
    )
    name = models.CharField(max_length=255, db_index=True)
    state = models.CharField(max_length=16, choices=State.choices, blank=True, db_index=True)
    country = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def search_text(*values):
    """`values` lower-cased, one per line: the column a substring search of several fields
    reads (orgs.search). A search word holds no newline, so it matches within one value."""
    return "\n".join(str(value).lower() for value in values if value)


class DialpadUser(DialpadObject):
    """A person in the Dialpad company (not a console login: that is auth.User)."""

    # What the user search matches by substring, kept lower-cased in `search_text`.
    SEARCHED_FIELDS = ("display_name", "first_name", "last_name", "emails", "job_title")

    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="users",
    )
    first_name = models.CharField(max_length=255, blank=True)
    last_name = models.CharField(max_length=255, blank=True, db_index=True)
    display_name = models.CharField(max_length=255, blank=True, db_index=True)
    email = models.CharField(
        max_length=254, blank=True, db_index=True, help_text="The first of the user's emails."
    )
    emails = models.TextField(blank=True, help_text="All of the user's emails, one per line.")
    extension = models.CharField(max_length=16, blank=True, db_index=True)
    state = models.CharField(max_length=16, choices=State.choices, blank=True, db_index=True)
    timezone = models.CharField(max_length=64, blank=True)
    country = models.CharField(max_length=8, blank=True)
    license = models.CharField(max_length=32, blank=True)
    job_title = models.CharField(max_length=255, blank=True)
    is_admin = models.BooleanField(default=False)
    is_super_admin = models.BooleanField(default=False)
    date_added = models.DateTimeField(null=True, blank=True)
    search_text = models.TextField(
        blank=True, editable=False,
        help_text="The names, emails and job title, lower-cased, one per line (for searching).",
    )

    class Meta:
        ordering = ["display_name"]
        verbose_name = "Dialpad user"
        indexes = [
            # Their list filters' choices come from these (selectors.distinct_values).
            models.Index(fields=["country"], name="%(app_label)s_%(class)s_country"),
            models.Index(fields=["license"], name="%(app_label)s_%(class)s_license"),
        ]
        # The search's own indexes differ by database: see migration 0006 and orgs.search.

    def __str__(self):
        return self.display_name or f"{self.first_name} {self.last_name}".strip() or str(self.pk)

    def save(self, *args, **kwargs):
        # The mirror's bulk writes fill search_text from the same fields (user_fields).
        self.search_text = search_text(*(getattr(self, name) for name in self.SEARCHED_FIELDS))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.SEARCHED_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    save.alters_data = True


class PhoneNumber(Mirrored):
    """A number of the company and what it is assigned to (if anything)."""

    number = models.CharField(max_length=20, unique=True, help_text="E.164, e.g. +14155550100.")
    digits = models.CharField(
        max_length=20, db_index=True, help_text="The number's digits alone, for searching."
    )
    area_code = models.CharField(max_length=8, blank=True, db_index=True)
    status = models.CharField(max_length=16, choices=NumberStatus.choices, blank=True, db_index=True)
    type = models.CharField(max_length=16, choices=NumberType.choices, blank=True, db_index=True)
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="numbers",
    )
    target_type = models.CharField(
        max_length=16, choices=NumberTargetType.choices, blank=True, db_index=True,
        verbose_name="assigned to (kind)",
    )
    target_id = models.BigIntegerField(null=True, blank=True, db_index=True,
                                       verbose_name="assigned to (ID)")
    # The target again as a real link, for the kinds the console mirrors.
    assigned_office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_numbers",
    )
    assigned_department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_numbers",
    )
    assigned_callcenter = models.ForeignKey(
        CallCenter, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_numbers",
    )
    assigned_room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_numbers",
    )
    assigned_user = models.ForeignKey(
        DialpadUser, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_numbers",
    )

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return self.number

    @property
    def target(self):
        return (
            self.assigned_user or self.assigned_room or self.assigned_callcenter
            or self.assigned_department or self.assigned_office
        )


class OperatorMembership(Mirrored):
    """A user or room that is an operator of an office, department or call center."""

    key = models.CharField(
        max_length=80, unique=True, help_text="group_type:group_id:operator_type:operator_id"
    )
    group_type = models.CharField(max_length=16, choices=GroupType.choices, db_index=True)
    group_id = models.BigIntegerField(db_index=True)
    operator_type = models.CharField(max_length=8, choices=OperatorType.choices, db_index=True)
    operator_id = models.BigIntegerField(db_index=True)
    role = models.CharField(max_length=16, choices=OperatorRole.choices, db_index=True)
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="operators",
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="operators",
    )
    callcenter = models.ForeignKey(
        CallCenter, null=True, blank=True, on_delete=models.SET_NULL, related_name="operators",
    )
    user = models.ForeignKey(
        DialpadUser, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships",
    )
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships",
    )

    class Meta:
        ordering = ["group_type", "group_id", "operator_type", "operator_id"]
        verbose_name = "operator membership"

    def __str__(self):
        return f"{self.operator} as {self.role} of {self.group}"

    @staticmethod
    def make_key(group_type, group_id, operator_type, operator_id):
        return f"{group_type}:{group_id}:{operator_type}:{operator_id}"

    @property
    def group(self):
        return self.office or self.department or self.callcenter or f"{self.group_type} {self.group_id}"

    @property
    def operator(self):
        return self.user or self.room or f"{self.operator_type} {self.operator_id}"


class E911Address(models.Model):
    """The emergency address of an office (comes with the office) or of a user.

    A user's costs one API call per user, so it is read when an admin opens or edits that
    user and kept here, not fetched by every full sync.
    """

    office = models.OneToOneField(
        Office, null=True, blank=True, on_delete=models.CASCADE, related_name="e911_address",
    )
    user = models.OneToOneField(
        DialpadUser, null=True, blank=True, on_delete=models.CASCADE,
        related_name="e911_address",
    )
    address = models.CharField(max_length=255, blank=True)
    address2 = models.CharField(max_length=255, blank=True, verbose_name="address line 2")
    city = models.CharField(max_length=128, blank=True, db_index=True)
    state = models.CharField(max_length=64, blank=True)
    zip = models.CharField(max_length=32, blank=True, verbose_name="ZIP code")
    country = models.CharField(max_length=8, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "E911 address"
        verbose_name_plural = "E911 addresses"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(office__isnull=False, user__isnull=True)
                    | models.Q(office__isnull=True, user__isnull=False)
                ),
                name="%(app_label)s_%(class)s_one_owner",
            ),
        ]

    def __str__(self):
        parts = [self.address, self.address2, self.city, self.state, self.zip, self.country.upper()]
        return ", ".join(p for p in parts if p)


class Deskphone(Mirrored):
    """A desk phone provisioned for a room (its SIP password is never stored)."""

    dialpad_id = models.CharField(max_length=64, unique=True, verbose_name="Dialpad ID")
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="deskphones",
    )
    name = models.CharField(max_length=255, blank=True)
    type = models.CharField(max_length=32, blank=True)
    mac_address = models.CharField(max_length=32, blank=True, db_index=True)
    phone_number = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name or self.dialpad_id
