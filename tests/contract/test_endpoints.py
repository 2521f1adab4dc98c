"""The endpoints module is the one place that knows Dialpad's paths: each of its requests and
listings, built with typical arguments, must validate against Dialpad's OpenAPI spec.

(Every request the client actually sends in the rest of the suite is checked too, by the
contract plugin; this module checks each builder once, directly, including the variants a
test might never send.)
"""

import inspect
import json
from types import SimpleNamespace

import pytest

from dialpad_console.dialpad import endpoints

from .spec import spec_missing_reason, validate_recorded_request

pytestmark = pytest.mark.skipif(bool(spec_missing_reason()), reason=spec_missing_reason() or "")

OFFICE, GROUP, USER, ROOM = 5_100_000_001, 5_200_000_002, 5_300_000_003, 5_400_000_004
NUMBER = "+14155550100"
CHANNEL, COMPANY = 5_500_000_005, 5_600_000_006
BULK_KEY = "agZzfmRpYWxwYWQtYnVsaw"
WEBHOOK, SUBSCRIPTION = 5_500_000_005, 5_600_000_006
ADDRESS = {"address": "1 Main St", "address2": "", "city": "Austin", "state": "TX",
           "zip": "78701", "country": "us"}

# Each request builder with the arguments a service gives it, in each shape it can take.
BUILT = {
    "operator_add": [
        endpoints.operator_add("office", OFFICE, operator_type="user", operator_id=USER,
                               role="admin"),
        endpoints.operator_add("department", GROUP, operator_type="room", operator_id=ROOM,
                               role="operator"),
        endpoints.operator_add("callcenter", GROUP, operator_type="user", operator_id=USER,
                               role="operator"),
    ],
    "operator_remove": [
        endpoints.operator_remove("office", OFFICE, operator_type="room", operator_id=ROOM),
        endpoints.operator_remove("callcenter", GROUP, operator_type="user", operator_id=USER),
    ],
    "e911_update": [
        endpoints.e911_update("office", OFFICE, ADDRESS, update_all=True,
                              use_validated_option=False),
        endpoints.e911_update("user", USER, ADDRESS, use_validated_option=True),
    ],
    "number_assign": [
        endpoints.number_assign(NUMBER, target_type="room", target_id=ROOM, primary=False),
    ],
    "number_assign_in_area": [
        endpoints.number_assign_in_area(target_type="user", target_id=USER, area_code="415",
                                        primary=True),
    ],
    "number_unassign": [
        endpoints.number_unassign(NUMBER, release=False),
        endpoints.number_unassign(NUMBER, release=True),
    ],
    "create": [
        endpoints.create("room", {"name": "Lobby", "office_id": OFFICE}),
        endpoints.create("department", {"name": "Billing", "office_id": OFFICE,
                                        "ring_seconds": 20, "hours_on": True,
                                        "monday_hours": ["08:00", "18:00"]}),
        endpoints.create("callcenter", {"name": "Support", "office_id": OFFICE,
                                        "group_description": "Tier 1"}),
    ],
    "update": [
        endpoints.update("room", ROOM, {"name": "Lobby 2"}),
        endpoints.update("department", GROUP, {"ring_seconds": 30}),
        endpoints.update("callcenter", GROUP, {"name": "Care", "hours_on": False}),
    ],
    "delete": [endpoints.delete("room", ROOM)],
    "user_move_office": [endpoints.user_move_office(USER, OFFICE)],
    "sms_send": [
        endpoints.sms_send(to_numbers=[NUMBER], text="Hi", user_id=USER),
        endpoints.sms_send(to_numbers=[NUMBER, "+14155550101"], text="Hi",
                           from_number="+14155550199", media="aGVsbG8="),
        endpoints.sms_send(to_numbers=[NUMBER], text="Hi", user_id=USER,
                           sender_group_type="department", sender_group_id=GROUP),
    ],
    "bulk_message_send": [
        endpoints.bulk_message_send(user_id=USER, from_number=NUMBER, to_numbers=[NUMBER],
                                    text="Hi", title="Dialpad Console job 1, batch 1 of 2"),
        endpoints.bulk_message_send(user_id=USER, from_number=NUMBER, to_numbers=[NUMBER],
                                    text="Hi", title="t", media="aGVsbG8="),
    ],
    "bulk_message_get": [endpoints.bulk_message_get(BULK_KEY, user_id=USER)],
    "bulk_messages_list": [endpoints.bulk_messages_list(user_id=USER),
                           endpoints.bulk_messages_list(user_id=USER, cursor="abc")],
    "schedule_create": [
        endpoints.schedule_create(user_id=USER, to_numbers=[NUMBER], text="Later",
                                  start_date=1_900_000_000, timezone="America/New_York"),
        endpoints.schedule_create(user_id=USER, to_numbers=[NUMBER] * 11, text="Later",
                                  start_date=1_900_000_000, timezone="Europe/London",
                                  from_number=NUMBER, media="aGVsbG8="),
    ],
    "schedule_update": [
        endpoints.schedule_update(BULK_KEY, user_id=USER, text="Sooner",
                                  start_date=1_900_000_000, timezone="UTC",
                                  to_numbers=[NUMBER]),
    ],
    "schedule_delete": [endpoints.schedule_delete(BULK_KEY, user_id=USER)],
    "schedule_send_now": [endpoints.schedule_send_now(BULK_KEY, user_id=USER)],
    "schedule_get": [endpoints.schedule_get(BULK_KEY, user_id=USER)],
    "schedules_list": [endpoints.schedules_list(user_id=USER, cursor="abc")],
    "channel_create": [endpoints.channel_create(name="facilities", description="Doors",
                                                privacy_type="private", user_id=USER)],
    "channel_delete": [endpoints.channel_delete(CHANNEL)],
    "channel_member_add": [endpoints.channel_member_add(CHANNEL, user_id=USER)],
    "channel_member_remove": [endpoints.channel_member_remove(CHANNEL, user_id=USER)],
    "webhook_create": [endpoints.webhook_create(hook_url="https://console.example/webhooks/"
                                                         "dialpad/", secret="s" * 32)],
    "webhook_update": [endpoints.webhook_update(WEBHOOK, hook_url="https://console.example/"
                                                               "webhooks/dialpad/",
                                                secret="s" * 32)],
    "subscription_create": [
        endpoints.subscription_create("changelog", {"endpoint_id": WEBHOOK, "enabled": True}),
        endpoints.subscription_create("sms", {"endpoint_id": WEBHOOK, "direction": "all",
                                              "enabled": True, "status": True}),
    ],
    "subscription_update": [
        endpoints.subscription_update("changelog", SUBSCRIPTION, {"enabled": True}),
        endpoints.subscription_update("sms", SUBSCRIPTION, {"direction": "all",
                                                            "enabled": True, "status": True}),
    ],
}

# Each read the console makes.
READS = [
    endpoints.COMPANY,
    endpoints.entity("office", OFFICE),
    endpoints.entity("department", GROUP),
    endpoints.entity("callcenter", GROUP),
    endpoints.entity("room", ROOM),
    endpoints.entity("user", USER),
    endpoints.entity("number", NUMBER),
    endpoints.operators("office", OFFICE),
    endpoints.operators("department", GROUP),
    endpoints.operators("callcenter", GROUP),
    endpoints.e911("office", OFFICE),
    endpoints.e911("user", USER),
    endpoints.office_groups(OFFICE, "department"),
    endpoints.office_groups(OFFICE, "callcenter"),
    endpoints.room_deskphones(ROOM),
    endpoints.item(endpoints.CHANNELS, CHANNEL),
    endpoints.item(endpoints.CHANNELS, CHANNEL, "members"),
    endpoints.WEBHOOKS,
    endpoints.subscriptions("changelog"),
    endpoints.subscriptions("sms"),
]


def recorded(request):
    # As the client sends it: JSON bodies with ints as numbers, booleans in the query
    # lower-cased (dialpad_console.dialpad.client._encode_params).
    query = {k: [str(v).lower() if isinstance(v, bool) else str(v)]
             for k, v in (request.query or {}).items()}
    body = json.loads(json.dumps(request.body)) if request.body is not None else None
    return SimpleNamespace(method=request.method, path=request.path, query=query, json=body,
                           headers={"Authorization": "Bearer x", "Content-Type":
                                    "application/json", "User-Agent": "dialpad-console/1"},
                           status=200, user_agent="dialpad-console/1")


def test_every_request_builder_is_checked_here():
    builders = {name for name, function in inspect.getmembers(endpoints, inspect.isfunction)
                if function.__module__ == endpoints.__name__
                and "return ApiRequest(" in inspect.getsource(function)}
    assert len(builders) >= 10
    assert builders == set(BUILT), "give each request builder samples in BUILT"


@pytest.mark.parametrize("name, request_", [
    (name, request) for name, requests in BUILT.items() for request in requests])
def test_each_request_matches_the_spec(name, request_):
    assert validate_recorded_request(recorded(request_)) == [], request_.as_text()


@pytest.mark.parametrize("path", READS)
def test_each_read_matches_the_spec(path):
    assert validate_recorded_request(recorded(endpoints.ApiRequest("GET", path))) == []


LISTINGS = {**endpoints.LISTINGS,
            "channel members": endpoints.channel_member_listing(CHANNEL),
            "sms opt-outs": endpoints.sms_opt_out_listing(COMPANY)}


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_each_listing_matches_the_spec(name):
    listing = LISTINGS[name]
    request = endpoints.ApiRequest("GET", listing.path, query={**(listing.params or {}),
                                                               "cursor": "abc"})
    assert validate_recorded_request(recorded(request)) == []
