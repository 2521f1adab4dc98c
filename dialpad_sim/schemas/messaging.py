"""Request bodies of the messaging endpoints (bulk messages, schedules, channels), in the
schema language of ``language.py``; ``bodies.py`` merges them into ``BODIES``.

Several of Dialpad's reads take a JSON body (``user_id``, and ``cursor``/``limit`` for the
lists): those GETs and DELETEs are listed here too.
"""

from __future__ import annotations

from .language import A, B, E, E164, I, Line, Name, O, S

USER_ONLY = O({"user_id": I()})
LIST = O({"cursor": S(), "limit": I(minimum=1, maximum=100), "user_id": I()})
SCHEDULE_FIELDS = {
    "channel_hashtag": Line(),
    "from_number": E164,
    "media": S(),
    "start_date": I(),
    "text": S(),
    "timezone": S(**{"x-nonblank": True}),
    "to_numbers": A(S(), maxItems=50, **{"x-item-name": "recipients"}),
    "user_id": I(),
}

MESSAGING_BODIES = {
    ("post", "/api/v2/message/bulk"): O({
        "from_number": E164,
        "media": S(),
        "text": S(),
        "title": S(),
        "to_numbers": A(S(), maxItems=50, **{"x-item-name": "recipients"}),
        "user_id": I(),
    }, required=("from_number", "text", "to_numbers")),
    ("get", "/api/v2/message/bulk"): LIST,
    ("get", "/api/v2/message/bulk/{id}"): USER_ONLY,
    ("patch", "/api/v2/message/bulk/{id}"): O({"media": S(), "text": S(), "user_id": I()}),
    ("post", "/api/v2/message/schedule"): O({**SCHEDULE_FIELDS, "is_bulk": B()}),
    ("get", "/api/v2/message/schedule"): LIST,
    ("get", "/api/v2/message/schedule/{id}"): USER_ONLY,
    ("patch", "/api/v2/message/schedule/{id}"): O(SCHEDULE_FIELDS),
    ("delete", "/api/v2/message/schedule/{id}"): USER_ONLY,
    ("post", "/api/v2/message/schedule/{id}/send"): USER_ONLY,
    ("post", "/api/v2/channels"): O({
        "description": S(), "name": Name(), "privacy_type": E("private", "public"),
        "user_id": I(),
    }, required=("description", "name", "privacy_type")),
    ("post", "/api/v2/channels/{id}/members"): O({"user_id": I()}, required=("user_id",)),
    ("delete", "/api/v2/channels/{id}/members"): O({"user_id": I()}, required=("user_id",)),
}
