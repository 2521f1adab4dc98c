"""The bulk actions of the Dialpad user changelist: one push for each selected user.

A BulkAction is an admin action with intermediate pages (choose, confirm), after which
orgs.services.bulk_job_start records a BulkPushJob and runs or queues it; the job's admin
page (orgs.admin.journal.BulkPushJobAdmin) follows its progress. Like a push view's, the
pages carry a one-time token (orgs.admin.once): confirming the same page twice starts one job.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from dialpad_console.forbidden import denied, view_permission

from .. import forms, services
from ..kinds import object_label
from ..models import BulkPushJob
from . import once
from .display import admin_url
from .pickers import use_pickers
from .push_views import request_json

BULK_STEP = "_bulk_step"
BULK_PREVIEW_ROWS = 20


class BulkAction:
    """A bulk admin action with an intermediate page: choose, confirm, run.

    The pages post back to the changelist (Django calls the action again with the same
    selection): without BULK_STEP the form; "preview" the confirmation, listing what will be
    sent for the first rows; "confirm" writes a BulkPushJob and runs it inline (up to
    BulkPushJob.BULK_INLINE_MAX items) or queues it, then shows the job's page.

    The changelist has checked the view permission of the users; a push to something else
    (a group) also needs the view permission of that (`viewed`): 403 otherwise.
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
        return use_pickers(form, self.model_admin.admin_site, self.autocomplete_fields)

    def __call__(self):
        step = self.request.POST.get(BULK_STEP)
        form = self.get_form(self.request.POST if step else None)
        if step and form.is_valid():
            self.check_view_permissions(form)
            if step == "confirm":
                return self.start(form)
            return self.confirmation(form, token=once.posted_token(self.request))
        return self.render("admin/orgs/push/bulk_form.html", form)

    def viewed(self, form):
        """What the pushes go to besides the users, whose view permission they need."""
        return []

    def check_view_permissions(self, form):
        site = self.model_admin.admin_site
        for obj in self.viewed(form):
            if not site.get_model_admin(type(obj)).has_view_permission(self.request, obj):
                raise denied(view_permission(obj._meta))

    def confirmation(self, form, token=None, failure=()):
        previews = self.previews(form)
        return self.render("admin/orgs/push/bulk_confirm.html", form, token=token,
                           previews=previews, more=len(self.users) - len(previews),
                           summary=self.summary(form), failure=failure)

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
        try:
            submission = once.claim(self.request)
        except once.AlreadySubmitted as already:
            response = self.confirmation(form, failure=[already.message])
            response.status_code = 409
            return response
        job = None
        try:
            job = services.bulk_job_start(
                actor=self.request.user, operation=self.operation, users=self.users,
                params=self.params(form), description=self.summary(form))
        finally:
            once.finish(submission, bulk_job=job)
        if not job.run_inline:
            messages.info(self.request, f"{job.total} users: the pushes run in the "
                          "background; this page follows them.")
        return HttpResponseRedirect(admin_url(job))

    def render(self, template, form, token=None, **extra):
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
            "push_token_input": once.token_input(token),
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

    def viewed(self, form):
        return [form.cleaned_data["group"]]

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
