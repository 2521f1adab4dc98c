"""The console's push permissions, in one place (granted per group in the admin).

The four push permissions to the org mirror are declared together on the push journal's
model (PushRecord's Meta), so the admin's group form lists them side by side as
"orgs | push | Can ..."; until migration 0007 they were spread over the company, numbers,
operator memberships and E911 addresses. Services check them, and the admin shows a push
control only to who holds its permission.
"""

ASSIGN_OPERATOR = "orgs.assign_operator"
CHANGE_E911 = "orgs.change_e911"
ASSIGN_NUMBER = "orgs.assign_number"
MANAGE_GROUPS = "orgs.manage_groups"
VIEW_USER = "orgs.view_dialpaduser"

# (codename, name) as PushRecord's Meta declares them.
PUSH_PERMISSIONS = [
    ("assign_operator", "Can add and remove operators in Dialpad"),
    ("change_e911", "Can change E911 addresses in Dialpad"),
    ("assign_number", "Can assign and unassign phone numbers in Dialpad"),
    ("manage_groups", "Can create, edit and delete departments, call centers and rooms "
     "and move users between offices in Dialpad"),
]
