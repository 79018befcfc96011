"""Forms of the selection pages: parsing and field messages only; the services validate and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import User

from .models import RUBRIC_MAX, RUBRIC_MIN, Criterion, DataSource, SelectionRound

RUBRIC_LEVELS = range(RUBRIC_MIN, RUBRIC_MAX + 1)
RUBRIC_HINTS = {
    1: _("Misalnya: tidak memenuhi sama sekali."),
    3: _("Misalnya: memenuhi sebagian besar."),
    5: _("Misalnya: sangat baik, melampaui harapan."),
}


class RoundForm(forms.ModelForm):
    copy_from = forms.ModelChoiceField(
        label=_("salin kriteria dari seleksi"),
        queryset=SelectionRound.objects.none(),
        required=False,
        empty_label=_("(tidak, susun kriteria baru)"),
        help_text=_("Kriteria, bobot dan rubrik seleksi sebelumnya disalin; masih dapat diubah."),
    )

    class Meta:
        model = SelectionRound
        fields = ["name", "year", "quota", "reviewers_per_candidate", "normalise"]

    def __init__(self, *args: Any, earlier_rounds: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        if earlier_rounds is None:
            del fields["copy_from"]
        else:
            fields["copy_from"].queryset = earlier_rounds

    def service_fields(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        if "copy_from" in self.fields and self.cleaned_data.get("copy_from"):
            fields["copy_from_id"] = self.cleaned_data["copy_from"].pk
        return fields


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["code", "name", "weight", "data_source"]
        help_texts = {
            "code": _("Huruf kecil, angka dan tanda hubung, misalnya kelengkapan-laporan."),
            "data_source": _("Data yang ditampilkan kepada reviewer di samping kriteria ini dan dipakai skor data."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rubric = self.instance.rubric if self.instance and self.instance.pk else {}
        for level in RUBRIC_LEVELS:
            self.fields[f"rubric_{level}"] = forms.CharField(
                label=_("Nilai %(level)s berarti") % {"level": level},
                max_length=300,
                initial=rubric.get(str(level), ""),
                help_text=RUBRIC_HINTS.get(level, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": _("Tulis arti nilai %(level)s.") % {"level": level}},
            )
        self.fields["data_source"].required = False

    def service_fields(self) -> dict[str, Any]:
        return {
            "code": self.cleaned_data["code"],
            "name": self.cleaned_data["name"],
            "weight": self.cleaned_data["weight"],
            "data_source": self.cleaned_data.get("data_source") or DataSource.NONE,
            "rubric": {str(level): self.cleaned_data[f"rubric_{level}"] for level in RUBRIC_LEVELS},
        }


class LonglistForm(forms.Form):
    min_completeness = forms.DecimalField(
        label=_("kelengkapan laporan minimum (%)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=1,
    )
    min_graduates = forms.IntegerField(label=_("lulusan 12 bulan terakhir minimum"), required=False, min_value=0)
    limit = forms.IntegerField(
        label=_("ambil paling banyak"),
        required=False,
        min_value=1,
        help_text=_("Calon dengan skor data tertinggi; kosongkan untuk mengambil semua yang memenuhi syarat."),
    )


class CandidateSearchForm(forms.Form):
    q = forms.CharField(label=_("cari BLK (nama atau VIN)"), required=False, max_length=100)


class AssignForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("reviewer"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih sedikitnya satu reviewer.")},
    )

    def __init__(self, *args: Any, pool: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["reviewers"]
        field.queryset = pool
        field.label_from_instance = lambda u: f"{u.full_name or u.username} · {u.get_role_display()} · {u.scope_label}"


class ReviewForm(forms.Form):
    """One score (1-5, from the rubric) and one reason per criterion."""

    def __init__(self, *args: Any, rows: Any, disabled: bool = False, **kwargs: Any) -> None:
        """`disabled`: shown read-only (sent, or the round is not open for scoring)."""
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            pk = row.criterion.pk
            self.fields[f"score_{pk}"] = forms.TypedChoiceField(
                label=row.criterion.name,
                choices=[(level, f"{level} – {text}") for level, text in row.rubric],
                coerce=int,
                empty_value=None,
                required=False,
                initial=row.value,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Nilai harus bilangan bulat 1 sampai 5 sesuai rubrik.")},
            )
            self.fields[f"reason_{pk}"] = forms.CharField(
                label=_("Alasan"),
                required=False,
                max_length=500,
                initial=row.reason,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for field in self.fields.values():
            field.disabled = disabled

    def scores(self) -> dict[int, tuple[Any, str]]:
        return {
            row.criterion.pk: (
                self.cleaned_data.get(f"score_{row.criterion.pk}"),
                self.cleaned_data.get(f"reason_{row.criterion.pk}") or "",
            )
            for row in self.rows
        }

    def pairs(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(row, self[f"score_{row.criterion.pk}"], self[f"reason_{row.criterion.pk}"]) for row in self.rows]


class ConflictForm(forms.Form):
    conflict_reason = forms.CharField(
        label=_("konflik kepentingan"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Misalnya: pernah menjadi pengurus yayasannya, keluarga pengelola, atau mitra usahanya."),
        error_messages={"required": _("Tulis konflik kepentingan Anda.")},
    )


class DecideForm(forms.Form):
    candidates = forms.MultipleChoiceField(
        label=_("BLK terpilih"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Pilih sedikitnya satu BLK."),
            "invalid_choice": _("Pilihan calon tidak dikenal."),
        },
    )
    decision_note = forms.CharField(
        label=_("catatan keputusan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila pilihan berbeda dari urutan teratas peringkat. Catatan ini diumumkan."),
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        """`choices`: (candidate id, label) in ranking order."""
        super().__init__(*args, **kwargs)
        field: Any = self.fields["candidates"]
        field.choices = [(str(pk), label) for pk, label in choices]
