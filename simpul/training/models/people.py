"""People trained by the centres: one record per person (NIK) across all centres, with their consent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
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


class PersonArea(models.Model):
    """Where a person is listed: one row for each centre, regency and province that trained them.

    Exactly one of `center`, `regency` and `province` is set. The access policy scopes people through these
    rows (a join: one row per person and area, so nobody comes twice), and the person's name is copied here so
    an area's list and its name search walk the area's own (area, name) index: page 1 and page 200 of a
    province of 237,000 people read 26 rows, not the province's whole membership. Derived data, kept by the
    training services in the same transaction as the enrolment, the import, the name change or the centre's
    move (`services.areas`); `manage.py training_areas_rebuild` rebuilds it whole.
    """

    # Indexed for "this person's rows" (refresh, rename): the unique constraints below lead with the person
    # too, but are partial, and a planner cannot use them for `person_id IN (...)` alone (PostgreSQL read the
    # table's 4.5 million rows for each 500 people of an import). The (area, name) indexes serve the areas.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="areas")
    center = models.ForeignKey("centers.Center", on_delete=models.CASCADE, null=True, related_name="+", db_index=False)
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    province = models.ForeignKey(
        "regions.Province", on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    full_name = models.CharField(max_length=150)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(center__isnull=False, regency__isnull=True, province__isnull=True)
                    | Q(center__isnull=True, regency__isnull=False, province__isnull=True)
                    | Q(center__isnull=True, regency__isnull=True, province__isnull=False)
                ),
                name="training_personarea_one_area",
            ),
            *(
                models.UniqueConstraint(
                    fields=["person", level],
                    condition=Q(**{f"{level}__isnull": False}),
                    name=f"training_personarea_person_{level}",
                )
                for level in ("center", "regency", "province")
            ),
        ]
        indexes = [
            models.Index(
                fields=["center", "full_name", "person"],
                condition=Q(center__isnull=False),
                name="training_personarea_center",
            ),
            models.Index(
                fields=["regency", "full_name", "person"],
                condition=Q(regency__isnull=False),
                name="training_personarea_regency",
            ),
            models.Index(
                fields=["province", "full_name", "person"],
                condition=Q(province__isnull=False),
                name="training_personarea_province",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} @ {self.center_id or self.regency_id or self.province_id}"
