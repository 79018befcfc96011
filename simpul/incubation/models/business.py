"""A tenant's monthly business figures and products (produk unggulan)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .incubators import Incubator, Tenant


class MarketReach(models.TextChoices):
    LOCAL = "lokal", _("Lokal (kabupaten/kota)")
    REGIONAL = "regional", _("Regional (provinsi)")
    NATIONAL = "nasional", _("Nasional")
    RETAIL = "ritel", _("Jaringan ritel modern")
    EXPORT = "ekspor", _("Ekspor")


class BusinessFigure(models.Model):
    """One month of a tenant's business (the month is its first day)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="figures")
    month = models.DateField(_("bulan"))
    revenue = models.DecimalField(_("omzet (Rp)"), max_digits=15, decimal_places=0, validators=[MinValueValidator(0)])
    costs = models.DecimalField(
        _("biaya (Rp)"), max_digits=15, decimal_places=0, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    paid_workers = models.PositiveIntegerField(_("pekerja dibayar"))
    family_workers = models.PositiveIntegerField(_("pekerja keluarga"), default=0)
    products = models.PositiveIntegerField(_("jumlah produk"), default=0)
    market_reach = models.CharField(_("jangkauan pasar terjauh"), max_length=10, choices=MarketReach.choices)
    export_country = models.CharField(_("negara tujuan ekspor"), max_length=2, blank=True)
    financing = models.DecimalField(
        _("pembiayaan diterima (Rp)"), max_digits=15, decimal_places=0, default=0, validators=[MinValueValidator(0)]
    )
    financing_source = models.CharField(_("sumber pembiayaan"), max_length=150, blank=True)
    explanation = models.CharField(_("penjelasan"), max_length=500, blank=True)
    entered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["entered_at"])

    class Meta:
        verbose_name = _("angka usaha bulanan")
        verbose_name_plural = _("angka usaha bulanan")
        ordering = ["tenant", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "month"],
                name="incubation_one_figure_per_month",
                violation_error_message=_("Angka usaha bulan ini sudah tercatat."),
            ),
            models.CheckConstraint(condition=models.Q(revenue__gte=0), name="incubation_revenue_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.tenant} {self.month:%Y-%m}"

    @property
    def workers(self) -> int:
        return self.paid_workers + self.family_workers

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.month and self.month.day != 1:
            self.month = self.month.replace(day=1)
        if self.market_reach == MarketReach.EXPORT and not self.export_country:
            errors["export_country"] = _("Tulis negara tujuan ekspor.")
        if self.market_reach != MarketReach.EXPORT:
            self.export_country = ""
        if self.financing and not self.financing_source.strip():
            errors["financing_source"] = _("Tulis dari mana pembiayaan diterima.")
        if errors:
            raise ValidationError(errors)


class ProductCategory(models.TextChoices):
    FOOD = "makanan", _("Makanan dan minuman")
    FASHION = "busana", _("Busana dan tekstil")
    CRAFT = "kerajinan", _("Kerajinan")
    AGRI = "pertanian", _("Pertanian dan perikanan")
    SERVICE = "jasa", _("Jasa")
    DIGITAL = "digital", _("Produk digital")
    OTHER = "lainnya", _("Lainnya")


class Product(models.Model):
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="product_list")
    name = models.CharField(_("nama produk"), max_length=150)
    category = models.CharField(_("kategori"), max_length=12, choices=ProductCategory.choices)
    description = models.TextField(_("keterangan"), blank=True)
    price = models.DecimalField(_("harga (Rp)"), max_digits=12, decimal_places=0, validators=[MinValueValidator(0)])
    certifications = models.CharField(
        _("sertifikasi"), max_length=255, blank=True, help_text=_("Misalnya halal, P-IRT, SNI.")
    )
    where_sold = models.CharField(_("dijual di"), max_length=255, blank=True)
    public = models.BooleanField(_("tampil di etalase publik"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def incubator(self) -> Incubator:
        return self.tenant.incubator


class ProductPhoto(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("foto"), upload_to="produk/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("foto produk")
        verbose_name_plural = _("foto produk")
        ordering = ["product", "order", "id"]

    def __str__(self) -> str:
        return f"{self.product} #{self.order}"
