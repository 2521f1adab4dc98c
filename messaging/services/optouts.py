"""The company's SMS opt-out list, read outside the full sync: a bulk message reads it
before its first batch, so that whoever texted STOP since the last sync is left out.

Both listings (opted out, opted back in) are written through the one mirror writer; nothing
is marked gone here (that is the full sync's gone pass, after its complete listings). The
client paces the endpoint under its own limit of 250 requests a minute.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from dialpad_console.dialpad import endpoints
from orgs.mirror import clean_payload, write_rows
from orgs.models import Company

from ..mirror import OPT_OUT_TABLE, SMS_OPT_OUTS


def opt_outs_refresh(client):
    """Read the whole opt-out list with `client` and store it; returns how many entries were
    read (0 when the console has no company yet: the first sync reads it)."""
    company = Company.objects.first()
    if company is None:
        return 0
    read = 0
    for state in ("opted_out", "opted_back_in"):
        listing = endpoints.sms_opt_out_listing(company.pk, state)
        for page in client.iter_pages(listing.path, listing.params):
            read_at = timezone.now()
            rows = {}
            for item in page:
                number = SMS_OPT_OUTS.identity(item) if isinstance(item, dict) else None
                if number:
                    rows[number] = {**SMS_OPT_OUTS.columns(item)[0],
                                    "payload": clean_payload(item)}
            with transaction.atomic():
                write_rows(OPT_OUT_TABLE, rows, read_at=read_at)
            read += len(rows)
    return read
