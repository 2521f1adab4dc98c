"""{% system_status as status %}: the checks of /readyz, for the admin index."""

from django import template

from dialpad_console.health import run_checks

register = template.Library()


@register.simple_tag
def system_status():
    body = run_checks()
    return {
        "ready": body["status"] == "ok",
        "checks": [{"name": name.replace("_", " "), **check}
                   for name, check in body["checks"].items()],
    }
