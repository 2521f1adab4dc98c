"""`manage.py dialpad_check`: can we reach Dialpad with the configured key?"""

from __future__ import annotations

from . import endpoints
from .client import get_client
from .errors import AuthError, ConfigurationError, DialpadError, TransportError, redact


class DialpadCheckFailed(Exception):
    """One line saying what is wrong and what to do about it."""


def check_connection(client=None) -> str:
    """The line to print on success; raises DialpadCheckFailed with one clear line otherwise."""
    if client is None:
        try:
            # A check should answer in seconds, not retry an unreachable host for a minute.
            client = get_client(max_retries=1, max_retry_wait=2)
        except ConfigurationError as exc:
            raise DialpadCheckFailed(str(exc)) from None
    base_url = client.base_url
    try:
        company = client.get(endpoints.COMPANY) or {}
    except AuthError as exc:
        raise DialpadCheckFailed(
            f"Dialpad at {base_url} rejected the API key ({exc.status}: {exc.message}). "
            "Check DIALPAD_API_KEY and that it belongs to this environment "
            "(live or sandbox)."
        ) from None
    except TransportError as exc:
        raise DialpadCheckFailed(
            f"Could not reach Dialpad at {base_url}: {exc.message}. "
            "Check DIALPAD_BASE_URL / DIALPAD_SANDBOX and the network."
        ) from None
    except DialpadError as exc:
        raise DialpadCheckFailed(f"Dialpad at {base_url} answered with an error: {exc}") from None
    name = company.get("name") or "(unnamed)"
    company_id = company.get("id", "?")
    return redact(f"Connected to Dialpad company {name} (id {company_id}) at {base_url}")
