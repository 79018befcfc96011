"""Issue 5 gaps: one active tenancy for outsiders too, scoring outside one's assignment, the legal status,
products, mentors and normalisation that users rely on, and jobs per training package on the area pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse

from simpul.accounts.models import Role
from simpul.centers.models import DevelopmentClass
from simpul.incubation.models import Assignment, Mentor, Score, Tenant
from simpul.incubation.selectors import jobs as jobs_selectors
from simpul.incubation.selectors import selection as selection_selectors
from simpul.incubation.services import products as product_services
from simpul.incubation.services import reviewing
from simpul.incubation.services import selection as selection_services
from simpul.incubation.services import tenants as services
from simpul.training.models import Person

from .concurrency import at_once, fresh_world, needs_two_writers
from .factories import CenterFactory, PersonFactory, UserFactory, make_nik
from .test_incubation_jobs import _grow, _queries, programme  # noqa: F401  (programme is a fixture)
from .test_incubation_selection import build_round, full_scores, make_reviewers, state
from .test_incubation_tenants import (  # noqa: F401  (the media fixture is autouse)
    TODAY,
    _media,
    make_alumnus,
    make_incubator,
    make_tenant,
    months_ago,
)

JOKO_NIK = make_nik(dt.date(1988, 7, 14), serial=21)  # 3507011407880021
SITI_NIK = make_nik(dt.date(1995, 3, 2), female=True, serial=7)


def outsider(actor, incubator, name="Joko Susilo", nik=JOKO_NIK, **changes):
    fields = {
        "full_name": name,
        "nik": nik,
        "pre_on": TODAY,
        "business_name": f"Usaha {name}",
        "sector": "C",
        "business_started_on": months_ago(20),
        **changes,
    }
    return services.tenant_create(actor=actor, incubator_id=incubator.pk, **fields)


def tenants():
    return list(Tenant.objects.order_by("pk").values())


# --- 1. one active tenancy for outsiders too ------------------------------------------------------------------


def test_an_outsider_is_taken_in_with_their_nik_shown_only_masked(world, client):
    manager = world.user("pengelola_malang")
    incubator = make_incubator(world.malang)
    tenant = outsider(manager, incubator, nik=" 3507 0114 0788 0021 ")
    assert tenant.nik == JOKO_NIK
    client.force_login(manager)
    page = client.get(reverse("incubation:tenant", args=[tenant.pk])).content.decode()
    assert "3507••••••••0021" in page
    assert JOKO_NIK not in page


def test_a_malformed_nik_is_refused_in_words_without_repeating_it_and_nothing_is_saved(world):
    incubator = make_incubator(world.malang)
    with pytest.raises(ValidationError) as error:
        outsider(world.user("pengelola_malang"), incubator, nik="3507011407880000")
    assert error.value.message_dict["nik"] == ["Nomor urut NIK (4 digit terakhir) dimulai dari 0001."]
    assert "3507011407880000" not in str(error.value)
    assert not Tenant.objects.exists()


def test_an_outsider_active_in_one_incubator_is_refused_by_another_naming_it_to_who_may_see_it(world):
    malang, semarang = make_incubator(world.malang), make_incubator(world.semarang)
    admin = world.user("admin")
    outsider(admin, semarang)
    before = tenants()
    with pytest.raises(ValidationError) as seen:
        outsider(admin, make_incubator(world.kota_malang), name="Joko S.")
    assert seen.value.message_dict["nik"] == [
        "Joko S. masih menjadi tenant aktif di BLK Komunitas Seminari Semarang. Seseorang hanya dapat menjadi "
        "tenant satu inkubator pada satu waktu: catat dulu keluarnya di sana."
    ]
    with pytest.raises(ValidationError) as unseen:
        outsider(world.user("pengelola_malang"), malang)
    (message,) = unseen.value.message_dict["nik"]
    assert "masih menjadi tenant aktif di inkubator lain" in message
    assert "Semarang" not in message
    assert JOKO_NIK not in message
    assert tenants() == before


def test_the_same_outsider_twice_in_one_incubator_is_refused(world):
    manager = world.user("pengelola_malang")
    incubator = make_incubator(world.malang)
    outsider(manager, incubator)
    with pytest.raises(ValidationError, match="sudah menjadi tenant inkubator ini"):
        outsider(manager, incubator, business_name="Usaha kedua")
    assert Tenant.objects.count() == 1


def test_an_outsiders_nik_is_compared_with_the_alumni_in_both_directions(world):
    admin = world.user("admin")
    malang, semarang = make_incubator(world.malang), make_incubator(world.semarang)
    siti = make_alumnus(world.malang, "Siti Aminah", manager=world.user("pengelola_malang"))
    siti.person.nik = SITI_NIK
    siti.person.save(update_fields=["nik"])
    make_tenant(malang, "Siti Aminah", person=siti.person, enrolment=siti)
    # Taken in elsewhere as an outsider with the alumna's NIK: the same person.
    with pytest.raises(ValidationError, match="masih menjadi tenant aktif di BLK Komunitas Darul Ulum Malang"):
        outsider(admin, semarang, name="Siti A.", nik=SITI_NIK)
    # And the other way: an active outsider's NIK is an alumnus's training record.
    joko = PersonFactory(full_name="Joko Susilo", nik=JOKO_NIK, birth_date=dt.date(1988, 7, 14), sex="L")
    outsider(admin, semarang)
    package_enrolment = make_alumnus(world.malang, "Joko Susilo", manager=admin)
    package_enrolment.person = joko
    package_enrolment.save(update_fields=["person"])
    with pytest.raises(ValidationError, match="masih menjadi tenant aktif di BLK Komunitas Seminari Semarang"):
        services.tenant_create(
            actor=admin,
            incubator_id=malang.pk,
            enrolment_id=package_enrolment.pk,
            pre_on=TODAY,
            business_name="Jahit Joko",
            sector="C",
            business_started_on=months_ago(10),
        )
    assert Tenant.objects.filter(incubator=malang).count() == 1


def test_an_outsider_without_a_nik_who_has_an_active_tenants_name_is_asked_for_it(world):
    manager = world.user("pengelola_malang")
    incubator = make_incubator(world.malang)
    make_tenant(make_incubator(world.semarang), "Joko Susilo")
    with pytest.raises(ValidationError) as error:
        outsider(manager, incubator, name="joko  susilo", nik="")
    (message,) = error.value.message_dict["nik"]
    assert message.startswith("Sudah ada tenant aktif bernama joko susilo di inkubator lain. Isi NIK pemilik usaha")
    assert not Tenant.objects.filter(incubator=incubator).exists()
    # With a NIK the two are told apart: a namesake is no reason to refuse.
    assert outsider(manager, incubator, name="Joko Susilo").incubator == incubator


def test_after_leaving_an_outsider_may_join_another_incubator(world):
    admin = world.user("admin")
    first = outsider(admin, make_incubator(world.semarang), pre_on=months_ago(3))
    services.tenant_leave(actor=admin, tenant_id=first.pk, left_on=months_ago(1), reason="Pindah ke Malang")
    second = outsider(admin, make_incubator(world.malang))
    assert (second.nik, second.incubator.center) == (JOKO_NIK, world.malang)


def test_a_nik_is_added_to_an_outsider_recorded_without_one_and_the_history_shows_it_masked(world):
    manager = world.user("pengelola_malang")
    tenant = make_tenant(make_incubator(world.malang), "Joko Susilo")
    fields = {"business_name": tenant.business_name, "sector": "C", "business_started_on": months_ago(18)}
    services.tenant_update(actor=manager, tenant_id=tenant.pk, nik=JOKO_NIK, **fields)
    services.tenant_update(actor=manager, tenant_id=tenant.pk, nik="", **fields)  # empty: unchanged
    tenant.refresh_from_db()
    assert tenant.nik == JOKO_NIK
    from simpul.incubation.selectors.tenants import tenant_history

    changes = [c for entry in tenant_history(actor=manager, tenant=tenant) for c in entry.changes]
    nik_changes = [(c.old, c.new) for c in changes if c.label == "NIK pemilik usaha"]
    assert nik_changes == [("–", "3507••••••••0021")]


def test_an_alumnus_is_never_given_a_second_copy_of_their_nik(world):
    manager = world.user("pengelola_malang")
    incubator = make_incubator(world.malang)
    siti = make_alumnus(world.malang, "Siti Aminah", manager=manager)
    with pytest.raises(ValidationError, match="NIK alumni diambil dari data pelatihannya"):
        services.tenant_create(
            actor=manager,
            incubator_id=incubator.pk,
            enrolment_id=siti.pk,
            nik=SITI_NIK,
            pre_on=TODAY,
            business_name="Jahit",
            sector="C",
            business_started_on=months_ago(10),
        )
    assert not Tenant.objects.exists()


def test_the_database_holds_one_active_tenancy_per_nik_even_past_the_service(world):
    make_tenant(make_incubator(world.malang), "Joko", nik=JOKO_NIK)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_tenant(make_incubator(world.semarang), "Joko", nik=JOKO_NIK)
    siti = make_alumnus(world.malang, "Siti Aminah", manager=world.user("admin"))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_tenant(make_incubator(world.kota_malang), "Siti", person=siti.person, nik=SITI_NIK)
    assert Tenant.objects.count() == 1


def test_two_incubators_taking_the_same_outsider_at_once_leave_one_tenancy(world, monkeypatch):
    """The race: the other intake commits between this one's check and its write; the constraint refuses."""
    admin = world.user("admin")
    outsider(admin, make_incubator(world.semarang))
    monkeypatch.setattr(services, "_active_tenancy", lambda **kwargs: None)  # the check saw nothing yet
    with pytest.raises(ValidationError, match="sudah menjadi tenant aktif di inkubator lain"):
        outsider(admin, make_incubator(world.malang))
    assert Tenant.objects.count() == 1


@needs_two_writers
@pytest.mark.django_db(transaction=True)
def test_two_incubators_taking_the_same_outsider_at_the_same_moment_give_one_tenancy():
    world = fresh_world()
    admin = world.user("admin")
    malang, semarang = make_incubator(world.malang), make_incubator(world.semarang)
    results = at_once(lambda: outsider(admin, malang), lambda: outsider(admin, semarang))
    assert results == ["done", "refused"]
    assert Tenant.objects.filter(nik=JOKO_NIK).count() == 1


@needs_two_writers
@pytest.mark.django_db(transaction=True)
def test_an_alumnus_intake_and_an_outsider_intake_of_the_same_person_at_once_give_one_tenancy():
    world = fresh_world()
    admin = world.user("admin")
    malang, semarang = make_incubator(world.malang), make_incubator(world.semarang)
    siti = make_alumnus(world.malang, "Siti Aminah", manager=admin)
    Person.objects.filter(pk=siti.person_id).update(nik=SITI_NIK)
    fields = {"pre_on": TODAY, "business_name": "Jahit Siti", "sector": "C", "business_started_on": months_ago(10)}
    results = at_once(
        lambda: services.tenant_create(actor=admin, incubator_id=malang.pk, enrolment_id=siti.pk, **fields),
        lambda: outsider(admin, semarang, name="Siti Aminah", nik=SITI_NIK),
    )
    assert results == ["done", "refused"]
    assert Tenant.objects.count() == 1


def test_the_intake_page_takes_the_nik_and_refuses_a_second_tenancy_in_words(world, client):
    admin = world.user("admin")
    outsider(admin, make_incubator(world.semarang))
    incubator = make_incubator(world.malang)
    client.force_login(world.user("pengelola_malang"))
    response = client.post(
        reverse("incubation:tenant-create", args=[incubator.pk]) + "?luar=1",
        {
            "full_name": "Joko Susilo",
            "nik": JOKO_NIK,
            "business_name": "Keripik Joko",
            "sector": "C",
            "business_started_on": months_ago(30).isoformat(),
            "pre_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "masih menjadi tenant aktif di inkubator lain" in response.content.decode()
    assert Tenant.objects.count() == 1


# --- 2. scoring outside one's assignment ----------------------------------------------------------------------


def test_a_reviewer_scoring_a_candidate_not_assigned_to_them_in_their_round_is_told_so(world, client):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers, per_candidate=1)
    mine = Assignment.objects.filter(candidate__round=rnd, reviewer=reviewers[0]).first()
    theirs = Assignment.objects.filter(candidate__round=rnd).exclude(candidate=mine.candidate).first()
    assert not Assignment.objects.filter(candidate=theirs.candidate, reviewer=reviewers[0]).exists()
    before = state()
    for call in (reviewing.score_save, reviewing.assignment_submit):
        kwargs = {"scores": full_scores(rnd)} if call is reviewing.score_save else {}
        with pytest.raises(ValidationError) as error:
            call(actor=reviewers[0], assignment_id=theirs.pk, **kwargs)
        assert error.value.messages == ["Kandidat ini tidak ditugaskan kepada Anda untuk dinilai."]
    client.force_login(reviewers[0])
    form = {"send": "1"}
    for pk in full_scores(rnd):
        form.update({f"score_{pk}": "5", f"reason_{pk}": "Sangat baik"})
    response = client.post(reverse("incubation:review", args=[theirs.pk]), form, follow=True)
    assert response.redirect_chain == [(reverse("incubation:review-queue"), 302)]
    page = response.content.decode()
    assert "Kandidat ini tidak ditugaskan kepada Anda untuk dinilai." in page
    assert theirs.candidate.center.name not in page  # nothing of the candidate is shown
    assert state() == before
    assert not Score.objects.exists()


def test_a_reviewer_of_another_round_only_ever_gets_404(world, client):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers[:2])
    outsider_reviewer = reviewers[2]
    other = build_round(world, reviewers=[outsider_reviewer], per_candidate=1)
    assert Assignment.objects.filter(candidate__round=other, reviewer=outsider_reviewer).exists()
    theirs = Assignment.objects.filter(candidate__round=rnd).first()
    before = state()
    with pytest.raises(Http404):
        reviewing.score_save(actor=outsider_reviewer, assignment_id=theirs.pk, scores=full_scores(rnd))
    with pytest.raises(Http404):
        selection_selectors.review_get(actor=outsider_reviewer, assignment_id=theirs.pk)
    client.force_login(outsider_reviewer)
    assert client.post(reverse("incubation:review", args=[theirs.pk]), {"send": "1"}).status_code == 404
    assert client.get(reverse("incubation:review", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("incubation:review", args=[999_999])).status_code == 404
    assert state() == before


def test_a_colleagues_assignment_for_a_candidate_one_also_reviews_points_to_ones_own(world):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers[:2])  # two reviewers, two per candidate: both on each
    candidate = rnd.candidates.first()
    colleague = candidate.assignments.exclude(reviewer=reviewers[0]).get()
    with pytest.raises(ValidationError, match="Ini penugasan reviewer lain"):
        reviewing.score_save(actor=reviewers[0], assignment_id=colleague.pk, scores=full_scores(rnd))
    assert not Score.objects.exists()


# --- 3. legal status, products, mentors, normalisation ------------------------------------------------------


def test_the_legal_status_is_saved_as_printed_and_shown_on_the_tenant_page(world, client):
    manager = world.user("pengelola_malang")
    tenant = make_tenant(make_incubator(world.malang), "Rina")
    services.tenant_update(
        actor=manager,
        tenant_id=tenant.pk,
        business_name="Keripik Rina",
        sector="C",
        business_started_on=months_ago(18),
        nib="9120 0012 3456 7",
        halal_certificate="ID 3511 0000 1234 5072 2",
        pirt="P-IRT No. 2063507010123-29",
    )
    tenant.refresh_from_db()
    assert (tenant.nib, tenant.halal_certificate, tenant.pirt) == (
        "9120001234567",
        "ID35110000123450722",
        "206350701012329",
    )
    client.force_login(world.user("pemda_malang"))
    page = client.get(reverse("incubation:tenant", args=[tenant.pk])).content.decode()
    assert "NIB 9120001234567" in page
    assert "halal ID35110000123450722" in page
    assert "P-IRT 206350701012329" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nib", "91200012345", "NIB terdiri dari 13 digit angka."),
        ("halal_certificate", "halal MUI", "Nomor sertifikat halal berupa 10–20 digit angka"),
        ("halal_certificate", "ID123", "Nomor sertifikat halal berupa 10–20 digit angka"),
        ("pirt", "2063507010123", "Nomor P-IRT terdiri dari 15 digit angka"),
        ("pirt", "P-IRT dalam proses", "Nomor P-IRT terdiri dari 15 digit angka"),
    ],
)
def test_a_malformed_legal_number_is_refused_in_words_and_nothing_changes(world, client, field, value, message):
    tenant = make_tenant(make_incubator(world.malang), "Rina", nib="9120001234567")
    before = tenants()
    fields = {"business_name": "Usaha Rina", "sector": "C", "business_started_on": months_ago(18), field: value}
    with pytest.raises(ValidationError) as error:
        services.tenant_update(actor=world.user("pengelola_malang"), tenant_id=tenant.pk, **fields)
    assert error.value.message_dict[field][0].startswith(message)
    client.force_login(world.user("pengelola_malang"))
    response = client.post(
        reverse("incubation:tenant-edit", args=[tenant.pk]),
        {**fields, "business_started_on": months_ago(18).isoformat()},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert tenants() == before


def test_a_products_certifications_and_where_it_is_sold_reach_the_catalogue_and_the_showcase(world, client):
    owner = world.user("wirausaha_malang")
    tenant = make_tenant(make_incubator(world.malang), "Rina", user=owner)
    product = product_services.product_create(
        actor=owner,
        tenant_id=tenant.pk,
        name="Keripik Tempe Rina",
        category="makanan",
        price=Decimal(15_000),
        description="",
        certifications=" Halal, P-IRT ",
        where_sold="Toko oleh-oleh Batu, Shopee",
        public=True,
    )
    assert (product.certifications, product.where_sold) == ("Halal, P-IRT", "Toko oleh-oleh Batu, Shopee")
    client.force_login(world.user("pemda_malang"))
    catalogue = client.get(reverse("incubation:catalogue", args=[tenant.incubator_id])).content.decode()
    assert "Sertifikasi: Halal, P-IRT" in catalogue
    assert "Dijual di: Toko oleh-oleh Batu, Shopee" in catalogue
    client.logout()
    detail = client.get(reverse("portal:showcase-product", args=[product.pk])).content.decode()
    assert "Halal, P-IRT" in detail
    assert "Toko oleh-oleh Batu, Shopee" in detail


def test_the_showcase_filters_products_saved_through_the_service_by_province_and_category(world, client):
    malang = make_tenant(make_incubator(world.malang), "Rina")
    semarang = make_tenant(make_incubator(world.semarang), "Yohanes")
    made = [
        product_services.product_create(
            actor=world.user("admin"), tenant_id=tenant.pk, name=name, category=category, price=Decimal(1)
        )
        for tenant, name, category in (
            (malang, "Keripik Malang", "makanan"),
            (malang, "Batik Malang", "busana"),
            (semarang, "Lumpia Semarang", "makanan"),
        )
    ]

    def names(query):
        page = client.get(reverse("portal:showcase") + query).content.decode()
        return {p.name for p in made if p.name in page}

    assert names("?provinsi=35") == {"Keripik Malang", "Batik Malang"}
    assert names("?kategori=makanan") == {"Keripik Malang", "Lumpia Semarang"}
    assert names("?provinsi=33&kategori=makanan") == {"Lumpia Semarang"}
    assert names("?provinsi=33&kategori=busana") == set()


def test_a_mentors_kind_and_expertise_are_saved_shown_and_they_are_assigned_to_a_tenant(world, client):
    manager = world.user("pengelola_malang")
    tenant = make_tenant(make_incubator(world.malang), "Rina")
    account = UserFactory(role=Role.MENTOR, scope_center=world.malang, full_name="Dr. Ani Wulandari")
    mentor = services.mentor_create(
        actor=manager,
        user_id=account.pk,
        organisation="Universitas Brawijaya",
        kind="perguruan_tinggi",
        expertise="Pengemasan pangan",
    )
    business = services.mentor_create(
        actor=manager,
        user_id=world.user("mentor_malang").pk,
        organisation="CV Maju Jaya",
        kind="dunia_usaha",
        expertise="Pemasaran daring",
    )
    assert (mentor.kind, mentor.expertise, business.kind) == ("perguruan_tinggi", "Pengemasan pangan", "dunia_usaha")
    services.tenant_mentors_set(actor=manager, tenant_id=tenant.pk, mentor_ids=[mentor.pk, business.pk])
    assert set(tenant.mentors.all()) == {mentor, business}
    client.force_login(manager)
    listing = client.get(reverse("incubation:mentors")).content.decode()
    assert "Universitas Brawijaya (Perguruan tinggi)" in listing
    assert "CV Maju Jaya (Dunia usaha)" in listing
    assert "Pengemasan pangan" in listing
    page = client.get(reverse("incubation:tenant", args=[tenant.pk])).content.decode()
    assert "Dr. Ani Wulandari (Universitas Brawijaya, perguruan tinggi; Pengemasan pangan)" in page
    assert "(CV Maju Jaya, dunia usaha; Pemasaran daring)" in page


def test_a_mentor_of_no_known_kind_is_refused_and_nothing_is_saved(world):
    with pytest.raises(ValidationError) as error:
        services.mentor_create(
            actor=world.user("pengelola_malang"),
            user_id=world.user("mentor_malang").pk,
            organisation="IPB University",
            kind="pemerintah",
            expertise="Pembukuan",
        )
    assert error.value.message_dict["kind"] == ["Pilih asal mentor."]
    assert not Mentor.objects.exists()


def test_a_mentor_outside_the_managers_view_cannot_be_assigned(world):
    manager = world.user("pengelola_malang")
    tenant = make_tenant(make_incubator(world.malang), "Rina")
    elsewhere = Mentor.objects.create(
        user=UserFactory(role=Role.MENTOR, scope_center=world.semarang),
        organisation="Undip",
        kind="perguruan_tinggi",
        expertise="Produksi",
    )
    with pytest.raises(ValidationError, match="Ada mentor yang tidak dikenal"):
        services.tenant_mentors_set(actor=manager, tenant_id=tenant.pk, mentor_ids=[elsewhere.pk])
    assert not tenant.mentors.exists()


def _strict_and_lenient_round(world, reviewers, *, normalise):
    """Four candidates, one reviewer each: the strict reviewer gives 2 and 1, the lenient one 5 and 4.

    Returns the round and {centre name: (reviewer, the score given)}.
    """
    admin = world.user("admin")
    rnd = build_round(world, reviewers=reviewers, per_candidate=1, open_it=False)
    if normalise:
        selection_services.round_update(actor=admin, round_id=rnd.pk, normalise=True)
    reviewing.round_open(actor=admin, round_id=rnd.pk)
    rnd.refresh_from_db()
    given = {}
    for reviewer, values in zip(reviewers, ((2, 1), (5, 4)), strict=True):
        mine = Assignment.objects.filter(candidate__round=rnd, reviewer=reviewer).select_related("candidate__center")
        mine = list(mine.order_by("candidate__center__name"))
        assert len(mine) == 2
        for assignment, value in zip(mine, values, strict=True):
            reviewing.score_save(actor=reviewer, assignment_id=assignment.pk, scores=full_scores(rnd, value))
            reviewing.assignment_submit(actor=reviewer, assignment_id=assignment.pk)
            given[assignment.candidate.center.name] = (reviewer, value)
    return rnd, given


def _ranking(world, rnd):
    rows = selection_selectors.round_ranking(actor=world.user("admin"), rnd=rnd)
    return [(r.rank, r.candidate.center.name, r.total, [str(line) for line in r.lines]) for r in rows]


def test_normalisation_switched_on_makes_a_strict_and_a_lenient_reviewer_weigh_the_same(world):
    CenterFactory(name="BLK Komunitas Nurul Huda Batu", regency_id="35.79", development_class=DevelopmentClass.MANDIRI)
    reviewers = make_reviewers()[:2]
    plain, given = _strict_and_lenient_round(world, reviewers, normalise=False)
    fair, _same = _strict_and_lenient_round(world, reviewers, normalise=True)
    assert fair.normalise
    assert not plain.normalise
    by_score = {value: name for name, (_reviewer, value) in given.items()}
    strict_best, strict_worst, lenient_best, lenient_worst = by_score[2], by_score[1], by_score[5], by_score[4]

    raw = _ranking(world, plain)
    # Without normalisation the lenient reviewer's two candidates take the top two places.
    assert [name for _rank, name, _total, _lines in raw] == [lenient_best, lenient_worst, strict_best, strict_worst]
    normalised = _ranking(world, fair)
    totals = {name: total for _rank, name, total, _lines in normalised}
    assert totals[strict_best] == totals[lenient_best] > totals[strict_worst] == totals[lenient_worst]
    # Each reviewer's better candidate now shares the top two places.
    assert {name for _rank, name, _total, _lines in normalised[:2]} == {strict_best, lenient_best}
    # The same scores always give the same ranking and the same explanation.
    assert _ranking(world, fair) == normalised
    again, _given = _strict_and_lenient_round(world, reviewers, normalise=True)
    assert [row[1:] for row in _ranking(world, again)] == [row[1:] for row in normalised]


# --- 4. jobs per training package, per region and nationally ----------------------------------------------------


def test_the_national_and_region_pages_attribute_jobs_to_the_package_the_founder_came_from(
    world,
    programme,  # noqa: F811
):
    national = jobs_selectors.jobs_area(actor=world.user("admin"))
    assert [(p.name, p.center, p.tenants, p.paid, p.workers) for p in national.packages] == [
        ("Operator Komputer Angkatan 3", world.kota_malang.name, 2, 5, 7),
        ("Menjahit Angkatan 1", world.malang.name, 1, 3, 4),
    ]
    assert national.package_count == 2
    regency = jobs_selectors.jobs_area(actor=world.user("pemda_malang"), regency="35.07")
    rows = {p.name: (p.tenants, p.workers, p.visible) for p in regency.packages}
    # Rina trained at Kota Malang: her jobs count for that package, which the Malang official may not open.
    assert rows == {"Menjahit Angkatan 1": (1, 4, True), "Operator Komputer Angkatan 3": (1, 3, False)}


def test_the_area_page_lists_the_packages_with_links_the_reader_may_open(world, programme, client):  # noqa: F811
    sewing, computers = programme["packages"]
    client.force_login(world.user("pemda_malang"))
    page = client.get(reverse("incubation:jobs-regency", args=["35.07"])).content.decode()
    section = page.split('id="by-package"')[1]
    assert reverse("training:package", args=[sewing.pk]) in section
    assert "Operator Komputer Angkatan 3" in section
    assert reverse("training:package", args=[computers.pk]) not in section


@pytest.mark.parametrize("url", ["jobs", "jobs-province"], ids=["national", "province"])
def test_the_package_breakdown_costs_the_same_queries_for_more_centres(world, programme, client, url):  # noqa: F811
    address = reverse(f"incubation:{url}", args=["35"] if url == "jobs-province" else [])
    client.force_login(world.user("fkn_national"))
    before = _queries(client, address)
    _grow(world, extra_incubators=5, tenants_each=2)
    # More centres and a new package: the same number of queries.
    assert _queries(client, address) == before
    area = jobs_selectors.jobs_area(actor=world.user("fkn_national"), province="35" if url != "jobs" else "")
    assert "Tata Boga Angkatan 9" in {p.name for p in area.packages}
