"""Shared fixtures: real Kemendagri areas (a subset), and a small world of centres and accounts."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.urls import reverse

# Playwright's sync API runs an event loop in the test thread; the test code
# still talks to the database synchronously, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from simpul.accounts.models import Role, User
from simpul.centers.models import Center

from .factories import CenterFactory, UserFactory

# Jakarta (WIB), Central Java, East Java and Central Papua (WIT): real codes
# from the shipped data set, loaded by the real loader.
TEST_PROVINCES = ("31", "33", "35", "94")


def load_test_regions() -> None:
    from simpul.regions.loader import load_regions

    load_regions(only_provinces=TEST_PROVINCES)


def load_reference_data() -> None:
    """What migrations load; needed again after a transactional test empties the tables."""
    from simpul.centers.models import SubVocation, TechnicalUnit, Vocation
    from simpul.centers.reference import load_reference_data as load
    from simpul.reporting.formdefs import load_forms
    from simpul.reporting.models import FormVersion, Indicator, ReportForm, Section, ValidationRule

    load(Vocation, SubVocation, TechnicalUnit)
    load_forms(ReportForm, FormVersion, Section, Indicator, ValidationRule)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_test_regions()


@dataclass
class World:
    """Three centres in two provinces and one account per role and scope.

    - malang: Kabupaten Malang (35.07), East Java: the centre-level accounts work here
    - kota_malang: Kota Malang (35.73), East Java
    - semarang: Kota Semarang (33.74), Central Java
    """

    malang: Center
    kota_malang: Center
    semarang: Center
    users: dict[str, User]

    def user(self, key: str) -> User:
        return self.users[key]


# Which centres each account sees (DESIGN.md: a user sees their scope's subtree only).
VISIBLE_CENTERS = {
    "admin": {"malang", "kota_malang", "semarang"},
    "fkn_national": {"malang", "kota_malang", "semarang"},
    "fkn_jatim": {"malang", "kota_malang"},
    "pemda_jatim": {"malang", "kota_malang"},
    "pemda_malang": {"malang"},
    "pengelola_malang": {"malang"},
    "instruktur_malang": {"malang"},
    "mentor_malang": {"malang"},
    "wirausaha_malang": {"malang"},
}

# Every account of the world; the national ones; the officials who see East Java's centres.
EVERYONE = frozenset(VISIBLE_CENTERS)
NATIONAL = frozenset({"admin", "fkn_national"})
EAST_JAVA_OFFICIALS = NATIONAL | {"fkn_jatim", "pemda_jatim", "pemda_malang"}

# The accounts that read the pages of their own scope (dashboards, reports, training records):
# everyone but the mentor and the entrepreneur.
SCOPE_READERS = frozenset(
    {
        "admin",
        "fkn_national",
        "fkn_jatim",
        "pemda_jatim",
        "pemda_malang",
        "pengelola_malang",
        "instruktur_malang",
    }
)


def assert_page_answers_role(client, world, user_key, url, allowed, page) -> None:
    """The page (url: world -> address) opens for an allowed account, and is 404 for any other."""
    client.force_login(world.user(user_key))
    response = client.get(url(world))
    assert response.status_code == (200 if user_key in allowed else 404), page


def assert_asks_to_log_in(client, world, url) -> None:
    """An anonymous visitor of the page (url: world -> address) is sent to the login page."""
    response = client.get(url(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def build_world() -> World:
    malang = CenterFactory(name="BLK Komunitas Darul Ulum Malang", regency_id="35.07", vin="VIN-MLG-001")
    kota_malang = CenterFactory(name="BLK Komunitas Al-Hikmah Kota Malang", regency_id="35.73")
    semarang = CenterFactory(name="BLK Komunitas Seminari Semarang", regency_id="33.74")
    users = {
        "admin": UserFactory(username="admin", role=Role.ADMIN_PUSAT),
        "fkn_national": UserFactory(username="fkn", role=Role.FKN),
        "fkn_jatim": UserFactory(username="fkn.jatim", role=Role.FKN, scope_province_id="35"),
        "pemda_jatim": UserFactory(username="pemda.jatim", role=Role.PEMDA, scope_province_id="35"),
        "pemda_malang": UserFactory(username="pemda.malang", role=Role.PEMDA, scope_regency_id="35.07"),
        "pengelola_malang": UserFactory(username="pengelola", role=Role.PENGELOLA, scope_center=malang),
        "instruktur_malang": UserFactory(username="instruktur", role=Role.INSTRUKTUR, scope_center=malang),
        "mentor_malang": UserFactory(username="mentor", role=Role.MENTOR, scope_center=malang),
        "wirausaha_malang": UserFactory(username="wirausaha", role=Role.WIRAUSAHA, scope_center=malang),
    }
    return World(malang=malang, kota_malang=kota_malang, semarang=semarang, users=users)


@pytest.fixture
def world(db) -> World:
    return build_world()


def move_to_semarang(world: World, center: Center, **changes: object) -> Center:
    """The ministry moves a centre to Kota Semarang, Central Java (an address corrected), through the service."""
    from simpul.centers.services import center_update
    from simpul.regions.models import District

    return center_update(
        actor=world.user("admin"),
        center_id=center.pk,
        province_id="33",
        regency_id="33.74",
        district_id=District.objects.filter(regency_id="33.74").order_by("code").first().pk,
        **changes,
    )


@pytest.fixture
def monthly(db):
    """The shipped monthly activity report form (LAPBUL)."""
    from simpul.reporting.models import ReportForm

    return ReportForm.objects.get(code="LAPBUL")


@pytest.fixture
def this_month():
    from django.utils import timezone

    from simpul.reporting.periods import PeriodType, period_containing

    return period_containing(PeriodType.MONTHLY, timezone.localdate())
