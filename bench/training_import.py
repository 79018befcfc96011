"""Training timings (issue 4's target): importing 10,000 valid participants from Excel,
NIK checks and deduplication included, in at most 5 s on SQLite and on PostgreSQL.

The file is the package's real template, filled in; a tenth of its people are already
registered (same name and birth date), so the deduplication path is exercised too. It is
timed as a spreadsheet program saves it (text in a shared-strings table: what centres
upload) and as openpyxl writes it (text inline in each cell, slower for openpyxl to read).
Adds two packages of 10,000 participants each to the first centre, inside one transaction that is rolled
back at the end: a reused database is the same for every run (before, each run left 20,000 enrolments in
that centre, and the import's own refresh of the centre's monitoring figures grew slower run after run).
The imports are savepoints of that transaction, so their final COMMIT is not timed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from simpul.centers.models import Center, Vocation
from simpul.core.xlsx import ExcelImportError
from simpul.training.models import Enrolment, ImportMode, Package, PackageStatus, Person
from simpul.training.services import importing
from simpul.training.services.import_sheet import COLUMNS, FIRST_ROW

ROWS = 10_000
ALREADY_REGISTERED = 1_000
DISTRICT = "350701"  # Kecamatan Donomulyo, Kabupaten Malang


def _people(count: int) -> list[dict[str, Any]]:
    """Participants with structurally valid NIKs that no one holds yet (born 1970-2004, serials counting up,
    so a reused database takes many runs: each adds 20,000 people)."""
    start, days = dt.date(1970, 1, 1), 35 * 365
    taken = set(Person.objects.filter(nik__startswith=DISTRICT).values_list("nik", flat=True))
    people: list[dict[str, Any]] = []
    number = 0
    while len(people) < count:
        birth = start + dt.timedelta(days=number % days)
        female = (number // days) % 2 == 1
        serial = number // (2 * days) + 1
        nik = f"{DISTRICT}{birth.day + (40 if female else 0):02d}{birth:%m}{birth.year % 100:02d}{serial:04d}"
        number += 1
        if nik in taken:
            continue
        people.append({"nik": nik, "birth": birth, "female": female, "name": f"Peserta Uji Impor {len(people) + 1}"})
    return people


def participants_file(actor: Any, package: Package, people: list[dict[str, Any]]) -> bytes:
    workbook = load_workbook(io.BytesIO(importing.participant_template(actor=actor, package_id=package.pk)))
    sheet = workbook["Peserta"]
    consent = timezone.localdate() - dt.timedelta(days=2)
    for number, person in enumerate(people, start=FIRST_ROW):
        values = {
            "nik": person["nik"],
            "nama": person["name"],
            "jenis_kelamin": "P" if person["female"] else "L",
            "tanggal_lahir": person["birth"],
            "pendidikan": "SMA/SMK/sederajat",
            "disabilitas": "Tidak ada",
            "alamat": f"Jl. Melati No. {number}, RT 02/RW 05",
            "kode_kecamatan": "35.07.01",
            "nomor_hp": f"0812{number:08d}",
            "surel": f"peserta{number}@contoh.id",
            "tanggal_persetujuan": consent,
        }
        for column, spec in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=number, column=column, value=values[spec.code])
            if spec.text:
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


INLINE_TEXT = re.compile(r' t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is>', re.DOTALL)
SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED_STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def as_excel_saves_it(content: bytes) -> bytes:
    """The same workbook with its text in a shared-strings table, as Excel, LibreOffice and Google Sheets save it.

    openpyxl writes each text inline in its cell, which takes openpyxl about twice as long to read back;
    a file a centre uploads has been saved by a spreadsheet program.
    """
    source = zipfile.ZipFile(io.BytesIO(content))
    strings: dict[str, int] = {}

    def share(match: re.Match[str]) -> str:
        return f' t="s"><v>{strings.setdefault(match[1], len(strings))}</v>'

    sheet = INLINE_TEXT.sub(share, source.read("xl/worksheets/sheet1.xml").decode())
    table = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
    parts = {
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": (
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{table}</sst>'
        ),
        "[Content_Types].xml": source.read("[Content_Types].xml")
        .decode()
        .replace("</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS}"/></Types>'),
        "xl/_rels/workbook.xml.rels": source.read("xl/_rels/workbook.xml.rels")
        .decode()
        .replace(
            "</Relationships>",
            f'<Relationship Id="rIdShared" Type="{SHARED_STRINGS_REL}" Target="sharedStrings.xml"/></Relationships>',
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename not in parts:
                target.writestr(item, source.read(item.filename))
        for name, text in parts.items():
            target.writestr(name, text)
    return buffer.getvalue()


def _package() -> Package:
    return Package.objects.create(
        center=Center.objects.order_by("pk").first(),
        name="Paket uji impor 10.000 peserta",
        vocation=Vocation.objects.order_by("code").first(),
        start_date=timezone.localdate() + dt.timedelta(days=30),
        end_date=timezone.localdate() + dt.timedelta(days=90),
        hours=240,
        funding="pemerintah",
        status=PackageStatus.PLANNED,
    )


def run(bench: Any) -> None:
    with transaction.atomic():
        _run(bench)
        transaction.set_rollback(True)


def _run(bench: Any) -> None:
    timed = bench.timed
    actor = bench.national
    people = _people(2 * ROWS)
    Person.objects.bulk_create(
        Person(
            nik=p["nik"], full_name=p["name"], sex="P" if p["female"] else "L", birth_date=p["birth"], education="sma"
        )
        for p in people[:ALREADY_REGISTERED] + people[ROWS : ROWS + ALREADY_REGISTERED]
    )
    excel, written = _package(), _package()
    files: dict[str, bytes] = {}

    def build() -> None:
        files["openpyxl"] = participants_file(actor, written, people[ROWS:])
        files["excel"] = as_excel_saves_it(participants_file(actor, excel, people[:ROWS]))

    timed("build two 10,000-row participant files", build)
    print(f"  participant file: {len(files['excel']) / 2**20:.1f} MB")

    def importer(package: Package, content: bytes) -> Any:
        return lambda: importing.participant_import(
            actor=actor,
            package_id=package.pk,
            upload=SimpleUploadedFile("peserta.xlsx", content),
            mode=ImportMode.ALL_OR_NOTHING,
            over_capacity_reason="Uji kinerja",
        )

    for label, package, content in (
        ("import 10,000 participants, file as Excel saves it", excel, files["excel"]),
        ("import 10,000 participants, file as openpyxl writes it", written, files["openpyxl"]),
    ):
        outcome: Any = timed(label, importer(package, content))
        assert (outcome.record.saved, outcome.record.existing_people) == (ROWS, ALREADY_REGISTERED)
        assert Enrolment.objects.filter(package=package).count() == ROWS
    # The same file again: every row is refused as already enrolled, and nothing is written.
    again = timed(
        "the same 10,000 rows again (all refused, nothing saved)", lambda: _refused(importer(excel, files["excel"]))
    )
    print(f"  problems reported on the second upload: {again:,}")


def _refused(function: Any) -> int:
    try:
        function()
    except ExcelImportError as error:
        return len(error.errors)
    raise AssertionError("the second import should have been refused")
