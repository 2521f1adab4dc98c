"""The company: ``GET /company``, and its SMS opt-out list ``GET /company/{id}/smsoptout``."""

from __future__ import annotations

from ..state import SimError
from .common import API, query_int

OPT_OUT_STATES = ("opted_back_in", "opted_out")


def company_get(app, r):
    return dict(app.state.company)


def sms_opt_outs(app, r):
    """The company's opt-out list, one opt_out_state at a time (the parameter is required),
    under its own rate limit of 250 requests a minute."""
    s = app.state
    retry_after = s.messaging.opt_out_limiter.acquire()
    if retry_after is not None:
        raise SimError(429, f"Rate limit of {s.messaging.opt_out_limiter.per_minute} requests "
                            f"per minute exceeded for the SMS opt-out list; retry in "
                            f"{retry_after} s", headers={"Retry-After": str(retry_after)})
    if r.params["id"] != str(s.company.get("id")):
        raise SimError(403, "id: must be the id of the API key's company")
    state = r.query.get("opt_out_state")
    if state not in OPT_OUT_STATES:
        raise SimError(400, f"opt_out_state: is required, one of {', '.join(OPT_OUT_STATES)} "
                            f"(got {state!r})")
    campaign = query_int(r.query, "a2p_campaign_id")
    if campaign is not None and state != "opted_out":
        raise SimError(400, "opt_out_state: must be 'opted_out' with a2p_campaign_id")

    def wanted(entry):
        scope = entry.get("opt_out_scope_info") or {}
        return entry["opt_out_state"] == state and (
            campaign is None or scope.get("scope_id") == campaign)

    return app.paginate(r, f"smsoptout:{state}", s.messaging.opt_outs, wanted)


def register(route) -> None:
    route(f"{API}/company", get=company_get)
    route(f"{API}/company/{{id}}/smsoptout", get=sms_opt_outs)
