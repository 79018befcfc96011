"""Forms of the training pages: parsing and field messages only; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.centers.models import Instructor, SubVocation, Vocation
from simpul.core.forms import bound_value, cascade_attrs
from simpul.core.idn import normalize_nik
from simpul.regions.models import District, Regency
from simpul.regions.selectors import province_list

from .models import CompetencyTest, Outcome, OutcomeStatus, Package, Person, Sex
from .reference import KBLI_SECTIONS
from .services.packages import PACKAGE_FIELDS
from .services.people import PERSON_FIELDS
from .services.tracing import OUTCOME_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


NAME_SEARCH_MIN_LENGTH = 3


class PackageForm(forms.ModelForm):
    class Meta:
        model = Package
        fields = [*PACKAGE_FIELDS, "instructors"]
        widgets = {"start_date": DATE, "end_date": DATE, "instructors": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, center: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        vocations = Vocation.objects.filter(centers=center).order_by("name")
        fields["vocation"].queryset = vocations if vocations.exists() else Vocation.objects.order_by("name")
        fields["sub_vocation"].queryset = SubVocation.objects.select_related("vocation").order_by(
            "vocation__name", "name"
        )
        fields["instructors"].queryset = Instructor.objects.filter(center=center, is_active=True)

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class PersonForm(forms.ModelForm):
    nik = forms.CharField(
        label=_("NIK"),
        max_length=25,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "16 digit"}),
    )

    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        widgets = {
            "birth_date": DATE,
            "sex": forms.RadioSelect,
            "province": forms.Select(attrs=cascade_attrs("regions:regency-options", "#id_regency")),
            "regency": forms.Select(
                attrs={**cascade_attrs("regions:district-options", "#id_district"), "data-clears": "id_district"}
            ),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "0812…"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["sex"].choices = Sex.choices
        fields["province"].queryset = province_list()
        province, regency = bound_value(self, "province"), bound_value(self, "regency")
        fields["regency"].queryset = Regency.objects.filter(is_active=True, province_id=province or "")
        fields["district"].queryset = District.objects.filter(is_active=True, regency_id=regency or "")

    def clean_nik(self) -> str:
        return normalize_nik(self.cleaned_data.get("nik"))

    def _post_clean(self) -> None:
        """The service validates the person (NIK against birth date and sex, dedup), not the form."""

    def person_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class EnrolmentForm(PersonForm):
    consent_given_on = forms.DateField(
        label=_("Tanggal persetujuan peserta"),
        widget=DATE,
        help_text=_("Peserta setuju datanya dipakai untuk pelatihan, sertifikasi dan penelusuran alumni."),
    )
    over_capacity_reason = forms.CharField(
        label=_("Alasan melebihi kuota"),
        required=False,
        max_length=255,
        help_text=_("Hanya bila paket sudah penuh."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("consent_given_on", timezone.localdate())


class AttendanceForm(forms.Form):
    day = forms.DateField(label=_("Tanggal sesi"), widget=DATE)
    present = forms.MultipleChoiceField(label=_("Hadir"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, enrolments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["present"].choices = [(str(e.pk), e.person.full_name) for e in enrolments]


class CompetencyTestForm(forms.ModelForm):
    class Meta:
        model = CompetencyTest
        fields = ["lsp", "scheme", "tested_on", "result", "certificate_number", "issued_on", "valid_until"]
        widgets = {"tested_on": DATE, "issued_on": DATE, "valid_until": DATE}
        help_texts = {"valid_until": _("Kosongkan: 3 tahun sejak terbit.")}

    def _post_clean(self) -> None:
        """Validated by the service (with the enrolment), not here."""

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = list(OUTCOME_FIELDS)
        widgets = {
            "status": forms.RadioSelect,
            "started_on": DATE,
            "occupation_code": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["status"].choices = OutcomeStatus.choices
        fields["business_sector"].choices = [("", "—"), *((code, f"{code} – {name}") for code, name in KBLI_SECTIONS)]

    def _post_clean(self) -> None:
        """Validated by the service (it knows the graduate), not here."""

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama"), required=False, max_length=100)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), required=False, choices=[("", _("Semua")), *Sex.choices])

    def clean_q(self) -> str:
        # Two letters match a name in almost every province and no index can find them quickly
        # (docs/performance.md); three find a name.
        term = " ".join(self.cleaned_data.get("q", "").split())
        if 0 < len(term) < NAME_SEARCH_MIN_LENGTH:
            raise forms.ValidationError(
                _("Ketik paling sedikit %(n)s huruf dari nama.") % {"n": NAME_SEARCH_MIN_LENGTH}
            )
        return term


class NikSearchForm(forms.Form):
    """Find a person by NIK. Sent by POST, so the number never lands in a URL or an access log."""

    nik = forms.CharField(
        label=_("Cari NIK"),
        max_length=25,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "16 digit"}),
    )

    def clean_nik(self) -> str:
        return normalize_nik(self.cleaned_data.get("nik"))
