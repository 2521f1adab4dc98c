"""One form per messaging push, as in orgs.forms (which holds PushForm, the base): forms
parse what was typed; the services' rules (`<service>.validate`) check it, their messages on
the fields they name.

    sms        SmsComposeForm
    bulk       BulkComposeForm
    schedules  ScheduleForm, ScheduleEditForm, ScheduleCancelForm, ScheduleSendNowForm
    channels   ChannelCreateForm, ChannelDeleteForm, ChannelMemberAddForm,
               ChannelMemberRemoveForm
"""

from .bulk import BulkComposeForm
from .channels import (
    ChannelCreateForm, ChannelDeleteForm, ChannelMemberAddForm, ChannelMemberRemoveForm,
)
from .schedules import ScheduleCancelForm, ScheduleEditForm, ScheduleForm, ScheduleSendNowForm
from .sms import SmsComposeForm

__all__ = ["BulkComposeForm", "ChannelCreateForm", "ChannelDeleteForm", "ChannelMemberAddForm",
           "ChannelMemberRemoveForm", "ScheduleCancelForm", "ScheduleEditForm", "ScheduleForm",
           "ScheduleSendNowForm", "SmsComposeForm"]
