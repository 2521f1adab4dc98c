"""The console's push permissions, in one place (granted per group in the admin).

Each is a Django permission declared on a model's Meta (see orgs.models); services check
them, and the admin shows a push control only to who holds its permission.
"""

ASSIGN_OPERATOR = "orgs.assign_operator"
CHANGE_E911 = "orgs.change_e911"
ASSIGN_NUMBER = "orgs.assign_number"
MANAGE_GROUPS = "orgs.manage_groups"
VIEW_USER = "orgs.view_dialpaduser"
