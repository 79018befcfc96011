"""Every training page × every role: allowed, or 404 with nothing changed (written out from DESIGN.md's role table)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from simpul.training.models import Attendance, Enrolment, Outcome, Package, PackageStatus, Person, TracerInvitation
from simpul.training.services import packages, tracing

from .conftest import SCOPE_READERS, VISIBLE_CENTERS
from .factories import PackageFactory, make_nik

EVERYONE = set(VISIBLE_CENTERS)
ADMIN = {"admin"}
READERS_OF_MALANG = SCOPE_READERS
READERS_ANYWHERE = SCOPE_READERS
RUNNERS_OF_MALANG = {"admin", "pengelola_malang", "instruktur_malang"}
MANAGERS_OF_MALANG = {"admin", "pengelola_malang"}
NATIONAL_READERS = {"admin", "fkn_national"}
TODAY = timezone.localdate()


@pytest.fixture
def setup(world):
    manager = world.user("pengelola_malang")
    running = PackageFactory(
        center=world.malang,
        start_date=tracing.add_months(TODAY, -8),
        end_date=tracing.add_months(TODAY, -7),
        status=PackageStatus.PLANNED,
    )
    enrolment = packages.enrolment_create(
        actor=manager,
        package_id=running.pk,
        person={
            "nik": make_nik(dt.date(2000, 1, 5), serial=1),
            "full_name": "Budi",
            "sex": "L",
            "birth_date": dt.date(2000, 1, 5),
            "education": "sma",
        },
        consent_given_on=TODAY,
    ).enrolment
    packages.package_start(actor=manager, package_id=running.pk)
    packages.results_record(actor=manager, package_id=running.pk, results={enrolment.pk: ("lulus", "")})
    other = PackageFactory(
        center=world.semarang, start_date=TODAY, end_date=TODAY + dt.timedelta(days=20), status=PackageStatus.PLANNED
    )
    return {"package": running, "enrolment": enrolment, "person": enrolment.person, "other": other}


GET_PAGES = [
    ("packages", lambda s, w: reverse("training:packages"), READERS_ANYWHERE),
    ("package", lambda s, w: reverse("training:package", args=[s["package"].pk]), READERS_OF_MALANG),
    ("other province's package", lambda s, w: reverse("training:package", args=[s["other"].pk]), NATIONAL_READERS),
    ("new package", lambda s, w: reverse("training:package-create") + f"?blk={w.malang.pk}", RUNNERS_OF_MALANG),
    ("edit package", lambda s, w: reverse("training:package-edit", args=[s["package"].pk]), RUNNERS_OF_MALANG),
    ("enrol", lambda s, w: reverse("training:enrol", args=[s["package"].pk]), RUNNERS_OF_MALANG),
    ("attendance", lambda s, w: reverse("training:attendance", args=[s["package"].pk]), RUNNERS_OF_MALANG),
    ("results", lambda s, w: reverse("training:results", args=[s["package"].pk]), RUNNERS_OF_MALANG),
    ("competency test", lambda s, w: reverse("training:test-create", args=[s["enrolment"].pk]), MANAGERS_OF_MALANG),
    ("expiring certificates", lambda s, w: reverse("training:expiring"), READERS_ANYWHERE),
    ("people", lambda s, w: reverse("training:people"), READERS_ANYWHERE),
    ("person", lambda s, w: reverse("training:person", args=[s["person"].pk]), READERS_OF_MALANG),
    ("edit person", lambda s, w: reverse("training:person-edit", args=[s["person"].pk]), MANAGERS_OF_MALANG),
    ("tracing", lambda s, w: reverse("training:tracing"), READERS_ANYWHERE),
    ("outcome", lambda s, w: reverse("training:outcome", args=[s["enrolment"].pk, 6]), MANAGERS_OF_MALANG),
]


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize(("page", "url", "allowed"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
def test_each_training_page_answers_each_role(world, setup, client, user_key, page, url, allowed):
    client.force_login(world.user(user_key))
    response = client.get(url(setup, world))
    assert response.status_code == (200 if user_key in allowed else 404), page


def _state():
    return (
        list(Package.objects.order_by("pk").values()),
        list(Enrolment.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values()),
        list(Attendance.objects.order_by("pk").values()),
        list(Outcome.objects.order_by("pk").values()),
        TracerInvitation.objects.count(),
    )


def _posts(s, w):
    package, enrolment = s["package"], s["enrolment"]
    return [
        (
            "edit package",
            reverse("training:package-edit", args=[package.pk]),
            {
                "name": "Nama Baru",
                "vocation": package.vocation_id,
                "start_date": package.start_date,
                "end_date": package.end_date,
                "hours": 100,
                "funding": "mandiri",
                "capacity": 16,
            },
            RUNNERS_OF_MALANG,
        ),
        (
            "enrol",
            reverse("training:enrol", args=[package.pk]),
            {
                "nik": make_nik(dt.date(1998, 2, 3), serial=2),
                "full_name": "Ani",
                "sex": "L",
                "birth_date": "1998-02-03",
                "education": "sma",
                "disability": "tidak_ada",
                "consent_given_on": TODAY,
            },
            RUNNERS_OF_MALANG,
        ),
        (
            "attendance",
            reverse("training:attendance", args=[package.pk]),
            {"day": package.start_date, "present": [enrolment.pk]},
            RUNNERS_OF_MALANG,
        ),
        (
            "results",
            reverse("training:results", args=[package.pk]),
            {f"result_{enrolment.pk}": "tidak_lulus"},
            RUNNERS_OF_MALANG,
        ),
        (
            "edit person",
            reverse("training:person-edit", args=[s["person"].pk]),
            {
                "nik": s["person"].nik,
                "full_name": "Budi Santoso",
                "sex": "L",
                "birth_date": "2000-01-05",
                "education": "sma",
                "disability": "tidak_ada",
            },
            MANAGERS_OF_MALANG,
        ),
        ("outcome", reverse("training:outcome", args=[enrolment.pk, 6]), {"status": "studi"}, MANAGERS_OF_MALANG),
        ("tracer link", reverse("training:tracer-link", args=[enrolment.pk, 6]), {}, MANAGERS_OF_MALANG),
        ("reveal", reverse("training:person-reveal", args=[s["person"].pk]), {}, MANAGERS_OF_MALANG),
    ]


POSTS = ["edit package", "enrol", "attendance", "results", "edit person", "outcome", "tracer link", "reveal"]


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize("name", POSTS)
def test_each_training_write_is_refused_with_404_and_changes_nothing(world, setup, client, user_key, name):
    _name, url, data, allowed = next(p for p in _posts(setup, world) if p[0] == name)
    if user_key in allowed:
        return  # the allowed side is exercised by the flow tests (tests/test_training.py)
    before = _state()
    client.force_login(world.user(user_key))
    response = client.post(url, data)
    assert response.status_code == 404
    assert _state() == before


@pytest.mark.parametrize("name", POSTS)
def test_each_training_write_works_for_the_centre_manager(world, setup, client, name):
    _name, url, data, _allowed = next(p for p in _posts(setup, world) if p[0] == name)
    client.force_login(world.user("pengelola_malang"))
    before = _state()
    response = client.post(url, data)
    assert response.status_code in (200, 302)
    if name != "reveal":
        assert _state() != before, name


def _queries_for(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/pelatihan/", "/peserta/"])
def test_list_pages_cost_the_same_queries_for_more_rows(world, setup, client, url):
    client.force_login(world.user("pemda_jatim"))
    few = _queries_for(client, url)
    for n in range(4):
        package = PackageFactory(
            center=world.kota_malang, start_date=TODAY, end_date=TODAY, status=PackageStatus.PLANNED
        )
        born = dt.date(1990, 1, 1 + n)
        packages.enrolment_create(
            actor=world.user("admin"),
            package_id=package.pk,
            person={
                "nik": make_nik(born, serial=50 + n),
                "full_name": f"Orang {n}",
                "sex": "L",
                "birth_date": born,
                "education": "sma",
            },
            consent_given_on=TODAY,
        )
    assert _queries_for(client, url) == few
