"""Every self-reliance and jobs page × every role: allowed, or 404 with nothing changed.

Written out by hand from DESIGN.md's role table: officials read their region, a centre's
manager reads their centre, only Admin Pusat runs an assessment and applies a proposed class.
Instructors, mentors and entrepreneurs have no business here.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from simpul.centers.models import Center
from simpul.incubation.models import Assessment
from simpul.incubation.services.selfreliance import assessment_run

from .conftest import VISIBLE_CENTERS
from .test_incubation_jobs import add_figure, make_incubator, make_outsider_tenant

YEAR = timezone.localdate().year - 1
EVERYONE = set(VISIBLE_CENTERS)
ADMIN = {"admin"}
NATIONAL = {"admin", "fkn_national"}
EAST_JAVA = NATIONAL | {"fkn_jatim", "pemda_jatim"}
READERS = EAST_JAVA | {"pemda_malang", "pengelola_malang"}  # whoever reads Malang (and the lists)


@pytest.fixture
def setup(world):
    admin = world.user("admin")
    for center in (world.malang, world.kota_malang, world.semarang):
        tenant = make_outsider_tenant(make_incubator(center), name=f"Pemilik {center.pk}", business="Usaha")
        add_figure(tenant, timezone.localdate().replace(day=1), paid=2, entered_by=admin)
    Assessment.objects.create(
        center=world.malang, year=YEAR, facts={}, score=Decimal("80"), development_class="mandiri"
    )
    return world


GET_PAGES = [
    ("assessments", lambda w: reverse("incubation:self-reliance"), READERS),
    (
        "assessments of a year and class",
        lambda w: reverse("incubation:self-reliance") + f"?tahun={YEAR}&kelas=mandiri",
        READERS,
    ),
    ("stand alone", lambda w: reverse("incubation:self-reliance-stand-alone"), READERS),
    ("Malang's assessments", lambda w: reverse("incubation:self-reliance-center", args=[w.malang.pk]), READERS),
    ("Semarang's assessments", lambda w: reverse("incubation:self-reliance-center", args=[w.semarang.pk]), NATIONAL),
    ("jobs, national", lambda w: reverse("incubation:jobs"), READERS),
    ("jobs, East Java", lambda w: reverse("incubation:jobs-province", args=["35"]), READERS),
    ("jobs, Central Java", lambda w: reverse("incubation:jobs-province", args=["33"]), NATIONAL),
    ("jobs, Kabupaten Malang", lambda w: reverse("incubation:jobs-regency", args=["35.07"]), READERS),
    ("jobs, Kota Malang", lambda w: reverse("incubation:jobs-regency", args=["35.73"]), EAST_JAVA),
    ("jobs, Malang's tenants", lambda w: reverse("incubation:jobs-center", args=[w.malang.pk]), READERS),
    ("jobs, Semarang's tenants", lambda w: reverse("incubation:jobs-center", args=[w.semarang.pk]), NATIONAL),
]


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize(("page", "url", "allowed"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
def test_each_self_reliance_page_answers_each_role(setup, client, user_key, page, url, allowed):
    client.force_login(setup.user(user_key))
    response = client.get(url(setup))
    assert response.status_code == (200 if user_key in allowed else 404), page


@pytest.mark.parametrize(("page", "url", "allowed"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
def test_an_anonymous_visitor_is_asked_to_log_in(setup, client, page, url, allowed):
    response = client.get(url(setup))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def _state():
    return (
        list(Assessment.objects.order_by("pk").values()),
        list(Assessment.history.order_by("history_id").values_list("id", "history_type")),
        list(Center.objects.order_by("pk").values_list("pk", "development_class")),
        Center.history.count(),
    )


def _posts(world):
    assessment = Assessment.objects.get(center=world.malang)
    return {
        "run a year": (reverse("incubation:self-reliance-run"), {"year": YEAR}),
        "apply a class": (
            reverse("incubation:self-reliance-apply", args=[world.malang.pk]),
            {"assessment": assessment.pk, "development_class": "mandiri"},
        ),
    }


@pytest.mark.parametrize("user_key", sorted(EVERYONE - ADMIN))
@pytest.mark.parametrize("name", ["run a year", "apply a class"])
def test_each_write_is_refused_with_404_and_changes_nothing(setup, client, user_key, name):
    url, data = _posts(setup)[name]
    before = _state()
    client.force_login(setup.user(user_key))
    assert client.post(url, data).status_code == 404
    assert _state() == before


@pytest.mark.parametrize("name", ["run a year", "apply a class"])
def test_each_write_works_for_admin_pusat(setup, client, name):
    url, data = _posts(setup)[name]
    before = _state()
    client.force_login(setup.user("admin"))
    assert client.post(url, data).status_code == 302
    assert _state() != before


@pytest.mark.parametrize("page", ["assessments", "jobs, national"])
def test_the_pages_refuse_a_post(setup, client, page):
    url = next(u for name, u, _allowed in GET_PAGES if name == page)
    client.force_login(setup.user("admin"))
    assert client.post(url(setup)).status_code == 405


def test_the_service_refuses_a_run_by_anyone_but_admin_pusat_with_404(setup):
    from django.http import Http404

    for user_key in sorted(EVERYONE - ADMIN):
        with pytest.raises(Http404):
            assessment_run(actor=setup.user(user_key), year=YEAR)
    assert Assessment.objects.count() == 1
