"""Access rules of the registry (see accounts/policy.py)."""

from simpul.accounts import policy
from simpul.accounts.models import Role
from simpul.accounts.policy import ALL_ROLES, Action, Rule, ScopePaths, grant

from .models import Center, ContactPerson, Facility, Instructor

CENTER_PATHS = ScopePaths(center="pk", regency="regency", province="province")
CHILD_PATHS = ScopePaths(center="center", regency="center__regency", province="center__province")

OFFICIALS = grant(Role.ADMIN_PUSAT, Role.FKN, Role.PEMDA)
EDITORS = grant(Role.ADMIN_PUSAT, Role.PENGELOLA)
HISTORY_READERS = OFFICIALS | grant(Role.PENGELOLA)

policy.register(
    Center,
    Rule(
        paths=CENTER_PATHS,
        grants={
            Action.VIEW: ALL_ROLES,
            Action.CREATE: grant(Role.ADMIN_PUSAT),
            Action.CHANGE: EDITORS,
            Action.MANAGE: grant(Role.ADMIN_PUSAT),
            Action.EXPORT: OFFICIALS,
            Action.VIEW_HISTORY: HISTORY_READERS,
        },
    ),
)

for child in (Instructor, Facility, ContactPerson):
    policy.register(
        child,
        Rule(
            paths=CHILD_PATHS,
            grants={
                Action.VIEW: ALL_ROLES,
                Action.CREATE: EDITORS,
                Action.CHANGE: EDITORS,
                Action.DELETE: EDITORS,
                Action.VIEW_HISTORY: HISTORY_READERS,
            },
        ),
    )
