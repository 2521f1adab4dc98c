"""{% event_flow as flow %}: do Dialpad's events flow (for the sync status on the admin index
and the sync runs list)."""

from django import template

from events.selectors import age_text, event_flow as read_event_flow

register = template.Library()


@register.simple_tag
def event_flow():
    flow = read_event_flow()
    return {"flow": flow, "flow_age": age_text(flow.age_seconds)}
