"""Competency certification (uji kompetensi) by a certification body (LSP), BNSP certificates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .packages import Enrolment

VALIDITY_YEARS = 3  # a BNSP competency certificate is valid three years


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class TestResult(models.TextChoices):
    COMPETENT = "kompeten", _("Kompeten")
    NOT_YET = "belum_kompeten", _("Belum kompeten")


class CompetencyTest(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("peserta paket"), on_delete=models.PROTECT, related_name="competency_tests"
    )
    lsp = models.CharField(_("LSP"), max_length=150, help_text=_("Lembaga Sertifikasi Profesi yang menguji."))
    scheme = models.CharField(_("skema sertifikasi"), max_length=200)
    tested_on = models.DateField(_("tanggal uji"), db_index=True)
    result = models.CharField(_("hasil"), max_length=15, choices=TestResult.choices)
    certificate_number = models.CharField(_("nomor sertifikat BNSP"), max_length=60, blank=True)
    issued_on = models.DateField(_("tanggal terbit"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uji kompetensi")
        verbose_name_plural = _("uji kompetensi")
        ordering = ["-tested_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~models.Q(certificate_number=""),
                name="training_bnsp_certificate_unique",
                violation_error_message=_("Nomor sertifikat BNSP ini sudah tercatat."),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(issued_on__isnull=True)
                | models.Q(valid_until__gt=models.F("issued_on")),
                name="training_certificate_expires_after_issue",
                violation_error_message=_("Sertifikat tidak mungkin berakhir sebelum atau pada hari terbitnya."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} ({self.tested_on})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        today = timezone.localdate()
        if self.tested_on and self.tested_on > today:
            errors["tested_on"] = _("Tanggal uji tidak boleh di masa depan.")
        if self.result == TestResult.COMPETENT:
            if not self.certificate_number.strip():
                errors["certificate_number"] = _("Peserta yang kompeten menerima nomor sertifikat BNSP: isi nomornya.")
            if not self.issued_on:
                errors["issued_on"] = _("Isi tanggal terbit sertifikat.")
        elif self.certificate_number or self.issued_on or self.valid_until:
            errors["certificate_number"] = _("Hanya peserta yang kompeten menerima sertifikat.")
        if self.issued_on and self.tested_on and self.issued_on < self.tested_on:
            errors["issued_on"] = _("Sertifikat tidak mungkin terbit sebelum tanggal uji.")
        if self.issued_on and self.valid_until and self.valid_until <= self.issued_on:
            errors["valid_until"] = _("Sertifikat tidak mungkin berakhir sebelum atau pada hari terbitnya.")
        if errors:
            raise ValidationError(errors)
