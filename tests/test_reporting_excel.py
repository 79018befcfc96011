"""The Excel round trip of report forms: template download, offline filling, upload (all or nothing)."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from simpul.reporting.models import (
    Indicator,
    IndicatorType,
    ReportForm,
    Status,
    Submission,
    SubmissionValue,
    ValueSource,
)
from simpul.reporting.periods import period_from_key
from simpul.reporting.services import excel, excel_import, excel_template, schedule
from simpul.reporting.services.submissions import submission_save_values

from .conftest import VISIBLE_CENTERS
from .factories import CenterFactory

EVERYONE = set(VISIBLE_CENTERS)
# Submissions: Action.EXPORT is held by the officials and the centre's manager; CHANGE by Admin Pusat and the manager.
EXPORTERS = {"admin", "fkn_national", "fkn_jatim", "pemda_jatim", "pemda_malang", "pengelola_malang"}
EDITORS = {"admin", "pengelola_malang"}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def reports(world, monthly):
    """October 2026's monthly report of each world centre, all still drafts."""
    schedule.schedule_period(monthly, period_from_key("bulanan", "2026-10"))
    return {
        key: Submission.objects.get(form=monthly, center=getattr(world, key))
        for key in ("malang", "kota_malang", "semarang")
    }


def _template(world, user_key: str, form: ReportForm, period: str = "2026-10", **where: Any) -> bytes:
    body, _ = excel_template.build_template(actor=world.user(user_key), form=form, period_key=period, **where)
    return body


def _fill(body: bytes, typed: dict[int, dict[str, Any]]) -> bytes:
    """The template with values typed in: {report id: {indicator code: cell value}}."""
    workbook = load_workbook(io.BytesIO(body))
    sheet = workbook["Isian"]
    columns = {cell.value: cell.column for cell in sheet[2] if cell.value}
    rows = {sheet.cell(row=r, column=2).value: r for r in range(3, sheet.max_row + 1)}
    for pk, values in typed.items():
        for code, value in values.items():
            sheet.cell(row=rows[pk], column=columns[code]).value = value  # None empties the cell
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, content: bytes, name: str = "isian-oktober.xlsx"):
    return client.post(reverse("reporting:excel-upload"), {"file": SimpleUploadedFile(name, content)})


def _saved(submission: Submission) -> dict[str, Any]:
    return {
        v.indicator.code: v.raw
        for v in SubmissionValue.objects.filter(submission=submission).select_related("indicator")
    }


def _errors(world, user_key: str, content: bytes, name: str = "isian.xlsx") -> list[excel.CellError]:
    with pytest.raises(excel.ExcelImportError) as refused:
        excel_import.import_workbook(actor=world.user(user_key), upload=SimpleUploadedFile(name, content))
    return refused.value.errors


def _template_url(form: ReportForm, **params: Any) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"form": form.pk, "period": "2026-10", **params}.items())
    return reverse("reporting:excel-template") + "?" + query


# --- the template ------------------------------------------------------------------------------


def test_a_centre_template_holds_its_open_report_with_codes_saved_values_and_hidden_metadata(
    world, client, monthly, reports
):
    malang = reports["malang"]
    submission_save_values(
        actor=world.user("pengelola_malang"), submission_id=malang.pk, raw_values={"peserta_l": "14"}
    )
    client.force_login(world.user("pengelola_malang"))

    response = client.get(_template_url(monthly, center=world.malang.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="templat-LAPBUL-2026-10-')
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Isian"]
    expected_codes = [i.code for i in malang.version.indicators.exclude(type="berkas")]
    assert [c.value for c in sheet[2]][2:] == expected_codes
    assert "foto_kegiatan" not in expected_codes  # files are attached on the report page, not in Excel
    assert [c.value for c in sheet[1]][:3] == ["BLK", "ID laporan", "Tidak ada kegiatan pelatihan bulan ini"]
    assert sheet.max_row == 3  # one data row: only this centre's report
    assert (sheet["A3"].value, sheet["B3"].value) == (world.malang.name, malang.pk)
    assert sheet["F3"].value == 14  # peserta_l, prefilled with what is saved, as a number
    assert sheet.column_dimensions["B"].hidden
    assert sheet.freeze_panes == "C3"
    meta = workbook["_simpul"]
    assert meta.sheet_state == "hidden"
    assert dict(meta.values) | {"dibuat": None} == {
        "formulir": "LAPBUL",
        "versi": malang.version.number,
        "periode": "2026-10",
        "dibuat": None,
    }


def test_the_template_carries_data_validation_for_each_type_that_allows_it(world, monthly, reports):
    body = _template(world, "pengelola_malang", monthly, center_id=world.malang.pk)

    validations = {str(v.sqref): v for v in load_workbook(io.BytesIO(body))["Isian"].data_validations.dataValidation}

    yes_no, packages, turnover, text = validations["C3"], validations["D3"], validations["Q3"], validations["R3"]
    assert (yes_no.type, yes_no.formula1) == ("list", '"ya,tidak"')
    assert (packages.type, packages.operator, packages.formula1, packages.formula2) == ("whole", "between", "0", "50")
    assert (turnover.type, turnover.operator, turnover.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert (text.type, text.operator, text.formula1) == ("textLength", "lessThanOrEqual", "2000")
    assert all(v.showErrorMessage and v.error for v in validations.values())
    assert "Isi antara 0 dan 50." in packages.error


def test_a_choice_becomes_a_list_of_its_values_and_a_percentage_is_bounded_by_100(world):
    yearly = ReportForm.objects.get(code="LAPMAN")
    schedule.schedule_period(yearly, period_from_key("tahunan", "2026"), centers=[world.malang])

    body = _template(world, "admin", yearly, period="2026", center_id=world.malang.pk)

    sheet = load_workbook(io.BytesIO(body))["Isian"]
    column = {cell.value: cell.column_letter for cell in sheet[2] if cell.value}
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert validations[f"{column['klasifikasi_usulan']}3"].formula1 == '"tumbuh,berkembang,mandiri"'
    percent = validations[f"{column['persen_biaya_mandiri']}3"]
    assert (percent.type, percent.formula1, percent.formula2) == ("decimal", "0", "100")
    assert "laporan_keuangan" not in column


def test_formula_like_text_is_written_as_quoted_text(world, monthly):
    centre = CenterFactory(name='=HYPERLINK("http://jahat.test")', regency_id="35.07")
    schedule.schedule_period(monthly, period_from_key("bulanan", "2026-10"), centers=[centre])

    body = _template(world, "admin", monthly, center_id=centre.pk)

    cell = load_workbook(io.BytesIO(body))["Isian"]["A3"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (centre.name, "s", True)


def test_an_official_downloads_the_open_reports_of_their_region_only(world, client, monthly, reports):
    client.force_login(world.user("pemda_jatim"))

    whole_scope = client.get(_template_url(monthly))
    other_province = client.get(_template_url(monthly, province="33"))
    client.force_login(world.user("pemda_malang"))
    wider_than_scope = client.get(_template_url(monthly, province="35"))

    def report_ids(response) -> list[int]:
        sheet = load_workbook(io.BytesIO(response.content))["Isian"]
        return [sheet.cell(row=r, column=2).value for r in range(3, sheet.max_row + 1)]

    # ordered by centre name: "Al-Hikmah Kota Malang" before "Darul Ulum Malang"; never Semarang
    assert report_ids(whole_scope) == [reports["kota_malang"].pk, reports["malang"].pk]
    assert other_province.status_code == 400
    assert report_ids(wider_than_scope) == [reports["malang"].pk]


def test_a_centre_manager_gets_no_region_and_no_other_centre(world, client, monthly, reports):
    client.force_login(world.user("pengelola_malang"))

    other_centre = client.get(_template_url(monthly, center=world.semarang.pk))
    no_centre = client.get(_template_url(monthly, province="35"))

    assert other_centre.status_code == 404
    assert no_centre.status_code == 400
    assert "Pilih BLK." in no_centre.content.decode()


def test_a_sent_report_is_left_out_of_the_template(world, client, monthly, reports):
    Submission.objects.filter(pk=reports["malang"].pk).update(status=Status.SUBMITTED)
    client.force_login(world.user("pengelola_malang"))

    response = client.get(_template_url(monthly, center=world.malang.pk))

    assert response.status_code == 400
    assert "yang masih dapat diisi" in response.content.decode()


def test_a_period_that_does_not_exist_for_the_form_is_refused(world, client, monthly, reports):
    client.force_login(world.user("admin"))

    response = client.get(_template_url(monthly, period="2026-Q4", center=world.malang.pk))

    assert response.status_code == 400
    assert "tidak sah untuk formulir LAPBUL" in response.content.decode()


# --- the upload --------------------------------------------------------------------------------


def test_a_filled_template_saves_every_row_as_from_excel_and_leaves_empty_cells_alone(world, client, monthly, reports):
    malang, kota = reports["malang"], reports["kota_malang"]
    submission_save_values(actor=world.user("admin"), submission_id=malang.pk, raw_values={"kendala": "Listrik padam"})
    body = _template(world, "admin", monthly, province="35")
    filled = _fill(
        body,
        {
            malang.pk: {"peserta_l": 14, "omzet_unit_produksi": "Rp4.500.000", "kendala": None},
            kota.pk: {"unit_produksi_aktif": "ya", "jam_pelatihan": "1.250"},
        },
    )
    client.force_login(world.user("admin"))

    response = _upload(client, filled)

    assert response.status_code == 302
    assert _saved(malang) == {"peserta_l": 14, "omzet_unit_produksi": Decimal(4_500_000), "kendala": "Listrik padam"}
    assert _saved(kota) == {"unit_produksi_aktif": True, "jam_pelatihan": 1250}
    written = SubmissionValue.objects.exclude(indicator__code="kendala")
    assert set(written.values_list("source", "source_detail")) == {(ValueSource.IMPORTED, "isian-oktober.xlsx")}
    assert "4 isian di 2 laporan LAPBUL periode 2026-10" in client.get(response["Location"]).content.decode()


def test_a_centre_manager_fills_their_own_report_from_excel(world, client, monthly, reports):
    malang = reports["malang"]
    filled = _fill(
        _template(world, "pengelola_malang", monthly, center_id=world.malang.pk), {malang.pk: {"lulus_l": 9}}
    )
    client.force_login(world.user("pengelola_malang"))

    assert _upload(client, filled).status_code == 302
    assert _saved(malang) == {"lulus_l": 9}


def test_one_bad_cell_is_named_by_row_column_and_label_and_nothing_of_the_file_is_saved(
    world, client, monthly, reports
):
    malang, kota = reports["malang"], reports["kota_malang"]
    body = _template(world, "admin", monthly, province="35")  # row 3: Kota Malang, row 4: Malang
    filled = _fill(body, {kota.pk: {"peserta_l": 5, "lulus_l": 4}, malang.pk: {"peserta_l": "banyak", "lulus_l": 3}})
    client.force_login(world.user("admin"))

    response = _upload(client, filled)

    assert response.status_code == 400
    assert not SubmissionValue.objects.exists()  # not even the good row 3
    [error] = _errors(world, "admin", filled)
    assert (error.row, error.column, error.label) == (4, "F", "Peserta terdaftar – laki-laki")
    assert "Isi dengan angka" in error.message
    html = response.content.decode()
    assert 'id="excel-errors"' in html
    assert "Peserta terdaftar – laki-laki" in html


def test_every_bad_cell_is_reported_not_only_the_first(world, monthly, reports):
    malang = reports["malang"]
    filled = _fill(
        _template(world, "admin", monthly, center_id=world.malang.pk),
        {malang.pk: {"paket_berjalan": 51, "unit_produksi_aktif": "mungkin", "lulus_l": 2.5}},
    )

    errors = _errors(world, "admin", filled)

    assert [(e.row, e.column) for e in errors] == [(3, "D"), (3, "H"), (3, "P")]
    assert errors[0].message == "Isi antara 0 dan 50."


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (PNG, "laporan.xlsx"),
        (b"peserta_l;14\n", "laporan.xlsx"),
        (b"PK\x03\x04 bukan zip sungguhan", "laporan.xlsx"),
    ],
    ids=["png", "text", "broken zip"],
)
def test_a_file_whose_content_is_not_an_xlsx_is_refused_whatever_its_name(world, client, reports, content, name):
    client.force_login(world.user("admin"))

    response = _upload(client, content, name)

    assert response.status_code == 400
    assert "bukan file Excel (.xlsx)" in response.content.decode()
    assert not SubmissionValue.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(world):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("catatan.txt", "peserta 14")

    [error] = _errors(world, "admin", archive.getvalue())

    assert "bukan file Excel (.xlsx)" in error.message


def test_an_xlsx_that_unzips_to_more_than_50_mb_is_refused_before_it_is_opened(world):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("xl/worksheets/sheet1.xml", b"\0" * (51 * 1024 * 1024))

    [error] = _errors(world, "admin", archive.getvalue())

    assert "terlalu besar setelah dibuka" in error.message


def test_a_file_over_the_size_limit_is_refused(world, client, monthly, reports, settings):
    filled = _fill(
        _template(world, "admin", monthly, center_id=world.malang.pk), {reports["malang"].pk: {"lulus_l": 1}}
    )
    settings.EXCEL_MAX_BYTES = len(filled) - 1
    client.force_login(world.user("admin"))

    response = _upload(client, filled)

    assert response.status_code == 400
    assert "Berkas terlalu besar" in response.content.decode()
    assert not SubmissionValue.objects.exists()


def test_uploading_without_a_file_asks_for_one(world, client, reports):
    client.force_login(world.user("admin"))

    response = client.post(reverse("reporting:excel-upload"))

    assert response.status_code == 400
    assert "Pilih berkas Excel (.xlsx)" in response.content.decode()


def test_more_rows_than_the_limit_are_refused(world, monthly, reports, settings):
    body = _template(world, "admin", monthly, province="35")
    settings.EXCEL_MAX_ROWS = 1

    [error] = _errors(world, "admin", body)

    assert "Terlalu banyak baris" in error.message


def test_a_workbook_without_its_metadata_or_with_a_wrong_version_or_code_is_refused(world, monthly, reports):
    body = _template(world, "admin", monthly, center_id=world.malang.pk)

    def edited(change) -> bytes:
        workbook = load_workbook(io.BytesIO(body))
        change(workbook)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    no_meta = _errors(world, "admin", edited(lambda wb: wb.remove(wb["_simpul"])))
    bad_version = _errors(world, "admin", edited(lambda wb: wb["_simpul"].cell(row=2, column=2, value=99)))
    bad_period = _errors(world, "admin", edited(lambda wb: wb["_simpul"].cell(row=3, column=2, value="2026-13")))
    bad_code = _errors(world, "admin", edited(lambda wb: wb["Isian"].cell(row=2, column=4, value="paket_lain")))

    assert "lembar “_simpul” tidak ada atau rusak" in no_meta[0].message
    assert "tidak punya versi 99" in bad_version[0].message
    assert "“2026-13” tidak sah" in bad_period[0].message
    assert (bad_code[0].row, bad_code[0].column) == (2, "D")
    assert "paket_lain" in bad_code[0].message


def test_a_row_of_a_centre_outside_the_uploaders_scope_is_refused_and_nothing_is_saved(world, monthly, reports):
    malang, semarang = reports["malang"], reports["semarang"]
    national = _template(world, "admin", monthly)
    filled = _fill(national, {malang.pk: {"lulus_l": 3}, semarang.pk: {"lulus_l": 4}})

    errors = _errors(world, "pengelola_malang", filled)

    # Rows by centre name: Al-Hikmah Kota Malang (3), Darul Ulum Malang (4), Seminari Semarang (5).
    assert [(e.row, e.column) for e in errors] == [(3, "B"), (5, "B")]
    assert all("tidak ada atau di luar wilayah Anda" in e.message for e in errors)
    assert not SubmissionValue.objects.exists()


def test_an_official_downloads_a_region_template_but_cannot_upload_changes(world, client, monthly, reports):
    client.force_login(world.user("pemda_jatim"))
    body = client.get(_template_url(monthly, province="35")).content
    filled = _fill(body, {reports["malang"].pk: {"lulus_l": 3}, reports["kota_malang"].pk: {"lulus_l": 2}})

    response = _upload(client, filled)

    assert response.status_code == 400
    errors = _errors(world, "pemda_jatim", filled)
    assert [(e.row, e.column) for e in errors] == [(3, "B"), (4, "B")]
    assert all("hanya pengelola BLK dan Admin Pusat" in e.message for e in errors)
    assert not SubmissionValue.objects.exists()


def test_a_row_of_a_report_sent_since_the_download_is_refused(world, monthly, reports):
    malang = reports["malang"]
    filled = _fill(
        _template(world, "pengelola_malang", monthly, center_id=world.malang.pk), {malang.pk: {"lulus_l": 3}}
    )
    Submission.objects.filter(pk=malang.pk).update(status=Status.SUBMITTED)

    [error] = _errors(world, "pengelola_malang", filled)

    assert (error.row, error.column) == (3, "B")
    assert "berstatus Dikirim tidak dapat diubah" in error.message
    assert not SubmissionValue.objects.exists()


def test_a_row_of_another_period_is_refused(world, monthly, reports):
    malang = reports["malang"]
    schedule.schedule_period(monthly, period_from_key("bulanan", "2026-09"), centers=[world.malang])
    september = Submission.objects.get(form=monthly, center=world.malang, period_key="2026-09")
    workbook = load_workbook(io.BytesIO(_template(world, "admin", monthly, center_id=world.malang.pk)))
    workbook["Isian"]["B3"] = september.pk
    workbook["Isian"]["D3"] = 1
    buffer = io.BytesIO()
    workbook.save(buffer)

    [error] = _errors(world, "admin", buffer.getvalue())

    assert "bukan laporan LAPBUL periode 2026-10" in error.message
    assert not SubmissionValue.objects.filter(submission__in=[malang, september]).exists()


def test_a_long_choice_list_is_kept_in_the_hidden_sheet(db):
    choices = [{"value": f"pilihan_{n:02}_dengan_nama_yang_cukup_panjang", "label": f"Pilihan {n}"} for n in range(12)]
    indicator = Indicator(code="pasar", label="Pasar", type=IndicatorType.CHOICE, choices=choices)
    meta = Workbook().active

    validation = excel_template._validation(indicator, meta, list_column=5)

    assert validation.formula1 == "'_simpul'!$E$1:$E$12"
    assert [meta.cell(row=n, column=5).value for n in (1, 12)] == [choices[0]["value"], choices[11]["value"]]


# --- who may use it ----------------------------------------------------------------------------


def _matrix_case(world, monthly, reports, endpoint: str):
    if endpoint == "page":
        return "get", reverse("reporting:excel"), {}
    if endpoint == "template":
        return "get", _template_url(monthly, center=world.malang.pk), {}
    filled = _fill(
        _template(world, "admin", monthly, center_id=world.malang.pk), {reports["malang"].pk: {"lulus_l": 7}}
    )
    return "post", reverse("reporting:excel-upload"), {"file": SimpleUploadedFile("isian.xlsx", filled)}


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize("endpoint", ["page", "template", "upload"])
def test_each_excel_endpoint_answers_each_role(world, client, monthly, reports, user_key, endpoint):
    method, url, data = _matrix_case(world, monthly, reports, endpoint)
    client.force_login(world.user(user_key))

    response = getattr(client, method)(url, data)

    if user_key not in EXPORTERS:
        assert response.status_code == 404
    elif endpoint != "upload":
        assert response.status_code == 200
    elif user_key in EDITORS:
        assert response.status_code == 302
    else:  # officials may download but not change reports: refused row by row
        assert response.status_code == 400
        assert "hanya pengelola BLK dan Admin Pusat" in response.content.decode()
    saved = SubmissionValue.objects.filter(submission=reports["malang"]).exists()
    assert saved == (endpoint == "upload" and user_key in EDITORS)


@pytest.mark.parametrize("endpoint", ["page", "template", "upload"])
def test_each_excel_endpoint_sends_an_anonymous_visitor_to_log_in(world, client, monthly, reports, endpoint):
    method, url, data = _matrix_case(world, monthly, reports, endpoint)

    response = getattr(client, method)(url, data)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not SubmissionValue.objects.exists()
