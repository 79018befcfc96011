"""Training records: packages from enrolment to results, people deduplicated by NIK, certificates, tracing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from simpul.core.models import AuditAction, AuditEvent
from simpul.regions.models import District
from simpul.training.models import (
    Attendance,
    CompetencyTest,
    Consent,
    Enrolment,
    Outcome,
    OutcomeSource,
    PackageStatus,
    Person,
    TracerInvitation,
)
from simpul.training.selectors.certification import certificates_expiring
from simpul.training.selectors.people import PersonFilters, person_enrolments, person_list
from simpul.training.selectors.tracing import tracing_summary, tracing_worklist
from simpul.training.services import certification, packages, people, tracing

from .factories import PackageFactory, PersonFactory, make_nik

TODAY = timezone.localdate()
BIRTH = dt.date(2001, 3, 9)


def person_data(serial=1, **changes):
    data = {
        "nik": make_nik(BIRTH, female=True, serial=serial),
        "full_name": "Siti Aminah",
        "sex": "P",
        "birth_date": BIRTH,
        "education": "sma",
        "disability": "tidak_ada",
        "phone": "081234567890",
    }
    return {**data, **changes}


@pytest.fixture
def package(world):
    return PackageFactory(
        center=world.malang,
        start_date=TODAY - dt.timedelta(days=60),
        end_date=TODAY - dt.timedelta(days=1),
        status=PackageStatus.PLANNED,
    )


def enrol(world, package, serial=1, user="pengelola_malang", **changes):
    return packages.enrolment_create(
        actor=world.user(user),
        package_id=package.pk,
        person=person_data(serial, full_name=changes.pop("full_name", f"Peserta {serial}"), **changes),
        consent_given_on=TODAY,
    )


def test_enrolling_registers_the_person_with_their_consent(world, package):
    result = enrol(world, package)
    assert result.existing_person is False
    person = Person.objects.get()
    assert person.nik == make_nik(BIRTH, female=True, serial=1)
    assert person.phone.as_e164 == "+6281234567890"
    consent = Consent.objects.get(person=person)
    assert (consent.given_on, consent.recorded_by, consent.center) == (
        TODAY,
        world.user("pengelola_malang"),
        world.malang,
    )
    assert person.history.first().history_user == world.user("pengelola_malang")


def test_the_same_nik_at_another_centre_is_the_same_person(world, package):
    enrol(world, package, full_name="Siti Aminah")
    other = PackageFactory(center=world.semarang, start_date=TODAY, end_date=TODAY + dt.timedelta(days=30))
    result = packages.enrolment_create(
        actor=world.user("admin"),
        package_id=other.pk,
        person=person_data(1, full_name="  siti   aminah "),
        consent_given_on=TODAY,
    )
    assert result.existing_person is True
    assert Person.objects.count() == 1
    assert Enrolment.objects.filter(person__nik=make_nik(BIRTH, female=True, serial=1)).count() == 2


def test_a_nik_registered_under_another_name_is_refused_not_merged(world, package):
    enrol(world, package, full_name="Siti Aminah")
    other = PackageFactory(center=world.malang, start_date=TODAY, end_date=TODAY + dt.timedelta(days=30))
    with pytest.raises(ValidationError) as error:
        packages.enrolment_create(
            actor=world.user("pengelola_malang"),
            package_id=other.pk,
            person=person_data(1, full_name="Dewi Lestari"),
            consent_given_on=TODAY,
        )
    assert "nik" in error.value.message_dict
    assert make_nik(BIRTH, female=True, serial=1) not in str(error.value)
    assert Enrolment.objects.count() == 1
    assert Person.objects.get().full_name == "Siti Aminah"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"nik": "35070109030"}, "nik"),
        ({"nik": "3507014903010000"}, "nik"),
        ({"birth_date": dt.date(2001, 3, 10)}, "birth_date"),
        ({"sex": "L"}, "sex"),
    ],
    ids=["short", "serial 0000", "birth date differs", "sex differs"],
)
def test_bad_person_data_is_refused_and_changes_nothing(world, package, changes, field):
    with pytest.raises(ValidationError) as error:
        packages.enrolment_create(
            actor=world.user("pengelola_malang"),
            package_id=package.pk,
            person=person_data(**changes),
            consent_given_on=TODAY,
        )
    assert field in error.value.message_dict
    assert (Person.objects.count(), Enrolment.objects.count(), Consent.objects.count()) == (0, 0, 0)


def test_an_unknown_district_prefix_is_a_warning_not_a_refusal(world, package):
    result = packages.enrolment_create(
        actor=world.user("pengelola_malang"),
        package_id=package.pk,
        person=person_data(nik=make_nik(BIRTH, female=True, district="359901")),
        consent_given_on=TODAY,
    )
    assert Enrolment.objects.count() == 1
    assert any("35.99.01" in warning for warning in result.warnings)


def test_enrolling_the_same_person_twice_in_a_package_is_refused(world, package):
    enrol(world, package)
    with pytest.raises(ValidationError, match="sudah terdaftar di paket ini"):
        enrol(world, package)
    assert Enrolment.objects.count() == 1


def test_a_17th_participant_needs_a_written_reason(world, package):
    for serial in range(1, 17):
        enrol(world, package, serial)
    with pytest.raises(ValidationError) as error:
        enrol(world, package, 17)
    assert "over_capacity_reason" in error.value.message_dict
    assert Enrolment.objects.count() == 16
    result = packages.enrolment_create(
        actor=world.user("pengelola_malang"),
        package_id=package.pk,
        person=person_data(17, full_name="Peserta 17"),
        consent_given_on=TODAY,
        over_capacity_reason="Pengganti peserta yang sakit",
    )
    assert result.enrolment.over_capacity_reason == "Pengganti peserta yang sakit"


def test_consent_is_required(world, package):
    with pytest.raises(ValidationError) as error:
        packages.enrolment_create(
            actor=world.user("pengelola_malang"), package_id=package.pk, person=person_data(), consent_given_on=None
        )
    assert "consent_given_on" in error.value.message_dict
    assert Person.objects.count() == 0


def run_to_results(world, package, n=3, user="instruktur_malang"):
    enrolments = [enrol(world, package, serial, user=user).enrolment for serial in range(1, n + 1)]
    packages.package_start(actor=world.user(user), package_id=package.pk)
    packages.attendance_record(
        actor=world.user(user), package_id=package.pk, day=package.start_date, present=[e.pk for e in enrolments[:2]]
    )
    results = {e.pk: ("lulus", f"SP-{e.pk}") for e in enrolments[:-1]} | {enrolments[-1].pk: ("tidak_lulus", "")}
    packages.results_record(actor=world.user(user), package_id=package.pk, results=results)
    packages.package_finish(actor=world.user(user), package_id=package.pk)
    return enrolments


def test_an_instructor_runs_a_package_from_enrolment_to_results(world, package):
    enrolments = run_to_results(world, package)
    package.refresh_from_db()
    assert package.status == PackageStatus.FINISHED
    assert Attendance.objects.filter(present=True).count() == 2
    assert Attendance.objects.filter(present=False).count() == 1
    first = Enrolment.objects.get(pk=enrolments[0].pk)
    assert (first.result, first.graduated_on, first.certificate_number) == ("lulus", package.end_date, f"SP-{first.pk}")
    assert Enrolment.objects.get(pk=enrolments[-1].pk).graduated_on is None


def test_attendance_outside_the_package_dates_is_refused(world, package):
    enrolment = enrol(world, package).enrolment
    packages.package_start(actor=world.user("pengelola_malang"), package_id=package.pk)
    for day in (package.start_date - dt.timedelta(days=1), package.end_date + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            packages.attendance_record(
                actor=world.user("pengelola_malang"), package_id=package.pk, day=day, present=[enrolment.pk]
            )
        assert "day" in error.value.message_dict
    assert Attendance.objects.count() == 0


def test_a_package_cannot_finish_while_results_are_missing(world, package):
    enrol(world, package)
    packages.package_start(actor=world.user("pengelola_malang"), package_id=package.pk)
    with pytest.raises(ValidationError, match="belum punya hasil"):
        packages.package_finish(actor=world.user("pengelola_malang"), package_id=package.pk)
    package.refresh_from_db()
    assert package.status == PackageStatus.RUNNING


def test_training_certificate_numbers_are_unique_within_a_package_and_only_for_graduates(world, package):
    a, b = enrol(world, package, 1).enrolment, enrol(world, package, 2).enrolment
    packages.package_start(actor=world.user("pengelola_malang"), package_id=package.pk)
    with pytest.raises(ValidationError) as error:
        packages.results_record(
            actor=world.user("pengelola_malang"),
            package_id=package.pk,
            results={a.pk: ("lulus", "X1"), b.pk: ("lulus", "X1")},
        )
    assert f"certificate_{b.pk}" in error.value.message_dict
    with pytest.raises(ValidationError):
        packages.results_record(
            actor=world.user("pengelola_malang"), package_id=package.pk, results={a.pk: ("tidak_lulus", "X2")}
        )
    assert set(Enrolment.objects.values_list("result", flat=True)) == {""}


def test_officials_and_other_centres_cannot_run_the_package(world, package):
    for user in ("pemda_malang", "fkn_jatim", "mentor_malang", "wirausaha_malang"):
        with pytest.raises(Http404):
            enrol(world, package, user=user)
    other = PackageFactory(center=world.semarang, start_date=TODAY, end_date=TODAY + dt.timedelta(days=9))
    with pytest.raises(Http404):
        enrol(world, other, user="pengelola_malang")
    assert Enrolment.objects.count() == 0


def graduate(world, package):
    return run_to_results(world, package, n=2)[0]


def test_a_competency_certificate_is_valid_three_years_and_listed_before_it_expires(world, package):
    enrolment = graduate(world, package)
    issued = TODAY - dt.timedelta(days=3 * 365 - 30)
    test = certification.competency_test_record(
        actor=world.user("pengelola_malang"),
        enrolment_id=enrolment.pk,
        lsp="LSP P1 BLK Malang",
        scheme="Operator Komputer Muda",
        tested_on=issued,
        result="kompeten",
        certificate_number="bnsp-001",
        issued_on=issued,
    )
    assert test.valid_until == issued.replace(year=issued.year + 3)
    assert test.certificate_number == "BNSP-001"
    assert list(certificates_expiring(actor=world.user("pengelola_malang"))) == [test]
    assert list(certificates_expiring(actor=world.user("pengelola_malang"), within_days=10)) == []


def test_a_certificate_expiring_before_it_was_issued_is_refused(world, package):
    enrolment = graduate(world, package)
    with pytest.raises(ValidationError) as error:
        certification.competency_test_record(
            actor=world.user("pengelola_malang"),
            enrolment_id=enrolment.pk,
            lsp="LSP",
            scheme="Skema",
            tested_on=TODAY - dt.timedelta(days=5),
            result="kompeten",
            certificate_number="B-2",
            issued_on=TODAY - dt.timedelta(days=4),
            valid_until=TODAY - dt.timedelta(days=6),
        )
    assert "valid_until" in error.value.message_dict
    assert CompetencyTest.objects.count() == 0


def test_a_bnsp_number_is_recorded_once(world, package):
    first, second = run_to_results(world, package, n=3)[:2]
    fields = {"lsp": "LSP", "scheme": "Skema", "tested_on": TODAY, "result": "kompeten", "issued_on": TODAY}
    certification.competency_test_record(
        actor=world.user("admin"), enrolment_id=first.pk, certificate_number="B-1", **fields
    )
    with pytest.raises(ValidationError):
        certification.competency_test_record(
            actor=world.user("admin"), enrolment_id=second.pk, certificate_number="B-1", **fields
        )
    assert CompetencyTest.objects.count() == 1


def test_the_personal_data_view_is_audited_and_lists_show_the_nik_masked(world, package, client):
    enrolment = enrol(world, package).enrolment
    manager = world.user("pengelola_malang")
    client.force_login(manager)
    nik = enrolment.person.nik
    listing = client.get("/peserta/").content.decode()
    assert nik not in listing
    assert enrolment.person.masked_nik in listing
    assert nik not in client.get(f"/peserta/{enrolment.person_id}/").content.decode()
    revealed = client.post(f"/peserta/{enrolment.person_id}/data-pribadi/")
    assert nik in revealed.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.PERSONAL_DATA_VIEWED)
    assert (event.actor, event.target_id) == (manager, str(enrolment.person_id))
    assert nik not in str(event.detail) + event.target_repr


def test_only_the_manager_and_admin_may_see_personal_data_whole(world, package, client):
    person = enrol(world, package).enrolment.person
    for user in ("instruktur_malang", "pemda_malang", "fkn_national"):
        client.force_login(world.user(user))
        assert client.get(f"/peserta/{person.pk}/").status_code == 200
        assert client.post(f"/peserta/{person.pk}/data-pribadi/").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_VIEWED).exists()


def _edit_form_data(person, **changes):
    data = {
        "nik": person.nik,
        "full_name": person.full_name,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "education": person.education,
        "disability": person.disability,
        "phone": "",
        "email": "",
        "address": "",
    }
    return {**data, **changes}


def _views_of(person):
    return AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_VIEWED, target_id=str(person.pk))


@pytest.mark.parametrize("user", ["pengelola_malang", "admin"])
def test_opening_the_person_edit_page_is_an_audited_view_of_the_whole_nik(world, package, client, user):
    person = enrol(world, package).enrolment.person
    client.force_login(world.user(user))
    response = client.get(f"/peserta/{person.pk}/ubah/")
    assert response.status_code == 200
    assert person.nik in response.content.decode()
    event = _views_of(person).get()
    assert event.actor == world.user(user)


def test_a_refused_person_edit_shows_the_form_again_and_is_audited_once(world, package, client):
    person = enrol(world, package).enrolment.person
    client.force_login(world.user("pengelola_malang"))
    wrong_birth = _edit_form_data(person, birth_date=(BIRTH + dt.timedelta(days=1)).isoformat())
    response = client.post(f"/peserta/{person.pk}/ubah/", wrong_birth)
    assert response.status_code == 200
    assert person.nik in response.content.decode()
    assert _views_of(person).count() == 1
    person.refresh_from_db()
    assert person.birth_date == BIRTH


def test_a_saved_person_edit_redirects_without_showing_the_nik_again(world, package, client):
    person = enrol(world, package).enrolment.person
    client.force_login(world.user("pengelola_malang"))
    response = client.post(f"/peserta/{person.pk}/ubah/", _edit_form_data(person, full_name="Siti Aminah"))
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).full_name == "Siti Aminah"
    assert not _views_of(person).exists()


@pytest.mark.parametrize(
    "user", ["instruktur_malang", "pemda_malang", "pemda_jatim", "fkn_jatim", "fkn_national", "mentor_malang"]
)
def test_roles_that_may_not_edit_a_person_get_404_and_no_audited_view(world, package, client, user):
    person = enrol(world, package).enrolment.person
    client.force_login(world.user(user))
    assert client.get(f"/peserta/{person.pk}/ubah/").status_code == 404
    assert client.post(f"/peserta/{person.pk}/ubah/", _edit_form_data(person, full_name="X")).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_VIEWED).exists()
    assert Person.objects.get(pk=person.pk).full_name == person.full_name


@pytest.mark.parametrize(
    ("address", "field", "message"),
    [
        ({"province_id": "33", "regency_id": "35.07"}, "regency", "tidak berada di provinsi"),
        ({"province_id": "35", "regency_id": "35.73", "district_id": "35.07"}, "district", "tidak berada di kabupaten"),
    ],
    ids=["regency outside the province", "district outside the regency"],
)
def test_an_address_whose_regions_do_not_nest_is_refused_and_changes_nothing(world, package, address, field, message):
    person = enrol(world, package).enrolment.person
    if "district_id" in address:  # a real district of Kabupaten Malang, paired with Kota Malang
        address["district_id"] = District.objects.filter(regency_id=address["district_id"]).values_list(
            "pk", flat=True
        )[0]
    with pytest.raises(ValidationError) as error:
        people.person_update(actor=world.user("pengelola_malang"), person_id=person.pk, **address)
    assert message in " ".join(error.value.message_dict[field])
    person.refresh_from_db()
    assert (person.province_id, person.regency_id, person.district_id) == (None, None, None)


def test_an_enrolment_with_a_regency_outside_the_province_saves_no_one(world, package):
    with pytest.raises(ValidationError) as error:
        enrol(world, package, province_id="33", regency_id="35.07")
    assert "regency" in error.value.message_dict
    assert (Person.objects.count(), Enrolment.objects.count(), Consent.objects.count()) == (0, 0, 0)


def test_officials_see_a_persons_history_across_centres_and_a_manager_only_their_own(world, package):
    enrol(world, package, full_name="Siti Aminah")
    other = PackageFactory(center=world.semarang, start_date=TODAY, end_date=TODAY + dt.timedelta(days=30))
    packages.enrolment_create(
        actor=world.user("admin"),
        package_id=other.pk,
        person=person_data(1, full_name="Siti Aminah"),
        consent_given_on=TODAY,
    )
    person = Person.objects.get()
    assert person_enrolments(actor=world.user("pemda_malang"), person=person).count() == 2
    assert person_enrolments(actor=world.user("pengelola_malang"), person=person).count() == 1
    assert list(person_list(actor=world.user("pemda_jatim"))) == [person]
    assert person_list(actor=world.user("mentor_malang")).count() == 0


def test_the_name_search_finds_a_part_of_a_name_in_any_case_within_scope_in_name_order(world, package):
    for serial, name in enumerate(("Nur Siti Aisyah", "Budi Santoso", "SITI AMINAH", "Ahmad Sitiadi"), start=1):
        enrol(world, package, serial, full_name=name)
    elsewhere = PackageFactory(center=world.semarang, start_date=TODAY, end_date=TODAY + dt.timedelta(days=30))
    packages.enrolment_create(
        actor=world.user("admin"),
        package_id=elsewhere.pk,
        person=person_data(9, full_name="Siti Rahma"),
        consent_given_on=TODAY,
    )

    def found(user: str, q: str) -> list[str]:
        return [p.full_name for p in person_list(actor=world.user(user), filters=PersonFilters(q=q))]

    # Either path of the search (the trigram index from three letters on PostgreSQL, the name order below).
    assert found("pemda_jatim", "  siti ") == ["Ahmad Sitiadi", "Nur Siti Aisyah", "SITI AMINAH"]
    assert found("admin", "siti") == ["Ahmad Sitiadi", "Nur Siti Aisyah", "SITI AMINAH", "Siti Rahma"]
    assert found("pemda_jatim", "a") == ["Ahmad Sitiadi", "Budi Santoso", "Nur Siti Aisyah", "SITI AMINAH"]
    assert found("pemda_jatim", "rahma") == []  # in Central Java, outside the official's province


def test_the_people_page_asks_for_three_letters_of_a_name(world, package, client):
    enrol(world, package, 1, full_name="Siti Aminah")
    enrol(world, package, 2, full_name="Budi Santoso")
    client.force_login(world.user("pemda_jatim"))
    page = client.get("/peserta/", {"q": "si"}).content.decode()
    assert "Ketik paling sedikit 3 huruf dari nama." in page
    page = client.get("/peserta/", {"q": " SIT "}).content.decode()
    assert "Siti Aminah" in page
    assert "Budi Santoso" not in page
    assert "Ketik paling sedikit" not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a trigram (GIN) index exists on PostgreSQL only")
def test_the_participant_names_have_a_trigram_index_on_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'training_person_name_trgm'")
        (definition,) = cursor.fetchone()
    assert "USING gin" in definition
    assert "gin_trgm_ops" in definition
    assert "upper" in definition


def test_finding_a_person_by_nik_is_a_post_and_stays_in_scope(world, package, client):
    person = enrol(world, package).enrolment.person
    client.force_login(world.user("pemda_malang"))
    response = client.post("/peserta/cari-nik/", {"nik": person.nik})
    assert response.status_code == 302
    assert response.url == f"/peserta/{person.pk}/"
    assert person.nik not in response.url
    assert client.get("/peserta/cari-nik/", {"nik": person.nik}).status_code == 405
    other = PersonFactory()
    response = client.post("/peserta/cari-nik/", {"nik": other.nik}, follow=True)
    assert "Tidak ada peserta" in response.content.decode()


# --- Tracing --------------------------------------------------------------


def _graduated(world, *, started: int, ended: int):
    """Three people of a Malang package that ran from `started` to `ended` months ago, with their results."""
    package = PackageFactory(
        center=world.malang,
        start_date=tracing.add_months(TODAY, -started),
        end_date=tracing.add_months(TODAY, -ended),
        status=PackageStatus.PLANNED,
    )
    return run_to_results(world, package, n=3, user="pengelola_malang")


@pytest.fixture
def graduated_7_months_ago(world):
    return _graduated(world, started=9, ended=7)


def test_the_worklist_asks_for_the_current_wave_only(world, graduated_7_months_ago):
    due = tracing_worklist(actor=world.user("pengelola_malang"))
    assert {(item.enrolment.pk, item.wave) for item in due} == {(e.pk, 6) for e in graduated_7_months_ago[:2]}
    assert tracing_worklist(actor=world.user("pengelola_malang"), center_id=world.semarang.pk) == []
    assert tracing_worklist(actor=world.user("mentor_malang")) == []


def test_an_outcome_takes_the_graduate_off_the_worklist_and_gives_the_waiting_time(world, graduated_7_months_ago):
    first = graduated_7_months_ago[0]
    started = first.package.end_date + dt.timedelta(days=15)
    tracing.outcome_record(
        actor=world.user("pengelola_malang"),
        enrolment_id=first.pk,
        wave=6,
        status="bekerja",
        employer="CV Maju Jaya",
        occupation="Operator komputer",
        occupation_code="4132",
        formality="formal",
        wage_band="2-3",
        started_on=started,
    )
    due = tracing_worklist(actor=world.user("pengelola_malang"))
    assert first.pk not in {item.enrolment.pk for item in due}
    summary = tracing_summary(actor=world.user("pengelola_malang"))
    assert (summary.graduates, summary.traced, summary.working, summary.median_waiting_weeks) == (2, 1, 1, 2)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        (
            {
                "status": "bekerja",
                "employer": "CV",
                "occupation": "x",
                "occupation_code": "9999",
                "formality": "formal",
                "wage_band": "lt1",
            },
            "occupation_code",
        ),
        (
            {
                "status": "bekerja",
                "employer": "CV",
                "occupation": "x",
                "occupation_code": "41",
                "formality": "formal",
                "wage_band": "lt1",
            },
            "occupation_code",
        ),
        ({"status": "wirausaha", "business_name": "Kopi Kita"}, "business_sector"),
    ],
    ids=["unknown KBJI group", "short KBJI code", "business without sector"],
)
def test_incomplete_outcomes_are_refused(world, graduated_7_months_ago, fields, field):
    with pytest.raises(ValidationError) as error:
        tracing.outcome_record(
            actor=world.user("pengelola_malang"),
            enrolment_id=graduated_7_months_ago[0].pk,
            wave=6,
            started_on=TODAY,
            **fields,
        )
    assert field in error.value.message_dict
    assert Outcome.objects.count() == 0


def test_a_wave_that_is_not_due_yet_cannot_be_recorded(world, graduated_7_months_ago):
    with pytest.raises(ValidationError) as error:
        tracing.outcome_record(
            actor=world.user("pengelola_malang"), enrolment_id=graduated_7_months_ago[0].pk, wave=12, status="studi"
        )
    assert "wave" in error.value.message_dict


def test_a_graduate_answers_once_through_their_personal_link(world, graduated_7_months_ago, client):
    first = graduated_7_months_ago[0]
    link = tracing.tracer_invitation_create(actor=world.user("pengelola_malang"), enrolment_id=first.pk, wave=6)
    url = f"/kabar-alumni/{link.token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert first.person.full_name in page.content.decode()
    assert first.person.nik not in page.content.decode()
    answer = {
        "status": "wirausaha",
        "business_name": "Jahit Bu Siti",
        "business_sector": "C",
        "started_on": TODAY.isoformat(),
    }
    response = client.post(url, answer)
    assert response.status_code == 200
    outcome = Outcome.objects.get(enrolment=first, wave=6)
    assert (outcome.source, outcome.business_name, outcome.recorded_by) == (OutcomeSource.SELF, "Jahit Bu Siti", None)
    again = client.post(url, answer)
    assert again.status_code == 410
    assert Outcome.objects.count() == 1


def test_an_expired_or_tampered_link_changes_nothing(world, graduated_7_months_ago, client):
    first = graduated_7_months_ago[0]
    link = tracing.tracer_invitation_create(actor=world.user("pengelola_malang"), enrolment_id=first.pk, wave=6)
    TracerInvitation.objects.filter(pk=link.invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    answer = {"status": "studi"}
    assert client.post(f"/kabar-alumni/{link.token}/", answer).status_code == 410
    forged = signing.dumps({"i": link.invitation.pk, "n": "0" * 32}, salt=tracing.TOKEN_SALT, compress=True)
    assert client.post(f"/kabar-alumni/{forged}/", answer).status_code == 410
    assert client.post(f"/kabar-alumni/{link.token[:-2]}xx/", answer).status_code == 410
    assert Outcome.objects.count() == 0


def test_a_link_needs_a_graduate(world, package):
    enrolment = enrol(world, package).enrolment
    with pytest.raises(ValidationError):
        tracing.tracer_invitation_create(actor=world.user("pengelola_malang"), enrolment_id=enrolment.pk, wave=3)
    assert TracerInvitation.objects.count() == 0


def test_a_not_yet_working_outcome_counts_as_traced_but_gives_no_waiting_time(world, graduated_7_months_ago):
    first = graduated_7_months_ago[0]
    outcome = tracing.outcome_record(
        actor=world.user("pengelola_malang"), enrolment_id=first.pk, wave=6, status="belum_bekerja"
    )
    assert (outcome.status, outcome.started_on, outcome.employer) == ("belum_bekerja", None, "")
    due = tracing_worklist(actor=world.user("pengelola_malang"))
    assert {(item.enrolment.pk, item.wave) for item in due} == {(graduated_7_months_ago[1].pk, 6)}
    summary = tracing_summary(actor=world.user("pengelola_malang"))
    assert (summary.graduates, summary.traced, summary.working, summary.median_waiting_weeks) == (2, 1, 0, None)


@pytest.fixture
def graduated_13_months_ago(world):
    return _graduated(world, started=14, ended=13)


def test_the_12_month_wave_is_asked_and_its_job_gives_the_waiting_time(world, graduated_13_months_ago):
    first, second = graduated_13_months_ago[:2]
    manager = world.user("pengelola_malang")
    due = tracing_worklist(actor=manager)
    assert {(item.enrolment.pk, item.wave) for item in due} == {(first.pk, 12), (second.pk, 12)}
    tracing.outcome_record(actor=manager, enrolment_id=first.pk, wave=6, status="belum_bekerja")
    assert {item.enrolment.pk for item in tracing_worklist(actor=manager)} == {first.pk, second.pk}
    graduated = Enrolment.objects.get(pk=first.pk).graduated_on
    tracing.outcome_record(
        actor=manager,
        enrolment_id=first.pk,
        wave=12,
        status="wirausaha",
        business_name="Jahit Bu Siti",
        business_sector="C",
        started_on=graduated + dt.timedelta(weeks=20, days=3),
    )
    assert [(item.enrolment.pk, item.wave) for item in tracing_worklist(actor=manager)] == [(second.pk, 12)]
    summary = tracing_summary(actor=manager)
    assert (summary.graduates, summary.traced, summary.working, summary.median_waiting_weeks) == (2, 1, 1, 20)
