"""Jobs created: the chain training → alumnus → tenant → jobs, per centre, region and nation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from simpul.centers.models import Vocation
from simpul.incubation.models import BusinessFigure, Incubator, MarketReach, Tenant
from simpul.incubation.selectors.jobs import jobs_area, jobs_chain
from simpul.training.models import Enrolment, PackageStatus
from simpul.training.services.tracing import add_months

from .factories import CenterFactory, PackageFactory, PersonFactory

LAST_MONTH = add_months(timezone.localdate().replace(day=1), -1)


# --- helpers (also used by the role matrix and the browser test) -------------------------------


def make_incubator(center, established_on=dt.date(2023, 3, 1)):
    return Incubator.objects.create(center=center, established_on=established_on, manager_name="Pengelola Inkubator")


def make_package(center, *, name, vocation_code="TIK"):
    return PackageFactory(
        center=center,
        name=name,
        vocation=Vocation.objects.get(code=vocation_code),
        start_date=dt.date(2022, 2, 7),
        end_date=dt.date(2022, 3, 25),
        status=PackageStatus.FINISHED,
    )


def make_alumnus_tenant(incubator, package, *, name, business, enrolled_by, **fields):
    person = PersonFactory(full_name=name)
    enrolment = Enrolment.objects.create(
        package=package, person=person, enrolled_by=enrolled_by, result="lulus", graduated_on=package.end_date
    )
    return Tenant.objects.create(
        incubator=incubator,
        person=person,
        source_enrolment=enrolment,
        full_name=name,
        business_name=business,
        sector="C",
        business_started_on=dt.date(2022, 6, 1),
        pre_on=dt.date(2023, 4, 1),
        **fields,
    )


def make_outsider_tenant(incubator, *, name, business, **fields):
    return Tenant.objects.create(
        incubator=incubator,
        full_name=name,
        business_name=business,
        sector="G",
        business_started_on=dt.date(2021, 1, 1),
        pre_on=dt.date(2023, 5, 1),
        **fields,
    )


def add_figure(tenant, month, *, paid, family=0, entered_by):
    return BusinessFigure.objects.create(
        tenant=tenant,
        month=month,
        revenue=Decimal(5_000_000),
        paid_workers=paid,
        family_workers=family,
        market_reach=MarketReach.LOCAL,
        entered_by=entered_by,
    )


@pytest.fixture
def programme(world):
    """Three incubators in two provinces; founders from two packages (one at another centre) and outsiders."""
    admin = world.user("admin")
    malang, kota, semarang = (make_incubator(c) for c in (world.malang, world.kota_malang, world.semarang))
    sewing = make_package(world.malang, name="Menjahit Angkatan 1", vocation_code="GAR")
    computers = make_package(world.kota_malang, name="Operator Komputer Angkatan 3", vocation_code="TIK")
    siti = make_alumnus_tenant(malang, sewing, name="Siti Aminah", business="Konveksi Siti", enrolled_by=admin)
    budi = make_outsider_tenant(malang, name="Budi Santoso", business="Toko Budi")
    rina = make_alumnus_tenant(malang, computers, name="Rina Lestari", business="Desain Rina", enrolled_by=admin)
    gone = make_outsider_tenant(malang, name="Agus Salim", business="Bengkel Agus", left_on=dt.date(2024, 1, 31))
    quiet = make_outsider_tenant(malang, name="Dewi Sartika", business="Kue Dewi")
    eko = make_alumnus_tenant(kota, computers, name="Eko Prasetyo", business="Servis Eko", enrolled_by=admin)
    made = make_outsider_tenant(semarang, name="Made Wirawan", business="Kerajinan Made")
    # Each tenant's latest month counts, never a sum of months.
    add_figure(siti, add_months(LAST_MONTH, -1), paid=1, family=1, entered_by=admin)
    add_figure(siti, LAST_MONTH, paid=3, family=1, entered_by=admin)
    add_figure(budi, add_months(LAST_MONTH, -3), paid=2, entered_by=admin)
    add_figure(rina, LAST_MONTH, paid=1, family=2, entered_by=admin)
    add_figure(gone, dt.date(2023, 12, 1), paid=5, entered_by=admin)  # left: not counted
    add_figure(eko, LAST_MONTH, paid=4, entered_by=admin)
    add_figure(made, LAST_MONTH, paid=6, family=1, entered_by=admin)
    return {
        "incubators": (malang, kota, semarang),
        "packages": (sewing, computers),
        "tenants": {"siti": siti, "budi": budi, "rina": rina, "gone": gone, "quiet": quiet, "eko": eko, "made": made},
    }


def test_jobs_are_the_workers_of_each_active_tenants_latest_month_across_the_country(world, programme):
    area = jobs_area(actor=world.user("admin"))
    assert area.level == "national"
    assert (area.total.paid, area.total.family, area.total.workers) == (16, 4, 20)
    assert (area.total.incubators, area.total.tenants, area.total.alumni, area.total.reporting) == (3, 6, 3, 5)
    rows = {row.key: row for row in area.rows}
    assert set(rows) == {"33", "35"}
    assert (rows["35"].incubators, rows["35"].tenants, rows["35"].paid, rows["35"].family) == (2, 5, 10, 3)
    assert (rows["33"].paid, rows["33"].family) == (6, 1)


def test_a_province_is_broken_down_by_regency_and_a_regency_by_incubator(world, programme):
    admin = world.user("admin")
    province = jobs_area(actor=admin, province="35")
    assert {row.key: (row.paid, row.family) for row in province.rows} == {"35.07": (6, 3), "35.73": (4, 0)}
    assert province.total.workers == 13
    regency = jobs_area(actor=admin, regency="35.07")
    assert [(row.key, row.tenants, row.alumni, row.workers) for row in regency.rows] == [(world.malang.pk, 4, 2, 9)]


def test_jobs_are_attributed_to_the_vocation_of_the_package_the_founder_came_from(world, programme):
    area = jobs_area(actor=world.user("admin"))
    by_vocation = {row.name: (row.tenants, row.paid, row.family) for row in area.vocations}
    garment = Vocation.objects.get(code="GAR").name
    ict = Vocation.objects.get(code="TIK").name
    assert by_vocation[garment] == (1, 3, 1)
    assert by_vocation[ict] == (2, 5, 2)
    assert area.vocations[-1].name == "Bukan alumni BLK"  # outsiders last
    assert (area.vocations[-1].tenants, area.vocations[-1].paid) == (3, 8)


def test_the_chain_of_an_incubator_goes_from_package_to_alumnus_to_business_to_workers(world, programme):
    chain = jobs_chain(actor=world.user("admin"), center_id=world.malang.pk)
    sewing, computers = programme["packages"]
    links = {link.tenant.full_name: link for link in chain.links}
    siti = links["Siti Aminah"]
    assert (siti.package, siti.tenant.business_name, siti.month, siti.paid, siti.family) == (
        sewing,
        "Konveksi Siti",
        LAST_MONTH,
        3,
        1,
    )
    assert links["Rina Lestari"].package == computers  # trained at another centre: still attributed to it
    assert links["Budi Santoso"].package is None
    assert links["Dewi Sartika"].month is None
    assert chain.links[-1].tenant.full_name == "Agus Salim"  # left: listed last, not counted
    assert (chain.total.tenants, chain.total.alumni, chain.total.workers) == (4, 2, 9)
    by_package = [(p.package, p.tenants, p.workers) for p in chain.by_package]
    assert by_package == [(sewing, 1, 4), (computers, 1, 3), (None, 2, 2)]


def test_the_chain_page_links_back_to_the_training_package_the_reader_may_open(world, programme, client):
    sewing, computers = programme["packages"]
    url = reverse("incubation:jobs-center", args=[world.malang.pk])
    client.force_login(world.user("pemda_jatim"))
    page = client.get(url).content.decode()
    assert reverse("training:package", args=[sewing.pk]) in page
    assert reverse("training:package", args=[computers.pk]) in page
    assert "Siti Aminah" in page
    assert programme["tenants"]["siti"].person.nik not in page  # never a NIK
    client.force_login(world.user("pengelola_malang"))
    page = client.get(url).content.decode()
    assert reverse("training:package", args=[sewing.pk]) in page
    assert reverse("training:package", args=[computers.pk]) not in page  # another centre's package
    assert "Operator Komputer Angkatan 3" in page  # named, not linked


def test_each_reader_sees_the_jobs_of_their_own_region_only(world, programme):
    assert jobs_area(actor=world.user("pemda_jatim")).total.workers == 13
    assert jobs_area(actor=world.user("fkn_jatim")).total.workers == 13
    assert jobs_area(actor=world.user("pemda_malang")).total.workers == 9
    assert jobs_area(actor=world.user("pengelola_malang")).total.workers == 9
    assert [row.key for row in jobs_area(actor=world.user("pemda_malang"), province="35").rows] == ["35.07"]


@pytest.mark.parametrize(
    ("user_key", "kwargs"),
    [
        ("pemda_malang", {"province": "33"}),
        ("pemda_malang", {"regency": "35.73"}),
        ("fkn_jatim", {"regency": "33.74"}),
        ("admin", {"province": "99"}),
        ("admin", {"regency": "35.99"}),
    ],
)
def test_a_region_outside_the_scope_or_unknown_answers_404(world, programme, user_key, kwargs):
    from django.http import Http404

    with pytest.raises(Http404):
        jobs_area(actor=world.user(user_key), **kwargs)


def test_a_centre_that_is_no_incubator_has_no_jobs_page(world, client):
    client.force_login(world.user("admin"))
    assert client.get(reverse("incubation:jobs-center", args=[world.malang.pk])).status_code == 404


def _grow(world, extra_incubators, tenants_each):
    admin = world.user("admin")
    package = make_package(world.malang, name="Tata Boga Angkatan 9", vocation_code="BOG")
    for number in range(extra_incubators):
        center = CenterFactory(regency_id="33.74" if number % 2 else "35.73")
        incubator = make_incubator(center)
        for index in range(tenants_each):
            tenant = make_alumnus_tenant(
                incubator,
                package,
                name=f"Alumni {number}-{index}",
                business=f"Usaha {number}-{index}",
                enrolled_by=admin,
            )
            add_figure(tenant, LAST_MONTH, paid=index, family=1, entered_by=admin)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("incubation:jobs"),
        lambda w: reverse("incubation:jobs-province", args=["35"]),
        lambda w: reverse("incubation:jobs-regency", args=["35.73"]),
    ],
    ids=["national", "province", "regency"],
)
def test_an_area_page_costs_the_same_queries_for_more_incubators_and_tenants(world, programme, client, url):
    client.force_login(world.user("pemda_jatim"))
    before = _queries(client, url(world))
    _grow(world, extra_incubators=4, tenants_each=3)
    assert _queries(client, url(world)) == before


def test_the_chain_page_costs_the_same_queries_for_more_tenants(world, programme, client):
    url = reverse("incubation:jobs-center", args=[world.malang.pk])
    client.force_login(world.user("pemda_jatim"))
    before = _queries(client, url)
    admin = world.user("admin")
    malang = programme["incubators"][0]
    other_package = make_package(world.semarang, name="Las Angkatan 2", vocation_code="LAS")
    for index in range(6):
        tenant = make_alumnus_tenant(
            malang, other_package, name=f"Peserta {index}", business=f"Bengkel {index}", enrolled_by=admin
        )
        add_figure(tenant, LAST_MONTH, paid=index, entered_by=admin)
        add_figure(tenant, add_months(LAST_MONTH, -1), paid=index, entered_by=admin)
    assert _queries(client, url) == before


def test_the_pages_drill_down_from_the_nation_to_the_incubator(world, programme, client):
    client.force_login(world.user("fkn_national"))
    national = client.get(reverse("incubation:jobs")).content.decode()
    assert reverse("incubation:jobs-province", args=["35"]) in national
    province = client.get(reverse("incubation:jobs-province", args=["35"])).content.decode()
    assert reverse("incubation:jobs-regency", args=["35.07"]) in province
    regency = client.get(reverse("incubation:jobs-regency", args=["35.07"])).content.decode()
    assert reverse("incubation:jobs-center", args=[world.malang.pk]) in regency
