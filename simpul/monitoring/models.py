"""Monitoring's aggregates, kept up to date in the same transaction as each write.

- `CentreMonth`: one row per centre and month, every measure of measures.py,
  recomputed from the records whenever they change (facts.py). The centre's
  area, cohort and development class are copied onto the row so a scope or a
  filter never needs a join.
- `AreaMonth`: the same measures summed for a scope (the nation, a province, a
  regency) and a dimension of it: the total, each child area, each cohort and
  each development class. A dashboard reads tens of these rows instead of
  thousands of centre rows; each centre-month change adds its difference to
  the twelve rows it belongs to.
- `VocationMonth` / `AreaVocationMonth`: the training records per kejuruan,
  the same way.

`rebuild` (facts.py) recomputes everything from the records; the tests check
that what the writes kept equals what a rebuild gives.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .measures import MEASURES, VOCATION_MEASURES


class ScopeLevel(models.TextChoices):
    NATIONAL = "N", _("Nasional")
    PROVINCE = "P", _("Provinsi")
    REGENCY = "R", _("Kabupaten/kota")


class Dimension(models.TextChoices):
    TOTAL = "", _("Jumlah")
    AREA = "area", _("Wilayah")
    COHORT = "cohort", _("Angkatan")
    CLASS = "class", _("Klasifikasi")


class CentreMonthBase(models.Model):
    center = models.ForeignKey("centers.Center", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="+")
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT, related_name="+")
    cohort = models.PositiveSmallIntegerField(null=True)
    development_class = models.CharField(max_length=12, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.center_id} {self.month:%Y-%m}"


class AreaMonthBase(models.Model):
    scope_level = models.CharField(max_length=1, choices=ScopeLevel.choices)
    scope_code = models.CharField(max_length=13, blank=True)  # "" for the nation
    dim = models.CharField(max_length=8, choices=Dimension.choices, blank=True)
    dim_value = models.CharField(max_length=13, blank=True)
    month = models.DateField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.scope_level}{self.scope_code} {self.dim}={self.dim_value} {self.month:%Y-%m}"


class CentreMonth(CentreMonthBase):
    class Meta:
        constraints = [models.UniqueConstraint(fields=["center", "month"], name="centremonth_one_per_month")]
        indexes = [
            models.Index(fields=["regency", "month"], name="centremonth_regency_month"),
            models.Index(fields=["province", "month"], name="centremonth_province_month"),
            models.Index(fields=["month"], name="centremonth_month"),
        ]


class AreaMonth(AreaMonthBase):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope_level", "scope_code", "dim", "dim_value", "month"], name="areamonth_one_per_key"
            )
        ]


class VocationMonth(CentreMonthBase):
    vocation = models.CharField(max_length=20)  # centers.Vocation code

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "vocation", "month"], name="vocationmonth_one_per_key")
        ]
        indexes = [models.Index(fields=["regency", "month"], name="vocationmonth_regency_month")]


class AreaVocationMonth(AreaMonthBase):
    vocation = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope_level", "scope_code", "dim", "dim_value", "vocation", "month"],
                name="areavocationmonth_one_per_key",
            )
        ]


for _measure in MEASURES:
    for _model in (CentreMonth, AreaMonth):
        _model.add_to_class(_measure.name, models.BigIntegerField(default=0))
for _measure in VOCATION_MEASURES:
    for _vocation_model in (VocationMonth, AreaVocationMonth):
        _vocation_model.add_to_class(_measure.name, models.BigIntegerField(default=0))
