"""Webhooks and event subscriptions; a webhook's secret never comes back in full."""

from tests.sim.helpers import error_message

SECRET = "a-very-long-shared-secret-1234"


def _create(api):
    return api.post("/webhooks", json={"hook_url": "https://console.example/hooks/dialpad",
                                       "secret": SECRET}).json()


def test_it_creates_a_webhook_and_lists_it(api):
    hook = _create(api)

    assert hook["hook_url"] == "https://console.example/hooks/dialpad"
    assert hook["id"] in [h["id"] for h in api.list_all("/webhooks")]


def test_webhook_secret_is_not_echoed(api):
    hook = _create(api)

    bodies = [str(hook), api.get(f"/webhooks/{hook['id']}").text, api.get("/webhooks").text]

    assert all(SECRET not in body for body in bodies)
    assert hook["signature"] == {"algo": "HS256", "secret": "********1234", "type": "jwt"}


def test_the_generated_webhook_secret_is_masked_too(sim, api):
    secret = next(iter(sim.state.webhooks.values()))["signature"]["secret"]

    assert secret not in api.get("/webhooks").text
    assert secret not in api.get("/subscriptions/changelog").text


def test_a_webhook_without_secret_has_no_signature(api):
    hook = api.post("/webhooks", json={"hook_url": "https://console.example/h"}).json()

    assert "signature" not in hook


def test_a_hook_url_must_be_http(api):
    response = api.post("/webhooks", json={"hook_url": "ftp://x"})

    assert response.status_code == 400
    assert error_message(response).startswith("hook_url: must be an http(s) URL")


def test_it_subscribes_to_sms_events_and_embeds_the_masked_webhook(api):
    hook = _create(api)

    sub = api.post("/subscriptions/sms", json={"direction": "all",
                                               "endpoint_id": hook["id"]}).json()

    assert (sub["direction"], sub["enabled"]) == ("all", True)
    assert sub["webhook"]["id"] == hook["id"]
    assert SECRET not in api.get(f"/subscriptions/sms/{sub['id']}").text


def test_an_sms_subscription_needs_a_known_webhook(api):
    response = api.post("/subscriptions/sms", json={"direction": "all", "endpoint_id": 7})

    assert response.status_code == 404
    assert error_message(response) == "endpoint_id: webhook 7 not found"


def test_an_sms_subscription_direction_is_an_enum(api):
    hook = _create(api)

    response = api.post("/subscriptions/sms", json={"direction": "sideways",
                                                    "endpoint_id": hook["id"]})

    assert response.status_code == 400
    assert error_message(response).startswith("direction: must be one of")


def test_it_subscribes_to_the_change_log_and_deletes_the_subscription(api):
    hook = _create(api)

    sub = api.post("/subscriptions/changelog", json={"endpoint_id": hook["id"]}).json()
    deleted = api.delete(f"/subscriptions/changelog/{sub['id']}")

    assert deleted.status_code == 200
    assert api.get(f"/subscriptions/changelog/{sub['id']}").status_code == 404
    assert sub["id"] not in [s["id"] for s in api.list_all("/subscriptions/changelog")]


def test_deleting_a_webhook(api):
    hook = _create(api)

    assert api.delete(f"/webhooks/{hook['id']}").status_code == 200
    assert api.get(f"/webhooks/{hook['id']}").status_code == 404
