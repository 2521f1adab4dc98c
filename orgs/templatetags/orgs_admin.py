"""Template filters and tags of the org mirror's admin pages (and of the admin index)."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.utils.safestring import mark_safe

from orgs.admin import rows
from orgs.admin.journal import outcome_badge, target_url
from orgs.dashboard import dashboard_get

register = template.Library()


@register.filter
def list_items(choices):
    """A list filter's choices, each already rendered as its list item (choice["html"], by
    orgs.admin.filters.OfficeFilter), as one string: no template loop for each of thousands."""
    return mark_safe("".join(choice["html"] for choice in choices))


@register.simple_tag(takes_context=True)
def org_dashboard(context):
    """{% org_dashboard as dash %}: what the admin index shows the logged-in admin of the org
    (orgs.dashboard.Dashboard)."""
    return dashboard_get(user=context["request"].user)


@register.filter
def push_target_url(record):
    """The URL of what a push journal row pushed to ("" when the console has no page of it)."""
    return target_url(record)


@register.filter
def push_outcome(record):
    """A push journal row's outcome, coloured as the journal shows it."""
    return outcome_badge(record)


@register.tag(name="result_list")
def result_list_tag(parser, token):
    """Django's {% result_list cl %}, its rows rendered by orgs.admin.rows (the same HTML)."""
    return InclusionAdminNode(parser, token, func=rows.result_list,
                              template_name="change_list_results.html", takes_context=False)
