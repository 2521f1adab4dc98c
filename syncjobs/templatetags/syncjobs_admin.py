"""{% last_sync_run as run %} and {% sync_run_stale_text run as stale %} for the admin index."""

from django import template

from syncjobs.selectors import sync_run_heartbeat, sync_run_last

register = template.Library()


@register.simple_tag
def last_sync_run():
    return sync_run_last()


@register.simple_tag
def sync_run_stale_text(run):
    """'stale: no heartbeat for N s' for a running run gone quiet, else ''."""
    heartbeat = sync_run_heartbeat(run) if run is not None else None
    return heartbeat.text if heartbeat is not None and heartbeat.stale else ""
