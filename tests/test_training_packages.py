"""Setting up a training package: the service saves a sound package with its instructors and refuses the rest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from simpul.centers.models import SubVocation, Vocation
from simpul.training.models import Package, PackageStatus
from simpul.training.services import packages

from .factories import InstructorFactory

START = dt.date(2026, 9, 1)


def package_fields(**changes):
    fields = {
        "name": "Operator Komputer Angkatan 1",
        "vocation_id": Vocation.objects.order_by("code").values_list("pk", flat=True)[0],
        "start_date": START,
        "end_date": START + dt.timedelta(days=40),
        "hours": 240,
        "funding": "pemerintah",
        "capacity": 16,
    }
    return {**fields, **changes}


def test_a_sound_package_is_saved_planned_with_its_instructors(world):
    instructors = [InstructorFactory(center=world.malang), InstructorFactory(center=world.malang)]
    package = packages.package_create(
        actor=world.user("pengelola_malang"),
        center_id=world.malang.pk,
        instructors=[instructors[0], instructors[1].pk],
        **package_fields(funding="mitra", funding_partner="PT Maju Bersama"),
    )
    package = Package.objects.get(pk=package.pk)
    assert (package.center, package.status, package.funding_partner) == (
        world.malang,
        PackageStatus.PLANNED,
        "PT Maju Bersama",
    )
    assert set(package.instructors.all()) == set(instructors)


def _other_vocations_sub_vocation():
    vocation_id = package_fields()["vocation_id"]
    return SubVocation.objects.exclude(vocation_id=vocation_id).values_list("pk", flat=True)[0]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"funding": "mitra", "funding_partner": "  "}, "funding_partner", "nama mitra"),
        ({"sub_vocation_id": _other_vocations_sub_vocation}, "sub_vocation", "bukan bagian dari kejuruan"),
        ({"end_date": START - dt.timedelta(days=1)}, "end_date", "sebelum tanggal mulai"),
    ],
    ids=["partner funding without a partner", "sub-kejuruan of another kejuruan", "ends before it starts"],
)
def test_an_unsound_package_is_refused_on_its_field_and_nothing_is_saved(world, changes, field, message):
    changes = {k: v() if callable(v) else v for k, v in changes.items()}
    with pytest.raises(ValidationError) as error:
        packages.package_create(
            actor=world.user("pengelola_malang"), center_id=world.malang.pk, **package_fields(**changes)
        )
    assert message in " ".join(error.value.message_dict[field])
    assert Package.objects.count() == 0


def test_an_instructor_of_another_centre_is_refused_and_nothing_is_saved(world):
    ours, theirs = InstructorFactory(center=world.malang), InstructorFactory(center=world.semarang)
    with pytest.raises(ValidationError) as error:
        packages.package_create(
            actor=world.user("admin"), center_id=world.malang.pk, instructors=[ours, theirs], **package_fields()
        )
    assert "BLK penyelenggara" in " ".join(error.value.message_dict["instructors"])
    assert Package.objects.count() == 0
