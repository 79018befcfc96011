"""Government aid to centres, its instalments, and the accountability reports (LPJ) each grant owes."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .submissions import Submission


class AidStream(models.TextChoices):
    BUILDING = "gedung_peralatan", _("Pembangunan gedung dan peralatan")
    TRAINING = "paket_pelatihan", _("Paket pelatihan")
    OPERATING = "operasional", _("Bantuan operasional")


class Grant(models.Model):
    center = models.ForeignKey("centers.Center", on_delete=models.PROTECT, related_name="grants")
    stream = models.CharField(_("jenis bantuan"), max_length=20, choices=AidStream.choices)
    year = models.PositiveSmallIntegerField(_("tahun anggaran"), validators=[MinValueValidator(2017)])
    amount = models.DecimalField(
        _("nilai bantuan (Rp)"), max_digits=15, decimal_places=0, validators=[MinValueValidator(Decimal(1))]
    )
    agreement_number = models.CharField(_("nomor PKS"), max_length=100)
    agreement_date = models.DateField(_("tanggal PKS"))
    # Physical progress reported by the centre (building grants); drives the second instalment.
    physical_progress = models.PositiveSmallIntegerField(
        _("progres fisik (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bantuan pemerintah")
        verbose_name_plural = _("bantuan pemerintah")
        ordering = ["-year", "center_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement_number"], name="one_grant_per_agreement"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stream_display()} {self.year} – {self.center}"


class InstalmentCondition(models.TextChoices):
    AFTER_AGREEMENT = "setelah_pks", _("Setelah PKS ditandatangani")
    PROGRESS_50 = "progres_50", _("Setelah LPJ progres disetujui (progres fisik 50%)")
    AFTER_FINAL_LPJ = "lpj_akhir", _("Setelah LPJ akhir disetujui")


class Instalment(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="instalments")
    order = models.PositiveSmallIntegerField(_("tahap"))
    percent = models.PositiveSmallIntegerField(
        _("persentase"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    condition = models.CharField(_("syarat pencairan"), max_length=20, choices=InstalmentCondition.choices)
    paid_on = models.DateField(_("tanggal cair"), null=True, blank=True)
    paid_amount = models.DecimalField(_("jumlah cair (Rp)"), max_digits=15, decimal_places=0, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tahap pencairan")
        verbose_name_plural = _("tahap pencairan")
        ordering = ["grant", "order"]
        constraints = [models.UniqueConstraint(fields=["grant", "order"], name="one_instalment_per_order")]

    def __str__(self) -> str:
        return f"{self.order}: {self.percent}%"

    @property
    def planned_amount(self) -> Decimal:
        return (self.grant.amount * self.percent / 100).quantize(Decimal(1))


class LpjKind(models.TextChoices):
    PROGRESS = "progres", _("LPJ progres (50%)")
    FINAL = "akhir", _("LPJ akhir (100%)")


class LpjObligation(models.Model):
    """An accountability report a grant owes; filled and reviewed as a submission of the LPJ form."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="lpjs")
    kind = models.CharField(_("jenis LPJ"), max_length=10, choices=LpjKind.choices)
    due_date = models.DateField(_("batas waktu"))
    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="lpj")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kewajiban LPJ")
        verbose_name_plural = _("kewajiban LPJ")
        ordering = ["grant", "due_date"]
        constraints = [models.UniqueConstraint(fields=["grant", "kind"], name="one_lpj_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.grant}"

    def clean(self) -> None:
        if self.grant_id and self.due_date and self.due_date < self.grant.agreement_date:
            raise ValidationError({"due_date": _("Batas waktu LPJ tidak boleh sebelum tanggal PKS.")})
