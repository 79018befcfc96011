"""Where the platform already knows a figure, the report is prefilled with it (and says from where).

Each source is a function of the submission. An indicator names its source
in `Indicator.prefill`; the form builder offers the registered keys. Later
parts (training records) add their sources here, reading their own selectors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simpul.centers.models import Condition, Facility, FacilityKind, Instructor
from simpul.training.models import OutcomeStatus, Sex
from simpul.training.selectors import figures

from .models import Instalment, Submission, SubmissionValue

PREVIOUS = "sebelumnya"


@dataclass(frozen=True)
class PrefillSource:
    key: str
    label: str | Promise
    compute: Callable[[Submission, str], Any]  # (submission, indicator code) -> value or None


SOURCES: dict[str, PrefillSource] = {}


def source(
    key: str, label: str | Promise
) -> Callable[[Callable[[Submission, str], Any]], Callable[[Submission, str], Any]]:
    def register(function: Callable[[Submission, str], Any]) -> Callable[[Submission, str], Any]:
        SOURCES[key] = PrefillSource(key=key, label=label, compute=function)
        return function

    return register


def choices() -> list[tuple[str, str]]:
    return [("", str(_("— tidak diisi otomatis —")))] + [(s.key, str(s.label)) for s in SOURCES.values()]


@source(PREVIOUS, _("laporan periode sebelumnya"))
def previous_value(submission: Submission, code: str) -> Any:
    earlier = (
        SubmissionValue.objects.filter(
            submission__center_id=submission.center_id,
            submission__form_id=submission.form_id,
            submission__period_start__lt=submission.period_start,
            indicator__code=code,
        )
        .order_by("-submission__period_start")
        .first()
    )
    return earlier.raw if earlier else None


@source("registri.instruktur_aktif", _("registri BLK: instruktur aktif"))
def active_instructors(submission: Submission, code: str) -> Any:
    return Decimal(Instructor.objects.filter(center_id=submission.center_id, is_active=True).count())


@source("registri.instruktur_bersertifikat", _("registri BLK: instruktur bersertifikat"))
def certified_instructors(submission: Submission, code: str) -> Any:
    return Decimal(
        Instructor.objects.filter(center_id=submission.center_id, is_active=True).exclude(certification="").count()
    )


def _facilities(submission: Submission, *conditions: str) -> Decimal:
    total = Facility.objects.filter(center_id=submission.center_id, condition__in=conditions).aggregate(
        total=Sum("quantity")
    )["total"]
    return Decimal(total or 0)


@source("registri.fasilitas_baik", _("registri BLK: fasilitas kondisi baik"))
def facilities_good(submission: Submission, code: str) -> Any:
    return _facilities(submission, Condition.GOOD)


@source("registri.fasilitas_rusak", _("registri BLK: fasilitas rusak"))
def facilities_damaged(submission: Submission, code: str) -> Any:
    return _facilities(submission, Condition.MINOR_DAMAGE, Condition.MAJOR_DAMAGE)


@source("registri.unit_produksi", _("registri BLK: ada unit produksi"))
def has_production_unit(submission: Submission, code: str) -> Any:
    return Facility.objects.filter(center_id=submission.center_id, kind=FacilityKind.PRODUCTION).exists()


@source("bantuan.dana_diterima", _("bantuan: tahap yang sudah cair"))
def aid_received(submission: Submission, code: str) -> Any:
    lpj = getattr(submission, "lpj", None)
    if lpj is None:
        return None
    total = Instalment.objects.filter(grant_id=lpj.grant_id, paid_on__isnull=False).aggregate(total=Sum("paid_amount"))[
        "total"
    ]
    return Decimal(total or 0)


def label_for(key: str) -> str:
    found = SOURCES.get(key)
    return str(found.label) if found else key


# --- From the training records (simpul.training): the monthly report's training figures ---------


def _month(submission: Submission) -> tuple[Any, Any]:
    return submission.period_start, submission.period_end


def _sexed(code: str) -> str:
    return Sex.FEMALE if code.endswith("_p") else Sex.MALE


@source("pelatihan.paket_berjalan", _("catatan pelatihan: paket yang berjalan"))
def training_packages(submission: Submission, code: str) -> Any:
    return Decimal(figures.packages_running(submission.center_id, *_month(submission)))


@source("pelatihan.jam", _("catatan pelatihan: jam pelatihan"))
def training_hours(submission: Submission, code: str) -> Any:
    return Decimal(figures.training_hours(submission.center_id, *_month(submission)))


@source("pelatihan.peserta", _("catatan pelatihan: peserta yang mulai berlatih"))
def training_enrolled(submission: Submission, code: str) -> Any:
    return Decimal(figures.enrolled_by_sex(submission.center_id, *_month(submission))[_sexed(code)])


@source("pelatihan.lulus", _("catatan pelatihan: lulusan"))
def training_graduates(submission: Submission, code: str) -> Any:
    return Decimal(figures.graduated_by_sex(submission.center_id, *_month(submission))[_sexed(code)])


@source("pelatihan.sertifikat", _("catatan pelatihan: lulus uji kompetensi"))
def training_certified(submission: Submission, code: str) -> Any:
    return Decimal(figures.certified_by_sex(submission.center_id, *_month(submission))[_sexed(code)])


@source("pelatihan.bekerja", _("penelusuran alumni: mulai bekerja"))
def alumni_employed(submission: Submission, code: str) -> Any:
    counts = figures.started_work_by_sex(submission.center_id, *_month(submission), OutcomeStatus.EMPLOYED)
    return Decimal(counts[_sexed(code)])


@source("pelatihan.wirausaha", _("penelusuran alumni: mulai berwirausaha"))
def alumni_self_employed(submission: Submission, code: str) -> Any:
    counts = figures.started_work_by_sex(submission.center_id, *_month(submission), OutcomeStatus.SELF_EMPLOYED)
    return Decimal(counts[_sexed(code)])
