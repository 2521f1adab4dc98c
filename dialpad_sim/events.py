"""Events the simulator sends to its registered webhooks, as Dialpad does.

An event goes to every webhook that an enabled subscription of its kind points at: the
company's change-log subscriptions take every change-log event; SMS subscriptions take the
messages of their direction (and target, when they name one), delivery-status updates only
with ``status`` true, and the message's text only when the API key has the
message-content scope. A webhook with a secret receives the event as a JWT signed HS256
with it (signed here with hmac and hashlib, to stay stdlib-only); without one, plain JSON.

Delivery never blocks the API answer: events go onto a queue per webhook URL (a "lane"),
each worked through by a sender thread of its own, so a dead or slow receiver never delays
another; each POST has a short timeout, and a failed one is retried with backoff up to
``max_attempts`` times. ``deliver`` is off by default (tests turn it on; ``serve`` does):
with it off, nothing is queued.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field

from .changes import API, api_change, sms_event
from .wire import to_wire

CONTENT_SCOPE, CONTENT_SCOPE_ALL = "message_content_export", "message_content_export:all"


def sign_hs256(claims: dict, secret: str) -> str:
    """A compact JWT of `claims`, signed HS256 with `secret` (RFC 7519)."""
    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def segment(value: dict) -> str:
        return b64(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())

    signing_input = f"{segment({'alg': 'HS256', 'typ': 'JWT'})}.{segment(claims)}"
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


@dataclass
class Delivery:
    """One event on its way to one webhook."""

    url: str
    kind: str  # "changelog" or "sms"
    event: dict  # the event as sent (wire form)
    secret: str | None = field(default=None, repr=False)
    attempts: int = 0
    status: int | None = None  # the last HTTP status (None: no answer)
    delivered: bool = False

    def body(self) -> tuple[bytes, str]:
        if self.secret:
            claims = dict(self.event, iat=int(time.time()))
            return sign_hs256(claims, self.secret).encode(), "application/jwt"
        return json.dumps(self.event).encode(), "application/json"


class EventHub:
    """The queue of events on their way to webhooks, and the threads that send them."""

    def __init__(self, app, *, timeout: float = 2.0, max_attempts: int = 5,
                 retry_base: float = 0.25):
        self.app = app
        self.deliver = False
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.retry_base = retry_base
        # Seconds after an outbound SMS before its delivery-status update (None: never).
        self.sms_status_after: float | None = 0.5
        self.sent: deque[Delivery] = deque(maxlen=10_000)  # delivered, newest last
        self.failed: deque[Delivery] = deque(maxlen=1_000)  # gave up on
        # lane (a webhook URL, or "timers") -> heap of (when, seq, Delivery or callable)
        self._lanes: dict[str, list] = {}
        self._threads: dict[str, threading.Thread] = {}
        self._seq = itertools.count()
        self._busy = 0
        self._cond = threading.Condition()
        self._stopping = False

    @property
    def state(self):
        return self.app.state

    # --- what is sent where -------------------------------------------------------------

    def api_write(self, request, payload) -> None:
        """The events of a write the API just applied: the one place the app announces
        writes from, so that no handler has to."""
        if not self.deliver:
            return
        if request.template == f"{API}/sms":
            with self.state.lock:
                sms = next((m for m in reversed(self.state.sms_sent)
                            if str(m["id"]) == str(payload.get("id"))), None)
                if sms is not None:
                    self.sms(sms_event(self.state, sms))
            if sms is not None and self.sms_status_after is not None:
                self.later(self.sms_status_after,
                           lambda: self.app.outside.sms_status(sms["id"]))
            return
        event = api_change(request, payload)
        if event is not None:
            self.changelog(event)

    def changelog(self, event: dict) -> int:
        """Send a change-log event to every webhook of an enabled change-log subscription;
        returns how many deliveries were queued."""
        if not self.deliver:
            return 0
        with self.state.lock:
            hooks = [self.state.webhooks.get(sub.get("endpoint_id"))
                     for sub in self.state.subscriptions_changelog.values()
                     if sub.get("enabled")]
            return self._queue(hooks, "changelog", _wire(event))

    def sms(self, message: dict, *, status_update: bool = False) -> int:
        """Send an SMS event (`message` as sms_event() builds it) to every webhook of a
        matching SMS subscription; returns how many deliveries were queued."""
        if not self.deliver:
            return 0
        with self.state.lock:
            deliveries = 0
            for sub in self.state.subscriptions_sms.values():
                if not _sms_subscription_wants(sub, message, status_update):
                    continue
                event = {k: v for k, v in message.items() if k != "internal"}
                if not self._may_read_text(sub):
                    event.pop("text", None)
                hook = self.state.webhooks.get(sub.get("endpoint_id"))
                deliveries += self._queue([hook], "sms", _wire(event))
            return deliveries

    def _may_read_text(self, sub: dict) -> bool:
        scopes = self.app.scopes
        if scopes is None:
            return True
        return CONTENT_SCOPE_ALL in scopes or (
            sub.get("target_id") is not None and CONTENT_SCOPE in scopes)

    def _queue(self, hooks, kind: str, event: dict) -> int:
        queued = 0
        for hook in {id(h): h for h in hooks if h}.values():
            secret = (hook.get("signature") or {}).get("secret")
            self._push(hook["hook_url"], 0.0, Delivery(url=hook["hook_url"], kind=kind,
                                                        event=event, secret=secret))
            queued += 1
        return queued

    def later(self, seconds: float, action) -> None:
        """Run `action()` in a thread of its own after `seconds` (a delivery-status update)."""
        self._push("timers", seconds, action)

    # --- the sender threads -------------------------------------------------------------

    def _push(self, lane: str, delay: float, item) -> None:
        with self._cond:
            if self._stopping:
                return
            due = self._lanes.setdefault(lane, [])
            heapq.heappush(due, (time.monotonic() + delay, next(self._seq), item))
            if lane not in self._threads:
                thread = threading.Thread(target=self._work, args=(lane,), daemon=True,
                                          name=f"dialpad-sim-events-{len(self._threads)}")
                self._threads[lane] = thread
                thread.start()
            self._cond.notify_all()

    def _next(self, lane: str):
        due = self._lanes[lane]
        with self._cond:
            while not self._stopping:
                if due and due[0][0] <= time.monotonic():
                    self._busy += 1
                    return heapq.heappop(due)[2]
                self._cond.wait(due[0][0] - time.monotonic() if due else None)
            return None

    def _work(self, lane: str) -> None:
        while True:
            item = self._next(lane)
            if item is None:
                return
            try:
                if isinstance(item, Delivery):
                    self._send(item)
                else:
                    item()
            except Exception:  # noqa: BLE001 -- a sender thread must outlive any one event
                pass
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()

    def _send(self, delivery: Delivery) -> None:
        delivery.attempts += 1
        body, content_type = delivery.body()
        request = urllib.request.Request(delivery.url, data=body, method="POST", headers={
            "Content-Type": content_type, "User-Agent": "Dialpad-Webhooks (simulated)"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                delivery.status = answer.status
        except urllib.error.HTTPError as exc:
            delivery.status = exc.code
        except (OSError, ValueError):  # refused, timed out, unresolvable, not a URL
            delivery.status = None
        if delivery.status is not None and 200 <= delivery.status < 300:
            delivery.delivered = True
            self.sent.append(delivery)
        elif delivery.attempts < self.max_attempts:
            self._push(delivery.url, self.retry_base * 2 ** (delivery.attempts - 1), delivery)
        else:
            self.failed.append(delivery)

    @property
    def in_flight(self) -> int:
        """Deliveries (or timed actions) a sender thread is working on right now."""
        with self._cond:
            return self._busy

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until nothing is due within `timeout` and no sender is busy (for tests)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._busy or any(due and due[0][0] <= deadline
                                    for due in self._lanes.values()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.05))
            return True

    def reset(self) -> None:
        """Forget queued deliveries and what was sent; delivery off, defaults back."""
        with self._cond:
            for due in self._lanes.values():
                due.clear()
            self.deliver = False
            self.sms_status_after = 0.5
            self.sent.clear()
            self.failed.clear()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            for due in self._lanes.values():
                due.clear()
            self._cond.notify_all()
        for thread in list(self._threads.values()):
            thread.join(timeout=self.timeout + 1)
        with self._cond:
            self._threads.clear()
            self._lanes.clear()
            self._stopping = False  # a restarted server sends again


def _wire(event: dict) -> dict:
    """The event in Dialpad's JSON: ids as strings, but times as the numbers (unix ms)
    the event documentation shows."""
    out = to_wire(event)
    for key in ("date", "created_date"):
        if key in event:
            out[key] = event[key]
    return out


def _sms_subscription_wants(sub: dict, message: dict, status_update: bool) -> bool:
    if not sub.get("enabled"):
        return False
    if sub.get("direction") not in ("all", message.get("direction")):
        return False
    if status_update and not sub.get("status"):
        return False
    if message.get("internal") and not sub.get("include_internal"):
        return False
    if sub.get("target_id") is not None:
        target = message.get("target") or {}
        if (sub.get("target_type"), sub.get("target_id")) != (target.get("type"),
                                                              target.get("id")):
            return False
    return True
