"""What every push form shares: PushForm (preview, save, the service's rules and refusal as
form errors), ObjectChoiceField (a mirrored row chosen by its id) and small helpers."""

from django import forms
from django.core.exceptions import ValidationError

from dialpad_console.dialpad import parse_id

from ..exceptions import PushRefused
from ..kinds import detailed_label


def alive(model):
    """The rows of `model` still in Dialpad (with their office, which their labels name)."""
    queryset = model.objects.filter(gone_at__isnull=True)
    if any(f.name == "office" for f in model._meta.get_fields()):
        queryset = queryset.select_related("office")
    return queryset


def parse_object_id(value):
    """The id in `value` (a URL part, a posted choice) if it can name a row, else None.

    Every mirrored row's key is an int64: a Dialpad id, or a number's row id. Only ASCII
    digits within int64 are one: int() alone takes "٣" and " +3", and a 25-digit number is
    more than any key holds (SQLite refuses it in a query: OverflowError).
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    try:
        return parse_id(value)
    except ValueError:
        return None


class ObjectChoiceField(forms.ModelChoiceField):
    """A row of `model` that Dialpad still has, chosen by its id.

    A posted value that is not an id ("abc", "²", 25 digits) is "not one of the available
    choices" before any query, and is not rendered back: a widget that shows the chosen row
    (the admin's autocomplete) would look the raw value up in the database.
    """

    def __init__(self, model, **kwargs):
        super().__init__(queryset=alive(model), **kwargs)

    def label_from_instance(self, obj):
        return detailed_label(obj)  # a user's email, extension and office; a room's office...

    def to_python(self, value):
        if (value not in self.empty_values and not isinstance(value, self.queryset.model)
                and parse_object_id(value) is None):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def bound_data(self, data, initial):
        if data in self.empty_values or parse_object_id(data) is not None:
            return data
        return None


def chosen(form, data, chooser, message):
    """The object in the field that the `chooser` field's value names (None if none); when
    that field was left empty, `message` (with {label}: the field's label) goes on it."""
    name = data.get(chooser)
    if not name or name not in form.fields:
        return None
    if not data.get(name) and name not in form.errors:  # not an error on top of its own
        form.add_error(name, message.format(label=form[name].label.lower()))
    return data.get(name)


class PushForm(forms.Form):
    """What every push form shares: preview(), save(), and the refusal as a form error."""

    #: The service function (a staticmethod, or a property choosing one), called as
    #: self.service(actor=..., **self.push_kwargs()).
    service = None
    #: True when the push changes something in use: the view shows a confirmation page.
    needs_confirmation = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.result = None
        self.refusal = None
        self.journal_row = None

    def push_kwargs(self):
        """The service's keyword arguments (other than actor) from cleaned_data."""
        raise NotImplementedError

    def service_rules(self):
        """The input rules of the push's service, called with push_kwargs() (None: the
        service checks its input only when called)."""
        return getattr(self.service, "validate", None)

    def _post_clean(self):
        # After the fields and clean(): the service's rules, with their cleaned values (a
        # number in E.164, say) kept. Fields that did not parse reach the rules as None, so
        # that every field's message shows at once; the parse error stays the one shown.
        rules = self.service_rules()
        if rules is None:
            return
        parsed, failed = self.cleaned_data, set(self.errors)
        self.cleaned_data = {**dict.fromkeys(self.fields), **parsed}
        try:
            cleaned = rules(**self.push_kwargs())
        except ValidationError as exc:
            self._add_service_errors(exc, skip=failed)
            return
        finally:
            self.cleaned_data = parsed
        if not failed:
            for name, value in (cleaned or {}).items():
                if name in self.fields:
                    self.cleaned_data[name] = value

    def _call(self, actor, **extra):
        if not self.is_valid():
            return None  # the reasons are in self.errors; nothing is sent
        try:
            return self.service(actor=actor, **self.push_kwargs(), **extra)
        except ValidationError as exc:
            self.journal_row = getattr(exc, "record", None)
            self._add_service_errors(exc)
        return None

    def preview(self, *, actor):
        """The PushRequest that save() would send (nothing is sent), or None if invalid."""
        return self._call(actor, preview=True)

    def save(self, *, actor):
        """Push; returns the updated mirror object, or None with the reason in the errors.

        `journal_row` is then the push's PushRecord, whatever the outcome (None if the
        service journaled nothing), also when an exception (PermissionDenied) goes through.
        """
        try:
            self.result = self._call(actor)
        except PushRefused as exc:
            self.journal_row = exc.record
            self.refusal = exc
            self.add_error(None, exc.message)
            return None
        except Exception as exc:
            self.journal_row = getattr(exc, "record", None)
            raise
        self.journal_row = self.push_record or self.journal_row
        return self.result

    @property
    def push_record(self):
        """The journal row of the push save() made (None before, or if nothing was sent)."""
        return getattr(self.result, "push_record", None)

    def _add_service_errors(self, exc, skip=()):
        """The service's messages on the fields they name (non-field errors otherwise);
        none when the form already has errors and the field in `skip` has one."""
        if not hasattr(exc, "error_dict"):
            if not skip:
                self.add_error(None, exc)
            return
        for field, errors in exc.error_dict.items():
            field = field if field in self.fields else None
            if not skip or (field is not None and field not in skip):
                self.add_error(field, errors)

    @property
    def dialpad_refused(self):
        return self.refusal is not None
