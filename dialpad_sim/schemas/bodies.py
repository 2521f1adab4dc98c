"""The request bodies the simulator accepts, written by hand: ``BODIES``.

The hand-written schemas (``BODIES``) list every top-level field of each request body the
simulator accepts, with its type, enum, required-ness and the rules the spec states in prose
(ring_seconds 10-45, "Max 100 characters", "[single-line only]", E.164 numbers, at most 10
SMS recipients...). They make the simulator self-sufficient: it needs no spec file to run.
``BODIES`` maps (method, path template) to the schema of that operation's request body.

The schema language is a JSON-schema subset plus a few ``x-`` keywords for the prose rules.
It and the constructors used below (``S`` a string, ``I`` an int64, ``O`` an object...) are
in ``language.py``. The messaging endpoints' bodies are in ``messaging.py``, merged in at the
end; ``validator.py`` checks requests against ``BODIES``.
"""

from __future__ import annotations

from .language import A, B, E, E164, HOURS, I, Line, Name, O, S
from .messaging import MESSAGING_BODIES

TARGET_TYPE_ENUM = ["callcenter", "callrouter", "channel", "coachinggroup", "coachingteam",
                    "department", "office", "room", "staffgroup", "unknown", "user"]
ROUTING_ACTIONS = ["ai_agent", "bridge_target", "call_service_target", "company_directory",
                   "department", "directory", "disabled", "extension", "google_dialogflow",
                   "last_name_company_directory", "last_name_directory", "menu", "message",
                   "operator", "person", "scripted_ivr", "voicemail"]
LICENSES = ["admins", "agents", "dpde_all", "dpde_one", "lite_lines", "lite_support_agents",
            "magenta_lines", "talk", "user"]
OFFICE_COUNTRIES = [
    "AR", "AT", "AU", "BD", "BE", "BG", "BH", "BR", "CA", "CH", "CI", "CL", "CN", "CO", "CR",
    "CY", "CZ", "DE", "DK", "DO", "DP", "EC", "EE", "EG", "ES", "FI", "FR", "GB", "GH", "GR",
    "GT", "HK", "HR", "HU", "ID", "IE", "IL", "IN", "IS", "IT", "JP", "KE", "KH", "KR", "KZ",
    "LK", "LT", "LU", "LV", "MA", "MD", "MM", "MT", "MX", "MY", "NG", "NL", "NO", "NZ", "PA",
    "PE", "PH", "PK", "PL", "PR", "PT", "PY", "RO", "RU", "SA", "SE", "SG", "SI", "SK", "SV",
    "TH", "TR", "TW", "UA", "US", "UY", "VE", "VN", "ZA"]

# --- building blocks shared by several bodies -------------------------------------------

RING_SECONDS = I(minimum=10, maximum=45, **{"x-unit": "seconds"})
DESCRIPTION = S(maxLength=256)
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HOURS_FIELDS = {f"{day}_hours": HOURS for day in DAYS}
ROUTING_INNER = O({
    "action": E(*ROUTING_ACTIONS),
    "action_target_id": I(),
    "action_target_type": E("callcenter", "callrouter", "channel", "coachinggroup", "contact",
                            "contactgroup", "department", "office", "room", "staffgroup",
                            "unknown", "user"),
    "dtmf": A(O()),
    "operator_routing": E("fixedorder", "longestidle", "mostskilled", "random", "roundrobin",
                          "simultaneous"),
    "try_dial_operators": B(),
}, required=("action", "try_dial_operators"))
ROUTING_OPTIONS = O({"closed": ROUTING_INNER, "open": ROUTING_INNER},
                    required=("closed", "open"))
VOICE_INTELLIGENCE = O({"allow_pause": B(), "auto_start": B()})
HOLD_QUEUE_DEPARTMENT = O({
    "allow_queuing": B(),
    "max_hold_count": I(minimum=1, maximum=50),
    "max_hold_seconds": I(minimum=30, maximum=18000, **{"x-unit": "seconds"}),
})
HOLD_QUEUE_CALLCENTER = O({
    "allow_queue_callback": B(),
    "announce_estimated_wait_time": B(),
    "announce_position": B(),
    "announcement_interval_seconds": I(),
    "estimated_wait_time_max": I(),
    "max_hold_count": I(minimum=1, maximum=1000),
    "max_hold_seconds": I(minimum=30, maximum=18000, **{"x-unit": "seconds"}),
    "queue_callback_dtmf": E("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#"),
    "queue_callback_threshold": I(),
    "queue_escape_dtmf": E("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#"),
    "stay_in_queue_after_closing": B(),
    "unattended_queue": B(),
})
ADVANCED_SETTINGS = O({
    "auto_call_recording": O({"allow_pause_recording": B(), "call_recording_inbound": B(),
                              "call_recording_outbound": B()}),
    "max_wrap_up_seconds": I(minimum=0),
})
ALERTS = O({"cc_service_level": I(minimum=0, maximum=100), "cc_service_level_seconds": I()})
E911_FIELDS = {
    "address": Name(),
    "address2": Line(),
    "city": Name(),
    "country": {"type": "string", "x-nonblank": True, "x-country": True},
    "state": Name(),
    "zip": Name(),
}
E911_REQUIRED = ("address", "city", "country", "state", "zip")
ADD_OPERATOR = O({
    "operator_id": I(),
    "operator_type": E("room", "user"),
    "role": E("admin", "operator"),
}, required=("operator_id", "operator_type"))
REMOVE_OPERATOR = O({"operator_id": I(), "operator_type": E("room", "user")},
                    required=("operator_id", "operator_type"))
ASSIGN_NUMBER = O({"area_code": S(pattern=r"^\d{1,5}$", **{"x-pattern-text": "digits"}),
                   "number": E164, "primary": B()})
UNASSIGN_NUMBER = O({"number": E164}, required=("number",))
GROUP_FIELDS = {
    **HOURS_FIELDS,
    "group_description": DESCRIPTION,
    "hours_on": B(),
    "name": Name(100),
    "ring_seconds": RING_SECONDS,
    "routing_options": ROUTING_OPTIONS,
    "voice_intelligence": VOICE_INTELLIGENCE,
}
DEPARTMENT_FIELDS = {**GROUP_FIELDS, "auto_call_recording": B(),
                     "hold_queue": HOLD_QUEUE_DEPARTMENT}
CALLCENTER_FIELDS = {**GROUP_FIELDS, "advanced_settings": ADVANCED_SETTINGS, "alerts": ALERTS,
                     "hold_queue": HOLD_QUEUE_CALLCENTER}
SMS_SUBSCRIPTION_FIELDS = {
    "direction": E("all", "inbound", "outbound"),
    "enabled": B(),
    "endpoint_id": I(),
    "include_internal": B(),
    "status": B(),
    "target_id": I(),
    "target_type": E(*TARGET_TYPE_ENUM),
}

# (method, path template) -> request body schema.
BODIES = {
    ("post", "/api/v2/offices"): O({
        **HOURS_FIELDS,
        "annual_commit_monthly_billing": B(),
        "auto_call_recording": B(),
        "billing_address": O({
            "address_line_1": Name(), "address_line_2": Line(), "city": Name(),
            "country": S(), "postal_code": Name(), "region": Name(),
        }, required=("address_line_1", "city", "country", "postal_code", "region")),
        "billing_contact": O({"email": S(**{"x-email": True}), "name": Name(),
                              "phone": S()}, required=("email", "name")),
        "country": E(*OFFICE_COUNTRIES),
        "currency": E("AUD", "CAD", "EUR", "GBP", "JPY", "NZD", "USD"),
        "e911_address": O(E911_FIELDS, required=E911_REQUIRED),
        "first_action": E("menu", "operators"),
        "group_description": DESCRIPTION,
        "hours_on": B(),
        "international_enabled": B(),
        "invoiced": B(),
        "mainline_number": E164,
        "name": Name(),
        "no_operators_action": E(*ROUTING_ACTIONS),
        "plan_period": E("monthly", "yearly"),
        "ring_seconds": RING_SECONDS,
        "routing_options": ROUTING_OPTIONS,
        "timezone": S(**{"x-nonblank": True}),
        "unified_billing": B(),
        "use_same_address": B(),
        "voice_intelligence": VOICE_INTELLIGENCE,
    }, required=("annual_commit_monthly_billing", "billing_address", "country", "currency",
                 "invoiced", "name", "plan_period", "unified_billing")),
    ("patch", "/api/v2/offices/{id}"): O({**HOURS_FIELDS, "hours_on": B()}),
    ("put", "/api/v2/offices/{id}/e911"): O({
        **E911_FIELDS, "update_all": B(), "use_validated_option": B()}, required=E911_REQUIRED),
    ("post", "/api/v2/offices/{id}/operators"): ADD_OPERATOR,
    ("delete", "/api/v2/offices/{id}/operators"): REMOVE_OPERATOR,
    ("post", "/api/v2/offices/{id}/assign_number"): ASSIGN_NUMBER,
    ("post", "/api/v2/offices/{id}/unassign_number"): UNASSIGN_NUMBER,
    ("post", "/api/v2/departments"): O({**DEPARTMENT_FIELDS, "office_id": I()},
                                       required=("name", "office_id")),
    ("patch", "/api/v2/departments/{id}"): O(DEPARTMENT_FIELDS),
    ("post", "/api/v2/departments/{id}/operators"): ADD_OPERATOR,
    ("delete", "/api/v2/departments/{id}/operators"): REMOVE_OPERATOR,
    ("post", "/api/v2/callcenters"): O({**CALLCENTER_FIELDS, "office_id": I()},
                                       required=("name", "office_id")),
    ("patch", "/api/v2/callcenters/{id}"): O(CALLCENTER_FIELDS),
    ("post", "/api/v2/callcenters/{id}/operators"): O({
        "keep_paid_numbers": B(),
        "license_type": E("agents", "lite_support_agents"),
        "role": E("admin", "operator", "supervisor"),
        "skill_level": I(minimum=1, maximum=100),
        "user_id": I(),
    }, required=("user_id",)),
    ("delete", "/api/v2/callcenters/{id}/operators"): O({"user_id": I()},
                                                        required=("user_id",)),
    ("post", "/api/v2/rooms"): O({"name": Name(), "office_id": I()},
                                 required=("name", "office_id")),
    ("patch", "/api/v2/rooms/{id}"): O({"name": Name(), "phone_numbers": A(E164)}),
    ("post", "/api/v2/rooms/{id}/assign_number"): ASSIGN_NUMBER,
    ("post", "/api/v2/rooms/{id}/unassign_number"): UNASSIGN_NUMBER,
    ("patch", "/api/v2/users/{id}"): O({
        "admin_office_ids": A(I()),
        "emails": A(S(**{"x-email": True}), minItems=1),
        "extension": S(pattern=r"^\d{1,10}$", **{"x-pattern-text": "digits"}),
        "first_name": Name(),
        "forwarding_numbers": A(E164),
        "international_dialing_enabled": B(),
        "is_super_admin": B(),
        "job_title": Line(),
        "keep_paid_numbers": B(),
        "last_name": Name(),
        "license": E(*LICENSES),
        "office_id": I(),
        "phone_numbers": A(E164),
        "presence_status": O({"message": S(), "provider": S(),
                              "type": E("conference", "default")}),
        "state": E("active", "suspended"),
    }),
    ("put", "/api/v2/users/{id}/e911"): O({**E911_FIELDS, "use_validated_option": B()},
                                          required=E911_REQUIRED),
    ("post", "/api/v2/users/{id}/assign_number"): ASSIGN_NUMBER,
    ("post", "/api/v2/users/{id}/unassign_number"): UNASSIGN_NUMBER,
    ("patch", "/api/v2/users/{id}/move_office"): O({"office_id": I()},
                                                   required=("office_id",)),
    ("post", "/api/v2/numbers/assign"): O({
        "area_code": ASSIGN_NUMBER["properties"]["area_code"],
        "number": E164,
        "primary": B(),
        "target_id": I(),
        "target_type": E(*TARGET_TYPE_ENUM),
    }, required=("target_id", "target_type")),
    ("post", "/api/v2/numbers/{number}/assign"): O({
        "primary": B(), "target_id": I(), "target_type": E(*TARGET_TYPE_ENUM),
    }, required=("target_id", "target_type")),
    ("post", "/api/v2/sms"): O({
        "channel_hashtag": Line(),
        "from_number": E164,
        "infer_country_code": B(),
        "media": S(),
        "sender_group_id": I(),
        "sender_group_type": E("callcenter", "department", "office"),
        "text": S(maxLength=1600),
        "to_numbers": A(S(), maxItems=10, **{"x-item-name": "recipients"}),
        "user_id": I(),
    }),
    ("post", "/api/v2/webhooks"): O({"hook_url": S(**{"x-url": True}), "secret": Line()},
                                    required=("hook_url",)),
    ("patch", "/api/v2/webhooks/{id}"): O({"hook_url": S(**{"x-url": True}),
                                           "secret": Line()}),
    ("post", "/api/v2/subscriptions/sms"): O(SMS_SUBSCRIPTION_FIELDS,
                                             required=("direction", "endpoint_id")),
    ("patch", "/api/v2/subscriptions/sms/{id}"): O(SMS_SUBSCRIPTION_FIELDS),
    ("post", "/api/v2/subscriptions/changelog"): O({"enabled": B(), "endpoint_id": I()},
                                                   required=("endpoint_id",)),
    ("patch", "/api/v2/subscriptions/changelog/{id}"): O({"enabled": B(), "endpoint_id": I()}),
}


# The messaging endpoints' bodies (bulk messages, schedules, channels).
BODIES.update(MESSAGING_BODIES)
