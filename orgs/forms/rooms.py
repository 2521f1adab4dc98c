"""Rooms: create, rename, delete."""

from django import forms

from .. import services
from ..models import Office
from ._base import ObjectChoiceField, PushForm


class RoomCreateForm(PushForm):
    """Create a room in `office` (or in the office chosen in the form)."""

    service = staticmethod(services.room_create)

    office = ObjectChoiceField(Office)
    name = forms.CharField()

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        if office is not None:
            del self.fields["office"]

    def push_kwargs(self):
        return {"office": self.office or self.cleaned_data["office"],
                "name": self.cleaned_data["name"]}


class RoomRenameForm(PushForm):
    service = staticmethod(services.room_rename)

    name = forms.CharField()

    def __init__(self, *args, room, **kwargs):
        kwargs.setdefault("initial", {"name": room.name})
        super().__init__(*args, **kwargs)
        self.room = room

    def push_kwargs(self):
        return {"room": self.room, "name": self.cleaned_data["name"]}


class RoomDeleteForm(PushForm):
    """Delete `room` (no fields: a confirmation; the preview names its numbers)."""

    service = staticmethod(services.room_delete)
    needs_confirmation = True

    def __init__(self, *args, room, **kwargs):
        super().__init__(*args, **kwargs)
        self.room = room

    def push_kwargs(self):
        return {"room": self.room}
