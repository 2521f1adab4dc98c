"""``OrgState``: the org model plus the operations that change it, keeping it consistent.

Relations that span tables go through these operations, which keep both sides in step:

- operator memberships <-> each user's ``group_details`` and ``admin_office_ids``,
- numbers <-> each target's ``phone_numbers`` (primary first),
- an office's E911 address <-> its users' (with ``update_all``),
- a user's office <-> the ``office_id`` of the user's numbers.

Every operation takes ``self.lock`` (re-entrant), so the HTTP handlers and tests can share it.
Operations raise :class:`SimError` with an HTTP status and a message naming the field and rule.
The tables themselves, ids and lookups (``get``, ``table``) are ``OrgModel``'s (``model.py``).
"""

from __future__ import annotations

from .. import data
from .model import (
    CALLCENTER_ROLES,
    GROUP_TYPES,
    INACTIVE_USER_STATES,
    NUMBER_STATUS,
    OPERATOR_TYPES,
    ROLES,
    TARGET_TYPES,
    OrgModel,
    SimError,
)


class OrgState(OrgModel):
    """One company's org. All tables are plain dicts; ``lock`` guards compound changes."""

    # --- operators ----------------------------------------------------------------------

    def operators(self, group_type: str, group_id: int) -> list[tuple[str, int, str]]:
        """(operator_type, operator_id, role) of a group's operators, in the order added."""
        with self.lock:
            self.get(group_type, group_id)
            members = self.memberships.get((group_type, group_id), {})
            return [(otype, oid, role) for (otype, oid), role in members.items()]

    def groups_of(self, operator_type: str, operator_id: int) -> list[tuple[str, int, str]]:
        """(group_type, group_id, role) of every group the user or room operates."""
        with self.lock:
            key = (operator_type, operator_id)
            return [(gtype, gid, members[key])
                    for (gtype, gid), members in self.memberships.items() if key in members]

    def add_operator(self, group_type: str, group_id: int, operator_type: str,
                     operator_id: int, role: str = "operator") -> dict:
        """Make a user or room an operator of an office, department or call center."""
        with self.lock:
            if group_type not in GROUP_TYPES:
                raise SimError(400, f"group_type: must be one of {', '.join(GROUP_TYPES)}")
            if operator_type not in OPERATOR_TYPES:
                raise SimError(400, "operator_type: must be one of 'room', 'user' "
                                    f"(got {operator_type!r})")
            allowed_roles = CALLCENTER_ROLES if group_type == "callcenter" else ROLES
            if role not in allowed_roles:
                raise SimError(400, f"role: must be one of {', '.join(allowed_roles)} "
                                    f"(got {role!r})")
            self.get(group_type, group_id)
            if operator_type == "room" and group_type == "callcenter":
                raise SimError(400, "operator_type: call centers take users only as operators; "
                                    "rooms can operate offices and departments")
            operator = self.get(operator_type, operator_id,
                                field="operator_id" if group_type != "callcenter" else "user_id")
            if operator_type == "user" and operator.get("state") in INACTIVE_USER_STATES:
                raise SimError(400, f"operator_id: user {operator_id} is "
                                    f"{operator['state']} and cannot be an operator")
            members = self.memberships.setdefault((group_type, group_id), {})
            key = (operator_type, operator_id)
            if key in members:
                raise SimError(409, f"{operator_type} {operator_id} is already an operator of "
                                    f"{group_type} {group_id} (role {members[key]})")
            members[key] = role
            if operator_type == "user":
                operator.setdefault("group_details", []).append({
                    "do_not_disturb": False,
                    "group_id": group_id,
                    "group_type": group_type,
                    "role": role,
                })
                if group_type == "office" and role == "admin":
                    self._sync_admin_offices(operator)
            return operator

    def remove_operator(self, group_type: str, group_id: int, operator_type: str,
                        operator_id: int) -> dict:
        """Remove a user or room from a group's operators; 400 if it is not one."""
        with self.lock:
            if operator_type not in OPERATOR_TYPES:
                raise SimError(400, "operator_type: must be one of 'room', 'user' "
                                    f"(got {operator_type!r})")
            self.get(group_type, group_id)
            field = "operator_id" if group_type != "callcenter" else "user_id"
            operator = self.get(operator_type, operator_id, field=field)
            members = self.memberships.get((group_type, group_id), {})
            key = (operator_type, operator_id)
            if key not in members:
                raise SimError(400, f"{field}: {operator_type} {operator_id} is not an operator "
                                    f"of {group_type} {group_id}")
            self._unlink(group_type, group_id, operator_type, operator_id)
            return operator

    def set_operator_role(self, group_type: str, group_id: int, operator_type: str,
                          operator_id: int, role: str) -> None:
        with self.lock:
            members = self.memberships.get((group_type, group_id), {})
            key = (operator_type, operator_id)
            if key not in members:
                self.add_operator(group_type, group_id, operator_type, operator_id, role)
                return
            members[key] = role
            if operator_type == "user":
                user = self.users[operator_id]
                for detail in user.get("group_details") or []:
                    if detail["group_type"] == group_type and detail["group_id"] == group_id:
                        detail["role"] = role
                self._sync_admin_offices(user)

    def _unlink(self, group_type, group_id, operator_type, operator_id) -> None:
        members = self.memberships.get((group_type, group_id))
        if members is not None:
            members.pop((operator_type, operator_id), None)
            if not members:
                del self.memberships[(group_type, group_id)]
        if operator_type == "user" and operator_id in self.users:
            user = self.users[operator_id]
            user["group_details"] = [
                d for d in user.get("group_details") or []
                if not (d["group_type"] == group_type and d["group_id"] == group_id)]
            if group_type == "office":
                self._sync_admin_offices(user)

    def _sync_admin_offices(self, user: dict) -> None:
        """admin_office_ids = the offices whose mainline the user operates as admin."""
        user["admin_office_ids"] = [
            d["group_id"] for d in user.get("group_details") or []
            if d["group_type"] == "office" and d["role"] == "admin"]
        user["is_admin"] = bool(user["admin_office_ids"]) or bool(user.get("is_super_admin"))

    def set_admin_offices(self, user_id: int, office_ids: list[int]) -> None:
        """Make the user admin of exactly these offices (operator elsewhere it operates)."""
        with self.lock:
            user = self.get("user", user_id)
            for oid in office_ids:
                self.get("office", oid, field="admin_office_ids")
            wanted = list(dict.fromkeys(office_ids))
            for oid in wanted:
                self.set_operator_role("office", oid, "user", user_id, "admin")
            for gtype, gid, role in self.groups_of("user", user_id):
                if gtype == "office" and role == "admin" and gid not in wanted:
                    self.set_operator_role("office", gid, "user", user_id, "operator")
            self._sync_admin_offices(user)

    # --- numbers ------------------------------------------------------------------------

    def target_office_id(self, target_type: str, target_id: int) -> int | None:
        target = self.get(target_type, target_id)
        return target_id if target_type == "office" else target.get("office_id")

    def add_number(self, number: str, *, office_id: int | None, area_code: str,
                   number_type: str = "local") -> dict:
        """Put a number into the company's reserved pool (status available)."""
        with self.lock:
            row = {
                "area_code": area_code,
                "company_id": self.company.get("id"),
                "deleted": False,
                "number": number,
                "office_id": office_id,
                "status": "available",
                "target_id": None,
                "target_type": None,
                "type": number_type,
            }
            self.numbers[number] = row
            return row

    def new_number_in_area(self, area_code: str, country: str = "us") -> str | None:
        """A number not yet in the company, in the given area code (None if not possible)."""
        cc, lead, width = data.NUMBER_PLANS.get(country, data.NUMBER_PLANS["us"])
        for _ in range(200):
            local = lead + "".join(str(self.rng.randrange(10)) for _ in range(width))
            candidate = f"+{cc}{area_code}{local}"
            if candidate not in self.numbers:
                return candidate
        return None

    def pick_available(self, area_code: str | None = None) -> dict | None:
        with self.lock:
            for row in self.numbers.values():
                if row.get("status") == "available" and (
                        area_code is None or row.get("area_code") == area_code):
                    return row
            return None

    def assign_number(self, target_type: str, target_id: int, number: str | None = None, *,
                      area_code: str | None = None, primary: bool = True,
                      allow_reassign: bool = False) -> dict:
        """Assign a number to a target, as the assign_number endpoints do.

        With ``number``: that number, from the reserved pool (or from another target when
        ``allow_reassign``). With ``area_code``: an available number of that area code, else
        a new one bought in it. With neither: any number of the reserved pool.
        ``primary`` puts the number first in the target's ``phone_numbers``.
        """
        with self.lock:
            if target_type not in TARGET_TYPES:
                raise SimError(400, f"target_type: the simulator supports "
                                    f"{', '.join(TARGET_TYPES)} (got {target_type!r})")
            target = self.get(target_type, target_id,
                              field="target_id" if number is None else None)
            if number is not None:
                row = self.numbers.get(number)
                if row is None:
                    raise SimError(404, f"number: {number} is not one of the company's numbers")
                current = (row.get("target_type"), row.get("target_id"))
                if current == (target_type, target_id):
                    self._place_number(target, number, primary)
                    return row
                if row.get("status") != "available":
                    if not allow_reassign:
                        raise SimError(400, f"number: {number} is already assigned to "
                                            f"{row.get('target_type')} {row.get('target_id')}; "
                                            "unassign it first")
                    self._detach_number(row)
            elif area_code is not None:
                row = self.pick_available(area_code)
                if row is None:
                    office_id = self.target_office_id(target_type, target_id)
                    office = self.offices.get(office_id) or {}
                    country = office.get("country") or "us"
                    new = self.new_number_in_area(area_code, country)
                    if new is None or not _valid_e164(new):
                        raise SimError(400, f"area_code: no number available in area code "
                                            f"{area_code}")
                    row = self.add_number(new, office_id=office_id, area_code=area_code)
            else:
                row = self.pick_available()
                if row is None:
                    raise SimError(400, "number: the company's reserved pool is empty; "
                                        "give a number or an area_code")
            row["status"] = NUMBER_STATUS[target_type]
            row["target_type"] = target_type
            row["target_id"] = target_id
            row["office_id"] = self.target_office_id(target_type, target_id)
            self._place_number(target, row["number"], primary)
            return row

    @staticmethod
    def _place_number(target: dict, number: str, primary: bool) -> None:
        numbers = [n for n in target.get("phone_numbers") or [] if n != number]
        if primary:
            numbers.insert(0, number)
        else:
            numbers.append(number)
        target["phone_numbers"] = numbers

    def _detach_number(self, row: dict) -> None:
        ttype, tid = row.get("target_type"), row.get("target_id")
        if ttype in TARGET_TYPES and tid is not None:
            target = self.table(ttype).get(tid)
            if target is not None:
                target["phone_numbers"] = [
                    n for n in target.get("phone_numbers") or [] if n != row["number"]]
        row["status"] = "available"
        row["target_type"] = None
        row["target_id"] = None

    def unassign_number(self, number: str, *, target_type: str | None = None,
                        target_id: int | None = None, release: bool = False) -> dict:
        """Take a number off its target: back to the reserved pool, or released.

        With a target given, the number must be assigned to it (400 otherwise). Released
        numbers leave the company (a later GET answers 404).
        """
        with self.lock:
            if target_type is not None:
                self.get(target_type, target_id)
            row = self.numbers.get(number)
            if row is None:
                raise SimError(404, f"number: {number} is not one of the company's numbers")
            if target_type is not None and (
                    row.get("target_type"), row.get("target_id")) != (target_type, target_id):
                raise SimError(400, f"number: {number} is not assigned to "
                                    f"{target_type} {target_id}")
            self._detach_number(row)
            if release:
                del self.numbers[number]
                row = dict(row, status=None, office_id=None)
            return row

    def set_phone_numbers(self, target_type: str, target_id: int, numbers: list[str],
                          field: str = "phone_numbers") -> None:
        """Re-order or remove a target's numbers (removed ones go back to the pool)."""
        with self.lock:
            target = self.get(target_type, target_id)
            current = list(target.get("phone_numbers") or [])
            for n in numbers:
                if n not in current:
                    raise SimError(400, f"{field}: {n} is not assigned to {target_type} "
                                        f"{target_id}; use the assign number API to add one")
            if len(set(numbers)) != len(numbers):
                raise SimError(400, f"{field}: a number is listed twice")
            for n in current:
                if n not in numbers and n in self.numbers:
                    self._detach_number(self.numbers[n])
            target["phone_numbers"] = list(numbers)

    # --- E911 ---------------------------------------------------------------------------

    def set_office_e911(self, office_id: int, address: dict, *, update_all: bool = False):
        with self.lock:
            office = self.get("office", office_id)
            office["e911_address"] = dict(address)
            if update_all:
                for uid, user in self.users.items():
                    if user.get("office_id") == office_id:
                        self.user_e911[uid] = dict(address)
            return office["e911_address"]

    def set_user_e911(self, user_id: int, address: dict) -> dict:
        with self.lock:
            self.get("user", user_id)
            self.user_e911[user_id] = dict(address)
            return self.user_e911[user_id]

    # --- entities -----------------------------------------------------------------------

    def _release_target(self, target_type: str, target_id: int) -> None:
        target = self.table(target_type)[target_id]
        for n in list(target.get("phone_numbers") or []):
            if n in self.numbers:
                self._detach_number(self.numbers[n])
        target["phone_numbers"] = []

    def delete_group(self, group_type: str, group_id: int) -> dict:
        """Delete a department or call center: numbers back to the pool, operators unlinked."""
        with self.lock:
            group = self.get(group_type, group_id)
            for otype, oid, _role in self.operators(group_type, group_id):
                self._unlink(group_type, group_id, otype, oid)
            self._release_target(group_type, group_id)
            del self.table(group_type)[group_id]
            return dict(group, state="deleted")

    def delete_room(self, room_id: int) -> dict:
        with self.lock:
            room = self.get("room", room_id)
            for gtype, gid, _role in self.groups_of("room", room_id):
                self._unlink(gtype, gid, "room", room_id)
            self._release_target("room", room_id)
            self.deskphones.pop(room_id, None)
            del self.rooms[room_id]
            return dict(room, state="deleted")

    def move_user(self, user_id: int, office_id: int) -> dict:
        """Move a user to another office.

        As the spec says for international moves (the destination office is in another
        country), the user's numbers are unassigned and a new one of the destination
        office's area is assigned. Otherwise the numbers follow the user.
        """
        with self.lock:
            user = self.get("user", user_id)
            new_office = self.get("office", office_id, field="office_id")
            old_office = self.offices.get(user.get("office_id")) or {}
            user["office_id"] = office_id
            if (old_office.get("country") or "us") != (new_office.get("country") or "us"):
                had_numbers = bool(user.get("phone_numbers"))
                self._release_target("user", user_id)
                user["country"] = new_office.get("country")
                if had_numbers:
                    area = _office_area_code(self, office_id)
                    self.assign_number("user", user_id, area_code=area)
            else:
                for n in user.get("phone_numbers") or []:
                    if n in self.numbers:
                        self.numbers[n]["office_id"] = office_id
            return user

    def office_defaults(self, office_id: int) -> dict:
        office = self.get("office", office_id, field="office_id")
        return {"country": office.get("country"), "timezone": office.get("timezone")}


def _office_area_code(state: OrgState, office_id: int) -> str | None:
    office = state.offices[office_id]
    for n in office.get("phone_numbers") or []:
        row = state.numbers.get(n)
        if row and row.get("type") == "local":
            return row.get("area_code")
    for row in state.numbers.values():
        if row.get("office_id") == office_id and row.get("type") == "local":
            return row.get("area_code")
    return None


def _valid_e164(number: str) -> bool:
    import phonenumbers

    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number))
    except phonenumbers.NumberParseException:
        return False
