"""Access rules for the records accounts owns (users) and guards (the audit log)."""

from simpul.core.models import AuditEvent

from . import policy
from .models import Role, User
from .policy import Action, Rule, grant

# Accounts are managed nationally by Kemnaker.
policy.register(
    User,
    Rule(
        paths=None,
        grants={
            Action.VIEW: grant(Role.ADMIN_PUSAT),
            Action.CREATE: grant(Role.ADMIN_PUSAT),
            Action.CHANGE: grant(Role.ADMIN_PUSAT),
            Action.VIEW_HISTORY: grant(Role.ADMIN_PUSAT),
        },
    ),
)

policy.register(AuditEvent, Rule(paths=None, grants={Action.VIEW: grant(Role.ADMIN_PUSAT)}))
