"""The BLK Komunitas registry: centres, their hosts, vocations, people and facilities."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from simpul.core.idn import validate_npwp

FIRST_COHORT = 2017  # the programme's first grant year

# Indonesia's extent with a margin (Sabang to Merauke, Miangas to Rote).
LATITUDE_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LONGITUDE_RANGE = (Decimal("94.5"), Decimal("141.5"))


class HostType(models.TextChoices):
    PONDOK_PESANTREN = "pondok_pesantren", _("Pondok pesantren")
    SEMINARI = "seminari", _("Seminari")
    DHAMMASEKHA = "dhammasekha", _("Dhammasekha")
    PASRAMAN = "pasraman", _("Pasraman")
    RELIGIOUS_OTHER = "lembaga_keagamaan", _("Lembaga keagamaan lain")
    UNION = "serikat_pekerja", _("Komunitas serikat pekerja/buruh")


class DevelopmentClass(models.TextChoices):
    TUMBUH = "tumbuh", _("Tumbuh")
    BERKEMBANG = "berkembang", _("Berkembang")
    MANDIRI = "mandiri", _("Mandiri")


class CenterStatus(models.TextChoices):
    ACTIVE = "aktif", _("Aktif")
    INCUBATOR = "inkubator", _("Inkubator wirausaha")
    INACTIVE = "nonaktif", _("Nonaktif")


class Vocation(models.Model):
    """A national vocation (kejuruan), e.g. Teknologi Informasi dan Komunikasi."""

    code = models.CharField(_("kode"), max_length=10, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kejuruan")
        verbose_name_plural = _("kejuruan")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SubVocation(models.Model):
    """A programme within a vocation, e.g. TIK -> Desain Grafis."""

    vocation = models.ForeignKey(Vocation, on_delete=models.PROTECT, related_name="sub_vocations")
    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sub-kejuruan")
        verbose_name_plural = _("sub-kejuruan")
        ordering = ["vocation__name", "name"]

    def __str__(self) -> str:
        return f"{self.vocation.name} – {self.name}"


class TechnicalUnit(models.Model):
    """A supervising technical unit of Kemnaker (UPT), e.g. BBPVP Semarang."""

    code = models.CharField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    location = models.CharField(_("lokasi"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("UPT pembina")
        verbose_name_plural = _("UPT pembina")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


vin_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9./-]{2,39}$",
    _("VIN hanya boleh berisi huruf, angka, titik, garis miring dan tanda hubung (3–40 karakter)."),
)
postal_code_validator = RegexValidator(r"^\d{5}$", _("Kode pos terdiri dari 5 angka."))


class Center(models.Model):
    name = models.CharField(_("nama BLK Komunitas"), max_length=200)
    host_type = models.CharField(_("jenis lembaga"), max_length=30, choices=HostType.choices)
    host_name = models.CharField(_("nama lembaga"), max_length=200, help_text=_("Misalnya Pondok Pesantren Al-Hikmah."))
    yayasan_name = models.CharField(_("nama yayasan"), max_length=200, blank=True)
    npwp = models.CharField(
        _("NPWP yayasan"), max_length=16, blank=True, validators=[validate_npwp], help_text=_("16 digit.")
    )
    address = models.CharField(_("alamat"), max_length=255, help_text=_("Jalan, nomor, desa/kelurahan."))
    province = models.ForeignKey(
        "regions.Province", verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="centers"
    )
    regency = models.ForeignKey(
        "regions.Regency", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="centers"
    )
    district = models.ForeignKey(
        "regions.District", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="centers"
    )
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True, validators=[postal_code_validator])
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = PhoneNumberField(_("telepon BLK"), blank=True)
    email = models.EmailField(_("surel BLK"), blank=True)

    cohort = models.PositiveSmallIntegerField(
        _("tahun bantuan (angkatan)"), validators=[MinValueValidator(FIRST_COHORT)], db_index=True
    )
    vocations = models.ManyToManyField(Vocation, verbose_name=_("kejuruan"), related_name="centers", blank=True)
    sub_vocations = models.ManyToManyField(
        SubVocation, verbose_name=_("sub-kejuruan"), related_name="centers", blank=True
    )
    vin = models.CharField(
        _("VIN"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        validators=[vin_validator],
        help_text=_("Vocational Identification Number."),
        error_messages={"unique": _("VIN ini sudah dipakai oleh BLK lain.")},
    )
    permit_number = models.CharField(_("nomor izin operasional"), max_length=100, blank=True)
    permit_date = models.DateField(_("tanggal izin operasional"), null=True, blank=True)
    technical_unit = models.ForeignKey(
        TechnicalUnit, verbose_name=_("UPT pembina"), on_delete=models.PROTECT, null=True, blank=True
    )
    development_class = models.CharField(
        _("klasifikasi"), max_length=12, choices=DevelopmentClass.choices, default=DevelopmentClass.TUMBUH
    )
    status = models.CharField(_("status"), max_length=12, choices=CenterStatus.choices, default=CenterStatus.ACTIVE)
    # A centre reports for the periods it is open (reporting's completeness).
    opened_on = models.DateField(_("mulai beroperasi"), help_text=_("Tanggal BLK mulai melatih."))
    closed_on = models.DateField(_("berhenti beroperasi"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[vocations, sub_vocations], excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("BLK Komunitas")
        verbose_name_plural = _("BLK Komunitas")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["province", "regency"], name="center_region"),
            models.Index(fields=["status"], name="center_status"),
            models.Index(fields=["development_class"], name="center_class"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.regency_id and self.province_id and self.regency.province_id != self.province_id:
            errors["regency"] = _("%(regency)s tidak berada di provinsi %(province)s.") % {
                "regency": self.regency,
                "province": self.province,
            }
        if self.district_id and self.regency_id and self.district.regency_id != self.regency_id:
            errors["district"] = _("Kecamatan %(district)s tidak berada di %(regency)s.") % {
                "district": self.district,
                "regency": self.regency,
            }
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Isi lintang dan bujur keduanya, atau kosongkan keduanya.")
        elif self.latitude is not None and self.longitude is not None:
            if not LATITUDE_RANGE[0] <= self.latitude <= LATITUDE_RANGE[1]:
                errors["latitude"] = _("Lintang %(value)s berada di luar wilayah Indonesia (−11,5 s.d. 6,5).") % {
                    "value": self.latitude
                }
            if not LONGITUDE_RANGE[0] <= self.longitude <= LONGITUDE_RANGE[1]:
                errors["longitude"] = _("Bujur %(value)s berada di luar wilayah Indonesia (94,5 s.d. 141,5).") % {
                    "value": self.longitude
                }
        this_year = timezone.localdate().year
        if self.cohort and self.cohort > this_year + 1:
            errors["cohort"] = _("Tahun bantuan paling lambat %(year)s.") % {"year": this_year + 1}
        if self.opened_on and self.cohort and self.opened_on.year < self.cohort:
            errors["opened_on"] = _("BLK tidak mungkin beroperasi sebelum tahun bantuannya (%(year)s).") % {
                "year": self.cohort
            }
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            errors["closed_on"] = _("Tanggal berhenti tidak boleh sebelum tanggal mulai beroperasi.")
        if (self.status == CenterStatus.INACTIVE) != (self.closed_on is not None):
            errors["closed_on"] = _("Isi tanggal berhenti beroperasi tepat ketika status BLK nonaktif.")
        if self.permit_date and self.permit_date > timezone.localdate():
            errors["permit_date"] = _("Tanggal izin operasional tidak boleh di masa depan.")
        if errors:
            raise ValidationError(errors)


class CenterChild(models.Model):
    """Something that belongs to one centre and is edited with it."""

    center = models.ForeignKey(Center, verbose_name=_("BLK"), on_delete=models.CASCADE)

    class Meta:
        abstract = True


class Instructor(CenterChild):
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    vocation = models.ForeignKey(Vocation, verbose_name=_("kejuruan"), on_delete=models.PROTECT, null=True, blank=True)
    phone = PhoneNumberField(_("nomor telepon"), blank=True)
    email = models.EmailField(_("surel"), blank=True)
    certification = models.CharField(
        _("sertifikasi"), max_length=200, blank=True, help_text=_("Misalnya sertifikat kompetensi BNSP.")
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instruktur")
        verbose_name_plural = _("instruktur")
        ordering = ["full_name", "id"]
        default_related_name = "instructors"

    def __str__(self) -> str:
        return self.full_name


class FacilityKind(models.TextChoices):
    CLASSROOM = "ruang_teori", _("Ruang teori/kelas")
    WORKSHOP = "ruang_praktik", _("Ruang/bengkel praktik")
    COMPUTER_LAB = "lab_komputer", _("Laboratorium komputer")
    DORMITORY = "asrama", _("Asrama")
    OFFICE = "kantor", _("Ruang kantor")
    PRODUCTION = "unit_produksi", _("Unit produksi")
    STORAGE = "gudang", _("Gudang")
    OTHER = "lainnya", _("Lainnya")


class Condition(models.TextChoices):
    GOOD = "baik", _("Baik")
    MINOR_DAMAGE = "rusak_ringan", _("Rusak ringan")
    MAJOR_DAMAGE = "rusak_berat", _("Rusak berat")


class Facility(CenterChild):
    kind = models.CharField(_("jenis"), max_length=20, choices=FacilityKind.choices)
    name = models.CharField(_("nama/keterangan"), max_length=150)
    quantity = models.PositiveIntegerField(_("jumlah"), default=1, validators=[MinValueValidator(1)])
    condition = models.CharField(_("kondisi"), max_length=15, choices=Condition.choices, default=Condition.GOOD)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fasilitas")
        verbose_name_plural = _("fasilitas")
        ordering = ["kind", "name", "id"]
        default_related_name = "facilities"

    def __str__(self) -> str:
        return self.name


class ContactPerson(CenterChild):
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    position = models.CharField(_("jabatan"), max_length=100, help_text=_("Misalnya Ketua Yayasan, Kepala BLK."))
    phone = PhoneNumberField(_("nomor telepon"))
    email = models.EmailField(_("surel"), blank=True)
    is_primary = models.BooleanField(_("kontak utama"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("narahubung")
        verbose_name_plural = _("narahubung")
        ordering = ["-is_primary", "full_name", "id"]
        default_related_name = "contacts"

    def __str__(self) -> str:
        return f"{self.full_name} ({self.position})"
