from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.core.forms import bound_value, cascade_attrs
from simpul.core.idn import normalize_npwp
from simpul.regions.models import District, Province, Regency
from simpul.regions.selectors import province_list

from .models import (
    FIRST_COHORT,
    Center,
    CenterStatus,
    ContactPerson,
    DevelopmentClass,
    Facility,
    Instructor,
    SubVocation,
    Vocation,
)
from .selectors import CenterFilters
from .services import MANAGED_FIELDS, PROFILE_FIELDS


class CenterForm(forms.ModelForm):
    class Meta:
        model = Center
        fields = [*PROFILE_FIELDS, *MANAGED_FIELDS]
        widgets = {
            "province": forms.Select(attrs=cascade_attrs("regions:regency-options", "#id_regency")),
            "regency": forms.Select(
                attrs={**cascade_attrs("regions:district-options", "#id_district"), "data-clears": "id_district"}
            ),
            "vocations": forms.CheckboxSelectMultiple,
            "sub_vocations": forms.CheckboxSelectMultiple,
            "permit_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "opened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "latitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 5}),
            "npwp": forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "0000 0000 0000 0000"}),
            "cohort": forms.NumberInput(attrs={"min": FIRST_COHORT}),
        }

    def __init__(self, *args: Any, can_manage: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields  # model choice fields, typed loosely by the stubs
        if not can_manage:
            for name in MANAGED_FIELDS:
                del self.fields[name]
        else:
            fields["cohort"].widget.attrs["max"] = timezone.localdate().year + 1
        fields["province"].queryset = province_list()
        province = bound_value(self, "province")
        regency = bound_value(self, "regency")
        fields["regency"].queryset = Regency.objects.filter(is_active=True, province_id=province or "")
        fields["district"].queryset = District.objects.filter(is_active=True, regency_id=regency or "")
        fields["vocations"].queryset = Vocation.objects.order_by("name")
        fields["sub_vocations"].queryset = SubVocation.objects.select_related("vocation").order_by(
            "vocation__name", "name"
        )
        # The NPWP may be typed with separators (up to 16 digits after clean_npwp);
        # the model field's length check would refuse "0123 4567 8901 2345".
        fields["npwp"].max_length = None
        fields["npwp"].validators = [v for v in fields["npwp"].validators if not isinstance(v, MaxLengthValidator)]
        fields["npwp"].widget.attrs.pop("maxlength", None)

    def clean_npwp(self) -> str:
        return normalize_npwp(self.cleaned_data.get("npwp") or "")

    def clean_vin(self) -> str | None:
        value = (self.cleaned_data.get("vin") or "").strip().upper()
        return value or None

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class CenterFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama, lembaga, VIN"), required=False, max_length=100)
    province = forms.ModelChoiceField(
        label=_("Provinsi"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("Semua provinsi"),
        widget=forms.Select(attrs=cascade_attrs("regions:regency-options", "#id_regency")),
    )
    regency = forms.ModelChoiceField(
        label=_("Kabupaten/kota"), queryset=Regency.objects.none(), required=False, empty_label=_("Semua")
    )
    vocation = forms.ModelChoiceField(
        label=_("Kejuruan"), queryset=Vocation.objects.none(), required=False, empty_label=_("Semua kejuruan")
    )
    cohort = forms.TypedChoiceField(label=_("Tahun bantuan"), required=False, coerce=int, empty_value=None)
    development_class = forms.ChoiceField(
        label=_("Klasifikasi"), required=False, choices=[("", _("Semua")), *DevelopmentClass.choices]
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Semua")), *CenterStatus.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["province"].queryset = province_list()
        # The regency options follow the province; a shared link may name only
        # a regency, which is then the one option offered.
        regencies = Regency.objects.filter(is_active=True)
        province, regency = self.data.get("province"), self.data.get("regency")
        regencies = regencies.filter(province_id=province) if province else regencies.filter(pk=regency or "")
        fields["regency"].queryset = regencies
        fields["vocation"].queryset = Vocation.objects.order_by("name")
        years = range(timezone.localdate().year + 1, FIRST_COHORT - 1, -1)
        fields["cohort"].choices = [("", _("Semua")), *((y, str(y)) for y in years)]

    @property
    def active_count(self) -> int:
        """How many filters besides the search text are set (to open the filter panel)."""
        return sum(1 for name in self.fields if name != "q" and self.data.get(name))

    def filters(self) -> CenterFilters:
        """The valid filters; an invalid one (a stale link, a typo) is ignored, not an error page."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        return CenterFilters(
            q=(data.get("q") or "").strip(),
            province=data["province"].pk if data.get("province") else "",
            regency=data["regency"].pk if data.get("regency") else "",
            vocation=data["vocation"].pk if data.get("vocation") else None,
            cohort=data.get("cohort"),
            development_class=data.get("development_class") or "",
            status=data.get("status") or "",
        )


class InstructorForm(forms.ModelForm):
    class Meta:
        model = Instructor
        fields = ["full_name", "vocation", "phone", "email", "certification", "is_active"]


class FacilityForm(forms.ModelForm):
    class Meta:
        model = Facility
        fields = ["kind", "name", "quantity", "condition"]


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["full_name", "position", "phone", "email", "is_primary"]
