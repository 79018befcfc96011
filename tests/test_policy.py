"""The access policy: every role × every action, on records inside and outside its scope.

The expected answers are written out from DESIGN.md's role table, not
derived from the rules under test.
"""

from __future__ import annotations

import pytest
from django.http import Http404

from simpul.accounts import policy
from simpul.accounts.models import Role, User
from simpul.accounts.policy import Action
from simpul.centers.models import Center, ContactPerson, Facility, Instructor
from simpul.core.models import AuditEvent

from .conftest import VISIBLE_CENTERS
from .factories import ContactPersonFactory, FacilityFactory, InstructorFactory

ALL_USERS = list(VISIBLE_CENTERS)
CENTERS = ("malang", "kota_malang", "semarang")

# Who may do what to a centre (and where), beyond seeing it.
CENTER_ACTIONS = {
    Action.CREATE: {"admin": CENTERS},
    Action.CHANGE: {"admin": CENTERS, "pengelola_malang": ("malang",)},
    Action.MANAGE: {"admin": CENTERS},
    Action.DELETE: {},
    Action.EXPORT: {
        "admin": CENTERS,
        "fkn_national": CENTERS,
        "fkn_jatim": ("malang", "kota_malang"),
        "pemda_jatim": ("malang", "kota_malang"),
        "pemda_malang": ("malang",),
    },
    Action.VIEW_HISTORY: {
        "admin": CENTERS,
        "fkn_national": CENTERS,
        "fkn_jatim": ("malang", "kota_malang"),
        "pemda_jatim": ("malang", "kota_malang"),
        "pemda_malang": ("malang",),
        "pengelola_malang": ("malang",),
    },
}
CHILD_EDITORS = {"admin": CENTERS, "pengelola_malang": ("malang",)}


@pytest.mark.parametrize("user_key", ALL_USERS)
@pytest.mark.parametrize("center_key", CENTERS)
def test_each_role_sees_a_centre_exactly_when_it_lies_in_its_scope(world, user_key, center_key):
    # given an account and a centre
    actor, center = world.user(user_key), getattr(world, center_key)
    # when the policy is asked
    allowed = policy.can(actor, Action.VIEW, center)
    # then it answers from the scope alone
    assert allowed is (center_key in VISIBLE_CENTERS[user_key])


@pytest.mark.parametrize("user_key", ALL_USERS)
def test_the_list_of_visible_centres_is_exactly_the_scope(world, user_key):
    actor = world.user(user_key)
    visible = set(policy.scope_queryset(actor, Center.objects.all()).values_list("pk", flat=True))
    assert visible == {getattr(world, key).pk for key in VISIBLE_CENTERS[user_key]}


@pytest.mark.parametrize("action", list(CENTER_ACTIONS))
@pytest.mark.parametrize("user_key", ALL_USERS)
@pytest.mark.parametrize("center_key", CENTERS)
def test_each_role_may_act_on_a_centre_only_as_its_role_allows(world, action, user_key, center_key):
    actor, center = world.user(user_key), getattr(world, center_key)
    expected = center_key in CENTER_ACTIONS[action].get(user_key, ())
    assert policy.can(actor, action, center) is expected
    # The list answer agrees with the single-record answer.
    in_list = policy.scope_queryset(actor, Center.objects.filter(pk=center.pk), action).exists()
    assert in_list is expected


@pytest.mark.parametrize(
    ("factory", "model"),
    [(InstructorFactory, Instructor), (FacilityFactory, Facility), (ContactPersonFactory, ContactPerson)],
)
@pytest.mark.parametrize("user_key", ALL_USERS)
@pytest.mark.parametrize("center_key", CENTERS)
def test_instructors_facilities_and_contacts_follow_their_centre(world, factory, model, user_key, center_key):
    actor, center = world.user(user_key), getattr(world, center_key)
    child = factory(center=center)
    assert policy.can(actor, Action.VIEW, child) is (center_key in VISIBLE_CENTERS[user_key])
    may_edit = center_key in CHILD_EDITORS.get(user_key, ())
    for action in (Action.CREATE, Action.CHANGE, Action.DELETE):
        assert policy.can(actor, action, child) is may_edit
    # An unsaved record (about to be created) is judged by the centre it names.
    assert policy.can(actor, Action.CREATE, model(center=center)) is may_edit


@pytest.mark.parametrize("user_key", ALL_USERS)
def test_only_admin_pusat_manages_accounts_and_reads_the_audit_log(world, user_key):
    actor = world.user(user_key)
    is_admin = user_key == "admin"
    other = world.user("pemda_malang")
    for action in (Action.VIEW, Action.CREATE, Action.CHANGE):
        assert policy.can(actor, action, other) is is_admin
    assert policy.scope_queryset(actor, User.objects.all()).exists() is is_admin
    event = AuditEvent.objects.create(action="login", actor_username="x")
    assert policy.can(actor, Action.VIEW, event) is is_admin


def test_an_inactive_account_may_do_nothing(world):
    admin = world.user("admin")
    admin.is_active = False
    assert not policy.can(admin, Action.VIEW, world.malang)
    assert not policy.scope_queryset(admin, Center.objects.all()).exists()


def test_an_anonymous_visitor_may_do_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not policy.can(AnonymousUser(), Action.VIEW, world.malang)
    assert not policy.scope_queryset(AnonymousUser(), Center.objects.all()).exists()


def test_outside_the_scope_is_the_same_404_as_missing(world):
    pengelola = world.user("pengelola_malang")
    with pytest.raises(Http404):
        policy.get_or_404(pengelola, Center.objects.all(), pk=world.semarang.pk)
    with pytest.raises(Http404):
        policy.get_or_404(pengelola, Center.objects.all(), pk=999_999)
    with pytest.raises(Http404):
        policy.get_or_404(pengelola, Center.objects.all(), pk="bukan-angka")
    assert policy.get_or_404(pengelola, Center.objects.all(), pk=world.malang.pk) == world.malang


def test_a_model_without_a_rule_is_refused_loudly(world):
    from django.core.exceptions import ImproperlyConfigured

    from simpul.regions.models import Province

    with pytest.raises(ImproperlyConfigured):
        policy.can(world.user("admin"), Action.VIEW, Province.objects.first())


@pytest.mark.parametrize(
    ("role", "scope", "valid"),
    [
        (Role.ADMIN_PUSAT, {}, True),
        (Role.ADMIN_PUSAT, {"scope_province_id": "35"}, False),
        (Role.FKN, {}, True),
        (Role.FKN, {"scope_province_id": "35"}, True),
        (Role.FKN, {"scope_regency_id": "35.07"}, False),
        (Role.PEMDA, {}, False),
        (Role.PEMDA, {"scope_province_id": "35"}, True),
        (Role.PEMDA, {"scope_regency_id": "35.07"}, True),
        (Role.PENGELOLA, {"scope_regency_id": "35.07"}, False),
        (Role.INSTRUKTUR, {}, False),
        (Role.MENTOR, {"scope_province_id": "35"}, False),
        (Role.WIRAUSAHA, {}, False),
    ],
)
def test_a_role_holds_only_the_scope_levels_design_allows(db, role, scope, valid):
    from django.core.exceptions import ValidationError

    user = User(username="uji", full_name="Uji", email="uji@simpul.test", role=role, **scope)
    if valid:
        user.full_clean(exclude=["password"])
    else:
        with pytest.raises(ValidationError):
            user.full_clean(exclude=["password"])


def test_the_database_refuses_a_scope_that_does_not_match_the_role(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="salah", full_name="Salah", role=Role.PENGELOLA, scope_province_id="35")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(
            username="ganda", full_name="Ganda", role=Role.PEMDA, scope_province_id="35", scope_regency_id="35.07"
        )


# Who reads the history of a centre's instructors, facilities and contacts, and where:
# the same officials and the centre's own manager as for the centre itself.
CHILD_HISTORY_READERS = {
    "admin": CENTERS,
    "fkn_national": CENTERS,
    "fkn_jatim": ("malang", "kota_malang"),
    "pemda_jatim": ("malang", "kota_malang"),
    "pemda_malang": ("malang",),
    "pengelola_malang": ("malang",),
}


@pytest.mark.parametrize("factory", [InstructorFactory, FacilityFactory, ContactPersonFactory])
@pytest.mark.parametrize("user_key", ALL_USERS)
@pytest.mark.parametrize("center_key", CENTERS)
def test_the_history_of_a_centres_records_is_read_by_officials_and_its_manager(world, factory, user_key, center_key):
    actor, center = world.user(user_key), getattr(world, center_key)
    child = factory(center=center)
    expected = center_key in CHILD_HISTORY_READERS.get(user_key, ())
    assert policy.can(actor, Action.VIEW_HISTORY, child) is expected
    in_list = policy.scope_queryset(actor, type(child).objects.filter(pk=child.pk), Action.VIEW_HISTORY).exists()
    assert in_list is expected


@pytest.mark.parametrize("user_key", ALL_USERS)
def test_only_admin_pusat_reads_the_history_of_an_account(world, user_key):
    actor, other = world.user(user_key), world.user("pemda_malang")
    is_admin = user_key == "admin"
    assert policy.can(actor, Action.VIEW_HISTORY, other) is is_admin
    assert policy.scope_queryset(actor, User.objects.all(), Action.VIEW_HISTORY).exists() is is_admin
