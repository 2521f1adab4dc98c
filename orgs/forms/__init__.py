"""One plain Django form per push, for custom admin views, bulk-action pages and commands.

One module per sub-domain, as in orgs.services; `_base` holds PushForm, what they share.

Every form validates everything before anything is sent (numbers to E.164 in the target's
country, enums, single-line E911 fields, ring seconds 10-45, name and description lengths),
with each message on its field. A view then uses the same three steps for every push:

    form = OperatorAddForm(request.POST or None, group=callcenter)
    if form.is_valid():
        planned = form.preview(actor=request.user)   # PushRequest: what will be sent
        # ... a confirmation page shows planned.as_text() and planned.note when
        # form.needs_confirmation, and posts back with a "confirmed" flag ...
        if form.save(actor=request.user) is not None:
            ...  # success: form.result is the updated mirror object, and
                 # form.push_record the push's journal row
    # else re-render: form.errors holds the field errors, or Dialpad's refusal as a
    # non-field error ("Dialpad refused: ...", also in form.refusal)

Forms parse what was typed (types, choices, which of several fields was meant); the rules a
value must follow live once, in the services: a valid parse is checked by the service's own
rules (`<service>.validate`), whose messages land on the fields they name. `save()` and
`preview()` let PermissionDenied through (the view answers 403) and turn the service's
ValidationError and PushRefused into form errors. A row is chosen with an ObjectChoiceField
(rows not gone, by an int64 id: anything else is an invalid choice, never a query); the admin
can swap in autocomplete widgets.
"""

from ._base import ObjectChoiceField, PushForm, parse_object_id
from .e911 import E911AddressForm, OfficeE911Form, UserE911Form
from .groups import (
    CallCenterDeleteForm, CallCenterForm, CallGroupDeleteForm, CallGroupForm, DepartmentDeleteForm,
    DepartmentForm,
)
from .numbers import NumberAssignForm, NumberAssignToForm, NumberUnassignForm
from .operators import (
    OperatorAddForm, OperatorGroupForm, OperatorRemoveForm, OperatorRoleForm,
)
from .rooms import RoomCreateForm, RoomDeleteForm, RoomRenameForm
from .users import UserMoveOfficeForm

__all__ = [
    "CallCenterDeleteForm", "CallCenterForm", "CallGroupDeleteForm", "CallGroupForm",
    "DepartmentDeleteForm", "DepartmentForm", "E911AddressForm", "NumberAssignForm",
    "NumberAssignToForm", "NumberUnassignForm", "ObjectChoiceField", "OfficeE911Form",
    "OperatorAddForm", "OperatorGroupForm", "OperatorRemoveForm", "OperatorRoleForm",
    "PushForm", "RoomCreateForm", "RoomDeleteForm", "RoomRenameForm", "UserE911Form",
    "UserMoveOfficeForm", "parse_object_id",
]
