"""Incubators, tenants, stages, mentors and mentoring sessions (issue 5, items 2-4 and their part of 9)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from simpul.accounts.models import Role
from simpul.centers.models import CenterStatus
from simpul.incubation.models import (
    TENANT_TARGET,
    BusinessFigure,
    Incubator,
    Mentor,
    MentoringSession,
    Stage,
    Tenant,
)
from simpul.incubation.services import incubators as incubator_services
from simpul.incubation.services import mentoring
from simpul.incubation.services import tenants as services
from simpul.training.models import Enrolment, Outcome, PackageStatus

from .factories import PackageFactory, PersonFactory, UserFactory

TODAY = timezone.localdate()


# --- helpers shared by the incubation test modules ------------------------------------------------


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def months_ago(n: int, day: int = 1) -> dt.date:
    first = TODAY.replace(day=1)
    month = first.month - 1 - n
    return dt.date(first.year + month // 12, month % 12 + 1, day)


def make_incubator(center, **fields) -> Incubator:
    defaults = {"established_on": months_ago(24), "manager_name": "Ustadz Hasan"}
    incubator = Incubator.objects.create(center=center, **{**defaults, **fields})
    center.status = CenterStatus.INCUBATOR
    center.save(update_fields=["status"])
    return incubator


def make_alumnus(center, name: str, *, manager, self_employed: bool = True, business: str = "Jahit Berkah"):
    """A graduate of a finished package at `center`; self-employed at the 3-month tracer wave if asked."""
    package = PackageFactory(
        center=center, start_date=months_ago(14), end_date=months_ago(12, 28), status=PackageStatus.FINISHED
    )
    person = PersonFactory(full_name=name)
    enrolment = Enrolment.objects.create(
        package=package, person=person, enrolled_by=manager, result="lulus", graduated_on=package.end_date
    )
    if self_employed:
        Outcome.objects.create(
            enrolment=enrolment,
            wave=3,
            status="wirausaha",
            business_name=business,
            business_sector="C",
            started_on=months_ago(10),
            recorded_by=manager,
        )
    return enrolment


def make_tenant(incubator, name: str = "Rina", *, user=None, person=None, enrolment=None, **fields) -> Tenant:
    defaults = {
        "full_name": name,
        "business_name": f"Usaha {name}",
        "sector": "C",
        "business_started_on": months_ago(18),
        "pre_on": months_ago(12),
    }
    return Tenant.objects.create(
        incubator=incubator, user=user, person=person, source_enrolment=enrolment, **{**defaults, **fields}
    )


def make_mentor(user, *tenants, organisation: str = "IPB University") -> Mentor:
    mentor = Mentor.objects.create(user=user, organisation=organisation, kind="perguruan_tinggi", expertise="Pemasaran")
    mentor.tenants.add(*tenants)
    return mentor


def make_figure(tenant, month: dt.date, revenue: int, *, by, paid: int = 2, **fields) -> BusinessFigure:
    return BusinessFigure.objects.create(
        tenant=tenant,
        month=month,
        revenue=revenue,
        paid_workers=paid,
        market_reach=fields.pop("market_reach", "lokal"),
        entered_by=by,
        **fields,
    )


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30), mode: str = "RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 1).save(out, format=fmt, **save)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- incubators -------------------------------------------------------------------------------------


def test_admin_makes_a_centre_an_incubator_and_its_registry_status_follows(world):
    incubator = incubator_services.incubator_create(
        actor=world.user("admin"), center_id=world.kota_malang.pk, established_on=months_ago(1), manager_name="Bu Sri"
    )
    world.kota_malang.refresh_from_db()
    assert incubator.center == world.kota_malang
    assert world.kota_malang.status == CenterStatus.INCUBATOR


def test_a_centre_gets_one_incubator_profile_only(world):
    make_incubator(world.malang)
    with pytest.raises(ValidationError, match="sudah punya profil inkubator"):
        incubator_services.incubator_create(
            actor=world.user("admin"), center_id=world.malang.pk, established_on=months_ago(1)
        )
    assert Incubator.objects.count() == 1


def test_only_admin_pusat_makes_an_incubator(world):
    with pytest.raises(Http404):
        incubator_services.incubator_create(
            actor=world.user("pengelola_malang"), center_id=world.malang.pk, established_on=months_ago(1)
        )
    assert not Incubator.objects.exists()


def test_the_profile_page_lists_what_permenkop_3_2021_still_asks(world, client):
    incubator = make_incubator(world.malang, manager_full_time=True, has_tenant_room=True, curriculum=["legalitas"])
    client.force_login(world.user("pengelola_malang"))
    page = client.get(reverse("incubation:incubator", args=[incubator.pk])).content.decode()
    assert "ruang pelatihan" in page
    assert "Analisis pasar" in page
    assert "Legalitas usaha" not in page.split('id="unmet"')[1].split("</div>")[0]


def test_the_manager_completes_the_profile_and_the_requirements_are_met(world, client):
    incubator = make_incubator(world.malang)
    client.force_login(world.user("pengelola_malang"))
    response = client.post(
        reverse("incubation:incubator-edit", args=[incubator.pk]),
        {
            "established_on": incubator.established_on.isoformat(),
            "manager_name": "Ustadz Hasan",
            "manager_full_time": "on",
            "has_tenant_room": "on",
            "has_training_room": "on",
            "has_meeting_room": "on",
            "curriculum": ["legalitas", "pasar", "sdm", "pembukuan", "temu_bisnis", "pendampingan"],
            "sop": "SOP penerimaan tenant",
        },
    )
    assert response.status_code == 302
    incubator.refresh_from_db()
    assert incubator.unmet_requirements() == []


def test_an_unknown_curriculum_topic_is_refused(world):
    incubator = make_incubator(world.malang)
    with pytest.raises(ValidationError):
        incubator_services.incubator_update(
            actor=world.user("pengelola_malang"), incubator_id=incubator.pk, curriculum=["astrologi"]
        )
    incubator.refresh_from_db()
    assert incubator.curriculum == []


# --- tenants: intake from the alumni pool -------------------------------------------------------------------


def test_the_pool_offers_self_employed_alumni_of_the_centre_who_are_not_tenants(world):
    manager = world.user("pengelola_malang")
    incubator = make_incubator(world.malang)
    siti = make_alumnus(world.malang, "Siti Aminah", manager=manager)
    make_alumnus(world.malang, "Budi Employed", manager=manager, self_employed=False)
    make_alumnus(world.semarang, "Yohanes Semarang", manager=manager)
    taken = make_alumnus(world.malang, "Ani Sudah Tenant", manager=manager)
    make_tenant(incubator, "Ani", person=taken.person, enrolment=taken)
    from simpul.incubation.selectors.tenants import alumni_pool

    pool = alumni_pool(actor=manager, incubator=incubator)
    assert [entry.enrolment for entry in pool] == [siti]
    assert pool[0].business_name == "Jahit Berkah"


def test_an_alumnus_becomes_a_tenant_linked_to_the_training_they_came_from(world, client):
    manager = world.user("pengelola_malang")
    incubator = make_incubator(world.malang)
    siti = make_alumnus(world.malang, "Siti Aminah", manager=manager)
    client.force_login(manager)
    url = reverse("incubation:tenant-create", args=[incubator.pk])
    chooser = client.get(url).content.decode()
    assert "Siti Aminah" in chooser
    form = client.get(url + f"?alumni={siti.pk}").content.decode()
    assert 'value="Jahit Berkah"' in form  # the business from the tracer answer
    response = client.post(
        url + f"?alumni={siti.pk}",
        {
            "business_name": "Jahit Berkah",
            "sector": "C",
            "business_started_on": months_ago(10).isoformat(),
            "pre_on": TODAY.isoformat(),
            "criteria": "Sudah berjualan 6 bulan",
            "user": str(world.user("wirausaha_malang").pk),
        },
    )
    tenant = Tenant.objects.get()
    assert response.status_code == 302
    assert (tenant.person, tenant.source_enrolment, tenant.full_name) == (siti.person, siti, "Siti Aminah")
    assert tenant.stage == Stage.PRE
    assert tenant.stage_criteria == {"pra": "Sudah berjualan 6 bulan"}
    assert tenant.user == world.user("wirausaha_malang")


def test_an_outsider_is_taken_in_by_name_only(world, client):
    incubator = make_incubator(world.malang)
    client.force_login(world.user("pengelola_malang"))
    response = client.post(
        reverse("incubation:tenant-create", args=[incubator.pk]) + "?luar=1",
        {
            "full_name": "Pak Joko",
            "business_name": "Keripik Joko",
            "sector": "C",
            "business_started_on": months_ago(30).isoformat(),
            "pre_on": TODAY.isoformat(),
            "nib": "1234567890123",
        },
    )
    assert response.status_code == 302
    tenant = Tenant.objects.get()
    assert (tenant.full_name, tenant.person, tenant.nib) == ("Pak Joko", None, "1234567890123")


def test_an_outsider_without_a_name_is_refused(world):
    incubator = make_incubator(world.malang)
    with pytest.raises(ValidationError) as error:
        services.tenant_create(
            actor=world.user("pengelola_malang"),
            incubator_id=incubator.pk,
            pre_on=TODAY,
            business_name="Tanpa Nama",
            sector="C",
            business_started_on=TODAY,
        )
    assert "full_name" in error.value.message_dict
    assert not Tenant.objects.exists()


def test_a_nib_is_13_digits(world):
    incubator = make_incubator(world.malang)
    with pytest.raises(ValidationError) as error:
        services.tenant_create(
            actor=world.user("pengelola_malang"),
            incubator_id=incubator.pk,
            full_name="Pak Joko",
            pre_on=TODAY,
            business_name="Keripik",
            sector="C",
            business_started_on=TODAY,
            nib="12345",
        )
    assert "13 digit" in error.value.message_dict["nib"][0]


def test_a_person_is_a_tenant_of_one_incubator_at_a_time(world, client):
    admin = world.user("admin")
    malang, semarang = make_incubator(world.malang), make_incubator(world.semarang)
    siti = make_alumnus(world.malang, "Siti Aminah", manager=world.user("pengelola_malang"))
    make_tenant(malang, "Siti Aminah", person=siti.person, enrolment=siti)
    client.force_login(admin)
    response = client.post(
        reverse("incubation:tenant-create", args=[semarang.pk]) + f"?alumni={siti.pk}",
        {
            "business_name": "Jahit Semarang",
            "sector": "C",
            "business_started_on": months_ago(10).isoformat(),
            "pre_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "masih menjadi tenant aktif di BLK Komunitas Darul Ulum Malang" in response.content.decode()
    assert Tenant.objects.count() == 1


def test_the_same_alumnus_twice_in_one_incubator_is_refused(world):
    manager = world.user("pengelola_malang")
    incubator = make_incubator(world.malang)
    siti = make_alumnus(world.malang, "Siti Aminah", manager=manager)
    fields = {"business_name": "Jahit", "sector": "C", "business_started_on": months_ago(10), "pre_on": TODAY}
    services.tenant_create(actor=manager, incubator_id=incubator.pk, enrolment_id=siti.pk, **fields)
    with pytest.raises(ValidationError, match="sudah menjadi tenant inkubator ini"):
        services.tenant_create(actor=manager, incubator_id=incubator.pk, enrolment_id=siti.pk, **fields)
    assert Tenant.objects.count() == 1


def test_the_database_holds_one_active_tenancy_per_person_even_past_the_service(world):
    siti = make_alumnus(world.malang, "Siti Aminah", manager=world.user("pengelola_malang"))
    make_tenant(make_incubator(world.malang), person=siti.person)
    with pytest.raises(ValidationError):
        Tenant(
            incubator=make_incubator(world.semarang),
            person=siti.person,
            full_name="Siti",
            business_name="x",
            sector="C",
            business_started_on=TODAY,
            pre_on=TODAY,
        ).full_clean()


def test_after_leaving_a_person_may_join_another_incubator(world):
    admin = world.user("admin")
    malang, semarang = make_incubator(world.malang), make_incubator(world.semarang)
    siti = make_alumnus(world.malang, "Siti Aminah", manager=world.user("pengelola_malang"))
    first = make_tenant(malang, "Siti", person=siti.person, enrolment=siti, pre_on=months_ago(6))
    services.tenant_leave(actor=admin, tenant_id=first.pk, left_on=months_ago(1), reason="Pindah ke Semarang")
    second = services.tenant_create(
        actor=admin,
        incubator_id=semarang.pk,
        enrolment_id=siti.pk,
        pre_on=TODAY,
        business_name="Jahit Semarang",
        sector="C",
        business_started_on=months_ago(10),
    )
    assert second.incubator == semarang
    first.refresh_from_db()
    assert first.stage_criteria["keluar"] == "Pindah ke Semarang"


def test_a_manager_cannot_take_in_a_graduate_of_another_centre(world):
    incubator = make_incubator(world.malang)
    other = make_alumnus(world.semarang, "Yohanes", manager=world.user("admin"))
    with pytest.raises(Http404):
        services.tenant_create(
            actor=world.user("pengelola_malang"),
            incubator_id=incubator.pk,
            enrolment_id=other.pk,
            pre_on=TODAY,
            business_name="x",
            sector="C",
            business_started_on=TODAY,
        )
    assert not Tenant.objects.exists()


def test_an_entrepreneur_account_must_be_of_the_centre_and_free(world):
    manager = world.user("pengelola_malang")
    incubator = make_incubator(world.malang)
    owner = world.user("wirausaha_malang")
    make_tenant(incubator, "Rina", user=owner)
    elsewhere = UserFactory(role=Role.WIRAUSAHA, scope_center=world.semarang)
    fields = {"full_name": "Joko", "pre_on": TODAY, "business_name": "x", "sector": "C", "business_started_on": TODAY}
    for account, message in ((owner, "sudah terhubung"), (elsewhere, "dari BLK ini")):
        with pytest.raises(ValidationError, match=message):
            services.tenant_create(actor=manager, incubator_id=incubator.pk, user_id=account.pk, **fields)
    assert Tenant.objects.count() == 1


# --- stages ----------------------------------------------------------------------------------------------


def test_stages_step_forward_with_their_dates_and_criteria(world):
    manager = world.user("pengelola_malang")
    tenant = make_tenant(make_incubator(world.malang), pre_on=months_ago(8))
    services.tenant_stage_advance(
        actor=manager, tenant_id=tenant.pk, stage="inkubasi", on=months_ago(5), criteria="Rencana usaha lengkap"
    )
    services.tenant_stage_advance(
        actor=manager, tenant_id=tenant.pk, stage="pasca", on=months_ago(1), criteria="Omzet stabil 3 bulan"
    )
    tenant.refresh_from_db()
    assert tenant.stage == Stage.GRADUATED
    assert (tenant.incubation_on, tenant.graduated_on) == (months_ago(5), months_ago(1))
    assert tenant.stage_criteria == {"inkubasi": "Rencana usaha lengkap", "pasca": "Omzet stabil 3 bulan"}


@pytest.mark.parametrize(
    ("start", "step", "message"),
    [
        ("pra", "pasca", "Tahap harus berurutan"),
        ("inkubasi", "inkubasi", "tidak dapat diulang atau mundur"),
        ("inkubasi", "pra", "tidak dapat diulang atau mundur"),
        ("pasca", "inkubasi", "tidak dapat diulang atau mundur"),
    ],
)
def test_a_stage_step_out_of_order_is_refused_and_changes_nothing(world, start, step, message):
    dates = {"incubation_on": months_ago(6) if start != "pra" else None}
    dates["graduated_on"] = months_ago(2) if start == "pasca" else None
    tenant = make_tenant(make_incubator(world.malang), stage=start, **dates)
    before = Tenant.objects.values().get(pk=tenant.pk)
    with pytest.raises(ValidationError, match=message):
        services.tenant_stage_advance(
            actor=world.user("pengelola_malang"), tenant_id=tenant.pk, stage=step, on=TODAY, criteria="ok"
        )
    assert Tenant.objects.values().get(pk=tenant.pk) == before


@pytest.mark.parametrize(
    ("on", "criteria", "field"),
    [
        (TODAY + dt.timedelta(days=1), "ok", "on"),
        (months_ago(13), "ok", "on"),  # before pra-inkubasi began
        (None, "ok", "on"),
        (TODAY, "  ", "criteria"),
    ],
)
def test_a_stage_step_needs_a_sensible_date_and_its_criteria(world, on, criteria, field):
    tenant = make_tenant(make_incubator(world.malang), pre_on=months_ago(12))
    with pytest.raises(ValidationError) as error:
        services.tenant_stage_advance(
            actor=world.user("pengelola_malang"), tenant_id=tenant.pk, stage="inkubasi", on=on, criteria=criteria
        )
    assert field in error.value.message_dict
    tenant.refresh_from_db()
    assert tenant.stage == Stage.PRE


def test_the_stage_form_on_the_page_shows_an_out_of_order_step_in_words(world, client):
    tenant = make_tenant(make_incubator(world.malang))
    client.force_login(world.user("pengelola_malang"))
    response = client.post(
        reverse("incubation:tenant-stage", args=[tenant.pk]),
        {"stage": "pasca", "on": TODAY.isoformat(), "criteria": "Langsung lulus"},
    )
    assert response.status_code == 200
    assert "Tahap harus berurutan" in response.content.decode()
    tenant.refresh_from_db()
    assert tenant.stage == Stage.PRE


def test_a_tenant_who_left_changes_stage_no_more(world):
    tenant = make_tenant(make_incubator(world.malang), left_on=months_ago(1))
    with pytest.raises(ValidationError, match="sudah keluar"):
        services.tenant_stage_advance(
            actor=world.user("pengelola_malang"), tenant_id=tenant.pk, stage="inkubasi", on=TODAY, criteria="ok"
        )


def test_the_target_counts_tenants_in_the_programme_and_graduates_not_dropouts(world, client):
    incubator = make_incubator(world.malang)
    for n in range(3):
        make_tenant(incubator, f"Aktif {n}")
    make_tenant(
        incubator,
        "Lulus lalu pergi",
        stage="pasca",
        incubation_on=months_ago(8),
        graduated_on=months_ago(2),
        left_on=months_ago(1),
    )
    make_tenant(incubator, "Berhenti", left_on=months_ago(1))
    client.force_login(world.user("pemda_malang"))
    page = client.get(reverse("incubation:incubator", args=[incubator.pk])).content.decode()
    assert f"4 / {TENANT_TARGET}" in page
    assert "Kurang 6 lagi" in page


# --- who sees which tenant ---------------------------------------------------------------------------------------


def test_a_mentor_sees_only_the_tenants_assigned_to_them(world, client):
    incubator = make_incubator(world.malang)
    mine, other = make_tenant(incubator, "Dampingan"), make_tenant(incubator, "Bukan")
    make_mentor(world.user("mentor_malang"), mine)
    client.force_login(world.user("mentor_malang"))
    assert client.get(reverse("incubation:tenant", args=[mine.pk])).status_code == 200
    assert client.get(reverse("incubation:tenant", args=[other.pk])).status_code == 404
    page = client.get(reverse("incubation:incubator", args=[incubator.pk])).content.decode()
    assert "Usaha Dampingan" in page
    assert "Usaha Bukan" not in page


def test_an_entrepreneur_sees_only_their_own_business(world, client):
    incubator = make_incubator(world.malang)
    own = make_tenant(incubator, "Rina", user=world.user("wirausaha_malang"))
    other = make_tenant(incubator, "Lain")
    client.force_login(world.user("wirausaha_malang"))
    page = client.get(reverse("incubation:my-business")).content.decode()
    assert "Usaha Rina" in page
    assert client.get(reverse("incubation:tenant", args=[own.pk])).status_code == 200
    assert client.get(reverse("incubation:tenant", args=[other.pk])).status_code == 404


def test_an_entrepreneur_without_a_linked_business_is_told_what_to_do(world, client):
    client.force_login(world.user("wirausaha_malang"))
    response = client.get(reverse("incubation:my-business"))
    assert response.status_code == 200
    assert "belum terhubung" in response.content.decode()


def test_the_tenant_page_never_shows_the_nik(world, client):
    manager = world.user("pengelola_malang")
    siti = make_alumnus(world.malang, "Siti Aminah", manager=manager)
    tenant = make_tenant(make_incubator(world.malang), "Siti Aminah", person=siti.person, enrolment=siti)
    make_mentor(world.user("mentor_malang"), tenant)
    for user in (manager, world.user("mentor_malang")):
        client.force_login(user)
        page = client.get(reverse("incubation:tenant", args=[tenant.pk])).content.decode()
        assert siti.person.nik not in page
        assert siti.package.name in page


# --- mentors ---------------------------------------------------------------------------------------------------


def test_the_manager_registers_a_mentor_of_the_centre_and_assigns_them(world, client):
    manager = world.user("pengelola_malang")
    tenant = make_tenant(make_incubator(world.malang))
    client.force_login(manager)
    response = client.post(
        reverse("incubation:mentor-create"),
        {
            "user": world.user("mentor_malang").pk,
            "organisation": "UIN Malang",
            "kind": "perguruan_tinggi",
            "expertise": "Pembukuan",
        },
    )
    assert response.status_code == 302
    mentor = Mentor.objects.get()
    client.post(reverse("incubation:tenant-mentors", args=[tenant.pk]), {"mentors": [mentor.pk]})
    assert list(tenant.mentors.all()) == [mentor]
    client.post(reverse("incubation:tenant-mentors", args=[tenant.pk]), {})
    assert not tenant.mentors.exists()


def test_a_manager_cannot_assign_a_mentor_of_another_centre(world):
    tenant = make_tenant(make_incubator(world.malang))
    stranger = make_mentor(UserFactory(role=Role.MENTOR, scope_center=world.semarang))
    with pytest.raises(ValidationError, match="tidak dikenal"):
        services.tenant_mentors_set(actor=world.user("pengelola_malang"), tenant_id=tenant.pk, mentor_ids=[stranger.pk])
    assert not tenant.mentors.exists()


def test_a_manager_cannot_profile_an_account_that_is_not_a_mentor(world):
    with pytest.raises(ValidationError, match="peran Mentor"):
        services.mentor_create(
            actor=world.user("pengelola_malang"),
            user_id=world.user("instruktur_malang").pk,
            organisation="x",
            kind="lainnya",
            expertise="x",
        )
    assert not Mentor.objects.exists()


# --- mentoring sessions ------------------------------------------------------------------------------------------


def session_fields(**changes):
    return {
        "held_on": TODAY.isoformat(),
        "minutes": 90,
        "topic": "Pembukuan sederhana",
        "notes": "Belajar mencatat kas harian.",
        "follow_ups": "Catat kas 2 minggu",
        **changes,
    }


def test_a_mentor_opening_a_session_sees_the_latest_figures_and_earlier_notes(world, client):
    mentor_user = world.user("mentor_malang")
    tenant = make_tenant(make_incubator(world.malang))
    mentor = make_mentor(mentor_user, tenant)
    make_figure(tenant, months_ago(1), 4_750_000, by=world.user("admin"))
    MentoringSession.objects.create(
        tenant=tenant,
        mentor=mentor,
        held_on=months_ago(2),
        minutes=60,
        topic="Harga jual",
        notes="Menghitung HPP",
        follow_ups="Naikkan harga 10%",
    )
    client.force_login(mentor_user)
    page = client.get(reverse("incubation:session-create", args=[tenant.pk])).content.decode()
    assert "Rp4.750.000" in page
    assert "Menghitung HPP" in page
    assert "Naikkan harga 10%" in page


def test_a_mentor_logs_a_session_with_a_pdf_that_readers_can_open(world, client):
    mentor_user = world.user("mentor_malang")
    tenant = make_tenant(make_incubator(world.malang), user=world.user("wirausaha_malang"))
    make_mentor(mentor_user, tenant)
    client.force_login(mentor_user)
    response = client.post(
        reverse("incubation:session-create", args=[tenant.pk]),
        session_fields(attachment=SimpleUploadedFile("notulen.pdf", PDF)),
    )
    assert response.status_code == 302
    session = MentoringSession.objects.get()
    assert session.attachment.name.endswith(".pdf")
    assert "notulen" not in session.attachment.name
    client.force_login(world.user("wirausaha_malang"))
    download = client.get(reverse("incubation:session-attachment", args=[session.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    client.force_login(world.user("instruktur_malang"))
    assert client.get(reverse("incubation:session-attachment", args=[session.pk])).status_code == 404


def test_a_session_attachment_that_is_not_a_photo_or_pdf_is_refused(world, client):
    mentor_user = world.user("mentor_malang")
    tenant = make_tenant(make_incubator(world.malang))
    make_mentor(mentor_user, tenant)
    client.force_login(mentor_user)
    response = client.post(
        reverse("incubation:session-create", args=[tenant.pk]),
        session_fields(attachment=SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not really a photo")),
    )
    assert response.status_code == 200
    assert "bukan foto" in response.content.decode()
    assert not MentoringSession.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_on": (TODAY + dt.timedelta(days=2)).isoformat()}, "held_on"),
        ({"held_on": months_ago(30).isoformat()}, "held_on"),  # before the tenant came in
        ({"minutes": 0}, "minutes"),
        ({"minutes": 900}, "minutes"),
        ({"notes": " "}, "notes"),
    ],
)
def test_a_session_with_bad_input_is_refused(world, changes, field):
    tenant = make_tenant(make_incubator(world.malang))
    make_mentor(world.user("mentor_malang"), tenant)
    fields = session_fields(**changes)
    fields["held_on"] = dt.date.fromisoformat(fields["held_on"])
    with pytest.raises(ValidationError) as error:
        mentoring.session_create(actor=world.user("mentor_malang"), tenant_id=tenant.pk, **fields)
    assert field in error.value.message_dict
    assert not MentoringSession.objects.exists()


def test_only_an_assigned_mentor_logs_sessions(world):
    tenant = make_tenant(make_incubator(world.malang))
    make_mentor(world.user("mentor_malang"))  # a mentor, but not this tenant's
    fields = session_fields()
    fields["held_on"] = TODAY
    with pytest.raises(Http404):
        mentoring.session_create(actor=world.user("mentor_malang"), tenant_id=tenant.pk, **fields)


def test_a_mentor_corrects_their_own_session_but_never_another_mentors(world):
    tenant = make_tenant(make_incubator(world.malang))
    own = make_mentor(world.user("mentor_malang"), tenant)
    colleague = make_mentor(UserFactory(role=Role.MENTOR, scope_center=world.malang), tenant, organisation="CV Maju")
    mine = MentoringSession.objects.create(tenant=tenant, mentor=own, held_on=TODAY, minutes=30, topic="a", notes="b")
    theirs = MentoringSession.objects.create(
        tenant=tenant, mentor=colleague, held_on=TODAY, minutes=30, topic="c", notes="d"
    )
    fields = session_fields(topic="Diperbaiki")
    fields["held_on"] = TODAY
    mentoring.session_update(actor=world.user("mentor_malang"), session_id=mine.pk, **fields)
    with pytest.raises(Http404):
        mentoring.session_update(actor=world.user("mentor_malang"), session_id=theirs.pk, **fields)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.topic, theirs.topic) == ("Diperbaiki", "c")


# --- the centre page ---------------------------------------------------------------------------------------------


def test_the_centre_page_shows_the_incubator_and_its_target(world, client):
    incubator = make_incubator(world.malang)
    make_tenant(incubator)
    client.force_login(world.user("instruktur_malang"))
    page = client.get(reverse("centers:detail", args=[world.malang.pk])).content.decode()
    assert 'id="inkubator"' in page
    assert f"1 dari target {TENANT_TARGET} wirausaha binaan" in page
    assert reverse("incubation:incubator", args=[incubator.pk]) in page


def test_the_centre_page_offers_admin_to_make_a_missing_profile(world, client):
    world.kota_malang.status = CenterStatus.INCUBATOR
    world.kota_malang.save(update_fields=["status"])
    client.force_login(world.user("admin"))
    page = client.get(reverse("centers:detail", args=[world.kota_malang.pk])).content.decode()
    assert reverse("incubation:incubator-create") + f"?blk={world.kota_malang.pk}" in page
    client.force_login(world.user("pemda_jatim"))
    page = client.get(reverse("centers:detail", args=[world.kota_malang.pk])).content.decode()
    assert 'id="inkubator"' not in page


def test_the_tenant_history_shows_who_changed_what(world, client):
    manager = world.user("pengelola_malang")
    tenant = make_tenant(make_incubator(world.malang))
    services.tenant_stage_advance(actor=manager, tenant_id=tenant.pk, stage="inkubasi", on=TODAY, criteria="Siap")
    client.force_login(world.user("pemda_malang"))
    page = client.get(reverse("incubation:tenant", args=[tenant.pk])).content.decode()
    assert 'id="riwayat"' in page
    assert "Inkubasi" in page
    client.force_login(world.user("wirausaha_malang"))
    tenant.user = world.user("wirausaha_malang")
    tenant.save()
    assert 'id="riwayat"' not in client.get(reverse("incubation:tenant", args=[tenant.pk])).content.decode()


def test_the_tenant_and_incubator_pages_ask_no_query_per_row(world, client, django_assert_max_num_queries):
    incubator = make_incubator(world.malang)
    tenant = make_tenant(incubator, user=world.user("wirausaha_malang"))
    mentor = make_mentor(world.user("mentor_malang"), tenant)
    for n in range(1, 10):
        make_figure(tenant, months_ago(n), 1_000_000 + n, by=world.user("admin"))
        MentoringSession.objects.create(
            tenant=tenant, mentor=mentor, held_on=months_ago(n), minutes=30, topic=f"Topik {n}", notes="Catatan"
        )
        make_tenant(incubator, f"Lain {n}")
    client.force_login(world.user("pengelola_malang"))
    with django_assert_max_num_queries(22):
        client.get(reverse("incubation:tenant", args=[tenant.pk]))
    with django_assert_max_num_queries(12):
        client.get(reverse("incubation:incubator", args=[incubator.pk]))
    with django_assert_max_num_queries(10):
        client.get(reverse("incubation:incubators"))


def test_a_refused_session_leaves_no_attachment_behind(world, settings):
    tenant = make_tenant(make_incubator(world.malang))
    make_mentor(world.user("mentor_malang"), tenant)
    fields = session_fields(notes="")
    fields["held_on"] = TODAY
    with pytest.raises(ValidationError):
        mentoring.session_create(
            actor=world.user("mentor_malang"),
            tenant_id=tenant.pk,
            attachment=SimpleUploadedFile("a.pdf", PDF),
            **fields,
        )
    assert not MentoringSession.objects.exists()
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf"))
