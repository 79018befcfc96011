"""The yearly self-reliance (kemandirian) assessment of a centre: indicators, score, class."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Assessment(models.Model):
    center = models.ForeignKey(
        "centers.Center", verbose_name=_("BLK"), on_delete=models.PROTECT, related_name="self_reliance"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    # Indicators (each 0-100 after scoring), and the facts they came from: {indicator: {"value": ..., "points": ...}}.
    facts = models.JSONField(_("indikator"), default=dict)
    score = models.DecimalField(
        _("skor"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    development_class = models.CharField(_("klasifikasi"), max_length=12)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["assessed_at"])

    class Meta:
        verbose_name = _("penilaian kemandirian")
        verbose_name_plural = _("penilaian kemandirian")
        ordering = ["center", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year"],
                name="incubation_one_assessment_per_year",
                violation_error_message=_("BLK ini sudah dinilai untuk tahun ini."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.year}: {self.score}"
