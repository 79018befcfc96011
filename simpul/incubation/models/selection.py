"""Incubator selection rounds: criteria with weights and a 1-5 rubric, candidates, reviewers, scores, decision."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

RUBRIC_MIN, RUBRIC_MAX = 1, 5


class RoundStatus(models.TextChoices):
    DRAFT = "draf", _("Disiapkan")
    SCORING = "penilaian", _("Penilaian")
    DECIDED = "diputuskan", _("Diputuskan")


class DataSource(models.TextChoices):
    """Where a criterion's data-derived score comes from (shown beside the reviewers' scores)."""

    NONE = "", _("Hanya penilaian reviewer")
    COMPLETENESS = "kelengkapan", _("Kelengkapan laporan 12 bulan terakhir")
    GRADUATES = "lulusan", _("Lulusan 12 bulan terakhir")
    PLACEMENT = "penempatan", _("Alumni bekerja atau berwirausaha")
    CLASS = "klasifikasi", _("Klasifikasi BLK")


class SelectionRound(models.Model):
    name = models.CharField(_("nama seleksi"), max_length=150)
    year = models.PositiveSmallIntegerField(_("tahun"))
    quota = models.PositiveSmallIntegerField(_("kuota inkubator"), validators=[MinValueValidator(1)])
    reviewers_per_candidate = models.PositiveSmallIntegerField(
        _("reviewer per calon"), default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    normalise = models.BooleanField(
        _("samakan skala reviewer"),
        default=False,
        help_text=_(
            "Nilai tiap reviewer dibakukan (z-score), agar reviewer yang ketat dan yang murah hati berbobot sama."
        ),
    )
    status = models.CharField(_("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pemilik"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("catatan keputusan"), blank=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("seleksi inkubator")
        verbose_name_plural = _("seleksi inkubator")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("kode"), max_length=30)
    name = models.CharField(_("kriteria"), max_length=150)
    weight = models.DecimalField(
        _("bobot (%)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    # The 1-5 rubric: what each score means for this criterion, {"1": "...", ..., "5": "..."}.
    rubric = models.JSONField(_("rubrik 1–5"), default=dict)
    data_source = models.CharField(
        _("data pendukung"), max_length=15, choices=DataSource.choices, blank=True, default=DataSource.NONE
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kriteria")
        verbose_name_plural = _("kriteria")
        ordering = ["round", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "code"],
                name="incubation_criterion_code_unique",
                violation_error_message=_("Kode kriteria sudah dipakai di seleksi ini."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Candidate(models.Model):
    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="candidates")
    center = models.ForeignKey("centers.Center", verbose_name=_("BLK"), on_delete=models.PROTECT, related_name="+")
    # The data the long-list was drawn from, frozen when the candidate was listed: {source: value}.
    facts = models.JSONField(_("data"), default=dict)
    data_score = models.DecimalField(_("skor data"), max_digits=6, decimal_places=3, default=Decimal(0))
    chosen = models.BooleanField(_("terpilih"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calon")
        verbose_name_plural = _("calon")
        ordering = ["round", "center__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "center"],
                name="incubation_candidate_once",
                violation_error_message=_("BLK ini sudah menjadi calon di seleksi ini."),
            )
        ]

    def __str__(self) -> str:
        return str(self.center)


class Assignment(models.Model):
    """A reviewer assigned to a candidate. A declared conflict takes the reviewer out: someone else is assigned."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    conflict = models.BooleanField(_("ada konflik kepentingan"), default=False)
    conflict_reason = models.CharField(_("alasan konflik"), max_length=255, blank=True)
    submitted_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("penugasan reviewer")
        verbose_name_plural = _("penugasan reviewer")
        ordering = ["candidate", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "reviewer"],
                name="incubation_assignment_once",
                violation_error_message=_("Reviewer ini sudah ditugaskan untuk calon ini."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.candidate}"


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(
        _("nilai"), validators=[MinValueValidator(RUBRIC_MIN), MaxValueValidator(RUBRIC_MAX)]
    )
    comment = models.CharField(_("alasan"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nilai")
        verbose_name_plural = _("nilai")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="incubation_score_once"),
            models.CheckConstraint(
                condition=models.Q(value__gte=RUBRIC_MIN, value__lte=RUBRIC_MAX),
                name="incubation_score_in_rubric",
                violation_error_message=_("Nilai harus 1 sampai 5 sesuai rubrik."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
