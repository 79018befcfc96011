"""Access rules of the training records (see accounts/policy.py).

Officials read everything in their region; the centre's manager and its
instructors run packages. Personal data whole (VIEW_PERSONAL) is for the
centre's manager and Admin Pusat only, and every view of it is audited.
Mentors and entrepreneurs have no business with training records.
"""

from simpul.accounts import policy
from simpul.accounts.models import Role
from simpul.accounts.policy import Action, Rule, ScopePaths, grant

from .models import Attendance, CompetencyTest, Consent, Enrolment, Outcome, Package, ParticipantImport, Person

OFFICIALS = grant(Role.ADMIN_PUSAT, Role.FKN, Role.PEMDA)
READERS = OFFICIALS | grant(Role.PENGELOLA, Role.INSTRUKTUR)
RUNNERS = grant(Role.ADMIN_PUSAT, Role.PENGELOLA, Role.INSTRUKTUR)
MANAGERS = grant(Role.ADMIN_PUSAT, Role.PENGELOLA)

PACKAGE_PATHS = ScopePaths(center="center", regency="center__regency", province="center__province")
ENROLMENT_PATHS = ScopePaths(
    center="package__center", regency="package__center__regency", province="package__center__province"
)
CHILD_OF_ENROLMENT = ScopePaths(
    center="enrolment__package__center",
    regency="enrolment__package__center__regency",
    province="enrolment__package__center__province",
)
# A person belongs to every centre that trained them, and to those centres' regencies and provinces: their
# PersonArea rows, one per person and area (kept by the enrolment services), joined.
PERSON_PATHS = ScopePaths(
    center="areas__center", regency="areas__regency", province="areas__province", through_many=True, joined=True
)

policy.register(
    Package,
    Rule(
        paths=PACKAGE_PATHS,
        grants={
            Action.VIEW: READERS,
            Action.CREATE: RUNNERS,
            Action.CHANGE: RUNNERS,
            Action.EXPORT: OFFICIALS | MANAGERS,
            Action.VIEW_HISTORY: READERS,
        },
    ),
)
policy.register(
    Enrolment,
    Rule(
        paths=ENROLMENT_PATHS,
        grants={
            Action.VIEW: READERS,
            Action.CREATE: RUNNERS,
            Action.CHANGE: RUNNERS,
            Action.DELETE: MANAGERS,
            Action.VIEW_HISTORY: READERS,
        },
    ),
)
policy.register(
    Attendance,
    Rule(paths=CHILD_OF_ENROLMENT, grants={Action.VIEW: READERS, Action.CREATE: RUNNERS, Action.CHANGE: RUNNERS}),
)
policy.register(
    CompetencyTest,
    Rule(
        paths=CHILD_OF_ENROLMENT,
        grants={Action.VIEW: READERS, Action.CREATE: MANAGERS, Action.CHANGE: MANAGERS, Action.VIEW_HISTORY: READERS},
    ),
)
policy.register(
    Outcome,
    Rule(
        paths=CHILD_OF_ENROLMENT,
        grants={Action.VIEW: READERS, Action.CREATE: MANAGERS, Action.CHANGE: MANAGERS, Action.VIEW_HISTORY: READERS},
    ),
)
policy.register(
    Person,
    Rule(
        paths=PERSON_PATHS,
        grants={
            Action.VIEW: READERS,
            Action.CHANGE: MANAGERS,
            Action.VIEW_PERSONAL: MANAGERS,
            Action.VIEW_HISTORY: MANAGERS,
        },
    ),
)
policy.register(
    Consent,
    Rule(
        paths=ScopePaths(center="center", regency="center__regency", province="center__province"),
        grants={Action.VIEW: MANAGERS, Action.CREATE: MANAGERS},
    ),
)
policy.register(
    ParticipantImport,
    Rule(paths=ENROLMENT_PATHS, grants={Action.VIEW: MANAGERS, Action.CREATE: MANAGERS}),
)
