"""What the monitoring figures are made of: stored measures and the indicators built on them.

A *measure* is a whole number kept per centre and month (and summed up the
area tree); an *indicator* is what a person reads on a dashboard: a measure,
a sum of measures, or a rate of two sums. Keeping the list here, once, lets the
models, the refresh, the rollups, the panels, the exports and the benchmark
all follow it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Measure:
    name: str
    label: Any
    source: str  # where it comes from, for docs and the "records behind" link


MEASURES: tuple[Measure, ...] = (
    # The approved monthly activity report (LAPBUL) of the month.
    Measure("reports_approved", _("laporan bulanan disetujui"), "lapbul"),
    Measure("participants_m", _("peserta laki-laki"), "lapbul"),
    Measure("participants_f", _("peserta perempuan"), "lapbul"),
    Measure("graduates_m", _("lulus laki-laki"), "lapbul"),
    Measure("graduates_f", _("lulus perempuan"), "lapbul"),
    Measure("certified_m", _("bersertifikat laki-laki"), "lapbul"),
    Measure("certified_f", _("bersertifikat perempuan"), "lapbul"),
    Measure("employed_m", _("alumni bekerja laki-laki"), "lapbul"),
    Measure("employed_f", _("alumni bekerja perempuan"), "lapbul"),
    Measure("self_employed_m", _("alumni berwirausaha laki-laki"), "lapbul"),
    Measure("self_employed_f", _("alumni berwirausaha perempuan"), "lapbul"),
    Measure("training_hours", _("jam pelatihan"), "lapbul"),
    Measure("unit_revenue", _("omzet unit produksi (Rp)"), "lapbul"),
    # Reporting discipline: the monthly report of the month, whatever its state.
    Measure("reports_expected", _("laporan bulanan wajib"), "submissions"),
    Measure("reports_submitted", _("laporan bulanan masuk"), "submissions"),
    Measure("reports_on_time", _("laporan bulanan tepat waktu"), "submissions"),
    # Training records: alumni who found their first job or business, by graduation month.
    Measure("waiting_weeks_sum", _("jumlah masa tunggu (minggu)"), "tracing"),
    Measure("waiting_count", _("alumni dengan masa tunggu"), "tracing"),
    # Incubation: tenants' monthly business figures.
    Measure("tenant_revenue", _("omzet tenant (Rp)"), "business"),
    Measure("tenant_workers", _("tenaga kerja tenant"), "business"),
    # Aid: instalments paid in the month.
    Measure("aid_paid", _("bantuan dicairkan (Rp)"), "aid"),
)

MEASURE_NAMES: tuple[str, ...] = tuple(m.name for m in MEASURES)

# Training-record measures per vocation (kejuruan), by the month a package ended.
VOCATION_MEASURES: tuple[Measure, ...] = (
    Measure("participants_m", _("peserta laki-laki"), "training"),
    Measure("participants_f", _("peserta perempuan"), "training"),
    Measure("graduates", _("lulus"), "training"),
    Measure("certified", _("bersertifikat kompetensi"), "training"),
)
VOCATION_MEASURE_NAMES: tuple[str, ...] = tuple(m.name for m in VOCATION_MEASURES)


class Kind:
    COUNT = "count"
    RATE = "rate"  # shown as a percentage
    RUPIAH = "rupiah"
    WEEKS = "weeks"  # an average in weeks


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Any
    kind: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...] = ()
    # "flow" indicators add up over the months of a range; "stock" ones take the last month.
    stock: bool = False


INDICATORS: tuple[Indicator, ...] = (
    Indicator("participants", _("Peserta dilatih"), Kind.COUNT, ("participants_m", "participants_f")),
    Indicator("graduates", _("Lulus"), Kind.COUNT, ("graduates_m", "graduates_f")),
    Indicator(
        "graduation_rate",
        _("Tingkat kelulusan"),
        Kind.RATE,
        ("graduates_m", "graduates_f"),
        ("participants_m", "participants_f"),
    ),
    Indicator(
        "certification_rate",
        _("Tingkat sertifikasi"),
        Kind.RATE,
        ("certified_m", "certified_f"),
        ("graduates_m", "graduates_f"),
    ),
    Indicator(
        "placement_rate",
        _("Tingkat penempatan"),
        Kind.RATE,
        ("employed_m", "employed_f", "self_employed_m", "self_employed_f"),
        ("graduates_m", "graduates_f"),
    ),
    Indicator("waiting_weeks", _("Rata-rata masa tunggu"), Kind.WEEKS, ("waiting_weeks_sum",), ("waiting_count",)),
    Indicator("tenant_workers", _("Lapangan kerja tenant"), Kind.COUNT, ("tenant_workers",), stock=True),
    Indicator("tenant_revenue", _("Omzet tenant"), Kind.RUPIAH, ("tenant_revenue",)),
    Indicator("unit_revenue", _("Omzet unit produksi"), Kind.RUPIAH, ("unit_revenue",)),
    Indicator("completeness", _("Kelengkapan laporan"), Kind.RATE, ("reports_submitted",), ("reports_expected",)),
    Indicator("timeliness", _("Ketepatan waktu"), Kind.RATE, ("reports_on_time",), ("reports_expected",)),
    Indicator("aid_paid", _("Bantuan dicairkan"), Kind.RUPIAH, ("aid_paid",)),
)

INDICATOR_BY_KEY = {i.key: i for i in INDICATORS}


# The kejuruan panel's indicators, over VOCATION_MEASURES.
VOCATION_INDICATORS: tuple[Indicator, ...] = (
    Indicator("participants", _("Peserta"), Kind.COUNT, ("participants_m", "participants_f")),
    Indicator("participants_m", _("Peserta laki-laki"), Kind.COUNT, ("participants_m",)),
    Indicator("participants_f", _("Peserta perempuan"), Kind.COUNT, ("participants_f",)),
    Indicator("graduates", _("Lulus"), Kind.COUNT, ("graduates",)),
    Indicator(
        "graduation_rate", _("Tingkat kelulusan"), Kind.RATE, ("graduates",), ("participants_m", "participants_f")
    ),
    Indicator("certified", _("Bersertifikat kompetensi"), Kind.COUNT, ("certified",)),
    Indicator("certification_rate", _("Tingkat sertifikasi"), Kind.RATE, ("certified",), ("graduates",)),
)
