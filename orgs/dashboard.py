"""The admin index's reads of the org: the org at a glance, what needs attention, the recent
pushes (templates/admin/index.html, through the `org_dashboard` template tag).

What needs attention is defined once, here, as conditions (`Q`) on a model: the dashboard
counts the rows that meet one, and the list filter the count links to
(orgs.admin.filters.AttentionFilter) shows exactly those rows, so the two always agree.
Rows gone from Dialpad meet no condition: they are kept for the record, nobody acts on them.

The number of queries is fixed (one per kind, one per item counted apart, one for the held
sync, two for the pushes), whatever the size of the org; a kind the admin may not view is
neither read nor shown. At 100,000 users the index takes about 0.15 s (SQLite or PostgreSQL).
"""

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from . import kinds
from .models import (
    CallCenter,
    Department,
    DialpadUser,
    E911Address,
    Office,
    OperatorMembership,
    PhoneNumber,
    PushRecord,
)

PRESENT = Q(gone_at__isnull=True)
# What "recent" means for refused pushes.
RECENT_REFUSALS = timedelta(days=7)
RECENT_PUSHES_SHOWN = 10
E911_COMPARED_FIELDS = ("address", "address2", "city", "state", "zip", "country")


# --- What needs attention: conditions shared by the dashboard's counts and the list filters ----


def user_e911_missing():
    """Present users with no E911 address on record (the console reads a user's address when
    their page is opened or it is set: one call per user, not part of a sync)."""
    # NOT EXISTS rather than a LEFT JOIN ... IS NULL, which PostgreSQL does not take for an
    # anti-join: it then expects one row and joins the offices of 50,000 by a nested loop.
    return PRESENT & ~Exists(E911Address.objects.filter(user=OuterRef("pk")))


def user_e911_differs():
    """Present users whose E911 address is not their office's (both on record)."""
    same = Q(*(Q(**{f"e911_address__{name}": F(f"office__e911_address__{name}")})
               for name in E911_COMPARED_FIELDS))
    return (PRESENT & Q(e911_address__isnull=False, office__e911_address__isnull=False)
            & ~same)


def group_without_operators(model):
    """Present departments or call centers (`model`) with no operator still in Dialpad."""
    column = "department" if model is Department else "callcenter"
    operators = OperatorMembership.objects.filter(PRESENT, **{column: OuterRef("pk")})
    return PRESENT & ~Exists(operators)


def number_unassigned():
    """Present numbers assigned to nothing."""
    return PRESENT & Q(target_type="")


def user_suspended_holding():
    """Present suspended users who still hold a number or an operator role (present ones)."""
    numbers = PhoneNumber.objects.filter(PRESENT, assigned_user=OuterRef("pk"))
    roles = OperatorMembership.objects.filter(PRESENT, user=OuterRef("pk"))
    return PRESENT & Q(state="suspended") & (Exists(numbers) | Exists(roles))


def office_e911_missing():
    """Present offices with no E911 address (a sync reads it with the office)."""
    return PRESENT & ~Exists(E911Address.objects.filter(office=OuterRef("pk")))


def push_refused_since(since):
    """Pushes Dialpad refused since `since`."""
    return Q(outcome=PushRecord.Outcome.REFUSED, started_at__gte=since)


@dataclass(frozen=True)
class Attention:
    """One thing that needs attention: the condition its rows meet (`condition()`, a Q) and
    the query string of `model`'s changelist that lists them (its list filters)."""

    key: str
    model: type
    text: str  # "Users with no E911 address on record"
    query: dict
    condition: object  # () -> Q
    note: str = ""  # what the admin should know to read the count
    # Counted in a query of its own rather than in its kind's aggregate: a condition that a
    # few rows meet, found through an index, and subqueries that would otherwise be costed
    # for every row (PostgreSQL then JIT-compiles the aggregate: 0.3 s at 100,000 users).
    own_query: bool = False

    @property
    def url(self):
        return changelist_url(self.model, **self.query)


# In the order the dashboard lists them. The list filters (orgs.admin.filters) name the same.
ATTENTION = (
    Attention("user_e911_missing", DialpadUser, "Users with no E911 address on record",
              {"e911": "none"}, user_e911_missing, own_query=True,
              note="The console reads a user's address when their page is opened (a sync "
                   "does not), so this includes addresses not read yet."),
    Attention("user_e911_differs", DialpadUser,
              "Users whose E911 address differs from their office's", {"e911": "differs"},
              user_e911_differs),
    Attention("office_e911_missing", Office, "Offices with no E911 address", {"e911": "none"},
              office_e911_missing),
    Attention("callcenter_no_operators", CallCenter, "Call centers with no operators",
              {"has_operators": "no"}, lambda: group_without_operators(CallCenter)),
    Attention("department_no_operators", Department, "Departments with no operators",
              {"has_operators": "no"}, lambda: group_without_operators(Department)),
    Attention("number_unassigned", PhoneNumber, "Unassigned numbers",
              {"assignment": "unassigned"}, number_unassigned),
    Attention("user_suspended_holding", DialpadUser,
              "Suspended users still holding numbers or operator roles",
              {"suspended": "holding"}, user_suspended_holding, own_query=True),
    Attention("push_refused_recent", PushRecord, "Pushes Dialpad refused in the last 7 days",
              {"outcome__exact": PushRecord.Outcome.REFUSED.value, "within": "7d"},
              lambda: push_refused_since(timezone.now() - RECENT_REFUSALS)),
)
ATTENTION_BY_KEY = {item.key: item for item in ATTENTION}


def attention_queryset(key):
    """The rows of one attention item (what its list filter shows, what the dashboard counts)."""
    item = ATTENTION_BY_KEY[key]
    return item.model.objects.filter(item.condition())


# --- The dashboard ---------------------------------------------------------------------------


def changelist_url(model, **query):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(query)}" if query else url


def view_permission(model):
    opts = model._meta
    return f"{opts.app_label}.view_{opts.model_name}"


@dataclass
class KindRow:
    """A kind of object at a glance: how many are in Dialpad, gone, held for review."""

    label: str  # "Call centers"
    present: int
    gone: int
    held: int
    url: str
    gone_url: str


@dataclass
class AttentionRow:
    text: str
    count: int
    url: str
    note: str = ""


@dataclass
class Dashboard:
    kinds: list = field(default_factory=list)  # [KindRow]
    attention: list = field(default_factory=list)  # [AttentionRow]
    held_run: object = None  # the sync run holding gone marks for review, if any
    held_url: str = ""
    pushes: list = field(default_factory=list)  # [PushRecord]
    pushes_url: str = ""


def _glance_models():
    """(sync entity, model, label) of what the glance counts, in the order it lists them."""
    listed = [(kind.entity, kind.model, f"{kind.label}s".capitalize())
              for kind in (kinds.OFFICE, kinds.DEPARTMENT, kinds.CALLCENTER, kinds.ROOM,
                           kinds.USER, kinds.NUMBER)]
    if apps.is_installed("messaging"):
        listed.append(("channels", apps.get_model("messaging", "Channel"), "Channels"))
    return listed


def _held_run():
    """The last finished sync run, if it holds gone marks waiting for an admin's review."""
    from syncjobs.selectors import sync_run_held  # syncjobs reads orgs, not the reverse

    return sync_run_held()


def dashboard_get(*, user) -> Dashboard:
    """What the admin index shows `user` of the org (only what they may view)."""
    dashboard = Dashboard()
    held_run = _held_run()
    held = held_run.pending_gone if held_run is not None else {}
    if held_run is not None and user.has_perm("syncjobs.view_syncrun"):
        dashboard.held_run = held_run
        dashboard.held_url = reverse("admin:syncjobs_syncrun_change", args=[held_run.pk])
    visible = [item for item in ATTENTION if user.has_perm(view_permission(item.model))]
    counted = {}  # attention item key -> count
    for entity, model, label in _glance_models():
        if not user.has_perm(view_permission(model)):
            continue
        # One query per kind: its counts and the counts of its attention items (but those
        # counted on their own).
        mine = [item for item in visible if item.model is model]
        counts = model.objects.aggregate(
            present=Count("pk", filter=PRESENT), gone=Count("pk", filter=~PRESENT),
            **{item.key: Count("pk", filter=item.condition())
               for item in mine if not item.own_query})
        counts.update({item.key: model.objects.filter(item.condition()).count()
                       for item in mine if item.own_query})
        dashboard.kinds.append(KindRow(
            label=label, present=counts["present"], gone=counts["gone"],
            held=len(held.get(entity) or ()), url=changelist_url(model, presence="present"),
            gone_url=changelist_url(model, presence="gone")))
        counted.update({item.key: counts[item.key] for item in mine})
    if user.has_perm(view_permission(PushRecord)):
        refused = ATTENTION_BY_KEY["push_refused_recent"]
        counted[refused.key] = PushRecord.objects.filter(refused.condition()).count()
        dashboard.pushes = list(PushRecord.objects.order_by("-started_at", "-pk")
                                .defer("request")[:RECENT_PUSHES_SHOWN])
        dashboard.pushes_url = changelist_url(PushRecord)
    dashboard.attention = [AttentionRow(item.text, counted[item.key], item.url, item.note)
                           for item in visible if item.key in counted]
    return dashboard

