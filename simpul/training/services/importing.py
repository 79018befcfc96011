"""Importing the participants of a training package from Excel (the sheet: import_sheet.py, import_template.py).

A file is checked whole before anything is written: the file (size, content,
size once unzipped, sheets, column codes, at most EXCEL_MAX_ROWS rows), then
every cell, then every row against the records. Whoever uploads chooses, explicitly:

- all or nothing: one problem anywhere and nothing is saved; every problem is listed;
- valid rows: the valid rows are saved, and the failed ones come back as an xlsx
  with a column saying why (kept in private storage, for the uploader and Admin Pusat).

Duplicates are flagged, never merged: two rows with one NIK both fail, each naming
the other; a NIK registered under another name or birth date fails; a NIK
registered with the same name and birth date is that person (counted as existing).
Overfilling a package is a person's decision, not a row's: without a written reason
the whole file is refused. Queries do not grow with the rows: people, areas and
enrolments are looked up in chunks, and people, consents and enrolments are
created in bulk, with their history (bulk_history.py).
"""

from __future__ import annotations

import gc
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.models import Role
from simpul.accounts.policy import Action
from simpul.core import changes
from simpul.core.audit import audit_event_record
from simpul.core.idn import redact_niks
from simpul.core.models import AuditAction
from simpul.core.xlsx import CellError, ExcelImportError, read_upload, refuse, sort_key
from simpul.regions.models import District

from ..models import (
    Consent,
    ConsentPurpose,
    Enrolment,
    EnrolmentSource,
    ImportMode,
    Package,
    PackageStatus,
    ParticipantImport,
    Person,
)
from .areas import person_areas_add
from .bulk_history import bulk_insert_with_history
from .import_sheet import COLUMNS, FIELD_COLUMN, SheetRow, read_participants
from .import_template import template_workbook
from .packages import capacity_error
from .people import person_build, same_person

CHUNK = 900  # ids per IN (…): under every database's limit of query parameters
BATCH = 500
SHOWN_OTHER_ROWS = 5


@dataclass(frozen=True)
class ImportOutcome:
    record: ParticipantImport
    errors: list[CellError]  # problems of the rows that were not saved
    warnings: list[CellError]  # rows saved, worth a second look


def participant_template(*, actor: Any, package_id: Any) -> bytes:
    """The xlsx to fill in for one package (no personal data in it)."""
    return template_workbook(_package_for_import(actor, package_id))


def participant_import(
    *,
    actor: Any,
    package_id: Any,
    upload: Any,
    mode: str,
    over_capacity_reason: str = "",
    request: HttpRequest | None = None,
) -> ImportOutcome:
    """Check an uploaded template whole, then save it as the chosen mode says (ExcelImportError: nothing saved)."""
    if mode not in ImportMode.values:
        raise ValidationError({"mode": _("Pilih cara menyimpan: semua atau tidak sama sekali, atau baris yang benar.")})
    package = _package_for_import(actor, package_id)  # 404 before a single byte is read
    _check_open(package)
    with _collector_paused():
        return _import(actor, package.pk, upload, mode, over_capacity_reason, request)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Cyclic garbage collection waits while 10,000 rows become objects.

    The collector would walk them again and again, a fifth of an import's time; they hold
    no cycles that matter and reference counting frees them anyway.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import(
    actor: Any, package_id: int, upload: Any, mode: str, over_capacity_reason: str, request: HttpRequest | None
) -> ImportOutcome:
    rows = read_participants(read_upload(upload), package_id=package_id)
    built = {row.number: _build(row) for row in rows}
    try:
        with transaction.atomic():
            package = _package_for_import(actor, package_id, Package.objects.select_for_update(of=("self",)))
            _check_open(package)
            existing, enrolled, warnings = _check_records(package, rows)
            valid = [row for row in rows if not row.errors]
            failed = [row for row in rows if row.errors]
            errors = sorted((error for row in failed for error in row.errors), key=sort_key)
            adding = len(valid) if mode == ImportMode.VALID_ROWS else len(rows)
            full = capacity_error(package, len(enrolled), adding, over_capacity_reason)
            if full is not None:
                message = " ".join(full.messages)
                raise ExcelImportError([CellError(None, None, _("Kuota paket"), message), *errors])
            if mode == ImportMode.ALL_OR_NOTHING and errors:
                raise ExcelImportError(errors)
            reason = over_capacity_reason.strip()[:255]
            _save(actor, package, valid, built, existing, len(enrolled), reason)
            changes.centre_months_changed(package.center_id, [package.end_date])
            record = _record(actor, package, upload, mode, rows, valid, failed, existing, request)
    except IntegrityError:  # someone registered one of these people a moment ago
        raise refuse(_("Sebagian peserta baru saja didaftarkan orang lain: unggah lagi berkas yang sama.")) from None
    saved = {row.number for row in valid}
    return ImportOutcome(record, errors, [warning for warning in warnings if warning.row in saved])


def participant_import_failed_file(
    *, actor: Any, package_id: Any, import_id: Any, request: HttpRequest | None = None
) -> ParticipantImport:
    """The import whose file of failed rows the actor may download (its uploader, or Admin Pusat); audited."""
    with transaction.atomic():
        record = policy.get_or_404(
            actor, ParticipantImport.objects.select_related("package"), Action.VIEW, pk=import_id, package=package_id
        )
        if record.actor_id != actor.pk and actor.role != Role.ADMIN_PUSAT:
            raise Http404
        if not record.failed_file or not record.failed_file.storage.exists(record.failed_file.name):
            raise Http404
        detail = {"what": "participant_import_failed_rows", "import": record.pk, "rows": record.failed}
        target = record.package
        audit_event_record(action=AuditAction.EXPORT, actor=actor, target=target, request=request, detail=detail)
    return record


def _package_for_import(actor: Any, package_id: Any, queryset: QuerySet[Package] | None = None) -> Package:
    queryset = (queryset if queryset is not None else Package.objects.all()).select_related("center")
    package = policy.get_or_404(actor, queryset, Action.VIEW, pk=package_id)
    policy.require(actor, Action.CREATE, ParticipantImport(package=package))
    return package


def _check_open(package: Package) -> None:
    if package.status == PackageStatus.FINISHED:
        raise refuse(_("Paket sudah selesai: tidak dapat menambah peserta."))


def _build(row: SheetRow) -> Person | None:
    """The row's person, checked as the enrolment form checks one; errors land on the row's cells."""
    try:
        return person_build(row.person)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            code = FIELD_COLUMN.get(name, "nik")
            if not row.failed(code):  # a cell that could not be read already says why
                row.fail(code, " ".join(messages))
        return None


def _chunks(values: list[str]) -> Any:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _check_records(package: Package, rows: list[SheetRow]) -> tuple[dict[str, Person], set[int], list[CellError]]:
    """Each row against the file, the registered people and areas, and the package; returns what was found."""
    numbers: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.nik:
            numbers[row.nik].append(row.number)
    niks = sorted(numbers)
    existing: dict[str, Person] = {}
    for chunk in _chunks(niks):
        existing.update((p.nik, p) for p in Person.objects.filter(nik__in=chunk).only("nik", "full_name", "birth_date"))
    codes = sorted({row.district for row in rows if row.district} | {_nik_district(nik) for nik in niks})
    districts: dict[str, bool] = {}
    for chunk in _chunks(codes):
        districts.update(District.objects.filter(code__in=chunk).values_list("code", "is_active"))
    enrolled = set(package.enrolments.values_list("person_id", flat=True))
    warnings: list[CellError] = []
    for row in rows:
        if row.district and row.district not in districts:
            row.fail("kode_kecamatan", _("Kode kecamatan ini tidak ada dalam data wilayah Kemendagri."))
        elif row.district and not districts[row.district]:
            row.fail("kode_kecamatan", _("Kode kecamatan ini sudah tidak berlaku: pakai kode yang baru."))
        if not row.nik:
            continue
        others = [str(n) for n in numbers[row.nik] if n != row.number]
        person = existing.get(row.nik)
        if others:
            shown = ", ".join(others[:SHOWN_OTHER_ROWS]) + (" …" if len(others) > SHOWN_OTHER_ROWS else "")
            message = _("NIK pada baris ini sama dengan NIK di baris %(rows)s: satu orang cukup satu baris.")
            row.fail("nik", message % {"rows": shown})
        elif person is not None and person.pk in enrolled:
            row.fail("nik", _("Orang ini sudah terdaftar di paket ini."))
        elif (
            person is not None
            and not (row.failed("nama") or row.failed("tanggal_lahir"))
            and not same_person(person, full_name=row.person["full_name"], birth_date=row.person["birth_date"])
        ):
            row.fail(
                "nik",
                _(
                    "NIK ini sudah terdaftar atas nama atau tanggal lahir lain. Periksa NIK dan data peserta; "
                    "bila keduanya benar, minta Admin Pusat memeriksa data yang terdaftar."
                ),
            )
        if person is None and _nik_district(row.nik) not in districts:
            message = _(
                "Kode wilayah pada NIK tidak ada dalam data wilayah Kemendagri (bisa jadi kode lama). "
                "NIK tetap diterima; periksa sekali lagi."
            )
            warnings.append(CellError(row.number, row.letters["nik"], str(COLUMNS[0].label), message))
    return existing, enrolled, warnings


def _nik_district(nik: str) -> str:
    return f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"


def _save(
    actor: Any,
    package: Package,
    valid: list[SheetRow],
    built: dict[int, Person | None],
    existing: dict[str, Person],
    enrolled: int,
    reason: str,
) -> None:
    """People new to Simpul, each row's consent and enrolment: in bulk, with history by the actor."""
    new_people: list[Person] = []
    for row in valid:
        person = built[row.number]
        if row.nik in existing or person is None:
            continue
        person.phone = row.phone or ""
        if row.district:
            person.district_id, person.regency_id, person.province_id = row.district, row.district[:5], row.district[:2]
        new_people.append(person)
    people = dict(existing)
    people.update((p.nik, p) for p in bulk_insert_with_history(new_people, Person, user=actor, batch_size=BATCH))
    # Ids, not instances: 20,000 related-object assignments are measurable.
    consents = []
    for row in valid:
        assert row.consent_on is not None  # a required column: a row without it is not valid
        consents.append(
            Consent(
                person_id=people[row.nik].pk,
                purpose=ConsentPurpose.TRAINING,
                given_on=row.consent_on,
                recorded_by_id=actor.pk,
                center_id=package.center_id,
            )
        )
    Consent.objects.bulk_create(consents, batch_size=BATCH)
    enrolments = [
        Enrolment(
            package_id=package.pk,
            person_id=people[row.nik].pk,
            enrolled_by_id=actor.pk,
            source=EnrolmentSource.IMPORT,
            # As on the form: the reason stays with each person taken beyond the capacity.
            over_capacity_reason=reason if enrolled + index >= package.capacity else "",
        )
        for index, row in enumerate(valid)
    ]
    bulk_insert_with_history(enrolments, Enrolment, user=actor, batch_size=BATCH)
    person_areas_add(package_id=package.pk)


def _record(
    actor: Any,
    package: Package,
    upload: Any,
    mode: str,
    rows: list[SheetRow],
    valid: list[SheetRow],
    failed: list[SheetRow],
    existing: dict[str, Person],
    request: HttpRequest | None,
) -> ParticipantImport:
    record = ParticipantImport(
        package=package,
        actor=actor,
        # A file name may hold a NIK ("peserta-3578….xlsx"): kept masked.
        file_name=redact_niks(PurePath(str(getattr(upload, "name", "") or "")).name)[:200],
        mode=mode,
        rows=len(rows),
        saved=len(valid),
        failed=len(failed),
        existing_people=sum(1 for row in valid if row.nik in existing),
    )
    if failed:
        body = template_workbook(
            package, [([row.raw.get(c.code) for c in COLUMNS], row.number, _reason(row)) for row in failed]
        )
        # The stored name is ours: nothing the uploader typed reaches the file system.
        record.failed_file.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(body), save=False)
    try:
        record.save()
        detail = {
            "what": "participants",
            "import": record.pk,
            "mode": mode,
            "rows": record.rows,
            "saved": record.saved,
            "failed": record.failed,
            "existing_people": record.existing_people,
        }
        audit_event_record(action=AuditAction.IMPORT, actor=actor, target=package, request=request, detail=detail)
    except Exception:
        if record.failed_file:
            record.failed_file.delete(save=False)
        raise
    return record


def _reason(row: SheetRow) -> str:
    return "; ".join(
        f"{error.column or '–'}{f' ({error.label})' if error.label else ''}: {error.message}"
        for error in sorted(row.errors, key=sort_key)
    )
