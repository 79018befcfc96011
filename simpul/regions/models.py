"""Kemendagri administrative areas: province -> regency/city -> district.

Loaded from a published data set (see loader.py), never typed by hand. Codes
are Kemendagri's and serve as primary keys; codes change between versions, so
a code that disappears is retired (kept, marked inactive), never deleted.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (Asia/Jakarta)")
    WIB_PONTIANAK = "Asia/Pontianak", _("WIB (Asia/Pontianak)")
    WITA = "Asia/Makassar", _("WITA (Asia/Makassar)")
    WIT = "Asia/Jayapura", _("WIT (Asia/Jayapura)")


class RegionDataset(models.Model):
    """One loaded version of the published area data set."""

    version = models.CharField(_("versi"), max_length=40, unique=True)
    source = models.CharField(_("sumber"), max_length=200)
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(_("dimuat"), auto_now_add=True)
    province_count = models.PositiveIntegerField(default=0)
    regency_count = models.PositiveIntegerField(default=0)
    district_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("versi data wilayah")
        verbose_name_plural = _("versi data wilayah")
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} {self.version}"


class AreaBase(models.Model):
    name = models.CharField(_("nama"), max_length=120)
    is_active = models.BooleanField(_("berlaku"), default=True)
    introduced_in = models.ForeignKey(RegionDataset, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    retired_in = models.ForeignKey(RegionDataset, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Province(AreaBase):
    code = models.CharField(_("kode"), max_length=2, primary_key=True)
    timezone = models.CharField(_("zona waktu"), max_length=20, choices=TimeZone.choices)
    history = HistoricalRecords()

    class Meta(AreaBase.Meta):
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")


class Regency(AreaBase):
    code = models.CharField(_("kode"), max_length=5, primary_key=True)
    province = models.ForeignKey(
        Province, verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="regencies"
    )
    history = HistoricalRecords()

    class Meta(AreaBase.Meta):
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")


class District(AreaBase):
    code = models.CharField(_("kode"), max_length=8, primary_key=True)
    regency = models.ForeignKey(
        Regency, verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="districts"
    )
    history = HistoricalRecords()

    class Meta(AreaBase.Meta):
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")


def province_timezone(code: str) -> str:
    """The legal time zone of a province, by Kemendagri's island-group codes.

    1x Sumatra and 3x Java/Banten: WIB (Asia/Jakarta); 61-62 West and Central
    Kalimantan: WIB (Asia/Pontianak); 5x Bali-Nusa Tenggara, 63-65 the rest of
    Kalimantan and 7x Sulawesi: WITA; 8x Maluku and 9x Papua: WIT.
    """
    number = int(code)
    if 11 <= number <= 39:
        return TimeZone.WIB
    if number in (61, 62):
        return TimeZone.WIB_PONTIANAK
    if 51 <= number <= 59 or 63 <= number <= 69 or 71 <= number <= 79:
        return TimeZone.WITA
    if 81 <= number <= 99:
        return TimeZone.WIT
    raise ValueError(f"no time zone known for province code {code}")
