"""Training packages (paket pelatihan), who is enrolled, who came on which day, and who passed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .people import Person

DEFAULT_CAPACITY = 16  # a package of the programme trains 16 people


class Funding(models.TextChoices):
    GOVERNMENT = "pemerintah", _("Paket bantuan pemerintah")
    OWN = "mandiri", _("Dana BLK sendiri")
    PARTNER = "mitra", _("Mitra")


class PackageStatus(models.TextChoices):
    PLANNED = "rencana", _("Direncanakan")
    RUNNING = "berjalan", _("Berjalan")
    FINISHED = "selesai", _("Selesai")


class Package(models.Model):
    center = models.ForeignKey(
        "centers.Center", verbose_name=_("BLK"), on_delete=models.PROTECT, related_name="training_packages"
    )
    name = models.CharField(_("nama paket"), max_length=150, help_text=_("Misalnya Operator Komputer Angkatan 2."))
    vocation = models.ForeignKey("centers.Vocation", verbose_name=_("kejuruan"), on_delete=models.PROTECT)
    sub_vocation = models.ForeignKey(
        "centers.SubVocation", verbose_name=_("sub-kejuruan"), on_delete=models.PROTECT, null=True, blank=True
    )
    instructors = models.ManyToManyField(
        "centers.Instructor", verbose_name=_("instruktur"), related_name="training_packages", blank=True
    )
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    hours = models.PositiveIntegerField(
        _("jam pelatihan"), validators=[MinValueValidator(1), MaxValueValidator(2000)], help_text=_("Jam pelajaran.")
    )
    funding = models.CharField(_("sumber dana"), max_length=12, choices=Funding.choices)
    funding_partner = models.CharField(
        _("nama mitra"), max_length=150, blank=True, help_text=_("Wajib bila sumber dana mitra.")
    )
    capacity = models.PositiveSmallIntegerField(
        _("kuota peserta"), default=DEFAULT_CAPACITY, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    status = models.CharField(_("status"), max_length=10, choices=PackageStatus.choices, default=PackageStatus.PLANNED)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[instructors], excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("paket pelatihan")
        verbose_name_plural = _("paket pelatihan")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["center", "-start_date"], name="training_package_center")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
        if self.start_date and self.end_date and (self.end_date - self.start_date).days > 366:
            errors["end_date"] = _("Satu paket pelatihan paling lama satu tahun.")
        sub_vocation = self.sub_vocation if self.sub_vocation_id else None
        if sub_vocation is not None and self.vocation_id and sub_vocation.vocation_id != self.vocation_id:
            errors["sub_vocation"] = _("Sub-kejuruan ini bukan bagian dari kejuruan yang dipilih.")
        if self.funding == Funding.PARTNER and not self.funding_partner.strip():
            errors["funding_partner"] = _("Tulis nama mitra yang mendanai paket ini.")
        if errors:
            raise ValidationError(errors)

    def contains(self, day: dt.date) -> bool:
        return self.start_date <= day <= self.end_date


class Result(models.TextChoices):
    PASSED = "lulus", _("Lulus")
    FAILED = "tidak_lulus", _("Tidak lulus")


class EnrolmentSource(models.TextChoices):
    FORM = "formulir", _("Formulir")
    IMPORT = "impor", _("Impor Excel")


class Enrolment(models.Model):
    """A person in a package, and how it ended for them."""

    package = models.ForeignKey(Package, verbose_name=_("paket"), on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(Person, verbose_name=_("peserta"), on_delete=models.PROTECT, related_name="enrolments")
    enrolled_at = models.DateTimeField(_("didaftarkan"), auto_now_add=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("didaftarkan oleh"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("sumber"), max_length=10, choices=EnrolmentSource.choices, default=EnrolmentSource.FORM)
    # Set when a full package took one more person, on purpose.
    over_capacity_reason = models.CharField(_("alasan melebihi kuota"), max_length=255, blank=True)
    # Not indexed: nine in ten are "lulus", and SQLite would walk that index instead of a centre's packages.
    result = models.CharField(_("hasil"), max_length=12, choices=Result.choices, blank=True)
    certificate_number = models.CharField(_("nomor sertifikat pelatihan"), max_length=60, blank=True)
    # The day the person graduated (the package's end), kept so reports need no join.
    graduated_on = models.DateField(_("tanggal lulus"), null=True, blank=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["enrolled_at"])

    class Meta:
        verbose_name = _("peserta paket")
        verbose_name_plural = _("peserta paket")
        ordering = ["person__full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "person"],
                name="training_one_enrolment_per_package",
                violation_error_message=_("Orang ini sudah terdaftar di paket ini."),
            ),
            models.CheckConstraint(
                condition=~models.Q(result="lulus") | models.Q(graduated_on__isnull=False),
                name="training_graduate_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.package}"

    @property
    def passed(self) -> bool:
        return self.result == Result.PASSED


class Attendance(models.Model):
    """Presence of one participant on one session day of the package."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField(_("tanggal"))
    present = models.BooleanField(_("hadir"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "day"], name="training_attendance_once_per_day")]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.day}: {'hadir' if self.present else 'tidak hadir'}"
