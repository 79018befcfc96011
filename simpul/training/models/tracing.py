"""Alumni tracing (penelusuran alumni): what graduates do 3, 6 and 12 months after training."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..reference import KBJI_GROUPS, KBLI_SECTIONS
from .packages import Enrolment

WAVES = (3, 6, 12)  # months after graduation


class Wave(models.IntegerChoices):
    M3 = 3, _("3 bulan")
    M6 = 6, _("6 bulan")
    M12 = 12, _("12 bulan")


class OutcomeStatus(models.TextChoices):
    EMPLOYED = "bekerja", _("Bekerja")
    SELF_EMPLOYED = "wirausaha", _("Berwirausaha")
    STUDYING = "studi", _("Melanjutkan pendidikan")
    NOT_YET = "belum_bekerja", _("Belum bekerja")


class Formality(models.TextChoices):
    FORMAL = "formal", _("Formal")
    INFORMAL = "informal", _("Informal")


class WageBand(models.TextChoices):
    UNDER_1M = "lt1", _("Kurang dari Rp1 juta")
    FROM_1M = "1-2", _("Rp1–2 juta")
    FROM_2M = "2-3", _("Rp2–3 juta")
    FROM_3M = "3-5", _("Rp3–5 juta")
    OVER_5M = "gt5", _("Lebih dari Rp5 juta")


class OutcomeSource(models.TextChoices):
    STAFF = "petugas", _("Dicatat petugas")
    SELF = "mandiri", _("Diisi alumni sendiri")


WORKING = (OutcomeStatus.EMPLOYED, OutcomeStatus.SELF_EMPLOYED)


class Outcome(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("lulusan"), on_delete=models.PROTECT, related_name="outcomes"
    )
    wave = models.PositiveSmallIntegerField(_("penelusuran"), choices=Wave.choices)
    status = models.CharField(_("status"), max_length=15, choices=OutcomeStatus.choices)
    # Employed
    employer = models.CharField(_("tempat bekerja"), max_length=150, blank=True)
    occupation_code = models.CharField(
        _("kode jabatan KBJI 2014"), max_length=4, blank=True, help_text=_("4 digit, mis. 7531 (penjahit).")
    )
    occupation = models.CharField(_("jabatan/pekerjaan"), max_length=150, blank=True)
    formality = models.CharField(_("sektor"), max_length=10, choices=Formality.choices, blank=True)
    wage_band = models.CharField(_("penghasilan per bulan"), max_length=5, choices=WageBand.choices, blank=True)
    # Self-employed
    business_name = models.CharField(_("nama usaha"), max_length=150, blank=True)
    business_sector = models.CharField(
        _("bidang usaha (KBLI)"), max_length=1, blank=True, choices=[(code, name) for code, name in KBLI_SECTIONS]
    )
    # Employed or self-employed: when it began, for the waiting time (masa tunggu).
    started_on = models.DateField(_("mulai bekerja/berusaha"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=10, choices=OutcomeSource.choices, default=OutcomeSource.STAFF)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["recorded_at"])

    class Meta:
        verbose_name = _("hasil penelusuran")
        verbose_name_plural = _("hasil penelusuran")
        ordering = ["enrolment", "wave"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "wave"],
                name="training_one_outcome_per_wave",
                violation_error_message=_("Hasil penelusuran untuk waktu ini sudah tercatat."),
            ),
        ]
        indexes = [models.Index(fields=["status", "started_on"], name="training_outcome_start")]

    def __str__(self) -> str:
        return f"{self.enrolment} – {self.get_wave_display()}: {self.get_status_display()}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.status == OutcomeStatus.EMPLOYED:
            for name in ("employer", "occupation", "formality", "wage_band"):
                if not getattr(self, name):
                    errors[name] = _("Wajib diisi untuk alumni yang bekerja.")
            if not self.occupation_code:
                errors["occupation_code"] = _("Wajib diisi untuk alumni yang bekerja.")
            elif len(self.occupation_code) != 4 or not self.occupation_code.isdigit():
                errors["occupation_code"] = _("Kode jabatan KBJI 2014 terdiri dari 4 angka.")
            elif self.occupation_code[:2] not in KBJI_GROUPS:
                errors["occupation_code"] = _("Dua digit pertama bukan golongan pokok KBJI 2014.")
        if self.status == OutcomeStatus.SELF_EMPLOYED:
            for name in ("business_name", "business_sector"):
                if not getattr(self, name):
                    errors[name] = _("Wajib diisi untuk alumni yang berwirausaha.")
        if self.status in WORKING:
            if not self.started_on:
                errors["started_on"] = _("Isi kapan mulai bekerja atau berusaha (untuk menghitung masa tunggu).")
            elif self.started_on > timezone.localdate():
                errors["started_on"] = _("Tanggal mulai tidak boleh di masa depan.")
        else:
            for name in (
                "employer",
                "occupation_code",
                "occupation",
                "formality",
                "wage_band",
                "business_name",
                "business_sector",
            ):
                setattr(self, name, "")
            self.started_on = None
        if errors:
            raise ValidationError(errors)


class TracerInvitation(models.Model):
    """A personal link for a graduate to answer one tracer wave without an account. Works once."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="tracer_invitations")
    wave = models.PositiveSmallIntegerField(_("penelusuran"), choices=Wave.choices)
    nonce = models.CharField(max_length=32, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    used_at = models.DateTimeField(_("dipakai pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("tautan penelusuran")
        verbose_name_plural = _("tautan penelusuran")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.enrolment} – {self.wave}"
