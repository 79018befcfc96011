"""Forms of the form builder pages (parsing only; services/builder.py validates and writes)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.centers.models import FIRST_COHORT, DevelopmentClass

from . import prefill
from .models import NUMERIC_TYPES, FormVersion, Indicator, IndicatorType, ReportForm, Section, ValidationRule
from .services.builder import FORM_FIELDS, FROZEN_AFTER_PUBLICATION, INDICATOR_FIELDS, RULE_FIELDS, SECTION_FIELDS

FORM_CODE = re.compile(r"^[A-Z][A-Z0-9_-]{1,19}$")
CHOICE_VALUE = re.compile(r"^[a-z0-9][a-z0-9_]{0,39}$")


def service_fields(form: forms.BaseForm) -> dict[str, Any]:
    """Keyword arguments for a builder service (a disabled field gives its current value)."""
    return {name: form.cleaned_data.get(name) for name in form.fields}


class ReportFormForm(forms.ModelForm):
    code = forms.CharField(
        label=gettext_lazy("Kode"),
        max_length=20,
        help_text=gettext_lazy("Huruf besar, angka, - atau _, mis. LAPBUL. Tetap setelah ada versi terbit."),
    )
    assigned_cohorts = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Angkatan (tahun bantuan)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Hanya untuk “BLK angkatan tertentu”."),
    )
    assigned_classes = forms.MultipleChoiceField(
        label=gettext_lazy("Klasifikasi"),
        choices=DevelopmentClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Hanya untuk “BLK klasifikasi tertentu”."),
    )

    class Meta:
        model = ReportForm
        fields = list(FORM_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_days": forms.NumberInput(attrs={"min": 0, "max": 365, "inputmode": "numeric"}),
        }

    def __init__(self, *args: Any, frozen: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = range(FIRST_COHORT, timezone.localdate().year + 2)
        self.fields["assigned_cohorts"].choices = [(year, str(year)) for year in years]  # type: ignore[attr-defined]
        if frozen:
            # What submissions and other parts rely on stays as published (the service refuses changes too).
            for name in FROZEN_AFTER_PUBLICATION:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Tidak dapat diubah setelah ada versi terbit.")

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip().upper()
        if not FORM_CODE.match(code):
            raise forms.ValidationError(_("Kode: 2–20 huruf besar, angka, - atau _, diawali huruf."))
        return code


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = list(SECTION_FIELDS)
        widgets = {"order": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})}

    def __init__(self, *args: Any, version: FormVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["order"].help_text = _("Kosongkan untuk menaruhnya paling akhir.")


def parse_choices(text: str) -> list[dict[str, str]]:
    """`value | Label | English label`, one choice a line, into the list Indicator.choices holds."""
    choices: list[dict[str, str]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
            problems.append(_("Baris %(line)s: tulis “nilai | Label | Label Inggris”.") % {"line": number})
            continue
        value = parts[0]
        if not CHOICE_VALUE.match(value):
            problems.append(
                _("Baris %(line)s: nilai “%(value)s” hanya boleh huruf kecil, angka dan garis bawah.")
                % {"line": number, "value": value}
            )
            continue
        if value in seen:
            problems.append(_("Baris %(line)s: nilai “%(value)s” sudah ada.") % {"line": number, "value": value})
            continue
        seen.add(value)
        choices.append({"value": value, "label": parts[1], "label_en": parts[2] if len(parts) == 3 else ""})
    if problems:
        raise forms.ValidationError(problems)
    return choices


def format_choices(choices: list[dict[str, Any]] | None) -> str:
    lines = []
    for choice in choices or []:
        parts = [str(choice.get("value", "")), str(choice.get("label", ""))]
        if choice.get("label_en"):
            parts.append(str(choice["label_en"]))
        lines.append(" | ".join(parts))
    return "\n".join(lines)


class IndicatorForm(forms.ModelForm):
    choices = forms.CharField(
        label=gettext_lazy("Pilihan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "lokal | Lokal | Local"}),
        help_text=gettext_lazy(
            "Hanya untuk isian pilihan. Satu pilihan per baris: nilai | Label | Label Inggris, "
            "mis. “lokal | Lokal (kabupaten/kota) | Local”."
        ),
    )
    prefill = forms.ChoiceField(label=gettext_lazy("Isi otomatis dari"), required=False, choices=prefill.choices)

    class Meta:
        model = Indicator
        fields = list(INDICATOR_FIELDS)
        widgets = {
            "order": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "min_value": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            "max_value": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            "code": forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
        }

    def __init__(self, *args: Any, version: FormVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["section"].queryset = version.sections.all()
        fields["section"].empty_label = None
        fields["order"].required = False
        fields["order"].help_text = _("Kosongkan untuk menaruhnya paling akhir di bagiannya.")
        fields["min_value"].help_text = _("Hanya untuk isian angka. Persentase: 0–100 bila dikosongkan.")
        current = self.instance.prefill if self.instance.pk else ""
        if current and current not in prefill.SOURCES:
            # A source no longer registered stays selectable, so the indicator can still be saved.
            fields["prefill"].choices = [*prefill.choices(), (current, current)]
        if self.instance.pk and not self.is_bound:
            self.initial["choices"] = format_choices(self.instance.choices)

    def clean_choices(self) -> list[dict[str, str]]:
        return parse_choices(self.cleaned_data.get("choices") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("type")
        # Fields that do not apply to the chosen type are hidden on the page: what they still hold is dropped.
        if kind and kind != IndicatorType.CHOICE:
            data["choices"] = []
        if kind and kind not in NUMERIC_TYPES:
            data["min_value"] = data["max_value"] = None
            data["history_check"] = False
        return data


class RuleForm(forms.ModelForm):
    class Meta:
        model = ValidationRule
        fields = list(RULE_FIELDS)
        widgets = {
            "expression": forms.TextInput(
                attrs={"autocapitalize": "none", "spellcheck": "false", "placeholder": "lulus_l <= peserta_l"}
            ),
            "kind": forms.RadioSelect,
            "severity": forms.RadioSelect,
            "when_missing": forms.RadioSelect,
        }

    def __init__(self, *args: Any, version: FormVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.version = version
        self.fields["expression"].help_text = _(
            "Perbandingan: kode dan angka dijumlah dengan + atau -, lalu satu dari <=, <, >=, >, ==, !=, "
            "mis. “lulus_l + lulus_p <= peserta_l + peserta_p”. Keduanya / tidak boleh keduanya: "
            "kode dipisah koma, mis. “bekerja_l, wirausaha_l”."
        )


class PublishForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Catatan perubahan"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Apa yang berubah dibanding versi sebelumnya."),
    )
