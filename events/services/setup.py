"""Setting up Dialpad's side: the console's webhook and its change-log and SMS subscriptions.

`webhooks_ensure(actor=..., url=...)` makes Dialpad's state what the console needs, and is
safe to run again and again: it finds the webhook by its URL (creating it if missing, giving
it the current secret if it has another), then the change-log subscription and an SMS
subscription (all directions, with delivery statuses) pointing at it, creating or enabling
them. Each write is a push in the push journal (its secret left out). A refusal for a
missing scope is reported as a warning naming the scope, and the other steps go on.

`webhooks_status()` reads what exists in Dialpad for the admin page. Webhook secrets are
never returned, logged or stored: a webhook is shown as signed or not.

Rotating the secret: set DIALPAD_WEBHOOK_PREVIOUS_SECRET to the old one and
DIALPAD_WEBHOOK_SECRET to the new one, restart, run ensure (Dialpad signs with the new one
from then on; the receiver accepts both meanwhile), then unset the previous one.
"""

import hmac
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from dialpad_console.dialpad import AuthError, DialpadError, endpoints, get_client, parse_id
from dialpad_console.dialpad.errors import register_secret
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.services._push import Push

MANAGE_WEBHOOKS = "events.manage_webhooks"
SMS_WANTED = {"direction": "all", "enabled": True, "status": True}
SCOPES = {"changelog": "change_log"}


@dataclass
class Step:
    what: str  # "webhook", "change-log subscription", "SMS subscription"
    outcome: str  # created, updated, unchanged, refused, failed
    detail: str = ""


@dataclass
class SetupReport:
    url: str
    steps: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    webhook_id: int | None = None

    @property
    def ok(self):
        return all(step.outcome in ("created", "updated", "unchanged") for step in self.steps)


def _authorize(actor):
    # actor None: `manage.py dialpad_webhooks`, run by whoever holds the server's shell.
    if actor is not None and not (actor.is_active and actor.has_perm(MANAGE_WEBHOOKS)):
        raise PermissionDenied(f"{actor.get_username()} does not have the permission "
                               f"{MANAGE_WEBHOOKS} needed to set up Dialpad's webhook.")


def validated_url(url):
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError({"url": ["Give the receiver's full URL, e.g. "
                                       "https://console.example.com/webhooks/dialpad/."]})
    if parts.query or parts.fragment:
        raise ValidationError({"url": ["The URL must not have a query or a fragment."]})
    return url


def webhooks_ensure(*, actor, url):
    """Create or update the webhook and subscriptions; a SetupReport of each step."""
    _authorize(actor)
    url = validated_url(url)
    secret = settings.DIALPAD_WEBHOOK_SECRET
    if not secret:
        raise ValidationError("Set DIALPAD_WEBHOOK_SECRET (or _FILE) first: Dialpad signs "
                              "every event with it.")
    register_secret(secret)  # kept out of any error text the client builds
    report = SetupReport(url=url)
    with get_client() as client:
        try:
            hooks = list(client.iter_items(endpoints.WEBHOOKS))
        except DialpadError as exc:
            report.steps.append(Step("webhook", "failed", f"Listing webhooks failed: "
                                                          f"{exc.message}"))
            return report
        hook = next((h for h in hooks if h.get("hook_url") == url), None)
        report.webhook_id = _ensure_webhook(actor, report, hook, url, secret)
        if report.webhook_id is None:
            return report
        _ensure_subscription(actor, report, client, "changelog", {"enabled": True})
        _ensure_subscription(actor, report, client, "sms", SMS_WANTED)
    return report


def _push(actor, report, what, request, done):
    """Send one write as a journaled push; its answer, or None (the step says why)."""
    push = Push(actor=actor, operation=f"events_{request.method.lower()}",
                permission=MANAGE_WEBHOOKS, target_type="webhook", target_repr=report.url)
    push.plan(request)
    try:
        with push:
            answer = push.send()
            push.succeeded(f"{done} {what} for {report.url}", SimpleNamespace())
    except (PushRefused, PushOutcomeUnknown) as exc:
        report.steps.append(Step(what, "refused", str(exc)))
        return None
    report.steps.append(Step(what, done.split()[0].lower(), ""))
    return answer if isinstance(answer, dict) else {}


def _ensure_webhook(actor, report, hook, url, secret):
    if hook is not None and _has_secret(hook, secret):
        report.steps.append(Step("webhook", "unchanged", f"#{hook.get('id')}"))
        return parse_id(hook.get("id"))
    if hook is not None:
        answer = _push(actor, report, "webhook",
                       endpoints.webhook_update(parse_id(hook.get("id")), hook_url=url,
                                                secret=secret), "Updated the secret of the")
        return parse_id(hook.get("id")) if answer is not None else None
    answer = _push(actor, report, "webhook",
                   endpoints.webhook_create(hook_url=url, secret=secret), "Created the")
    return parse_id((answer or {}).get("id"))


def _has_secret(hook, secret):
    """Whether the webhook is signed with `secret`, as far as Dialpad shows: its answers
    may carry the secret whole (compared in constant time) or masked to its last characters
    (compared on those)."""
    shown = str((hook.get("signature") or {}).get("secret") or "")
    if not shown:
        return False
    if "*" not in shown:
        return hmac.compare_digest(shown.encode(), secret.encode())
    tail = shown.lstrip("*")
    return bool(tail) and secret.endswith(tail)


def _ensure_subscription(actor, report, client, kind, wanted):
    what = {"changelog": "change-log subscription", "sms": "SMS subscription"}[kind]
    try:
        existing = [s for s in client.iter_items(endpoints.subscriptions(kind))
                    if _webhook_id(s) == report.webhook_id and s.get("target_id") is None]
    except DialpadError as exc:
        report.steps.append(Step(what, "refused", f"Listing them failed: {exc.message}"))
        _scope_warning(report, kind, exc)
        return
    match = next((s for s in existing if all(s.get(k) == v for k, v in wanted.items())), None)
    if match is not None:
        report.steps.append(Step(what, "unchanged", f"#{match.get('id')}"))
        return
    if existing:
        request = endpoints.subscription_update(kind, parse_id(existing[0].get("id")), wanted)
        done = "Updated the"
    else:
        request = endpoints.subscription_create(kind, {"endpoint_id": report.webhook_id,
                                                       **wanted})
        done = "Created the"
    _push(actor, report, what, request, done)
    if report.steps[-1].outcome == "refused":
        _scope_warning(report, kind, None, report.steps[-1].detail)


def _webhook_id(subscription):
    return parse_id((subscription.get("webhook") or {}).get("id"))


def _scope_warning(report, kind, exc, text=""):
    scope = SCOPES.get(kind)
    refused_for_auth = isinstance(exc, AuthError) or "scope" in (text or "").lower() or (
        "not allowed" in (text or ""))
    if scope and refused_for_auth:
        report.warnings.append(
            f"The API key lacks the {scope} scope (Dialpad refused the {kind} subscription): "
            f"without it the mirror is only as fresh as the last full sync. Ask Dialpad for "
            f"a key with {scope}, then run this again.")


@dataclass
class SetupStatus:
    """What exists in Dialpad, secrets left out."""

    webhooks: list = field(default_factory=list)  # {id, hook_url, signed, ours}
    subscriptions: dict = field(default_factory=dict)  # kind -> [{id, webhook_id, ...}]
    problems: list = field(default_factory=list)


def webhooks_status(*, url=None):
    """Read the webhooks and the change-log and SMS subscriptions from Dialpad."""
    status = SetupStatus()
    report = SetupReport(url=url or "")
    try:
        with get_client() as client:
            status.webhooks = [{
                "id": parse_id(h.get("id")), "hook_url": h.get("hook_url") or "",
                "signed": bool((h.get("signature") or {}).get("secret")),
                "ours": bool(url) and h.get("hook_url") == url,
            } for h in client.iter_items(endpoints.WEBHOOKS)]
            for kind in endpoints.SUBSCRIPTION_KINDS:
                try:
                    status.subscriptions[kind] = [_shown_subscription(s) for s in
                                                  client.iter_items(endpoints.subscriptions(kind))]
                except DialpadError as exc:
                    status.problems.append(f"Reading the {kind} subscriptions failed: "
                                           f"{exc.message}")
                    _scope_warning(report, kind, exc)
    except DialpadError as exc:
        status.problems.append(f"Reading the webhooks failed: {exc.message}")
    status.problems.extend(report.warnings)
    return status


def _shown_subscription(sub):
    return {"id": parse_id(sub.get("id")), "webhook_id": _webhook_id(sub),
            "enabled": bool(sub.get("enabled")), "direction": sub.get("direction") or "",
            "status": bool(sub.get("status")), "target_type": sub.get("target_type") or "",
            "target_id": parse_id(sub.get("target_id"))}
