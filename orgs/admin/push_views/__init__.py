"""The push views: every push of orgs.services as an admin page.

Each push view is a PushView over one of the push forms of orgs.forms (which validate, and call
the service), registered by a ModelAdmin's get_urls and wrapped in admin_site.admin_view:

    GET   the form; for a push with nothing to fill in (remove an operator, unassign a number,
          delete a room), straight to its confirmation page.
    POST  validate. If the push changes something in use (form.needs_confirmation) and the
          admin has not confirmed, the confirmation page: what the push does in plain words and
          exactly what will be sent to Dialpad (method, path, JSON body). Nothing is sent.
    POST with "_confirmed" (or a push that needs no confirmation): the service pushes. Dialpad
          refused: the page again, with Dialpad's reason as a non-field error (the service left
          the mirror as it was). Success: back to the object's page with the message of the
          push's journal row (the service returns it on the mirror object, as .push_record).

Each page's form carries a one-time token (orgs.admin.once), passed on by the confirmation
page: the POST that pushes claims it first, so a second submit of the same page pushes
nothing and answers 409 with a link to the first push.

Wrong method: 405; no push permission, or no view permission of the page's model: 403; no
such object (or an id that cannot be one): 404, in that order. Nothing here talks to the API
client: the forms call the services, and the services do the rest.

One module per sub-domain, as orgs.services: `base` (PushView), operators, e911 (with
`user_e911_read_if_missing`, the quick read of a user's E911 address that the user's page and
its "Edit E911 address" view make when the console has none yet), numbers, groups (rooms,
departments, call centers), users. Here: the routes of the views that several ModelAdmins
share (OPERATOR_VIEWS, NUMBER_ASSIGN_VIEW).
"""

from .base import CONFIRMED, PushView, request_json
from .e911 import E911View, OfficeE911View, UserE911View, user_e911_read_if_missing
from .groups import (
    CallGroupCreateView, CallGroupDeleteView, CallGroupEditView, CreateInOfficeView, RoomCreateView, RoomDeleteView,
    RoomRenameView, RoomView,
)
from .numbers import NumberAssignToView, NumberAssignView, NumberUnassignView
from .operators import (
    OperatorAddView, OperatorRemoveView, OperatorRoleView, OperatorView, operator_add_form,
)
from .users import UserMoveOfficeView

__all__ = [
    "CONFIRMED", "CallGroupCreateView", "CallGroupDeleteView",
    "CallGroupEditView", "CreateInOfficeView", "E911View",
    "NUMBER_ASSIGN_VIEW", "NumberAssignToView", "NumberAssignView", "NumberUnassignView",
    "OPERATOR_VIEWS", "OfficeE911View", "OperatorAddView", "OperatorRemoveView",
    "OperatorRoleView", "OperatorView", "PushView", "RoomCreateView", "RoomDeleteView",
    "RoomRenameView", "RoomView", "UserE911View", "UserMoveOfficeView", "operator_add_form",
    "request_json", "user_e911_read_if_missing",
]

# --- Routes several ModelAdmins share: (route, view, url name suffix, as_view() kwargs) -------

OPERATOR_VIEWS = [
    ("<path:object_id>/operators/add/", OperatorAddView, "operator_add", {}),
    ("<path:object_id>/operators/<str:operator_type>/<int:operator_id>/remove/",
     OperatorRemoveView, "operator_remove", {}),
    ("<path:object_id>/operators/<str:operator_type>/<int:operator_id>/role/",
     OperatorRoleView, "operator_role", {}),
]
NUMBER_ASSIGN_VIEW = ("<path:object_id>/numbers/assign/", NumberAssignView, "number_assign", {})
