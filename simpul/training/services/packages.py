"""Running a training package: create, start, enrol, attendance, results, finish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.centers.models import Center, Instructor
from simpul.core import changes
from simpul.core.formats import format_date

from ..models import Attendance, Enrolment, EnrolmentSource, Package, PackageStatus, Result
from .areas import person_areas_add, person_areas_refresh
from .people import consent_record, nik_warnings, person_resolve

PACKAGE_FIELDS = (
    "name",
    "vocation",
    "sub_vocation",
    "start_date",
    "end_date",
    "hours",
    "funding",
    "funding_partner",
    "capacity",
)
FK_IDS = {"vocation_id": "vocation", "sub_vocation_id": "sub_vocation"}


def _check_fields(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(PACKAGE_FIELDS) - set(FK_IDS) - {"instructors"}
    if unknown:
        raise ValueError(f"unknown package fields: {sorted(unknown)}")


def _set_instructors(package: Package, instructors: Iterable[Any]) -> None:
    chosen = [i if isinstance(i, Instructor) else Instructor.objects.get(pk=i) for i in instructors]
    stray = [i for i in chosen if i.center_id != package.center_id]
    if stray:
        raise ValidationError({"instructors": _("Instruktur harus dari BLK penyelenggara paket ini.")})
    package.instructors.set(chosen)


def package_create(*, actor: Any, center_id: Any, **fields: Any) -> Package:
    _check_fields(fields)
    instructors = fields.pop("instructors", [])
    with transaction.atomic():
        center = policy.get_or_404(actor, Center.objects.all(), Action.VIEW, pk=center_id)
        package = Package(center=center, **{k: v for k, v in fields.items() if v is not None})
        policy.require(actor, Action.CREATE, package)
        package.full_clean()
        package._history_user = actor  # type: ignore[attr-defined]
        package.save()
        _set_instructors(package, instructors)
    return package


def package_update(*, actor: Any, package_id: Any, **fields: Any) -> Package:
    _check_fields(fields)
    instructors = fields.pop("instructors", None)
    with transaction.atomic():
        package = policy.get_or_404(actor, Package.objects.select_for_update(), Action.CHANGE, pk=package_id)
        if package.status == PackageStatus.FINISHED:
            raise ValidationError(_("Paket yang sudah selesai tidak dapat diubah."))
        ended = package.end_date
        for name, value in fields.items():
            setattr(package, name, "" if value is None and name == "funding_partner" else value)
        package.full_clean()
        if package.capacity < package.enrolments.count():
            raise ValidationError({"capacity": _("Kuota tidak boleh lebih kecil dari jumlah peserta terdaftar.")})
        outside = Attendance.objects.filter(enrolment__package=package).exclude(
            day__range=(package.start_date, package.end_date)
        )
        if outside.exists():
            raise ValidationError(
                {"start_date": _("Sudah ada kehadiran tercatat di luar tanggal baru ini; sesuaikan tanggalnya.")}
            )
        package._history_user = actor  # type: ignore[attr-defined]
        package.save()
        changes.centre_months_changed(package.center_id, [ended, package.end_date])
        if instructors is not None:
            _set_instructors(package, instructors)
    return package


def package_start(*, actor: Any, package_id: Any) -> Package:
    with transaction.atomic():
        package = policy.get_or_404(actor, Package.objects.select_for_update(), Action.CHANGE, pk=package_id)
        if package.status != PackageStatus.PLANNED:
            raise ValidationError(_("Hanya paket yang direncanakan yang dapat dimulai."))
        if not package.enrolments.exists():
            raise ValidationError(_("Daftarkan peserta dulu sebelum paket dimulai."))
        package.status = PackageStatus.RUNNING
        package._history_user = actor  # type: ignore[attr-defined]
        package.save(update_fields=["status"])
    return package


def package_finish(*, actor: Any, package_id: Any) -> Package:
    with transaction.atomic():
        package = policy.get_or_404(actor, Package.objects.select_for_update(), Action.CHANGE, pk=package_id)
        if package.status != PackageStatus.RUNNING:
            raise ValidationError(_("Hanya paket yang sedang berjalan yang dapat diselesaikan."))
        missing = package.enrolments.filter(result="").count()
        if missing:
            raise ValidationError(
                _("%(n)s peserta belum punya hasil (lulus/tidak lulus): isi dulu hasilnya.") % {"n": missing}
            )
        package.status = PackageStatus.FINISHED
        package._history_user = actor  # type: ignore[attr-defined]
        package.save(update_fields=["status"])
    return package


@dataclass(frozen=True)
class EnrolmentOutcome:
    enrolment: Enrolment
    existing_person: bool  # the NIK was already registered (at this or another centre)
    warnings: list[str]


def _open_for_enrolment(package: Package) -> None:
    if package.status == PackageStatus.FINISHED:
        raise ValidationError(_("Paket sudah selesai: tidak dapat menambah peserta."))


def capacity_error(package: Package, enrolled: int, adding: int, reason: str) -> ValidationError | None:
    if enrolled + adding <= package.capacity or reason.strip():
        return None
    return ValidationError(
        {
            "over_capacity_reason": _(
                "Paket ini berkuota %(capacity)s peserta dan sudah terisi %(enrolled)s. Untuk menambah peserta "
                "melebihi kuota, tulis alasannya."
            )
            % {"capacity": package.capacity, "enrolled": enrolled}
        }
    )


def enrolment_create(
    *,
    actor: Any,
    package_id: Any,
    person: Mapping[str, Any],
    consent_given_on: dt.date | None,
    over_capacity_reason: str = "",
) -> EnrolmentOutcome:
    """Enrol a person (found by NIK, or registered now) with their recorded consent."""
    if consent_given_on is None:
        raise ValidationError({"consent_given_on": _("Catat tanggal peserta memberi persetujuan atas datanya.")})
    with transaction.atomic():
        package = policy.get_or_404(actor, Package.objects.select_for_update(), Action.VIEW, pk=package_id)
        policy.require(actor, Action.CREATE, Enrolment(package=package))
        _open_for_enrolment(package)
        match = person_resolve(dict(person))
        if match.existed and package.enrolments.filter(person=match.person).exists():
            raise ValidationError({"nik": _("Orang ini sudah terdaftar di paket ini.")})
        error = capacity_error(package, package.enrolments.count(), 1, over_capacity_reason)
        if error:
            raise error
        people = match.person
        if not match.existed:
            people._history_user = actor  # type: ignore[attr-defined]
            try:
                with transaction.atomic():
                    people.save()
            except IntegrityError:  # registered by someone else a moment ago
                raise ValidationError({"nik": _("NIK ini baru saja didaftarkan orang lain: coba lagi.")}) from None
        consent_record(actor=actor, person=people, given_on=consent_given_on, center=package.center)
        enrolment = Enrolment(
            package=package,
            person=people,
            enrolled_by=actor,
            source=EnrolmentSource.FORM,
            over_capacity_reason=over_capacity_reason.strip() if package.enrolments.count() >= package.capacity else "",
        )
        enrolment._history_user = actor  # type: ignore[attr-defined]
        enrolment.save()
        person_areas_add(package_id=package.pk, person_id=people.pk)
        changes.centre_months_changed(package.center_id, [package.end_date])
    return EnrolmentOutcome(enrolment, match.existed, nik_warnings(people.nik))


def enrolment_remove(*, actor: Any, enrolment_id: Any) -> None:
    """Take someone out of a package that has not started (a mistake, or they withdrew before it began)."""
    with transaction.atomic():
        enrolment = policy.get_or_404(
            actor, Enrolment.objects.select_related("package"), Action.DELETE, pk=enrolment_id
        )
        if enrolment.package.status != PackageStatus.PLANNED:
            raise ValidationError(_("Peserta hanya dapat dihapus sebelum paket dimulai; setelahnya catat hasilnya."))
        enrolment._history_user = actor  # type: ignore[attr-defined]
        enrolment.delete()
        person_areas_refresh([enrolment.person_id])
        changes.centre_months_changed(enrolment.package.center_id, [enrolment.package.end_date])


def attendance_record(*, actor: Any, package_id: Any, day: dt.date, present: Iterable[Any]) -> int:
    """Record who came on one session day; everyone else enrolled is recorded absent. Returns the count present."""
    with transaction.atomic():
        package = policy.get_or_404(actor, Package.objects.all(), Action.CHANGE, pk=package_id)
        policy.require(actor, Action.CREATE, Enrolment(package=package))
        if not package.contains(day):
            raise ValidationError(
                {
                    "day": _("Tanggal %(day)s di luar masa pelatihan paket ini (%(start)s – %(end)s).")
                    % {
                        "day": format_date(day),
                        "start": format_date(package.start_date),
                        "end": format_date(package.end_date),
                    }
                }
            )
        if day > timezone.localdate():
            raise ValidationError({"day": _("Kehadiran tidak dapat dicatat untuk hari yang belum tiba.")})
        if package.status == PackageStatus.PLANNED:
            raise ValidationError(_("Mulai paket dulu sebelum mencatat kehadiran."))
        enrolments = {e.pk: e for e in package.enrolments.all()}
        chosen = {int(pk) for pk in present}
        if chosen - set(enrolments):
            raise ValidationError(_("Ada peserta yang bukan peserta paket ini."))
        existing = {a.enrolment_id: a for a in Attendance.objects.filter(enrolment__package=package, day=day)}
        for pk, enrolment in enrolments.items():
            row = existing.get(pk) or Attendance(enrolment=enrolment, day=day)
            row.present = pk in chosen
            row.recorded_by = actor
            row.save()
    return len(chosen)


def results_record(*, actor: Any, package_id: Any, results: Mapping[Any, tuple[str, str]]) -> int:
    """Record lulus / tidak lulus and the training certificate number, per enrolment id. Returns how many changed."""
    with transaction.atomic():
        package = policy.get_or_404(actor, Package.objects.select_for_update(), Action.CHANGE, pk=package_id)
        if package.status == PackageStatus.PLANNED:
            raise ValidationError(_("Hasil dicatat setelah paket dimulai."))
        if package.end_date > timezone.localdate():
            raise ValidationError(
                _("Hasil dicatat setelah pelatihan berakhir (%(end)s).") % {"end": format_date(package.end_date)}
            )
        enrolments = {e.pk: e for e in package.enrolments.select_for_update()}
        months = [package.end_date, *(e.graduated_on for e in enrolments.values())]
        errors: dict[str, list[str]] = {}
        numbers: dict[str, int] = {}
        changed = 0
        for raw_pk, (result, number) in results.items():
            enrolment = enrolments.get(int(raw_pk))
            if enrolment is None:
                raise ValidationError(_("Ada peserta yang bukan peserta paket ini."))
            number = (number or "").strip()
            if result not in ("", *Result.values):
                errors.setdefault(f"result_{enrolment.pk}", []).append(_("Pilih lulus atau tidak lulus."))
                continue
            if number and result != Result.PASSED:
                errors.setdefault(f"certificate_{enrolment.pk}", []).append(
                    _("Sertifikat pelatihan hanya untuk peserta yang lulus.")
                )
                continue
            if number and number in numbers:
                errors.setdefault(f"certificate_{enrolment.pk}", []).append(
                    _("Nomor sertifikat ini sudah dipakai peserta lain di paket ini.")
                )
                continue
            if number:
                numbers[number] = enrolment.pk
            if (enrolment.result, enrolment.certificate_number) == (result, number):
                continue
            enrolment.result = result
            enrolment.certificate_number = number
            enrolment.graduated_on = package.end_date if result == Result.PASSED else None
            enrolment._history_user = actor  # type: ignore[attr-defined]
            enrolment.save(update_fields=["result", "certificate_number", "graduated_on"])
            changed += 1
        if errors:
            raise ValidationError(errors)
        changes.centre_months_changed(package.center_id, months)
    return changed
