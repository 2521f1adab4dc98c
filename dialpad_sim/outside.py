"""Changes made "outside" the API: what another admin does in Dialpad's portal, or a
customer texting in. Each one changes the org and sends the event Dialpad would send.

From Python, ``sim.outside.rename_user(uid, "Ada", "Lovelace", by="Jane Doe")``; over HTTP
(for ``make run``), ``POST /_sim/outside/<method>`` with the keyword arguments as a JSON
object and the API key as a bearer token, e.g.::

    curl -X POST http://127.0.0.1:8765/_sim/outside/rename_user \
      -H "Authorization: Bearer sim-key" -d '{"user_id": 123, "first_name": "Ada"}'
"""

from __future__ import annotations

import json

from .changes import changelog_event, sms_event
from .state import SimError, now_iso

CONTROL_PREFIX = "/_sim/outside/"
DEFAULT_BY = "Jane Doe"
DEFAULT_BY_TYPE = "admin portal"


class Outside:
    """The control surface; every method returns what it changed (a payload)."""

    # Methods callable over HTTP (everything else on the class is not an action).
    ACTIONS = ("rename_user", "update_user", "rename_room", "rename_group", "add_operator",
               "remove_operator", "inbound_sms", "sms_status")

    def __init__(self, app):
        self.app = app

    @property
    def state(self):
        return self.app.state

    def _changed(self, action, target_type, target_id, by, by_type, **details):
        changed_by = {"id": self._person_id(by), "name": by, "type": by_type}
        self.app.events.changelog(changelog_event(
            action=action, target_type=target_type, target_id=target_id,
            changed_by=changed_by, note=f"{action} by {by}", additional_data=details))

    def _person_id(self, name):
        for uid, user in self.state.users.items():
            if user.get("display_name") == name:
                return uid
        return None

    # --- org changes --------------------------------------------------------------------

    def rename_user(self, user_id, first_name=None, last_name=None, *, by=DEFAULT_BY,
                    by_type=DEFAULT_BY_TYPE):
        return self.update_user(user_id, by=by, by_type=by_type,
                                **{k: v for k, v in (("first_name", first_name),
                                                     ("last_name", last_name)) if v})

    def update_user(self, user_id, *, by=DEFAULT_BY, by_type=DEFAULT_BY_TYPE, **fields):
        with self.state.lock:
            user = self.state.get("user", int(user_id))
            user.update(fields)
            if "first_name" in fields or "last_name" in fields:
                user["display_name"] = " ".join(
                    p for p in (user.get("first_name"), user.get("last_name")) if p)
            self._changed("updated_user", "user", user["id"], by, by_type,
                          fields=sorted(fields))
            return user

    def rename_room(self, room_id, name, *, by=DEFAULT_BY, by_type=DEFAULT_BY_TYPE):
        return self.rename_group("room", room_id, name, by=by, by_type=by_type)

    def rename_group(self, kind, group_id, name, *, by=DEFAULT_BY, by_type=DEFAULT_BY_TYPE):
        """Rename an office, department, call center or room."""
        with self.state.lock:
            row = self.state.get(kind, int(group_id))
            row["name"] = name
            self._changed(f"updated_{kind}", kind, row["id"], by, by_type, name=name)
            return row

    def add_operator(self, group_type, group_id, operator_type, operator_id,
                     role="operator", *, by=DEFAULT_BY, by_type=DEFAULT_BY_TYPE):
        with self.state.lock:
            operator = self.state.add_operator(group_type, int(group_id), operator_type,
                                               int(operator_id), role)
            self._changed("added_operator", group_type, int(group_id), by, by_type,
                          operator_type=operator_type, operator_id=int(operator_id),
                          role=role)
            return operator

    def remove_operator(self, group_type, group_id, operator_type, operator_id, *,
                        by=DEFAULT_BY, by_type=DEFAULT_BY_TYPE):
        with self.state.lock:
            operator = self.state.remove_operator(group_type, int(group_id), operator_type,
                                                  int(operator_id))
            self._changed("removed_operator", group_type, int(group_id), by, by_type,
                          operator_type=operator_type, operator_id=int(operator_id))
            return operator

    # --- messages -----------------------------------------------------------------------

    def inbound_sms(self, to_number, from_number, text="", *, contact_name=""):
        """A message from an outside number to one of the company's numbers."""
        with self.state.lock:
            owner = self.state.numbers.get(to_number)
            if owner is None or owner.get("target_type") is None:
                raise SimError(400, f"to_number: {to_number} is not assigned in the company")
            sms = {"created_date": now_iso(), "device_type": "public_api",
                   "direction": "inbound", "from_number": from_number,
                   "id": self.state.new_id(), "message_delivery_result": "accepted",
                   "message_status": "success", "target_id": owner["target_id"],
                   "target_type": owner["target_type"], "text": text,
                   "to_numbers": [to_number], "user_id": None,
                   "contact_name": contact_name}
            self.state.sms_sent.append(sms)
            self.app.events.sms(sms_event(self.state, sms))
            return sms

    def sms_status(self, message_id, status="success", result="accepted"):
        """Set a message's delivery status and send the delivery-status event."""
        with self.state.lock:
            sms = next((m for m in self.state.sms_sent if m["id"] == int(message_id)), None)
            if sms is None:
                raise SimError(404, f"message {message_id} not found")
            sms["message_status"], sms["message_delivery_result"] = status, result
            self.app.events.sms(sms_event(self.state, sms), status_update=True)
            return sms

    # --- over HTTP ----------------------------------------------------------------------

    def handle_http(self, method, path, body):
        """(status, payload) of a control call; `body` is the request's JSON."""
        action = path[len(CONTROL_PREFIX):].strip("/")
        if action not in self.ACTIONS:
            raise SimError(404, f"no outside action {action!r}; one of "
                                f"{', '.join(self.ACTIONS)}")
        if method != "POST":
            raise SimError(405, "outside actions take POST")
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise SimError(400, "the body must be a JSON object of keyword arguments")
        try:
            return getattr(self, action)(**body)
        except TypeError as exc:
            raise SimError(400, f"{action}: {exc}") from None
        except (KeyError, ValueError) as exc:
            raise SimError(400, f"{action}: {json.dumps(str(exc))}") from None
