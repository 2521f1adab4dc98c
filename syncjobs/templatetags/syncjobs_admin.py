"""{% last_sync_run as run %} for the admin index."""

from django import template

from syncjobs.selectors import sync_run_last

register = template.Library()


@register.simple_tag
def last_sync_run():
    return sync_run_last()
