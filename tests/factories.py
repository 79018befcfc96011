"""factory_boy factories for every app's records."""

from __future__ import annotations

import datetime
import datetime as dt
from functools import cache

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from simpul.accounts.models import Role, User
from simpul.centers.models import Center, ContactPerson, Facility, FacilityKind, HostType, Instructor, Vocation
from simpul.regions.models import District

TEST_PASSWORD = "kata-sandi-uji-2026"


@cache
def test_password_hash() -> str:
    """Argon2 is slow on purpose: hash the test password once per run."""
    return make_password(TEST_PASSWORD)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    full_name = factory.Sequence(lambda n: f"Pengguna Uji {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@simpul.test")
    role = Role.ADMIN_PUSAT
    password = factory.LazyFunction(test_password_hash)


def _first_district(regency_code: str) -> District:
    return District.objects.filter(regency_id=regency_code).order_by("code").first()  # type: ignore[return-value]


class CenterFactory(DjangoModelFactory):
    class Meta:
        model = Center
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"BLK Komunitas Pondok Pesantren Uji {n}")
    host_type = HostType.PONDOK_PESANTREN
    host_name = factory.Sequence(lambda n: f"Pondok Pesantren Uji {n}")
    yayasan_name = factory.Sequence(lambda n: f"Yayasan Uji {n}")
    address = "Jl. Diponegoro No. 1"
    regency_id = "35.07"
    province_id = factory.LazyAttribute(lambda o: o.regency_id[:2])
    district = factory.LazyAttribute(lambda o: _first_district(o.regency_id))
    cohort = 2020
    opened_on = datetime.date(2020, 7, 1)


class InstructorFactory(DjangoModelFactory):
    class Meta:
        model = Instructor

    center = factory.SubFactory(CenterFactory)
    full_name = factory.Sequence(lambda n: f"Instruktur Uji {n}")
    phone = "+6281234567890"


class FacilityFactory(DjangoModelFactory):
    class Meta:
        model = Facility

    center = factory.SubFactory(CenterFactory)
    kind = FacilityKind.WORKSHOP
    name = "Bengkel las"
    quantity = 2


class ContactPersonFactory(DjangoModelFactory):
    class Meta:
        model = ContactPerson

    center = factory.SubFactory(CenterFactory)
    full_name = factory.Sequence(lambda n: f"Narahubung Uji {n}")
    position = "Kepala BLK"
    phone = "+6281298765432"


# --- Training -------------------------------------------------------------


def make_nik(birth_date: dt.date, *, female: bool = False, district: str = "350701", serial: int = 1) -> str:
    """A structurally valid NIK for this birth date and sex."""
    day = birth_date.day + (40 if female else 0)
    return f"{district}{day:02d}{birth_date:%m}{birth_date.year % 100:02d}{serial:04d}"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = "training.Person"

    full_name = factory.Sequence(lambda n: f"Peserta {n}")
    sex = "L"
    birth_date = dt.date(2000, 5, 17)
    nik = factory.Sequence(lambda n: make_nik(dt.date(2000, 5, 17), serial=n + 1))
    education = "sma"


class PackageFactory(DjangoModelFactory):
    class Meta:
        model = "training.Package"

    center = factory.SubFactory(CenterFactory)
    name = factory.Sequence(lambda n: f"Operator Komputer Angkatan {n}")
    vocation = factory.LazyFunction(lambda: Vocation.objects.order_by("code").first())
    start_date = dt.date(2026, 9, 1)
    end_date = dt.date(2026, 10, 10)
    hours = 240
    funding = "pemerintah"
    status = "berjalan"
