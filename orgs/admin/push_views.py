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

Also here: `user_e911_read_if_missing`, the quick read of a user's E911 address that the
user's page and its "Edit E911 address" view make when the console has none yet, and the
routes of the views that several ModelAdmins share (OPERATOR_VIEWS, NUMBER_ASSIGN_VIEW).
"""

import json

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views import View

from .. import forms, kinds, permissions, services
from ..choices import OperatorType
from ..exceptions import DialpadReadFailed
from ..forms import parse_object_id
from ..kinds import object_label
from ..models import E911Address, Office, OperatorMembership
from ..services._push import abridged
from . import once
from .display import admin_url, changelist_url

CONFIRMED = "_confirmed"


def autocomplete(form, admin_site, names):
    """Give the form's model choice fields `names` the admin's autocomplete widget."""
    for name in names:
        field = form.fields.get(name)
        if field is None:
            continue
        # The admin's autocomplete view wants a model field pointing at the searched model:
        # OperatorMembership has one named after each kind a push form picks.
        relation = OperatorMembership._meta.get_field(kinds.KINDS[name].name)
        widget = AutocompleteSelect(relation, admin_site,
                                    attrs={"style": "width: 26em"})
        widget.choices = field.choices
        widget.is_required = field.required
        field.widget = widget
    return form


def request_json(planned):
    if planned.body is None:
        return ""
    return json.dumps(abridged(planned.body), indent=2, ensure_ascii=False)


class PushView(View):
    """One push as an admin page (see the module docstring). Subclasses say which form,
    which permission, what the page is called and where a success goes."""

    http_method_names = ["get", "post"]
    model_admin = None
    permission = ""
    form_class = None
    title = ""
    needs_object = True  # False: a create view, reached from a changelist
    # The form's keyword argument that takes the page's object; None: the object's kind, as
    # orgs.kinds names it ("room", "user", "number"...).
    object_kwarg = None
    confirm_on_get = False  # nothing to fill in: GET shows the confirmation directly
    autocomplete_fields = ()
    chooser = ""  # a choice field whose value says which of the other rows to show
    submit_label = "Send to Dialpad"
    form_template = "admin/orgs/push/form.html"
    confirm_template = "admin/orgs/push/confirm.html"

    # --- routing ------------------------------------------------------------------------

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        # The push's permission, and seeing what it pushes to: the page's model.
        if not (request.user.has_perm(self.permission)
                and self.model_admin.has_view_permission(request)):
            raise PermissionDenied
        self.object = self.get_object(kwargs.get("object_id")) if self.needs_object else None
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, object_id):
        obj = self.model_admin.get_object(self.request, unquote(object_id or ""))
        if obj is None:
            raise Http404(f"No {self.model_admin.opts.verbose_name} with that id.")
        return obj

    def load(self, **kwargs):
        """Load whatever else the URL names (404 if missing)."""

    def get(self, request, *args, **kwargs):
        if self.confirm_on_get:
            return self.confirm_or_form(self.get_form(request.GET))
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        if form.needs_confirmation and CONFIRMED not in request.POST:
            return self.confirm_or_form(form, token=once.posted_token(request))
        return self.push(form)

    # --- the push -----------------------------------------------------------------------

    def get_form_kwargs(self):
        if self.object is None:
            return {}
        return {self.object_kwarg or kinds.kind_name(self.object): self.object}

    def get_form(self, data=None):
        form = self.form_class(data, **self.get_form_kwargs())
        return autocomplete(form, self.model_admin.admin_site, self.autocomplete_fields)

    def push(self, form):
        try:
            submission = once.claim(self.request)
        except once.AlreadySubmitted as already:
            form.add_error(None, already.message)
            response = self.failed(form)
            response.status_code = 409
            return response
        try:
            result = form.save(actor=self.request.user)
        finally:
            once.finish(submission, push_record=form.journal_row)
        if form.errors:  # Dialpad refused (or the service found the input invalid)
            return self.failed(form)
        messages.success(self.request, self.success_message(form, result))
        return HttpResponseRedirect(self.success_url(result))

    def success_message(self, form, result):
        """What the page says after a push that went through: its journal row's message."""
        return form.push_record.message

    def failed(self, form):
        """The page again after a push that did not go through, the reason on top."""
        if self.confirm_on_get:
            return self.confirm_or_form(self.get_form(self.request.POST),
                                        failure=form.non_field_errors())
        return self.render_form(form)

    def success_url(self, result):
        return admin_url(self.object)

    def cancel_url(self):
        if self.object is not None:
            return admin_url(self.object)
        return changelist_url(self.model_admin.model)

    # --- pages --------------------------------------------------------------------------

    def summary(self, form):
        """What the push does, in one sentence, for the confirmation page."""
        return self.title

    def alternatives(self, form):
        """[(label, url)]: the same push with another option, on the confirmation page."""
        return []

    def context(self, form, token=None, **extra):
        opts = self.model_admin.opts
        return {
            **self.model_admin.admin_site.each_context(self.request),
            "opts": opts,
            "app_label": opts.app_label,
            "original": self.object,
            "title": self.title,
            "subtitle": str(self.object) if self.object is not None else None,
            "form": form,
            "media": self.model_admin.media + form.media,
            "cancel_url": self.cancel_url(),
            "submit_label": self.submit_label,
            "chooser": self.chooser,
            "push_token_input": once.token_input(token),
            **extra,
        }

    def render_form(self, form):
        return TemplateResponse(self.request, self.form_template, self.context(form))

    def confirm_or_form(self, form, failure=(), token=None):
        """The confirmation page for a valid form (nothing is sent), else the form again.
        `token`: the one of the form it confirms (else a new one)."""
        planned = form.preview(actor=self.request.user) if form.is_valid() else None
        if planned is None:
            return self.render_form(form)
        return TemplateResponse(self.request, self.confirm_template, self.context(
            form,
            token=token,
            planned=planned,
            body_json=request_json(planned),
            summary=self.summary(form),
            failure=failure,
            alternatives=self.alternatives(form),
            confirmed_name=CONFIRMED,
        ))


# --- operators -----------------------------------------------------------------------------


class OperatorView(PushView):
    """A push to a group's operators, from the group's page."""

    permission = permissions.ASSIGN_OPERATOR
    object_kwarg = "group"


class OperatorAddView(OperatorView):
    form_class = forms.OperatorAddForm
    title = submit_label = "Add operator"
    autocomplete_fields = ("user", "room")
    chooser = "operator_type"

    def summary(self, form):
        member = form.cleaned_data["member"]
        role = "admin operator" if form.cleaned_data["role"] == "admin" else "operator"
        return f"Add {object_label(member)} as {role} of {object_label(self.object)}."


def operator_add_form(model_admin, group):
    """The "Add operator" form as the group's change page shows it (posting to the view)."""
    form = forms.OperatorAddForm(group=group, auto_id="id_operator_%s")
    return autocomplete(form, model_admin.admin_site, OperatorAddView.autocomplete_fields)


class OperatorRemoveView(OperatorView):
    form_class = forms.OperatorRemoveForm
    title = submit_label = "Remove operator"
    confirm_on_get = True

    def load(self, operator_type, operator_id, **kwargs):
        # An operator is a user or a room (Dialpad's operator_type names its kind).
        kind = kinds.KINDS[operator_type] if operator_type in OperatorType.values else None
        operator_id = parse_object_id(operator_id)
        self.member = (kind.model.objects.filter(pk=operator_id).first()
                       if kind and operator_id is not None else None)
        if self.member is None:
            raise Http404("No such operator.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "member": self.member}

    def summary(self, form):
        return (f"Remove {object_label(self.member)} from the operators of "
                f"{object_label(self.object)}.")


# --- E911 ----------------------------------------------------------------------------------


class E911View(PushView):
    """Edit an office's or a user's E911 address."""

    permission = permissions.CHANGE_E911
    title, submit_label = "Edit E911 address", "Save the E911 address in Dialpad"


class OfficeE911View(E911View):
    form_class = forms.OfficeE911Form

    def summary(self, form):
        return (f"Set the E911 address of {object_label(self.object)}, and of every user of "
                "the office.")


class UserE911View(E911View):
    form_class = forms.UserE911Form

    def get(self, request, *args, **kwargs):
        # Start from what Dialpad has, if the console has not read it yet.
        note = user_e911_read_if_missing(request, self.object)
        if note:
            messages.warning(request, note)
        return super().get(request, *args, **kwargs)


def user_e911_read_if_missing(request, user):
    """Read the user's E911 address from Dialpad for a page that shows it, if the console has
    none yet; a note for the page if that read failed, else "".

    The page must open whatever Dialpad says: a failed read is a note, not an error; and
    soon, so the read is a quick one (short timeout, no retries).
    """
    if E911Address.objects.filter(user=user).exists():
        return ""
    try:
        services.user_e911_get(actor=request.user, user=user, quick=True)
    except DialpadReadFailed as exc:
        return f"{exc.message}. The page shows what the console has."
    except PermissionDenied:
        return ""
    return ""


# --- numbers -------------------------------------------------------------------------------


class NumberAssignView(PushView):
    """Assign a number (given, or any free one of an area code) to the page's object."""

    permission = permissions.ASSIGN_NUMBER
    form_class = forms.NumberAssignForm
    title, submit_label = "Assign a number", "Assign"
    object_kwarg = "target"


class NumberAssignToView(PushView):
    """From a number's page: assign it to an office, room, user, call center or department."""

    permission = permissions.ASSIGN_NUMBER
    form_class = forms.NumberAssignToForm
    title, submit_label = "Assign to…", "Assign"
    autocomplete_fields = ("office", "room", "user", "callcenter", "department")
    chooser = "target_type"

    def summary(self, form):
        number = self.object
        current = (object_label(number.target) if number.target is not None else
                   f"{number.get_target_type_display().lower()} {number.target_id or ''}".strip())
        return (f"Assign {number.number} to {object_label(form.cleaned_data['target'])}. It "
                f"is assigned to {current} now: it will no longer ring there.")


class NumberUnassignView(PushView):
    permission = permissions.ASSIGN_NUMBER
    form_class = forms.NumberUnassignForm
    title, submit_label = "Unassign number", "Unassign"
    confirm_on_get = True

    def summary(self, form):
        target = self.object.target
        where = f" from {object_label(target)}" if target is not None else ""
        return f"Unassign {self.object.number}{where}."

    def alternatives(self, form):
        here = self.request.path
        if form.cleaned_data.get("release"):
            return [("Return it to the company's reserved pool instead", here)]
        return [("Release it for good instead", f"{here}?release=on")]


# --- offices' rooms, departments and call centers ------------------------------------------


class CreateInOfficeView(PushView):
    """Create a room, department or call center in an office: reached from a changelist (the
    form asks for the office) or from an office's page with ?office=<id> (404 if unknown). A
    success goes to the new object's page."""

    permission = permissions.MANAGE_GROUPS
    needs_object = False

    def load(self, **kwargs):
        office_id = self.request.GET.get("office")
        self.office = None
        if office_id:
            office_id = parse_object_id(office_id)
            self.office = (Office.objects.filter(pk=office_id).first()
                           if office_id is not None else None)
            if self.office is None:
                raise Http404("No such office.")

    def cancel_url(self):
        return admin_url(self.office) if self.office is not None else super().cancel_url()

    def context(self, form, **extra):
        context = super().context(form, **extra)
        if self.office is not None:
            context["subtitle"] = f"in {self.office}"
        return context

    def get_form_kwargs(self):
        return {"office": self.office}

    def success_url(self, result):
        return admin_url(result)


class RoomCreateView(CreateInOfficeView):
    form_class = forms.RoomCreateForm
    title, submit_label = "Add room", "Create room"


class RoomView(PushView):
    """A push from a room's page."""

    permission = permissions.MANAGE_GROUPS


class RoomRenameView(RoomView):
    form_class = forms.RoomRenameForm
    title, submit_label = "Rename room", "Rename"


class RoomDeleteView(RoomView):
    form_class = forms.RoomDeleteForm
    title, submit_label = "Delete room", "Delete the room in Dialpad"
    confirm_on_get = True

    def summary(self, form):
        return (f"Delete room {self.object} in Dialpad. The console keeps its row, marked gone, "
                "for the record.")


class CallGroupCreateView(CreateInOfficeView):
    """Add a department or call center (the ModelAdmin's route gives form_class and title)."""

    submit_label = "Create"


class CallGroupEditView(PushView):
    """Edit a department or call center (the ModelAdmin's route gives form_class and title)."""

    permission = permissions.MANAGE_GROUPS
    submit_label = "Save in Dialpad"
    object_kwarg = "instance"


# --- users ---------------------------------------------------------------------------------


class UserMoveOfficeView(PushView):
    permission = permissions.MANAGE_GROUPS
    form_class = forms.UserMoveOfficeForm
    title, submit_label = "Move to another office", "Move"

    def summary(self, form):
        return (f"Move {self.object} from {self.object.office or 'no office'} to "
                f"{form.cleaned_data['office']}.")


# --- Routes several ModelAdmins share: (route, view, url name suffix, as_view() kwargs) -------

OPERATOR_VIEWS = [
    ("<path:object_id>/operators/add/", OperatorAddView, "operator_add", {}),
    ("<path:object_id>/operators/<str:operator_type>/<int:operator_id>/remove/",
     OperatorRemoveView, "operator_remove", {}),
]
NUMBER_ASSIGN_VIEW = ("<path:object_id>/numbers/assign/", NumberAssignView, "number_assign", {})
