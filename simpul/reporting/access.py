"""Access rules of reporting and aid (see accounts/policy.py)."""

from simpul.accounts import policy
from simpul.accounts.models import Role
from simpul.accounts.policy import Action, Rule, ScopePaths, grant

from .models import (
    Attachment,
    FormVersion,
    Grant,
    Indicator,
    Instalment,
    LpjObligation,
    ReportForm,
    Section,
    Submission,
    ValidationRule,
)

ADMIN = grant(Role.ADMIN_PUSAT)
REVIEWERS = grant(Role.ADMIN_PUSAT, Role.FKN, Role.PEMDA)
CENTRE_EDITORS = grant(Role.ADMIN_PUSAT, Role.PENGELOLA)
READERS = REVIEWERS | grant(Role.PENGELOLA, Role.INSTRUKTUR)


def _paths(to_center: str) -> ScopePaths:
    return ScopePaths(center=to_center, regency=f"{to_center}__regency", province=f"{to_center}__province")


policy.register(
    Submission,
    Rule(
        paths=_paths("center"),
        grants={
            Action.VIEW: READERS,
            Action.CHANGE: CENTRE_EDITORS,
            Action.SUBMIT: CENTRE_EDITORS,
            Action.VERIFY: REVIEWERS,
            Action.RETURN: REVIEWERS,
            Action.APPROVE: ADMIN,
            Action.REOPEN: ADMIN,
            Action.EXPORT: REVIEWERS | grant(Role.PENGELOLA),
        },
    ),
)
policy.register(
    Attachment,
    Rule(
        paths=_paths("submission__center"),
        grants={Action.VIEW: READERS, Action.CREATE: CENTRE_EDITORS, Action.DELETE: CENTRE_EDITORS},
    ),
)

# Form definitions are built by Kemnaker, nationally.
for definition in (ReportForm, FormVersion, Section, Indicator, ValidationRule):
    policy.register(
        definition,
        Rule(paths=None, grants={Action.VIEW: ADMIN, Action.CREATE: ADMIN, Action.CHANGE: ADMIN, Action.DELETE: ADMIN}),
    )

GRANT_READERS = REVIEWERS | grant(Role.PENGELOLA)
policy.register(
    Grant,
    Rule(
        paths=_paths("center"),
        grants={
            Action.VIEW: GRANT_READERS,
            Action.CREATE: ADMIN,
            Action.MANAGE: ADMIN,
            # The centre reports its physical progress.
            Action.CHANGE: CENTRE_EDITORS,
            Action.EXPORT: REVIEWERS,
        },
    ),
)
for aid_record in (Instalment, LpjObligation):
    policy.register(
        aid_record,
        Rule(paths=_paths("grant__center"), grants={Action.VIEW: GRANT_READERS, Action.MANAGE: ADMIN}),
    )
