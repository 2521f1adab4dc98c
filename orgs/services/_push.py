"""The machinery of one push: permission, validation, journal, client, outcome.

Every service of this package runs the same steps through a `Push`:

1. `authorize()`: the acting user's Django permission, and the view permission of what the
   push goes to (PermissionDenied, nothing sent);
2. `validate(errors)`: the input (Django ValidationError with per-field messages, nothing
   sent); the rules of each service are also offered to forms as `service.validate`;
3. `plan(request)`: the endpoints.ApiRequest to send (a preview returns it and stops);
4. `with push:` + `send()`: the call; a lost answer re-reads the target and settles it;
5. `with push.storing():` the mirror and the History follow Dialpad's answer, in one
   transaction, only after Dialpad accepted the change;
6. exactly one PushRecord (the push journal), whatever the outcome.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dialpad_console.dialpad import (
    AuthError,
    ConfigurationError,
    DialpadError,
    MalformedResponseError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
    get_client,
)
from dialpad_console.dialpad.endpoints import ApiRequest
from dialpad_console.logs import log_push

from ..exceptions import PushOutcomeUnknown, PushRefused
from ..history import CHANGE, describe_changes, log_entries
from ..kinds import KINDS, kind_name, object_label
from ..mirror import clean_payload, upsert_from_payload
from ..models import PhoneNumber, PushRecord

logger = logging.getLogger("orgs.services")

VIA = "via Dialpad Console"


@dataclass(frozen=True)
class PushRequest(ApiRequest):
    """Exactly what a push sends to Dialpad (what a confirmation page shows).

    Every service called with `preview=True` checks the permission and the input as usual
    (raising PermissionDenied / ValidationError, journaling nothing) and returns this
    instead of sending. `note` says in plain words what the push will do beyond the obvious
    (e.g. that unassigning may release the number for good).
    """

    note: str = ""
    then: tuple = ()  # requests sent after this one, in order, by the same push

    @property
    def steps(self):
        """Every request the push sends, in order (most pushes send one)."""
        return (ApiRequest(self.method, self.path, self.body, self.query), *self.then)


def validated_by(rules):
    """Offer a service's input rules as `service.validate(**kwargs)`: forms call it to put
    each message on its field before anything is planned. `rules` takes the service's
    keyword arguments (without actor and preview) and returns the cleaned values, or raises
    ValidationError({field: [messages]})."""
    def attach(service):
        service.validate = rules
        return service
    return attach


def raise_errors(errors):
    """ValidationError({field: [messages]}) when `errors` has any."""
    errors = {field: msgs for field, msgs in errors.items() if msgs}
    if errors:
        raise ValidationError(errors)


class Push:
    """One push in progress: it owns the client, the timing and the journal row.

    Used as `with push:` around the part that talks to Dialpad; exactly one PushRecord is
    written per push, by `authorize`, `validate`, `refuse`, `unknown` or `succeeded`, or
    by `__exit__` as a last resort when the console itself failed half-way. A preview
    journals nothing.
    """

    def __init__(self, *, actor, operation, permission, target=None, target_type="",
                 target_id="", target_repr="", preview=False, client=None):
        self.actor = actor
        self.preview = preview
        self.planned = None
        self.operation = operation
        self.permission = permission
        self.started_at = timezone.now()
        self._started = time.monotonic()
        if target is not None:
            target_type = target_type or kind_name(target) or type(target).__name__.lower()
            target_id = target_id or (target.number if isinstance(target, PhoneNumber)
                                      else target.pk)
            target_repr = target_repr or str(target)
        self.target_type = target_type
        self.target_id = "" if target_id is None else str(target_id)
        self.target_repr = str(target_repr)[:255]
        self.request = {}
        self.note = ""
        # What an earlier step of a push of several steps applied: a later step's failure
        # says it first ("X was removed from G, but then: Dialpad refused: ...").
        self.applied_before = ""
        self.record = None
        self.client = None
        # A caller sending many pushes in a row (a bulk message's batches) lends its own
        # client: one connection, one pacer for all of them; it closes it itself.
        self._lent_client = client

    # journal -----------------------------------------------------------------------------

    def _journal(self, outcome, message="", *, status=None):
        if self.record is not None:  # one row per push, whatever happens after
            return self.record
        if self.preview:  # nothing is sent, so nothing is journaled
            return None
        actor = self.actor if getattr(self.actor, "pk", None) else None
        self.record = PushRecord.objects.create(
            actor=actor,
            actor_username=getattr(actor, "username", "") or "",
            started_at=self.started_at,
            duration_ms=int((time.monotonic() - self._started) * 1000),
            operation=self.operation,
            target_type=self.target_type,
            target_id=self.target_id,
            target_repr=self.target_repr,
            request=clean_payload(self.request),
            outcome=outcome,
            dialpad_status=status,
            message=message,
        )
        log_push(self.record)  # one log line per push, with its ids and outcome
        return self.record

    def authorize(self, *alternatives):
        """PermissionDenied unless the actor has the push's permission (or an alternative)
        and may view the kind of object the push goes to (its view or change permission,
        as the admin's pages ask)."""
        perms = (self.permission, *alternatives)
        actor = self.actor
        active = actor is not None and getattr(actor, "is_active", False)
        if not (active and any(actor.has_perm(p) for p in perms)):
            missing = self.permission
        else:
            missing = self._missing_view_permission(actor)
            if missing is None:
                return
        who = getattr(actor, "username", None) or "This user"
        message = f"{who} does not have the permission {missing} needed to push this."
        denied = PermissionDenied(message)
        denied.record = self._journal(PushRecord.Outcome.DENIED, message)
        raise denied

    def _missing_view_permission(self, actor):
        """The view permission of the push's target kind when the actor may not see that
        kind (has neither its view nor its change permission), else None."""
        kind = KINDS.get(self.target_type)
        if kind is None:  # no target the console mirrors: nothing to see
            return None
        opts = kind.model._meta
        view, change = (f"{opts.app_label}.{get_permission_codename(action, opts)}"
                        for action in ("view", "change"))
        return None if actor.has_perm(view) or actor.has_perm(change) else view

    def validate(self, rules, **kwargs):
        """The service's `rules(**kwargs)`: its cleaned values, or the ValidationError it
        raises, journaled; nothing is sent."""
        try:
            return rules(**kwargs)
        except ValidationError as error:
            self.invalid(error)

    def invalid(self, error):
        """Journal the ValidationError `error` and raise it."""
        by_field = (error.message_dict if hasattr(error, "error_dict")
                    else {"__all__": error.messages})
        summary = "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in by_field.items()
        )
        error.record = self._journal(PushRecord.Outcome.INVALID, summary)
        raise error

    def refuse(self, exc, *, found=""):
        """Journal a refusal and return the PushRefused to raise; `found` says what a
        re-read showed."""
        reason = refusal_message(exc, later_step=bool(self.applied_before))
        message = self.after_applied(reason + (f" {found}" if found else ""))
        status = getattr(exc, "status", None)
        record = self._journal(PushRecord.Outcome.REFUSED, message, status=status)
        return PushRefused(message, status=status, reason=getattr(exc, "message", ""),
                           record=record)

    def unknown(self, message):
        message = self.after_applied(message)
        record = self._journal(PushRecord.Outcome.UNKNOWN, message)
        return PushOutcomeUnknown(message, record=record)

    def after_applied(self, message):
        return f"{self.applied_before}, but then: {message}" if self.applied_before else message

    def succeeded(self, message, result):
        """Journal the success; returns `result` (the service's mirror object) carrying the
        journal row as `result.push_record`."""
        if self.note:
            message = f"{message} ({self.note})"
        result.push_record = self._journal(PushRecord.Outcome.SUCCEEDED, message)
        return result

    # talking to Dialpad ------------------------------------------------------------------

    def __enter__(self):
        try:
            self.client = self._lent_client or get_client()
        except DialpadError as exc:  # no API key, unusable base URL
            raise self.refuse(exc) from None
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.client is not None and self._lent_client is None:
            self.client.close()
        if exc is not None and self.record is None and not isinstance(
                exc, (PushRefused, PermissionDenied, ValidationError)):
            # A bug of ours, after or before Dialpad answered: say so in the journal.
            exc.record = self._journal(
                PushRecord.Outcome.UNKNOWN,
                f"The console failed while pushing ({type(exc).__name__}); check in Dialpad "
                "whether the change was applied.",
            )
        return False

    @property
    def read_timeout(self):
        timeout = getattr(self.client, "timeout", None) or (None, None)
        return timeout[-1]

    def plan(self, request, *, note="", then=()):
        """What will be sent (an endpoints.ApiRequest, and the requests sent `then`, for a
        push of several steps); a preview (confirmation page) returns this and stops here."""
        self.planned = PushRequest(request.method, request.path, request.body, request.query,
                                   note=note, then=tuple(then))
        return self.planned

    def _sending(self, step):
        """Journal what is sent: the request, or {"steps": [...]} once there are several."""
        sent = {"method": step.method, "path": step.path}
        if step.query:
            sent["query"] = step.query
        if step.body is not None:
            sent["body"] = abridged(step.body)
        if not self.request:
            self.request = sent
        else:
            self.request = {"steps": [*self.request.get("steps", [self.request]), sent]}

    def send(self, *, request=None, reread=None, applied=None, what="the change", expect=None,
             cannot_reread=""):
        """Send the planned request (or `request`, a later step of the plan) and return
        Dialpad's answer.

        When the answer is ambiguous, the outcome is unknown, not refused: Dialpad did not
        answer after the request may have reached it, answered 5xx, or answered 2xx with a
        body that is not what it documents (`expect(answer)` false). Then `reread()` fetches
        the target and `applied(state)` says whether the push is in it: if so, the re-read
        state is returned in place of the answer (and noted in the journal). If not, a 5xx
        is a refusal that says nothing changed; otherwise PushOutcomeUnknown says what was
        found (also when the re-read fails).

        A push that nothing can re-read (Dialpad has no GET for a sent SMS) passes
        `cannot_reread`, what the admin should check instead: an ambiguous answer is then
        PushOutcomeUnknown saying so, never a refusal.
        """
        step = request or self.planned
        method, path, json, params = step.method, step.path, step.body, step.query
        self._sending(step)
        try:
            answer = self.client.request(method, path, params=params, json=json)
        except TransportError as exc:
            if exc.maybe_applied and reread is None and cannot_reread:
                raise self.unknown(f"{self._ambiguity(exc)}. {cannot_reread}") from None
            if not exc.maybe_applied or reread is None:
                raise self.refuse(exc) from None
            return self._settle(exc, reread, applied, what)
        except (ServerError, MalformedResponseError) as exc:
            if reread is None and cannot_reread:
                raise self.unknown(f"{self._ambiguity(exc)}. {cannot_reread}") from None
            if reread is None:
                raise self.refuse(exc) from None
            return self._settle(exc, reread, applied, what)
        except DialpadError as exc:
            raise self.refuse(exc) from None
        if expect is not None and not expect(answer):
            exc = MalformedResponseError(
                f"the answer is not what Dialpad documents ({_shape(answer)})",
                method=method, path=path, status=200)
            if reread is None:
                raise self.unknown(f"Dialpad answered, but {exc.message}. Check in Dialpad "
                                   "whether the change was applied.")
            return self._settle(exc, reread, applied, what)
        return answer

    def _settle(self, exc, reread, applied, what):
        """Re-read after an ambiguous answer `exc`; see send()."""
        happened = self._ambiguity(exc)
        target = self.target_repr or "the target"
        try:
            state = reread()
        except DialpadError as read_exc:
            raise self.unknown(
                f"{happened}, and re-reading {target} failed too ({short_reason(read_exc)}). "
                "The change may or may not have been applied: check in Dialpad before "
                "trying again."
            ) from None
        if isinstance(state, dict) and applied(state):
            self.note = f"{happened}; re-reading showed that {what} took effect"
            return state
        if isinstance(exc, ServerError):
            # Dialpad finished with the request and did not apply it.
            outcome = "." if self.applied_before else ": nothing changed."
            raise self.refuse(exc, found=f"Re-reading {target} shows that {what} was not "
                                         f"applied{outcome}")
        raise self.unknown(
            f"{happened}. Re-reading {target} right after shows that {what} has not taken "
            "effect (yet). Dialpad may still apply it: reload in a minute and check before "
            "trying again."
        )

    def _ambiguity(self, exc):
        if isinstance(exc, ServerError):
            return f"Dialpad answered {exc.status} ({exc.message.rstrip('.')})"
        if isinstance(exc, MalformedResponseError):
            return f"Dialpad's answer could not be read ({exc.message})"
        waited = self.read_timeout
        return (f"Dialpad did not answer within {waited:g} s" if waited
                else "Dialpad's answer was lost")

    def read(self, path, params=None):
        """A follow-up read after Dialpad accepted the push; None if it fails.

        The push itself succeeded, so a failed read only means the mirror is refreshed from
        what we know instead (and the next sync brings the rest up to date).
        """
        try:
            return self.client.get(path, params)
        except DialpadError as exc:
            logger.warning("Follow-up read %s after %s failed: %s", path, self.operation, exc)
            return None

    def storing(self):
        """The transaction in which the mirror and the History follow Dialpad's answer."""
        return Storing(self)


class Storing:
    def __init__(self, push):
        self.push = push
        self.atomic = transaction.atomic()

    def __enter__(self):
        self.atomic.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb):
        result = self.atomic.__exit__(exc_type, exc, tb)
        if exc is not None:
            exc.record = self.push._journal(
                PushRecord.Outcome.SUCCEEDED,
                f"Dialpad applied the change, but updating the console's copy failed "
                f"({type(exc).__name__}: {exc}); the next sync will bring it up to date.",
            )
        return result


def _shape(answer):
    if answer is None:
        return "an empty body"
    if isinstance(answer, dict):
        return "an object without the fields expected" if answer else "an empty object"
    return f"a JSON {type(answer).__name__}"


# A string longer than this in a request body (an MMS's base64 media) is journaled and shown
# by its size: the journal is for reading, and half a megabyte per row is not.
ABRIDGED_AFTER = 2000


def abridged(body):
    """`body` with every string over ABRIDGED_AFTER characters replaced by its size."""
    if isinstance(body, dict):
        return {k: abridged(v) for k, v in body.items()}
    if isinstance(body, list):
        return [abridged(v) for v in body]
    if isinstance(body, str) and len(body) > ABRIDGED_AFTER:
        return f"<{len(body):,} characters, not shown>"
    return body


def is_object_with(*keys):
    """An `expect` for send(): the answer is an object with these keys set."""
    def check(answer):
        return isinstance(answer, dict) and all(answer.get(key) for key in keys)
    return check


def short_reason(exc):
    if isinstance(exc, TransportError):
        return exc.message
    status = getattr(exc, "status", None)
    return f"{status}: {exc.message}" if status else exc.message


def refusal_message(exc, *, later_step=False):
    """'Dialpad refused: <Dialpad's reason>' plus a hint in plain words (`later_step`: of
    a push whose earlier steps were applied, so "nothing was changed" would be untrue)."""
    reason = (getattr(exc, "message", "") or str(exc)).strip().rstrip(".")
    if isinstance(exc, ConfigurationError):
        return f"The console cannot reach Dialpad: {reason}. Nothing was sent."
    if isinstance(exc, TransportError):
        done = "That step was not sent." if later_step else "Nothing was changed."
        return f"Could not reach Dialpad: {reason}. {done}"
    if isinstance(exc, NotFoundError):
        hint = "it may have been deleted in Dialpad; the next sync will update the console"
    elif isinstance(exc, AuthError):
        hint = "the console's API key is not allowed to do this"
    elif isinstance(exc, RateLimitedError):
        hint = "too many requests right now; try again in a minute"
    elif isinstance(exc, ServerError):
        hint = f"a server error ({exc.status}) at Dialpad; try again later"
    else:
        hint = ""
    message = f"Dialpad refused: {reason or 'no reason given'}."
    return f"{message} ({hint[0].upper()}{hint[1:]}.)" if hint else message


def not_gone(obj, field, errors, label=None):
    if obj is not None and getattr(obj, "gone_at", None) is not None:
        text = label or object_label(obj)
        errors.setdefault(field, []).append(
            f"{text[0].upper()}{text[1:]} no longer exists in Dialpad.")


def check_chosen(errors, field, obj, model, message):
    """`obj` must be a `model` row that Dialpad still has; else `message` (or "no longer
    exists") on `field`. Returns whether `obj` is a `model` row."""
    if not isinstance(obj, model):
        errors.setdefault(field, []).append(message)
        return False
    not_gone(obj, field, errors)
    return True


def check(errors, field, func, *args, **kwargs):
    """Run a validator; its message goes on `field`. Returns the cleaned value (or None)."""
    try:
        return func(*args, **kwargs)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)
        return None


def log(actor, obj, message, flag=CHANGE):
    log_entries(actor=actor, entries=[(obj, message)], action_flag=flag)


def with_changes(message, changes, model=None):
    """message, then the changes in parentheses, fields named by `model`'s labels."""
    described = describe_changes({k: v for k, v in changes.items() if k != "last_seen_at"},
                                 model)
    return f"{message} ({described})" if described else message


def upsert(kind, payload):
    """upsert_from_payload for one of our kinds; (obj, changes)."""
    return upsert_from_payload(KINDS[kind].mirror, payload)
