"""Forms of the reporting pages (parsing only; the services validate and write)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from simpul.accounts import policy
from simpul.accounts.models import User
from simpul.accounts.policy import Action
from simpul.centers.models import Center
from simpul.regions.models import Province, Regency
from simpul.regions.selectors import province_list

from .models import AidStream, ReportForm, Status
from .periods import PeriodType
from .selectors.submissions import SubmissionFilters


def _region_fields(form: forms.Form) -> None:
    fields: dict[str, Any] = form.fields
    fields["province"].queryset = province_list()
    regencies = Regency.objects.filter(is_active=True)
    province, regency = form.data.get("province"), form.data.get("regency")
    fields["regency"].queryset = (
        regencies.filter(province_id=province) if province else regencies.filter(pk=regency or "")
    )


class RegionForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Provinsi"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("Semua provinsi"),
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("regions:regency-options"),
                "hx-target": "#id_regency",
                "hx-trigger": "change",
            }
        ),
    )
    regency = forms.ModelChoiceField(
        label=_("Kabupaten/kota"), queryset=Regency.objects.none(), required=False, empty_label=_("Semua")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _region_fields(self)

    def cleaned(self) -> dict[str, Any]:
        """The valid values; an invalid filter (a stale link) is ignored, not an error page."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}

    def region(self) -> dict[str, str]:
        data = self.cleaned()
        return {
            "province": data["province"].pk if data.get("province") else "",
            "regency": data["regency"].pk if data.get("regency") else "",
        }


class SubmissionFilterForm(RegionForm):
    form = forms.ModelChoiceField(
        label=_("Formulir"), queryset=ReportForm.objects.filter(is_active=True), required=False, empty_label=_("Semua")
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Semua")), *Status.choices])
    period = forms.CharField(label=_("Periode (mis. 2026-10)"), required=False, max_length=40)
    q = forms.CharField(label=_("Cari BLK"), required=False, max_length=100)

    def filters(self) -> SubmissionFilters:
        data = self.cleaned()
        region = self.region()
        return SubmissionFilters(
            form=data["form"].pk if data.get("form") else None,
            status=data.get("status") or "",
            period_key=(data.get("period") or "").strip(),
            province=region["province"],
            regency=region["regency"],
            q=(data.get("q") or "").strip(),
        )


class CompletenessForm(RegionForm):
    PERIOD_COUNTS = (3, 6, 12, 24)

    form = forms.ModelChoiceField(
        label=_("Formulir"), queryset=ReportForm.objects.none(), required=False, empty_label=None
    )
    periods = forms.TypedChoiceField(
        label=_("Periode terakhir"),
        coerce=int,
        required=False,
        choices=[(n, str(n)) for n in PERIOD_COUNTS],
        initial=12,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["form"].queryset = ReportForm.objects.filter(is_active=True).exclude(period_type="peristiwa")


class GrantForm(forms.Form):
    center = forms.IntegerField(widget=forms.HiddenInput)
    stream = forms.ChoiceField(label=_("Jenis bantuan"), choices=AidStream.choices)
    year = forms.IntegerField(label=_("Tahun anggaran"), min_value=2017, max_value=2100)
    amount = forms.DecimalField(label=_("Nilai bantuan (Rp)"), min_value=1, max_digits=15, decimal_places=0)
    agreement_number = forms.CharField(label=_("Nomor PKS"), max_length=100)
    agreement_date = forms.DateField(label=_("Tanggal PKS"), widget=forms.DateInput(attrs={"type": "date"}))
    progress_lpj_due = forms.DateField(
        label=_("Batas LPJ progres (50%)"),
        required=False,
        help_text=_("Kosongkan untuk bawaan: 120 hari setelah PKS (hanya bantuan gedung)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    final_lpj_due = forms.DateField(
        label=_("Batas LPJ akhir (100%)"),
        required=False,
        help_text=_("Kosongkan untuk bawaan: 240 hari setelah PKS."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Tanggal cair"), widget=forms.DateInput(attrs={"type": "date"}))
    paid_amount = forms.DecimalField(
        label=_("Jumlah cair (Rp)"), required=False, min_value=1, max_digits=15, decimal_places=0
    )


class ProgressForm(forms.Form):
    physical_progress = forms.IntegerField(label=_("Progres fisik (%)"), min_value=0, max_value=100)


class TemplateForm(RegionForm):
    """Which template: a form, a period, and a centre, or (officials) a region."""

    field_order = ["form", "period", "province", "regency", "center"]

    form = forms.ModelChoiceField(label=gettext_lazy("Formulir"), queryset=ReportForm.objects.none(), empty_label=None)
    period = forms.CharField(
        label=gettext_lazy("Periode"),
        max_length=40,
        help_text=gettext_lazy("Contoh: 2026-10 (bulanan), 2026-Q3 (triwulan), 2026-H2 (semester), 2026 (tahunan)."),
    )
    center = forms.IntegerField(label=gettext_lazy("BLK"), required=False, widget=forms.Select)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["form"].queryset = ReportForm.objects.filter(is_active=True).exclude(period_type=PeriodType.EVENT)
        self.for_region = policy.allowed(actor, Action.EXPORT, Center)
        centers = policy.scope_queryset(actor, Center.objects.all(), Action.CHANGE) | policy.scope_queryset(
            actor, Center.objects.all(), Action.EXPORT
        )
        if self.for_region:
            # Officials pick a regency first; its centres arrive by HTMX (the centre options endpoint).
            centers = centers.filter(regency_id=self.data.get("regency") or "")
            fields["regency"].widget.attrs.update(
                {"hx-get": reverse_lazy("centers:options"), "hx-target": "#id_center", "hx-trigger": "change"}
            )
            fields["center"].help_text = gettext_lazy("Kosongkan untuk semua BLK di wilayah yang dipilih.")
        else:
            del fields["province"], fields["regency"]
        choices = [(c.pk, c.name) for c in centers.order_by("name")[:1000]]
        if len(choices) == 1 and not self.is_bound:
            self.initial["center"] = choices[0][0]
        fields["center"].widget.choices = [("", gettext_now("— pilih BLK —")), *choices]

    def region(self) -> dict[str, str]:
        return super().region() if self.for_region else {"province": "", "regency": ""}
