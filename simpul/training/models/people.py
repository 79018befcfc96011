"""People trained by the centres: one record per person (NIK) across all centres, with their consent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from simpul.core.idn import check_nik_against, mask_nik, parse_nik

# What the list pages may show of a person; everything else is personal data (see PERSONAL_FIELDS).
PERSONAL_FIELDS = ("nik", "birth_date", "address", "phone", "email")


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Education(models.TextChoices):
    NONE = "tidak_sekolah", _("Tidak/belum sekolah")
    SD = "sd", _("SD/sederajat")
    SMP = "smp", _("SMP/sederajat")
    SMA = "sma", _("SMA/SMK/sederajat")
    DIPLOMA = "diploma", _("Diploma (D1–D4)")
    S1 = "s1", _("Sarjana (S1)")
    S2 = "s2_plus", _("Pascasarjana (S2/S3)")


class Disability(models.TextChoices):
    NONE = "tidak_ada", _("Tidak ada")
    PHYSICAL = "fisik", _("Fisik")
    INTELLECTUAL = "intelektual", _("Intelektual")
    MENTAL = "mental", _("Mental")
    SENSORY = "sensorik", _("Sensorik (netra, rungu, wicara)")
    MULTIPLE = "ganda", _("Ganda")


class Person(models.Model):
    """A participant, known by NIK. Deduplicated: the NIK is unique across all centres."""

    nik = models.CharField(
        _("NIK"),
        max_length=16,
        unique=True,
        error_messages={"unique": _("NIK ini sudah terdaftar.")},
    )
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"))
    education = models.CharField(_("pendidikan terakhir"), max_length=15, choices=Education.choices)
    disability = models.CharField(_("disabilitas"), max_length=12, choices=Disability.choices, default=Disability.NONE)
    address = models.CharField(_("alamat"), max_length=255, blank=True, help_text=_("Jalan, nomor, RT/RW, desa."))
    province = models.ForeignKey(
        "regions.Province",
        verbose_name=_("provinsi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    regency = models.ForeignKey(
        "regions.Regency",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    district = models.ForeignKey(
        "regions.District",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = PhoneNumberField(_("nomor HP"), blank=True)
    email = models.EmailField(_("surel"), blank=True)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        ordering = ["full_name", "id"]
        indexes = [models.Index(fields=["full_name"], name="training_person_name")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)

    @property
    def female(self) -> bool:
        return self.sex == Sex.FEMALE

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            nik = parse_nik(self.nik)
        except ValidationError as error:
            errors["nik"] = error.messages
        else:
            self.nik = nik.value
            errors.update(
                check_nik_against(
                    nik,
                    birth_date=self.birth_date if isinstance(self.birth_date, dt.date) else None,
                    female=(self.sex == Sex.FEMALE) if self.sex else None,
                )
            )
        if isinstance(self.birth_date, dt.date) and self.birth_date > timezone.localdate():
            errors["birth_date"] = _("Tanggal lahir tidak boleh di masa depan.")
        if self.regency_id and self.province_id and not self.regency_id.startswith(f"{self.province_id}."):
            errors["regency"] = _("Kabupaten/kota ini tidak berada di provinsi yang dipilih.")
        if self.district_id and self.regency_id and not self.district_id.startswith(f"{self.regency_id}."):
            errors["district"] = _("Kecamatan ini tidak berada di kabupaten/kota yang dipilih.")
        if errors:
            raise ValidationError(errors)


class ConsentPurpose(models.TextChoices):
    TRAINING = "pelatihan", _("Penyelenggaraan pelatihan, sertifikasi dan penelusuran alumni")
    INCUBATION = "inkubasi", _("Pendampingan wirausaha (inkubasi)")


class Consent(models.Model):
    """A recorded consent (UU PDP): for which purpose, given when, recorded by whom."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("tujuan"), max_length=20, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("tanggal persetujuan"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)
    center = models.ForeignKey(
        "centers.Center", verbose_name=_("BLK"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_on = models.DateField(_("ditarik pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("persetujuan")
        verbose_name_plural = _("persetujuan")
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on})"

    def clean(self) -> None:
        if self.given_on and self.given_on > timezone.localdate():
            raise ValidationError({"given_on": _("Tanggal persetujuan tidak boleh di masa depan.")})
