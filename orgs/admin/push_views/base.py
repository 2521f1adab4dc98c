"""PushView: one push as an admin page (see the package's docstring)."""

import json
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views import View

from dialpad_console.forbidden import denied, view_permission

from ... import kinds
from ...services._push import abridged
from .. import once
from ..display import admin_url, changelist_url
from ..pickers import use_pickers

CONFIRMED = "_confirmed"


@dataclass
class Offer:
    """A push the confirmation page offers to make too: a checkbox named after a field of
    the form, and exactly what it would send (`steps`: [(request, JSON body text)]); or,
    with `reason`, why it cannot be offered."""

    name: str
    label: str
    steps: list = field(default_factory=list)
    reason: str = ""
    checked: bool = False
    when: str = "Sent after the push, if ticked:"


@dataclass
class Consequence:
    """One list of what a push changes besides its target (items: text or safe HTML), with
    the push that fixes it, if one is offered."""

    key: str
    title: str
    items: list = field(default_factory=list)
    note: str = ""
    offer: Offer | None = None


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
    # Fields with a picker (orgs.admin.pickers): a picker's name, or (field, picker name).
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
        if not request.user.has_perm(self.permission):
            raise denied(self.permission)
        if not self.model_admin.has_view_permission(request):
            raise denied(view_permission(self.model_admin.opts))
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
        first = once.submitted_before(request)
        if first is not None:
            # A resubmit, told so even when the first push made its input invalid now (a
            # role it has, an operator no longer there).
            form.is_valid()
            form.errors.clear()
            return self.resubmitted(form, first)
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
        return use_pickers(form, self.model_admin.admin_site, self.autocomplete_fields)

    def push(self, form):
        try:
            submission = once.claim(self.request)
        except once.AlreadySubmitted as already:
            return self.resubmitted(form, already)
        try:
            result = form.save(actor=self.request.user)
        finally:
            once.finish(submission, push_record=form.journal_row)
        if form.errors:  # Dialpad refused (or the service found the input invalid)
            return self.failed(form)
        return self.succeeded(form, result)

    def succeeded(self, form, result):
        """After a push Dialpad accepted: its message, and on to success_url."""
        messages.success(self.request, self.success_message(form, result))
        return HttpResponseRedirect(self.success_url(result))

    def success_message(self, form, result):
        """What the page says after a push that went through: its journal row's message."""
        return form.push_record.message

    def resubmitted(self, form, already):
        """409: this page was submitted before (`already`: once.AlreadySubmitted)."""
        form.add_error(None, already.message)
        response = self.failed(form)
        response.status_code = 409
        return response

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

    def consequences(self, form):
        """[Consequence]: what the push changes besides its target, for the confirmation
        page (the numbers and operators a delete affects...)."""
        return []

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

    def render_form(self, form, failure=()):
        """The form page; `failure`: why the push just tried did not go through, when the
        form itself is not what failed (a push confirmed from a page without fields)."""
        return TemplateResponse(self.request, self.form_template,
                                self.context(form, failure=failure))

    def confirm_or_form(self, form, failure=(), token=None):
        """The confirmation page for a valid form (nothing is sent), else the form again.
        `token`: the one of the form it confirms (else a new one)."""
        planned = form.preview(actor=self.request.user) if form.is_valid() else None
        if planned is None:
            return self.render_form(form, failure=failure)
        consequences = self.consequences(form)
        return TemplateResponse(self.request, self.confirm_template, self.context(
            form,
            token=token,
            planned=planned,
            steps=[(step, request_json(step)) for step in planned.steps],
            summary=self.summary(form),
            consequences=consequences,
            offered=[c.offer.name for c in consequences if c.offer is not None],
            failure=failure,
            alternatives=self.alternatives(form),
            confirmed_name=CONFIRMED,
        ))


