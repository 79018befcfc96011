"""Participants from Excel: the template, the checks, the two ways of saving, and who may do it."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from simpul.accounts.models import Role
from simpul.core.models import AuditAction, AuditEvent
from simpul.core.xlsx import CellError, ExcelImportError
from simpul.training.models import (
    Consent,
    Enrolment,
    EnrolmentSource,
    ImportMode,
    PackageStatus,
    ParticipantImport,
    Person,
    PersonArea,
)
from simpul.training.selectors.people import person_list
from simpul.training.services import importing
from simpul.training.services.import_sheet import COLUMNS

from .conftest import VISIBLE_CENTERS
from .factories import PackageFactory, PersonFactory, UserFactory, make_nik

TODAY = timezone.localdate()
BIRTH = dt.date(2001, 3, 9)
CODES = [column.code for column in COLUMNS]
ALL, VALID = ImportMode.ALL_OR_NOTHING, ImportMode.VALID_ROWS


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def package(world):
    return PackageFactory(center=world.malang, status=PackageStatus.PLANNED, capacity=16)


def row(serial: int = 1, *, female: bool = False, birth: dt.date = BIRTH, **changes: Any) -> dict[str, Any]:
    """One participant as a centre types them into the template."""
    data = {
        "nik": make_nik(birth, female=female, serial=serial),
        "nama": f"Peserta Impor {serial}",
        "jenis_kelamin": "P" if female else "L",
        "tanggal_lahir": birth,
        "pendidikan": "SMA/SMK/sederajat",
        "disabilitas": "Tidak ada",
        "alamat": "Jl. Mawar 1, RT 01/RW 02",
        "kode_kecamatan": "35.07.01",
        "nomor_hp": "0812 3456 7890",
        "surel": "",
        "tanggal_persetujuan": TODAY - dt.timedelta(days=1),
    }
    return {**data, **changes}


def filled(package, rows: list[dict[str, Any]], *, edit=None) -> bytes:
    """The package's real template with these rows typed in from row 3."""
    admin = UserFactory(role=Role.ADMIN_PUSAT)
    workbook = load_workbook(io.BytesIO(importing.participant_template(actor=admin, package_id=package.pk)))
    sheet = workbook["Peserta"]
    for number, values in enumerate(rows, start=3):
        for column, code in enumerate(CODES, start=1):
            sheet.cell(row=number, column=column, value=values.get(code))
    if edit:
        edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "peserta.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def run(world, package, content, mode=ALL, user="pengelola_malang", reason="", name="peserta.xlsx"):
    return importing.participant_import(
        actor=world.user(user),
        package_id=package.pk,
        upload=upload(content, name),
        mode=mode,
        over_capacity_reason=reason,
    )


def refused(world, package, content, mode=ALL, **kwargs) -> list[CellError]:
    with pytest.raises(ExcelImportError) as error:
        run(world, package, content, mode, **kwargs)
    return error.value.errors


def counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        Enrolment.objects.count(),
        Consent.objects.count(),
        ParticipantImport.objects.count(),
        AuditEvent.objects.filter(action=AuditAction.IMPORT).count(),
        PersonArea.objects.count(),
    )


def where(errors: list[CellError]) -> set[tuple[int | None, str | None]]:
    return {(error.row, error.column) for error in errors}


# --- the template -----------------------------------------------------------------------------


def test_the_template_has_labels_codes_lists_a_text_nik_column_and_names_its_package(world, package):
    content = importing.participant_template(actor=world.user("pengelola_malang"), package_id=package.pk)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Peserta"]
    assert [cell.value for cell in sheet[2]] == CODES
    assert sheet["A1"].value == "NIK"
    assert sheet["B1"].value == "Nama lengkap"
    assert sheet.column_dimensions["A"].number_format == "@"  # all 16 digits survive Excel
    validated = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    assert {"A3", "C3", "D3", "E3", "F3", "K3"} <= validated
    meta = workbook["_simpul"]
    assert meta.sheet_state == "hidden"
    assert (meta["A1"].value, meta["B1"].value) == ("paket", package.pk)


# --- a clean file -----------------------------------------------------------------------------


def test_a_valid_file_saves_every_row_with_consent_enrolment_and_history(world, package):
    rows = [
        row(1),
        row(2, female=True, tanggal_lahir="09/03/2001", tanggal_persetujuan=(TODAY - dt.timedelta(days=3)).isoformat()),
        row(3, nomor_hp=81234567891, kode_kecamatan="", pendidikan="s1", disabilitas=None),
    ]
    outcome = run(world, package, filled(package, rows), name="peserta-3507010903010001.xlsx")
    manager = world.user("pengelola_malang")
    assert (outcome.record.rows, outcome.record.saved, outcome.record.failed, outcome.errors) == (3, 3, 0, [])
    assert outcome.record.existing_people == 0
    assert not outcome.record.failed_file
    assert "3507010903010001" not in outcome.record.file_name  # a NIK in a file name is kept masked
    people = {p.nik: p for p in Person.objects.all()}
    first = people[make_nik(BIRTH, serial=1)]
    assert (first.full_name, first.sex, first.birth_date, first.education) == ("Peserta Impor 1", "L", BIRTH, "sma")
    assert (first.district_id, first.regency_id, first.province_id) == ("35.07.01", "35.07", "35")
    assert first.phone.as_e164 == "+6281234567890"
    second = people[make_nik(BIRTH, female=True, serial=2)]
    assert second.sex == "P"
    assert second.birth_date == BIRTH
    third = people[make_nik(BIRTH, serial=3)]
    assert (third.phone.as_e164, third.education, third.disability, third.district_id) == (
        "+6281234567891",
        "s1",
        "tidak_ada",
        None,
    )
    enrolments = Enrolment.objects.filter(package=package)
    assert enrolments.count() == 3
    assert {(e.source, e.enrolled_by, e.over_capacity_reason) for e in enrolments} == {
        (EnrolmentSource.IMPORT, manager, "")
    }
    assert Consent.objects.filter(center=world.malang, recorded_by=manager).count() == 3
    assert Consent.objects.get(person=second).given_on == TODAY - dt.timedelta(days=3)
    assert Person.history.filter(history_type="+", history_user=manager).count() == 3
    assert Enrolment.history.filter(history_type="+", history_user=manager).count() == 3
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.detail["saved"] == 3
    assert event.target_id == str(package.pk)
    assert not any(p.nik in str(event.detail) for p in people.values())


def test_a_file_of_ten_thousand_rows_the_limit_is_saved_whole_and_known_people_are_not_duplicated(world, package):
    """The largest file a centre may upload: 10,000 participants, a tenth of them already registered."""
    births = (BIRTH, dt.date(1999, 11, 23))
    people = [row(serial, birth=birth, female=serial % 2 == 0) for birth in births for serial in range(1, 5_001)]
    assert len(people) == 10_000
    for known in people[::10]:
        PersonFactory(
            nik=known["nik"],
            full_name=known["nama"],
            sex=known["jenis_kelamin"],
            birth_date=known["tanggal_lahir"],
        )
    outcome = run(world, package, filled(package, people), reason="Kelas besar daring")
    assert (outcome.record.rows, outcome.record.saved, outcome.record.failed, outcome.errors) == (10_000, 10_000, 0, [])
    assert outcome.record.existing_people == 1_000
    assert Person.objects.count() == 10_000  # the 1,000 known people were enrolled, not created again
    assert Enrolment.objects.filter(package=package).count() == 10_000
    assert Consent.objects.filter(center=world.malang).count() == 10_000
    # Everyone is listed in Malang, its regency and East Java, the known people too (they had no centre yet).
    assert PersonArea.objects.count() == 30_000
    assert person_list(actor=world.user("pemda_jatim")).count() == 10_000


def test_the_history_of_imported_people_and_enrolments_is_their_first_version_by_the_uploader(world, package):
    run(world, package, filled(package, [row(1, surel="peserta@contoh.id"), row(2)]))
    manager = world.user("pengelola_malang")
    for person in Person.objects.all():
        first = person.history.get()
        assert (first.history_type, first.history_user, first.history_change_reason) == ("+", manager, None)
        assert (first.nik, first.full_name, first.birth_date, first.phone, first.email, first.district_id) == (
            person.nik,
            person.full_name,
            person.birth_date,
            person.phone,
            person.email,
            person.district_id,
        )
        assert abs(first.history_date - timezone.now()) < dt.timedelta(minutes=1)
    for enrolment in Enrolment.objects.all():
        first = enrolment.history.get()
        assert (first.history_user, first.package_id, first.person_id, first.source) == (
            manager,
            package.pk,
            enrolment.person_id,
            EnrolmentSource.IMPORT,
        )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812 3456 7890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        (81234567890, "+6281234567890"),  # a number cell lost the leading 0
        ("(021) 555-1234", "+62215551234"),
        ("+1 650 253 0000", "+16502530000"),
    ],
)
def test_phone_numbers_are_stored_as_e164(world, package, typed, stored):
    run(world, package, filled(package, [row(1, nomor_hp=typed)]))
    assert Person.objects.get().phone.as_e164 == stored


def test_a_nik_with_an_unknown_district_prefix_is_saved_with_a_warning(world, package):
    nik = make_nik(BIRTH, district="359901", serial=1)  # 35.99.01 is not a Kemendagri district
    outcome = run(world, package, filled(package, [row(1, nik=nik)]))
    assert Person.objects.filter(nik=nik).exists()
    assert where(outcome.warnings) == {(3, "A")}


# --- every bad input: a clear message, nothing changed ----------------------------------------


def _edit_codes(workbook):
    workbook["Peserta"]["B2"] = "nama_lengkap"


def _drop_meta(workbook):
    del workbook["_simpul"]


def _rename_sheet(workbook):
    workbook["Peserta"].title = "Lembar1"


def _other_package(workbook):
    workbook["_simpul"]["B1"] = 999_999


BAD_FILES = [
    ("malformed NIK", [row(1, nik="35070109030100")], (3, "A"), "16 digit"),
    ("birth date not the NIK's", [row(1, tanggal_lahir=dt.date(2001, 3, 10))], (3, "D"), "NIK"),
    ("sex not the NIK's", [row(1, jenis_kelamin="P")], (3, "C"), "NIK"),
    ("formula", [row(1, nama='=REPT("x",32767)')], (3, "B"), "Rumus"),
    ("consent in the future", [row(1, tanggal_persetujuan=TODAY + dt.timedelta(days=1))], (3, "K"), "masa depan"),
    ("consent missing", [row(1, tanggal_persetujuan=None)], (3, "K"), "Wajib"),
    ("unknown district", [row(1, kode_kecamatan="35.07.99")], (3, "H"), "Kemendagri"),
    ("phone", [row(1, nomor_hp="12345")], (3, "I"), "Nomor HP"),
    ("education", [row(1, pendidikan="SMK Teknik")], (3, "E"), "Pilih"),
    ("date", [row(1, tanggal_lahir="9 Maret 2001")], (3, "D"), "31/12/1990"),
    ("NIK stored as a number", [row(1, nik=3507010903010001)], (3, "A"), "angka"),
]


@pytest.mark.parametrize(("case", "rows", "cell", "words"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_a_bad_cell_is_reported_by_row_and_column_and_changes_nothing(world, package, case, rows, cell, words):
    before = counts()
    errors = refused(world, package, filled(package, rows))
    assert cell in where(errors), errors
    assert any(words in error.message for error in errors if (error.row, error.column) == cell), errors
    assert counts() == before
    for error in errors:
        assert make_nik(BIRTH, serial=1) not in error.message


def _million_rows(package) -> bytes:
    """Past the row limit without a million rows: write-only, 10,001 participants."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Peserta")
    sheet.append([str(c.label) for c in COLUMNS])
    sheet.append(CODES)
    values = row(1)
    for serial in range(1, 10_002):
        sheet.append([make_nik(BIRTH, serial=serial), *[values[code] for code in CODES[1:]]])
    sheet.append(["bukan NIK", "", "X"])  # never read: the file is refused at row 10,001
    meta = workbook.create_sheet("_simpul")
    meta.append(["paket", package.pk])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (51 * 1024 * 1024))
    return buffer.getvalue()


def _rewritten(package, change) -> bytes:
    """A filled template whose sheet XML was changed by hand after Excel saved it."""
    source = zipfile.ZipFile(io.BytesIO(filled(package, [row(1), row(2)])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, change(data.decode()) if item.filename == "xl/worksheets/sheet1.xml" else data)
    return buffer.getvalue()


def _broken_inside(package) -> bytes:
    """Row 4 names a shared text that does not exist: only reading that far finds it."""
    return _rewritten(
        package, lambda xml: re.sub(r'(<c r="A4") t="inlineStr"><is><t>\d+</t></is>', r'\1 t="s"><v>999</v>', xml)
    )


def _entity_bomb(package) -> bytes:
    laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    return _rewritten(package, lambda xml: xml.replace("<worksheet", laughs + "<worksheet", 1))


FILE_PROBLEMS = [
    ("a sheet broken inside", _broken_inside, "rusak"),
    ("an XML entity bomb", _entity_bomb, "bukan file Excel"),
    ("wrong column code", lambda p: filled(p, [row(1)], edit=_edit_codes), "kode kolom"),
    ("not a Simpul template", lambda p: filled(p, [row(1)], edit=_drop_meta), "bukan templat"),
    ("missing sheet", lambda p: filled(p, [row(1)], edit=_rename_sheet), "Peserta"),
    ("another package's template", lambda p: filled(p, [row(1)], edit=_other_package), "paket pelatihan lain"),
    ("a PDF named .xlsx", lambda p: b"%PDF-1.4\n" + b"x" * 500, "bukan file Excel"),
    ("a zip that is not a workbook", lambda p: _zip_bomb()[:200], "bukan file Excel"),
    ("a zip bomb", lambda p: _zip_bomb(), "setelah dibuka"),
    ("no participants", lambda p: filled(p, []), "Tidak ada baris"),
    ("10,001 rows", _million_rows, "Terlalu banyak baris"),
]


@pytest.mark.parametrize(("case", "make", "words"), FILE_PROBLEMS, ids=[case[0] for case in FILE_PROBLEMS])
def test_a_bad_file_is_refused_whole_and_changes_nothing(world, package, case, make, words):
    content = make(package)
    before = counts()
    for mode in (VALID,) if case == "10,001 rows" else (ALL, VALID):  # the file checks come before the mode
        errors = refused(world, package, content, mode)
        assert any(words in error.message for error in errors), errors
    assert counts() == before


def test_a_file_over_the_size_limit_or_not_named_xlsx_is_refused(world, package, settings):
    content = filled(package, [row(1)])
    assert "bukan file Excel" not in refused(world, package, content, name="peserta.xls")[0].message
    assert "format Excel .xlsx" in refused(world, package, content, name="peserta.xls")[0].message
    settings.EXCEL_MAX_BYTES = len(content) - 1
    assert "terlalu besar" in refused(world, package, content)[0].message
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_a_finished_package_takes_no_import(world, package):
    package.status = PackageStatus.FINISHED
    package.save()
    errors = refused(world, package, filled(package, [row(1)]), VALID)
    assert "selesai" in errors[0].message
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_every_problem_of_a_file_is_listed_in_row_and_column_order(world, package):
    rows = [
        row(1, jenis_kelamin="X", tanggal_persetujuan="kemarin"),
        row(2),
        row(3, nik="", nama=""),
    ]
    errors = refused(world, package, filled(package, rows))
    assert [(e.row, e.column, e.label) for e in errors] == [
        (3, "C", "Jenis kelamin (L/P)"),
        (3, "K", "Tanggal persetujuan penggunaan data"),
        (5, "A", "NIK"),
        (5, "B", "Nama lengkap"),
    ]


# --- duplicates: flagged, never merged --------------------------------------------------------


def test_the_same_nik_twice_in_a_file_fails_both_rows_each_naming_the_other(world, package):
    errors = refused(world, package, filled(package, [row(1), row(2), row(1, nama="Orang Lain")]))
    assert where(errors) == {(3, "A"), (5, "A")}
    by_row = {error.row: error.message for error in errors}
    assert "baris 5" in by_row[3]
    assert "baris 3" in by_row[5]
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_a_registered_nik_with_the_same_name_and_birth_date_is_that_person(world, package):
    known = PersonFactory(nik=make_nik(BIRTH, serial=1), full_name="Peserta  impor 1", birth_date=BIRTH)
    outcome = run(world, package, filled(package, [row(1), row(2)]))
    assert (outcome.record.saved, outcome.record.existing_people) == (2, 1)
    assert Person.objects.count() == 2
    assert Enrolment.objects.filter(package=package, person=known).exists()
    assert Consent.objects.filter(person=known, center=world.malang).count() == 1
    known.refresh_from_db()
    assert known.full_name == "Peserta  impor 1"  # the registered record is not overwritten


def test_a_registered_nik_with_another_name_or_birth_date_is_flagged_never_merged(world, package):
    PersonFactory(nik=make_nik(BIRTH, serial=1), full_name="Nama Terdaftar", birth_date=BIRTH)
    before = counts()
    errors = refused(world, package, filled(package, [row(1)]))
    assert where(errors) == {(3, "A")}
    assert "sudah terdaftar atas nama" in errors[0].message
    assert counts() == before


def test_someone_already_in_the_package_cannot_be_enrolled_again(world, package):
    run(world, package, filled(package, [row(1)]))
    before = counts()
    errors = refused(world, package, filled(package, [row(1)]))
    assert where(errors) == {(3, "A")}
    assert "sudah terdaftar di paket ini" in errors[0].message
    assert counts() == before


# --- the two ways of saving --------------------------------------------------------------------


def test_all_or_nothing_saves_nothing_when_one_row_fails(world, package):
    errors = refused(world, package, filled(package, [row(1), row(2), row(3, jenis_kelamin="")]))
    assert where(errors) == {(5, "C")}
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_valid_rows_saves_the_good_rows_and_returns_a_file_of_the_failed_ones(world, package, client):
    rows = [row(1), row(2, nama='=HYPERLINK("http://x")'), row(3), row(4, tanggal_lahir=dt.date(1999, 1, 1))]
    outcome = run(world, package, filled(package, rows), VALID)
    record = outcome.record
    assert (record.rows, record.saved, record.failed, record.mode) == (4, 2, 2, VALID)
    assert where(outcome.errors) == {(4, "B"), (6, "D")}
    assert set(Person.objects.values_list("nik", flat=True)) == {make_nik(BIRTH, serial=1), make_nik(BIRTH, serial=3)}
    assert Enrolment.objects.count() == Consent.objects.count() == 2
    assert record.failed_file.name.startswith("impor-peserta/")
    failed = load_workbook(record.failed_file.open("rb"))["Peserta"]
    header = [cell.value for cell in failed[2]]
    assert header == [*CODES, "baris_asal", "kesalahan"]
    lines = [list(values) for values in failed.iter_rows(min_row=3, values_only=True)]
    assert [line[0] for line in lines] == [make_nik(BIRTH, serial=2), make_nik(BIRTH, serial=4)]
    assert lines[0][1] == '=HYPERLINK("http://x")'
    assert failed["B3"].quotePrefix
    assert [line[11] for line in lines] == [4, 6]
    assert "B (Nama lengkap): Rumus" in lines[0][12]
    assert "D (Tanggal lahir)" in lines[1][12]


def test_the_failed_rows_file_corrected_goes_back_in(world, package):
    outcome = run(world, package, filled(package, [row(1), row(2, jenis_kelamin="Z")]), VALID)
    workbook = load_workbook(outcome.record.failed_file.open("rb"))
    workbook["Peserta"]["C3"] = "L"
    buffer = io.BytesIO()
    workbook.save(buffer)
    again = run(world, package, buffer.getvalue(), ALL)
    assert (again.record.saved, again.record.failed) == (1, 0)
    assert Enrolment.objects.filter(package=package).count() == 2


# --- capacity: a person's decision ---------------------------------------------------------------


def _fill(world, package, n):
    run(world, package, filled(package, [row(100 + i) for i in range(n)]))


def test_a_17th_participant_without_a_reason_is_refused_in_both_modes(world, package):
    _fill(world, package, 16)
    before = counts()
    for mode in (ALL, VALID):
        errors = refused(world, package, filled(package, [row(1)]), mode)
        assert errors[0].row is None
        assert "kuota 16" in errors[0].message
    assert counts() == before


def test_overfilling_with_a_reason_saves_and_keeps_the_reason_with_the_extra_people(world, package):
    _fill(world, package, 15)
    outcome = run(world, package, filled(package, [row(1), row(2)]), reason="Dua peserta pengganti dari desa binaan")
    assert outcome.record.saved == 2
    reasons = dict(Enrolment.objects.filter(package=package).values_list("person__nik", "over_capacity_reason"))
    assert reasons[make_nik(BIRTH, serial=1)] == ""
    assert reasons[make_nik(BIRTH, serial=2)] == "Dua peserta pengganti dari desa binaan"


def test_in_valid_rows_mode_only_the_rows_to_be_saved_count_against_the_capacity(world, package):
    _fill(world, package, 15)
    outcome = run(world, package, filled(package, [row(1), row(2, nik="123")]), VALID)
    assert (outcome.record.saved, outcome.record.failed) == (1, 1)


# --- the pages ---------------------------------------------------------------------------------


def _post(client, package, content, **data):
    url = reverse("training:import", args=[package.pk])
    return client.post(url, {"file": upload(content), **data})


def test_the_upload_form_chooses_no_mode_for_the_user(world, package, client):
    client.force_login(world.user("pengelola_malang"))
    page = client.get(reverse("training:import", args=[package.pk])).content.decode()
    assert page.count('name="mode"') == 2
    assert "checked" not in page
    response = _post(client, package, filled(package, [row(1)]))
    assert response.status_code == 400
    assert "Pilih salah satu cara menyimpan" in response.content.decode()
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_a_refused_upload_lists_the_problems_by_row_and_column(world, package, client):
    client.force_login(world.user("pengelola_malang"))
    response = _post(client, package, filled(package, [row(1, tanggal_lahir=dt.date(2001, 3, 10))]), mode=ALL)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="import-error-table"' in page
    assert "Tanggal lahir tidak sama" in page
    assert make_nik(BIRTH, serial=1) not in page


def test_the_result_page_counts_and_offers_the_failed_rows_to_the_uploader(world, package, client):
    client.force_login(world.user("pengelola_malang"))
    response = _post(client, package, filled(package, [row(1), row(2, jenis_kelamin="X")]), mode=VALID)
    assert response.status_code == 200
    page = response.content.decode()
    record = ParticipantImport.objects.get()
    assert 'id="import-saved">1<' in page
    assert 'id="import-failed">1<' in page
    assert reverse("training:import-failed", args=[package.pk, record.pk]) in page
    download = client.get(reverse("training:import-failed", args=[package.pk, record.pk]))
    assert download.status_code == 200
    assert load_workbook(io.BytesIO(b"".join(download.streaming_content)))["Peserta"]["C3"].value == "X"
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == world.user("pengelola_malang")
    assert event.detail["rows"] == 1


def test_the_failed_rows_file_is_for_its_uploader_and_admin_pusat_only(world, package, client):
    outcome = run(world, package, filled(package, [row(1, jenis_kelamin="X")]), VALID)
    url = reverse("training:import-failed", args=[package.pk, outcome.record.pk])
    colleague = UserFactory(role=Role.PENGELOLA, scope_center=world.malang)
    for user in (colleague, world.user("instruktur_malang"), world.user("pemda_malang"), world.user("fkn_national")):
        client.force_login(user)
        assert client.get(url).status_code == 404
    with pytest.raises(Http404):
        importing.participant_import_failed_file(actor=colleague, package_id=package.pk, import_id=outcome.record.pk)
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    client.force_login(world.user("admin"))
    assert client.get(url).status_code == 200
    other = PackageFactory(center=world.malang)
    assert client.get(reverse("training:import-failed", args=[other.pk, outcome.record.pk])).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1


IMPORTERS = {"admin", "pengelola_malang"}


@pytest.mark.parametrize("user_key", sorted(VISIBLE_CENTERS))
def test_role_matrix_of_the_three_endpoints(world, client, user_key):
    own = PackageFactory(center=world.malang, status=PackageStatus.PLANNED)
    other = PackageFactory(center=world.kota_malang, status=PackageStatus.PLANNED)  # another centre's package
    client.force_login(world.user(user_key))
    for package, allowed in ((own, user_key in IMPORTERS), (other, user_key == "admin")):
        expected = 200 if allowed else 404
        assert client.get(reverse("training:import-template", args=[package.pk])).status_code == expected
        assert client.get(reverse("training:import", args=[package.pk])).status_code == expected
        before = counts()
        response = _post(client, package, filled(package, [row(package.pk)]), mode=VALID)
        assert response.status_code == expected
        if allowed:
            assert Enrolment.objects.filter(package=package).count() == 1
        else:
            assert counts() == before
    admin_import = run(world, own, filled(own, [row(900, jenis_kelamin="X")]), VALID, user="admin")
    url = reverse("training:import-failed", args=[own.pk, admin_import.record.pk])
    assert client.get(url).status_code == (200 if user_key == "admin" else 404)
