"""The receiver of Dialpad's webhook: POST only, no login, no CSRF, a capped body.

Thin: services.receive verifies and stores. It answers 200 as soon as the event is stored
(processing runs in Celery), a 4xx for anything it will not store, with a log line that
says why and holds nothing of the token.
"""

import logging

from django.db import DatabaseError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .services.receive import MAX_BODY_BYTES, Refused, event_store, verify

logger = logging.getLogger("events.receiver")


def _refuse(request, status, reason, size):
    logger.warning("Refused a Dialpad webhook delivery (%s bytes from %s): %s", size,
                   request.META.get("REMOTE_ADDR", "?"), reason)
    return JsonResponse({"error": reason}, status=status)


@csrf_exempt
@require_POST
def dialpad_webhook(request):
    declared = request.META.get("CONTENT_LENGTH") or ""
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return _refuse(request, 413, f"the body is larger than {MAX_BODY_BYTES} bytes",
                       declared)
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return _refuse(request, 413, f"the body is larger than {MAX_BODY_BYTES} bytes",
                       f"over {MAX_BODY_BYTES}")
    try:
        claims, verified = verify(body)
    except Refused as refused:
        return _refuse(request, refused.status, refused.reason, len(body))
    try:
        event, created = event_store(claims=claims, verified=verified)
    except DatabaseError as exc:
        # Not the sender's fault: a 503 makes Dialpad deliver it again later.
        logger.error("Could not store a Dialpad event (%s); asked Dialpad to retry",
                     type(exc).__name__)
        response = JsonResponse({"error": "the console cannot store events right now"},
                                status=503)
        response["Retry-After"] = "30"
        return response
    if not created:
        logger.info("Dialpad delivered event #%s again: already stored, not processed again",
                    event.pk)
    return JsonResponse({"status": "stored" if created else "duplicate",
                         "event_id": event.pk})
