"""Access rules of the incubation programme (see accounts/policy.py).

Selection is the ministry's: Admin Pusat runs rounds; reviewers (FKN
coordinators and university mentors) see and score only the candidates
assigned to them, wherever those are. Officials read incubators, tenants and
figures in their region; the centre's manager runs its incubator; a mentor
sees and logs sessions for the tenants assigned to them; an entrepreneur
sees and enters only their own business.
"""

from simpul.accounts import policy
from simpul.accounts.models import Role
from simpul.accounts.policy import ALL_ROLES, Action, Rule, ScopePaths, grant

from .models import (
    Assessment,
    Assignment,
    BusinessFigure,
    Candidate,
    Criterion,
    Incubator,
    Mentor,
    MentoringSession,
    Product,
    Score,
    SelectionRound,
    Tenant,
)

ADMIN = grant(Role.ADMIN_PUSAT)
OFFICIALS = grant(Role.ADMIN_PUSAT, Role.FKN, Role.PEMDA)
REVIEWERS = grant(Role.FKN, Role.MENTOR)
MANAGERS = grant(Role.ADMIN_PUSAT, Role.PENGELOLA)

CENTER = ScopePaths(center="center", regency="center__regency", province="center__province")
INCUBATOR = ScopePaths(
    center="incubator__center", regency="incubator__center__regency", province="incubator__center__province"
)
TENANT = ScopePaths(
    center="tenant__incubator__center",
    regency="tenant__incubator__center__regency",
    province="tenant__incubator__center__province",
)

# Rounds are national: Admin Pusat and national FKN read them; reviewers reach their part through assignments.
policy.register(
    SelectionRound,
    Rule(
        paths=None,
        grants={
            Action.VIEW: grant(Role.ADMIN_PUSAT, Role.FKN),
            Action.CREATE: ADMIN,
            Action.CHANGE: ADMIN,
            Action.MANAGE: ADMIN,
        },
    ),
)
policy.register(
    Criterion, Rule(paths=None, grants={Action.VIEW: grant(Role.ADMIN_PUSAT, Role.FKN), Action.CHANGE: ADMIN})
)
policy.register(
    Candidate,
    Rule(
        paths=CENTER,
        grants={Action.VIEW: OFFICIALS | REVIEWERS, Action.CHANGE: ADMIN},
        own={Role.MENTOR: "assignments__reviewer", Role.FKN: "assignments__reviewer"},
    ),
)
policy.register(
    Assignment,
    Rule(
        paths=ScopePaths(
            center="candidate__center", regency="candidate__center__regency", province="candidate__center__province"
        ),
        grants={Action.VIEW: ADMIN | REVIEWERS, Action.CREATE: ADMIN, Action.CHANGE: ADMIN | REVIEWERS},
        own={Role.MENTOR: "reviewer", Role.FKN: "reviewer"},
    ),
)
policy.register(
    Score,
    Rule(
        paths=None,
        grants={Action.VIEW: ADMIN | REVIEWERS, Action.CREATE: REVIEWERS, Action.CHANGE: REVIEWERS},
        own={Role.MENTOR: "assignment__reviewer", Role.FKN: "assignment__reviewer"},
    ),
)
policy.register(
    Incubator,
    Rule(
        paths=CENTER,
        grants={
            Action.VIEW: ALL_ROLES,
            Action.CREATE: ADMIN,
            Action.CHANGE: MANAGERS,
            Action.VIEW_HISTORY: OFFICIALS | MANAGERS,
        },
    ),
)
policy.register(
    Tenant,
    Rule(
        paths=INCUBATOR,
        grants={
            Action.VIEW: OFFICIALS | grant(Role.PENGELOLA, Role.MENTOR, Role.WIRAUSAHA),
            Action.CREATE: MANAGERS,
            Action.CHANGE: MANAGERS,
            Action.MANAGE: MANAGERS,  # stage steps
            Action.VIEW_HISTORY: OFFICIALS | MANAGERS,
        },
        own={Role.MENTOR: "mentors__user", Role.WIRAUSAHA: "user"},
    ),
)
# A mentor belongs where their account is scoped (the incubator they work with): the centre's
# manager registers and assigns the mentors of their centre; officials read them in their region.
policy.register(
    Mentor,
    Rule(
        paths=ScopePaths(
            center="user__scope_center",
            regency="user__scope_center__regency",
            province="user__scope_center__province",
        ),
        grants={Action.VIEW: OFFICIALS | grant(Role.PENGELOLA), Action.CREATE: MANAGERS, Action.CHANGE: MANAGERS},
    ),
)
policy.register(
    MentoringSession,
    Rule(
        paths=TENANT,
        grants={
            Action.VIEW: OFFICIALS | grant(Role.PENGELOLA, Role.MENTOR, Role.WIRAUSAHA),
            Action.CREATE: grant(Role.MENTOR),
            Action.CHANGE: grant(Role.MENTOR),
        },
        own={Role.MENTOR: "tenant__mentors__user", Role.WIRAUSAHA: "tenant__user"},
    ),
)
policy.register(
    BusinessFigure,
    Rule(
        paths=TENANT,
        grants={
            Action.VIEW: OFFICIALS | grant(Role.PENGELOLA, Role.MENTOR, Role.WIRAUSAHA),
            Action.CREATE: grant(Role.ADMIN_PUSAT, Role.PENGELOLA, Role.WIRAUSAHA),
            Action.CHANGE: grant(Role.ADMIN_PUSAT, Role.PENGELOLA, Role.WIRAUSAHA),
        },
        own={Role.MENTOR: "tenant__mentors__user", Role.WIRAUSAHA: "tenant__user"},
    ),
)
policy.register(
    Product,
    Rule(
        paths=TENANT,
        grants={
            Action.VIEW: ALL_ROLES,
            Action.CREATE: grant(Role.ADMIN_PUSAT, Role.PENGELOLA, Role.WIRAUSAHA),
            Action.CHANGE: grant(Role.ADMIN_PUSAT, Role.PENGELOLA, Role.WIRAUSAHA),
            Action.DELETE: grant(Role.ADMIN_PUSAT, Role.PENGELOLA, Role.WIRAUSAHA),
        },
        own={Role.WIRAUSAHA: "tenant__user"},
    ),
)
policy.register(
    Assessment,
    Rule(
        paths=CENTER,
        grants={Action.VIEW: OFFICIALS | grant(Role.PENGELOLA), Action.CREATE: ADMIN, Action.CHANGE: ADMIN},
    ),
)
