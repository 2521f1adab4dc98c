"""Permission denials an admin can act on: a 403 page in the admin's style that names the
missing permission, and no traceback in the log for it.

Views raise `denied(permission)`: a PermissionDenied whose message names the permission (its
name as the group form lists it, and its code). Django's own admin views raise a bare
PermissionDenied; the 403 page then names the view permission of the admin page asked for.
The log keeps one line per denial (dialpad_console.logs.ForbiddenWithoutTraceback).
"""

import re

from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

GRANT_HINT = "An administrator can grant it to one of your groups (Authentication › Groups)."
# The URL names of a ModelAdmin's own pages: admin:<app>_<model>_<view>.
_ADMIN_PAGE = re.compile(r"^(?P<app>[a-z0-9]+)_(?P<model>[a-z0-9]+)_(?P<view>[a-z_]+)$")


def permission_label(permission):
    """'“Can view Dialpad user” (orgs.view_dialpaduser)' for "orgs.view_dialpaduser"."""
    app_label, _, codename = permission.partition(".")
    name = (Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            .values_list("name", flat=True).first())
    return f"“{name}” ({permission})" if name else permission


def view_permission(opts):
    """"app_label.view_model" of a model's `_meta`."""
    return f"{opts.app_label}.view_{opts.model_name}"


def denied(permission):
    """The PermissionDenied to raise when `permission` ("app_label.codename") is missing."""
    return PermissionDenied(f"This page needs the permission {permission_label(permission)}, "
                            "which your account does not have.")


def _admin_view_permission(request):
    """The view permission of the ModelAdmin page the request asked for, or None."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "admin" or not match.url_name:
        return None
    found = _ADMIN_PAGE.match(match.url_name)
    if found is None:
        return None
    return f"{found['app']}.view_{found['model']}"


def permission_denied(request, exception=None):
    """handler403: the admin's frame, saying which permission is missing."""
    message = str(exception or "")
    if not message:
        permission = _admin_view_permission(request)
        message = (str(denied(permission)) if permission
                   else "Your account may not open this page.")
    context = {**admin.site.each_context(request), "title": "Permission needed",
               "reason": message, "grant_hint": GRANT_HINT}
    response = TemplateResponse(request, "403.html", context, status=403)
    return response.render()
