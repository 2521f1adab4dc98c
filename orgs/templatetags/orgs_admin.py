"""Template filters of the org mirror's admin pages."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def list_items(choices):
    """A list filter's choices, each already rendered as its list item (choice["html"], by
    orgs.admin.filters.OfficeFilter), as one string: no template loop for each of thousands."""
    return mark_safe("".join(choice["html"] for choice in choices))
