"""Custom admin views: every push of orgs.services as an admin page, and the bulk actions.

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

Wrong method: 405; no permission: 403; no such object: 404, in that order. Nothing here talks
to the API client: the forms call the services, and the services do the rest.
"""

import json

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from . import forms, kinds, permissions, services
from .exceptions import DialpadReadFailed
from .models import (
    BulkPushItem,
    BulkPushJob,
    DialpadUser,
    E911Address,
    Office,
    OperatorMembership,
    PhoneNumber,
    Room,
)
from .kinds import object_label

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


def admin_url(obj, view="change"):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


def request_json(planned):
    if planned.body is None:
        return ""
    return json.dumps(planned.body, indent=2, ensure_ascii=False)


class PushView(View):
    """One push as an admin page (see the module docstring). Subclasses say which form,
    which permission, what the page is called and where a success goes."""

    http_method_names = ["get", "post"]
    model_admin = None
    permission = ""
    form_class = None
    title = ""
    needs_object = True  # False: a create view, reached from a changelist
    object_kwarg = ""  # the form's keyword argument that takes the page's object
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
        if not request.user.has_perm(self.permission):
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
            return self.confirm_or_form(form)
        return self.push(form)

    # --- the push -----------------------------------------------------------------------

    def get_form_kwargs(self):
        return {self.object_kwarg: self.object} if self.object_kwarg else {}

    def get_form(self, data=None):
        form = self.form_class(data, **self.get_form_kwargs())
        return autocomplete(form, self.model_admin.admin_site, self.autocomplete_fields)

    def push(self, form):
        result = form.save(actor=self.request.user)
        if form.errors:  # Dialpad refused (or the service found the input invalid)
            if self.confirm_on_get:
                return self.confirm_or_form(self.get_form(self.request.POST),
                                            failure=form.non_field_errors())
            return self.render_form(form)
        messages.success(self.request, form.push_record.message)
        return HttpResponseRedirect(self.success_url(result))

    def success_url(self, result):
        return admin_url(self.object)

    def cancel_url(self):
        if self.object is not None:
            return admin_url(self.object)
        opts = self.model_admin.opts
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    # --- pages --------------------------------------------------------------------------

    def summary(self, form):
        """What the push does, in one sentence, for the confirmation page."""
        return self.title

    def alternatives(self, form):
        """[(label, url)]: the same push with another option, on the confirmation page."""
        return []

    def context(self, form, **extra):
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
            **extra,
        }

    def render_form(self, form):
        return TemplateResponse(self.request, self.form_template, self.context(form))

    def confirm_or_form(self, form, failure=()):
        """The confirmation page for a valid form (nothing is sent), else the form again."""
        planned = form.preview(actor=self.request.user) if form.is_valid() else None
        if planned is None:
            return self.render_form(form)
        return TemplateResponse(self.request, self.confirm_template, self.context(
            form,
            planned=planned,
            body_json=request_json(planned),
            summary=self.summary(form),
            failure=failure,
            alternatives=self.alternatives(form),
            confirmed_name=CONFIRMED,
        ))


# --- operators -----------------------------------------------------------------------------


class OperatorAddView(PushView):
    permission = permissions.ASSIGN_OPERATOR
    form_class = forms.OperatorAddForm
    title = "Add operator"
    autocomplete_fields = ("user", "room")
    chooser = "operator_type"
    submit_label = "Add operator"
    object_kwarg = "group"

    def summary(self, form):
        member = form.cleaned_data["member"]
        role = "admin operator" if form.cleaned_data["role"] == "admin" else "operator"
        return f"Add {object_label(member)} as {role} of {object_label(self.object)}."


def operator_add_form(model_admin, group):
    """The "Add operator" form as the group's change page shows it (posting to the view)."""
    form = forms.OperatorAddForm(group=group, auto_id="id_operator_%s")
    return autocomplete(form, model_admin.admin_site, OperatorAddView.autocomplete_fields)


class OperatorRemoveView(PushView):
    permission = permissions.ASSIGN_OPERATOR
    form_class = forms.OperatorRemoveForm
    title = "Remove operator"
    confirm_on_get = True
    submit_label = "Remove operator"
    object_kwarg = "group"

    def load(self, operator_type, operator_id, **kwargs):
        model = {"user": DialpadUser, "room": Room}.get(operator_type)
        self.member = model.objects.filter(pk=operator_id).first() if model else None
        if self.member is None:
            raise Http404("No such operator.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "member": self.member}

    def summary(self, form):
        return (f"Remove {object_label(self.member)} from the operators of "
                f"{object_label(self.object)}.")


# --- E911 ----------------------------------------------------------------------------------


class OfficeE911View(PushView):
    permission = permissions.CHANGE_E911
    form_class = forms.OfficeE911Form
    title = "Edit E911 address"
    submit_label = "Save the E911 address in Dialpad"
    object_kwarg = "office"

    def summary(self, form):
        return (f"Set the E911 address of {object_label(self.object)}, and of every user of "
                "the office.")


class UserE911View(PushView):
    permission = permissions.CHANGE_E911
    form_class = forms.UserE911Form
    title = "Edit E911 address"
    submit_label = "Save the E911 address in Dialpad"
    object_kwarg = "user"

    def get(self, request, *args, **kwargs):
        # Start from what Dialpad has, if the console has not read it yet.
        if not E911Address.objects.filter(user=self.object).exists():
            note = user_e911_read(request, self.object)
            if note:
                messages.warning(request, note)
        return super().get(request, *args, **kwargs)


def user_e911_read(request, user):
    """Read the user's E911 address from Dialpad for its page; a note if that failed.

    The page must open whatever Dialpad says: a failed read is a note, not an error; and
    soon, so the read is a quick one (short timeout, no retries).
    """
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
    title = "Assign a number"
    submit_label = "Assign"
    object_kwarg = "target"


class NumberAssignToView(PushView):
    """From a number's page: assign it to an office, room, user, call center or department."""

    permission = permissions.ASSIGN_NUMBER
    form_class = forms.NumberAssignToForm
    title = "Assign to…"
    autocomplete_fields = ("office", "room", "user", "callcenter", "department")
    chooser = "target_type"
    submit_label = "Assign"
    object_kwarg = "number"

    def summary(self, form):
        number = self.object
        current = (object_label(number.target) if number.target is not None else
                   f"{number.get_target_type_display().lower()} {number.target_id or ''}".strip())
        return (f"Assign {number.number} to {object_label(form.cleaned_data['target'])}. It "
                f"is assigned to {current} now: it will no longer ring there.")


class NumberUnassignView(PushView):
    permission = permissions.ASSIGN_NUMBER
    form_class = forms.NumberUnassignForm
    title = "Unassign number"
    confirm_on_get = True
    submit_label = "Unassign"
    object_kwarg = "number"

    def summary(self, form):
        target = self.object.target
        where = f" from {object_label(target)}" if target is not None else ""
        return f"Unassign {self.object.number}{where}."

    def alternatives(self, form):
        here = self.request.path
        if form.cleaned_data.get("release"):
            return [("Return it to the company's reserved pool instead", here)]
        return [("Release it for good instead", f"{here}?release=on")]


# --- rooms ---------------------------------------------------------------------------------


class CreateInOfficeView(PushView):
    """Create something in an office: reached from a changelist (the form asks for the
    office) or from an office's page with ?office=<id> (404 if unknown). A success goes to
    the new object's page."""

    needs_object = False

    def load(self, **kwargs):
        office_id = self.request.GET.get("office")
        self.office = None
        if office_id:
            self.office = Office.objects.filter(pk=office_id).first() if office_id.isdigit() \
                else None
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
    permission = permissions.MANAGE_GROUPS
    form_class = forms.RoomCreateForm
    title = "Add room"
    submit_label = "Create room"


class RoomRenameView(PushView):
    permission = permissions.MANAGE_GROUPS
    form_class = forms.RoomRenameForm
    title = "Rename room"
    submit_label = "Rename"
    object_kwarg = "room"


class RoomDeleteView(PushView):
    permission = permissions.MANAGE_GROUPS
    form_class = forms.RoomDeleteForm
    title = "Delete room"
    confirm_on_get = True
    submit_label = "Delete the room in Dialpad"
    object_kwarg = "room"

    def summary(self, form):
        return (f"Delete room {self.object} in Dialpad. The console keeps its row, marked gone, "
                "for the record.")


# --- departments and call centers ----------------------------------------------------------


class CallGroupCreateView(CreateInOfficeView):
    permission = permissions.MANAGE_GROUPS
    submit_label = "Create"

    @property
    def title(self):
        return f"Add {self.model_admin.opts.verbose_name}"


class CallGroupEditView(PushView):
    permission = permissions.MANAGE_GROUPS
    submit_label = "Save in Dialpad"
    object_kwarg = "instance"

    @property
    def title(self):
        return f"Edit {self.model_admin.opts.verbose_name}"


# --- users ---------------------------------------------------------------------------------


class UserMoveOfficeView(PushView):
    permission = permissions.MANAGE_GROUPS
    form_class = forms.UserMoveOfficeForm
    title = "Move to another office"
    submit_label = "Move"
    object_kwarg = "user"

    def summary(self, form):
        return (f"Move {self.object} from {self.object.office or 'no office'} to "
                f"{form.cleaned_data['office']}.")


# --- bulk actions on the Dialpad user changelist -------------------------------------------

BULK_STEP = "_bulk_step"
BULK_PREVIEW_ROWS = 20


class BulkAction:
    """A bulk admin action with an intermediate page: choose, confirm, run.

    The pages post back to the changelist (Django calls the action again with the same
    selection): without BULK_STEP the form; "preview" the confirmation, listing what will be
    sent for the first rows; "confirm" writes a BulkPushJob and runs it inline (up to
    BulkPushJob.BULK_INLINE_MAX items) or queues it, then shows the job's page.
    """

    operation = None
    title = ""
    form_class = None
    autocomplete_fields = ()

    def __init__(self, model_admin, request, queryset):
        self.model_admin = model_admin
        self.request = request
        self.users = list(queryset.order_by("display_name", "pk"))

    def get_form(self, data=None):
        form = self.form_class(data)
        return autocomplete(form, self.model_admin.admin_site, self.autocomplete_fields)

    def __call__(self):
        step = self.request.POST.get(BULK_STEP)
        form = self.get_form(self.request.POST if step else None)
        if step and form.is_valid():
            if step == "confirm":
                return self.start(form)
            previews = self.previews(form)
            return self.render("admin/orgs/push/bulk_confirm.html", form, previews=previews,
                               more=len(self.users) - len(previews), summary=self.summary(form))
        return self.render("admin/orgs/push/bulk_form.html", form)

    def previews(self, form):
        """[(user, PushRequest or None, its JSON body, error)] for the first rows, as the
        service plans them (nothing is sent)."""
        rows = []
        for user in self.users[:BULK_PREVIEW_ROWS]:
            try:
                planned = self.preview(form, user)
            except ValidationError as exc:
                rows.append((user, None, "", " ".join(exc.messages)))
            else:
                rows.append((user, planned, request_json(planned), ""))
        return rows

    def start(self, form):
        job = services.bulk_job_start(
            actor=self.request.user, operation=self.operation, users=self.users,
            params=self.params(form), description=self.summary(form))
        if not job.run_inline:
            messages.info(self.request, f"{job.total} users: the pushes run in the "
                          "background; this page follows them.")
        return HttpResponseRedirect(admin_url(job))

    def render(self, template, form, **extra):
        opts = self.model_admin.opts
        context = {
            **self.model_admin.admin_site.each_context(self.request),
            "opts": opts,
            "app_label": opts.app_label,
            "title": self.title,
            "form": form,
            "media": self.model_admin.media + form.media,
            "users": self.users,
            "count": len(self.users),
            "inline_max": BulkPushJob.BULK_INLINE_MAX,
            "action": self.request.POST.get("action", ""),
            # With "select all N" the changelist's filters (in the URL) select the rows again.
            "select_across": self.request.POST.get("select_across") == "1",
            "step_name": BULK_STEP,
            **extra,
        }
        return TemplateResponse(self.request, template, context)


class BulkOperatorAdd(BulkAction):
    operation = BulkPushJob.Operation.OPERATOR_ADD
    title = "Add the selected users to a call center or department"
    form_class = forms.OperatorGroupForm
    autocomplete_fields = ("department", "callcenter")

    def preview(self, form, user):
        data = form.cleaned_data
        return services.operator_add(actor=self.request.user, group=data["group"],
                                     member=user, role=data["role"], preview=True)

    def params(self, form):
        data = form.cleaned_data
        return {"group_type": data["group_type"], "group_id": data["group"].pk,
                "role": data["role"]}

    def summary(self, form):
        data = form.cleaned_data
        role = "admin operators" if data["role"] == "admin" else "operators"
        return f"Add {len(self.users)} users as {role} of {object_label(data['group'])}"


class BulkUserE911(BulkAction):
    operation = BulkPushJob.Operation.USER_E911_UPDATE
    title = "Assign an E911 address to the selected users"
    form_class = forms.E911AddressForm

    def preview(self, form, user):
        return services.user_e911_update(
            actor=self.request.user, user=user, address=form.address_values(),
            use_validated_option=form.cleaned_data.get("use_validated_option", False),
            preview=True)

    def params(self, form):
        return {"address": form.address_values(),
                "use_validated_option": form.cleaned_data.get("use_validated_option", False)}

    def summary(self, form):
        address = ", ".join(v for v in form.address_values().values() if v)
        return f"Set the E911 address of {len(self.users)} users to {address}"[:255]
