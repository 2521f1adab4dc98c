"""/healthz and /readyz. No login, no secrets, cheap (see dialpad_console.health).

`ProbeMiddleware`, first in settings.MIDDLEWARE, answers both before Django checks the Host
header and before the HTTPS redirect: a load balancer or supervisor probes a backend by its
address, over plain HTTP. The URLs are in dialpad_console.urls as well, so reverse() works.
"""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import OK, run_checks


@never_cache
@require_safe
def healthz(request):
    """Liveness: this process answers. Reads nothing, so a database outage restarts nobody."""
    return JsonResponse({"status": OK})


@never_cache
@require_safe
def readyz(request):
    """Readiness: every check; 200 when the required ones pass, 503 otherwise."""
    body = run_checks()
    response = JsonResponse(body, status=200 if body["status"] == OK else 503)
    # Django logs every 5xx as an error; a probe every few seconds during an outage would
    # bury the lines that say what broke. The failing checks are in the body.
    response._has_been_logged = True
    return response


PROBES = {"/healthz": healthz, "/readyz": readyz}


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)
