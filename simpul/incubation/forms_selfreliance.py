"""Forms of the self-reliance pages: list filters, running a year, applying a proposed class."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.centers.models import FIRST_COHORT, DevelopmentClass
from simpul.regions.models import Province

from .selectors.selfreliance import AssessmentFilters, Readiness, StandAloneFilters


def _province_choices(provinces: QuerySet[Province]) -> list[tuple[str, Any]]:
    return [("", _("Semua provinsi")), *((p.pk, p.name) for p in provinces)]


class AssessmentFilterForm(forms.Form):
    tahun = forms.TypedChoiceField(label=_("Tahun"), coerce=int, required=False)
    provinsi = forms.ChoiceField(label=_("Provinsi"), required=False)
    kelas = forms.ChoiceField(
        label=_("Kelas usulan"), required=False, choices=[("", _("Semua kelas")), *DevelopmentClass.choices]
    )
    berbeda = forms.BooleanField(label=_("Hanya yang kelas usulannya berbeda dari kelas sekarang"), required=False)
    q = forms.CharField(label=_("Cari BLK atau kabupaten/kota"), required=False, max_length=100)

    def __init__(self, *args: Any, years: list[int], provinces: QuerySet[Province], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        self.fields["tahun"].choices = [(y, y) for y in years]  # type: ignore[attr-defined]
        self.fields["provinsi"].choices = _province_choices(provinces)  # type: ignore[attr-defined]

    def filters(self) -> AssessmentFilters:
        """The chosen filters; anything invalid is simply not applied (the latest year by default)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return AssessmentFilters(
            year=data.get("tahun") or (self.years[0] if self.years else None),
            province=data.get("provinsi") or "",
            development_class=data.get("kelas") or "",
            differs=bool(data.get("berbeda")),
            q=(data.get("q") or "").strip(),
        )


class StandAloneFilterForm(forms.Form):
    provinsi = forms.ChoiceField(label=_("Provinsi"), required=False)
    kesiapan = forms.ChoiceField(
        label=_("Kesiapan"),
        required=False,
        choices=[("", _("Semua")), *((key, label) for key, label in Readiness.LABELS.items())],
    )
    q = forms.CharField(label=_("Cari BLK atau kabupaten/kota"), required=False, max_length=100)

    def __init__(self, *args: Any, provinces: QuerySet[Province], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provinsi"].choices = _province_choices(provinces)  # type: ignore[attr-defined]

    def filters(self) -> StandAloneFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return StandAloneFilters(
            province=data.get("provinsi") or "", readiness=data.get("kesiapan") or "", q=(data.get("q") or "").strip()
        )


class AssessmentRunForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun yang dinilai"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, y) for y in range(this_year, FIRST_COHORT - 1, -1)]  # type: ignore[attr-defined]
        self.fields["year"].initial = this_year - 1


class ApplyClassForm(forms.Form):
    assessment = forms.IntegerField(widget=forms.HiddenInput)
    development_class = forms.ChoiceField(choices=DevelopmentClass.choices, widget=forms.HiddenInput)
