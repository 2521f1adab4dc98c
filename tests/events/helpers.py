"""Building what Dialpad sends: change-log and SMS events, signed as its webhook signs them."""

import base64
import json
import time

import jwt

SECRET = "console-webhook-secret-for-tests-0001"
PREVIOUS_SECRET = "previous-webhook-secret-for-tests-02"
RECEIVER = "/webhooks/dialpad/"


def signed(claims, secret=SECRET, algorithm="HS256", **headers):
    return jwt.encode({"iat": int(time.time()), **claims}, secret, algorithm=algorithm,
                      headers=headers or None)


def unsigned_token(claims, algorithm="none"):
    """A token whose header says `algorithm`, with a signature no key made."""
    def b64(raw):
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")
    header = b64(json.dumps({"alg": algorithm, "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    signature = "" if algorithm == "none" else b64(bytes(range(256)))
    return f"{header}.{body}.{signature}"


def changelog(target_type="user", target_id=1, action="updated_user", by="Jane Doe",
              by_type="admin portal", **extra):
    return {"date": int(time.time() * 1000), "action": action, "note": "", "additional_data": {},
            "target": {"type": target_type, "id": str(target_id)},
            "changed_by": {"name": by, "id": "42", "type": by_type}, **extra}


def sms(message_id=7001, direction="inbound", status="success", text="hello",
        contact="+14155550199", target_id=1, target_type="user", **extra):
    outbound = direction == "outbound"
    event = {
        "id": str(message_id), "created_date": int(time.time() * 1000), "direction": direction,
        "target": {"id": str(target_id), "type": target_type, "name": "Ada Lovelace",
                   "phone_number": "+14155550100"},
        "contact": {"id": "99", "name": "Pat", "phone_number": contact},
        "sender_id": None, "from_number": "+14155550100" if outbound else contact,
        "to_number": [contact] if outbound else ["+14155550100"], "mms": False,
        "message_status": status, "message_delivery_result": "accepted", **extra}
    if text is not None:
        event["text"] = text
    return event
