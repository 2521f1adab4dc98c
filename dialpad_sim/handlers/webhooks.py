"""Webhooks, and the SMS and change-log event subscriptions that deliver to them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

from .. import schemas
from ..state import SimError
from .common import API, as_int, path_id, query_int


# --- webhooks ----------------------------------------------------------------------------

def mask_secret(secret: str | None) -> str | None:
    """Never echo a webhook secret: show at most its last 4 characters."""
    if not secret:
        return secret
    return "********" + (secret[-4:] if len(secret) >= 16 else "")


def webhook_proto(hook: dict | None) -> dict | None:
    if hook is None:
        return None
    out = {"hook_url": hook.get("hook_url"), "id": hook.get("id")}
    signature = hook.get("signature")
    if signature:
        out["signature"] = dict(signature, secret=mask_secret(signature.get("secret")))
    return out


def _signature(secret: str) -> dict:
    return {"algo": "HS256", "secret": secret, "type": "jwt"}


def _get_webhook(s, wid: int, field: str | None = None) -> dict:
    hook = s.webhooks.get(wid)
    if hook is None:
        raise SimError(404, f"{field + ': ' if field else ''}webhook {wid} not found")
    return hook


def webhooks_list(app, r):
    return app.paginate(r, "webhooks", app.state.webhooks, render=webhook_proto)


def webhook_get(app, r):
    return webhook_proto(_get_webhook(app.state, path_id(r)))


def webhook_create(app, r):
    s = app.state
    wid = s.new_id()
    hook = {"hook_url": r.body["hook_url"], "id": wid, "signature": None}
    if r.body.get("secret"):
        hook["signature"] = _signature(r.body["secret"])
    s.webhooks[wid] = hook
    return webhook_proto(hook)


def webhook_patch(app, r):
    hook = _get_webhook(app.state, path_id(r))
    if r.body.get("hook_url") is not None:
        hook["hook_url"] = r.body["hook_url"]
    if r.body.get("secret") is not None:
        hook["signature"] = _signature(r.body["secret"]) if r.body["secret"] else None
    return webhook_proto(hook)


def webhook_delete(app, r):
    wid = path_id(r)
    hook = _get_webhook(app.state, wid)
    del app.state.webhooks[wid]
    return webhook_proto(hook)


# --- event subscriptions -----------------------------------------------------------------

def _sms_subscription_filter(query: dict):
    ttype = query.get("target_type")
    tid = query_int(query, "target_id")
    if ttype is not None and ttype not in schemas.TARGET_TYPE_ENUM:
        raise SimError(400, f"target_type: must be one of "
                            f"{', '.join(schemas.TARGET_TYPE_ENUM)} (got {ttype!r})")

    def pred(sub):
        return ((ttype is None or sub.get("target_type") == ttype)
                and (tid is None or sub.get("target_id") == tid))
    return pred


@dataclass(frozen=True)
class Subscriptions:
    """One kind of event subscription: its table, the fields a body sets, their defaults."""

    table_name: str
    fields: tuple
    defaults: dict
    list_filter: Callable[[dict], Callable] | None = None
    scope: str | None = None  # the OAuth scope the API key needs for these

    def check_scope(self, app) -> None:
        if self.scope and app.scopes is not None and self.scope not in app.scopes:
            raise SimError(403, f"Missing required scope: {self.scope} (this API key was "
                                f"not granted it)")

    def table(self, s) -> dict:
        return getattr(s, self.table_name)


SMS_SUBSCRIPTIONS = Subscriptions(
    "subscriptions_sms",
    ("direction", "enabled", "endpoint_id", "include_internal", "status", "target_id",
     "target_type"),
    {"direction": "all", "enabled": True, "include_internal": False, "status": False,
     "target_id": None, "target_type": None},
    list_filter=_sms_subscription_filter)
CHANGELOG_SUBSCRIPTIONS = Subscriptions(
    "subscriptions_changelog", ("enabled", "endpoint_id"), {"enabled": True},
    scope="change_log")


def subscription_proto(s, sub: dict) -> dict:
    out = {k: v for k, v in sub.items() if k != "endpoint_id"}
    out["webhook"] = webhook_proto(s.webhooks.get(sub.get("endpoint_id")))
    return out


def _get_subscription(s, kind: Subscriptions, sid: int) -> dict:
    sub = kind.table(s).get(sid)
    if sub is None:
        raise SimError(404, f"event subscription {sid} not found")
    return sub


def _check_target(s, b: dict) -> None:
    ttype, tid = b.get("target_type"), b.get("target_id")
    if (ttype is None) != (tid is None):
        raise SimError(400, "target_type: give target_type and target_id together")
    if ttype is not None:
        if ttype not in ("user", "room", "office", "department", "callcenter"):
            raise SimError(400, f"target_type: the simulator supports user, room, office, "
                                f"department, callcenter (got {ttype!r})")
        s.get(ttype, as_int(tid, "target_id"), field="target_id")


def _set_fields(sub: dict, b: dict, fields: tuple) -> None:
    for name in fields:
        if b.get(name) is not None:
            sub[name] = b[name]
    for name in ("endpoint_id", "target_id"):
        if sub.get(name) is not None:
            sub[name] = as_int(sub[name], name)


def subscriptions_list(app, r, *, kind: Subscriptions):
    kind.check_scope(app)
    pred = kind.list_filter(r.query) if kind.list_filter else None
    return app.paginate(r, kind.table_name, kind.table(app.state), pred,
                        render=partial(subscription_proto, app.state))


def subscription_create(app, r, *, kind: Subscriptions):
    kind.check_scope(app)
    s = app.state
    b = r.body
    _get_webhook(s, as_int(b["endpoint_id"], "endpoint_id"), field="endpoint_id")
    _check_target(s, b)
    sid = s.new_id()
    sub = {"id": sid, **kind.defaults}
    _set_fields(sub, b, kind.fields)
    kind.table(s)[sid] = sub
    return subscription_proto(s, sub)


def subscription_get(app, r, *, kind: Subscriptions):
    kind.check_scope(app)
    return subscription_proto(app.state, _get_subscription(app.state, kind, path_id(r)))


def subscription_patch(app, r, *, kind: Subscriptions):
    kind.check_scope(app)
    s = app.state
    sub = _get_subscription(s, kind, path_id(r))
    b = r.body
    if b.get("endpoint_id") is not None:
        _get_webhook(s, as_int(b["endpoint_id"], "endpoint_id"), field="endpoint_id")
    # The target is checked as it will be after the patch: a body may change half of it.
    _check_target(s, {**sub, **{k: v for k, v in b.items() if v is not None}})
    _set_fields(sub, b, kind.fields)
    return subscription_proto(s, sub)


def subscription_delete(app, r, *, kind: Subscriptions):
    kind.check_scope(app)
    sid = path_id(r)
    sub = _get_subscription(app.state, kind, sid)
    del kind.table(app.state)[sid]
    return subscription_proto(app.state, sub)


def register(route) -> None:
    route(f"{API}/webhooks", get=webhooks_list, post=webhook_create)
    route(f"{API}/webhooks/{{id}}", get=webhook_get, patch=webhook_patch,
          delete=webhook_delete)
    for name, kind in (("sms", SMS_SUBSCRIPTIONS), ("changelog", CHANGELOG_SUBSCRIPTIONS)):
        route(f"{API}/subscriptions/{name}", get=partial(subscriptions_list, kind=kind),
              post=partial(subscription_create, kind=kind))
        route(f"{API}/subscriptions/{name}/{{id}}", get=partial(subscription_get, kind=kind),
              patch=partial(subscription_patch, kind=kind),
              delete=partial(subscription_delete, kind=kind))
