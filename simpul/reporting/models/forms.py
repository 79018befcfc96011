"""Report forms as data: a form, its versions, and each version's sections, indicators and rules.

A submission points at the version it was filled in, and a published version
never changes: editing a form means a new draft version, published when
ready. So an old submission keeps the meaning it had.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..periods import PeriodType

code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,39}$", _("Kode: huruf kecil, angka dan garis bawah, diawali huruf (maks. 40).")
)


class Assignment(models.TextChoices):
    ALL = "semua", _("Semua BLK")
    COHORTS = "angkatan", _("BLK angkatan tertentu")
    CLASSES = "klasifikasi", _("BLK klasifikasi tertentu")
    INCUBATORS = "inkubator", _("Inkubator saja")
    GRANTS = "bantuan", _("Penerima bantuan (per tahap bantuan)")


class ReportForm(models.Model):
    """A report a centre owes periodically (or at an event), identified across its versions."""

    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    name_en = models.CharField(_("nama (Inggris)"), max_length=150, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    period_type = models.CharField(_("jenis periode"), max_length=12, choices=PeriodType.choices)
    due_days = models.PositiveSmallIntegerField(
        _("tenggat (hari setelah periode berakhir)"),
        default=10,
        help_text=_("Dihitung pada zona waktu BLK (WIB/WITA/WIT)."),
    )
    assignment = models.CharField(_("wajib bagi"), max_length=12, choices=Assignment.choices, default=Assignment.ALL)
    assigned_cohorts = models.JSONField(_("angkatan"), default=list, blank=True)
    assigned_classes = models.JSONField(_("klasifikasi"), default=list, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("formulir laporan")
        verbose_name_plural = _("formulir laporan")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name

    def current_version(self) -> FormVersion | None:
        return self.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()

    def clean(self) -> None:
        if self.assignment == Assignment.COHORTS and not self.assigned_cohorts:
            raise ValidationError({"assigned_cohorts": _("Pilih paling sedikit satu angkatan.")})
        if self.assignment == Assignment.CLASSES and not self.assigned_classes:
            raise ValidationError({"assigned_classes": _("Pilih paling sedikit satu klasifikasi.")})
        if (self.assignment == Assignment.GRANTS) != (self.period_type == PeriodType.EVENT):
            raise ValidationError(
                {"assignment": _("Formulir berdasarkan peristiwa diwajibkan per tahap bantuan, dan sebaliknya.")}
            )


class VersionStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    PUBLISHED = "terbit", _("Terbit")
    RETIRED = "usang", _("Diganti")


class FormVersion(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("versi"))
    status = models.CharField(_("status"), max_length=8, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    note = models.CharField(_("catatan perubahan"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("versi formulir")
        verbose_name_plural = _("versi formulir")
        ordering = ["form", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="one_number_per_form_version"),
            models.UniqueConstraint(
                fields=["form"], condition=models.Q(status="draf"), name="one_draft_version_per_form"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form.code} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class Section(models.Model):
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    title = models.CharField(_("judul"), max_length=150)
    title_en = models.CharField(_("judul (Inggris)"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("bagian")
        verbose_name_plural = _("bagian")
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title_en if get_language() == "en" and self.title_en else self.title


class IndicatorType(models.TextChoices):
    INTEGER = "bilangan", _("Bilangan bulat")
    DECIMAL = "desimal", _("Desimal")
    PERCENTAGE = "persen", _("Persentase")
    RUPIAH = "rupiah", _("Rupiah")
    TEXT = "teks", _("Teks")
    YES_NO = "ya_tidak", _("Ya/tidak")
    CHOICE = "pilihan", _("Pilihan")
    DATE = "tanggal", _("Tanggal")
    FILE = "berkas", _("Berkas (foto/PDF)")


NUMERIC_TYPES = {IndicatorType.INTEGER, IndicatorType.DECIMAL, IndicatorType.PERCENTAGE, IndicatorType.RUPIAH}


class Indicator(models.Model):
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="indicators")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    code = models.CharField(_("kode"), max_length=40, validators=[code_validator])
    label = models.CharField(_("label"), max_length=200)
    label_en = models.CharField(_("label (Inggris)"), max_length=200, blank=True)
    help_text = models.CharField(_("petunjuk"), max_length=300, blank=True)
    type = models.CharField(_("jenis isian"), max_length=10, choices=IndicatorType.choices)
    required = models.BooleanField(_("wajib"), default=True)
    min_value = models.DecimalField(_("nilai terkecil"), max_digits=18, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("nilai terbesar"), max_digits=18, decimal_places=2, null=True, blank=True)
    # [{"value": "lokal", "label": "Lokal", "label_en": "Local"}, ...]
    choices = models.JSONField(_("pilihan"), default=list, blank=True)
    prefill = models.CharField(_("isi otomatis dari"), max_length=60, blank=True)
    history_check = models.BooleanField(
        _("periksa terhadap riwayat"),
        default=False,
        help_text=_("Nilai lebih dari 3× median riwayat BLK ini perlu penjelasan sebelum dikirim."),
    )

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["version", "section__order", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="one_code_per_version")]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return self.label_en if get_language() == "en" and self.label_en else self.label

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    def choice_values(self) -> list[str]:
        return [str(c.get("value")) for c in self.choices or []]

    def choice_label(self, value: Any) -> str:
        english = get_language() == "en"
        for choice in self.choices or []:
            if str(choice.get("value")) == str(value):
                return str((english and choice.get("label_en")) or choice.get("label") or value)
        return str(value)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.type == IndicatorType.PERCENTAGE:
            self.min_value = Decimal(0) if self.min_value is None else self.min_value
            self.max_value = Decimal(100) if self.max_value is None else self.max_value
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            errors["max_value"] = _("Nilai terbesar harus tidak kurang dari nilai terkecil.")
        if (self.min_value is not None or self.max_value is not None) and not self.is_numeric:
            errors["min_value"] = _("Batas nilai hanya untuk isian angka.")
        if self.type == IndicatorType.CHOICE:
            values = self.choice_values()
            if len(values) < 2 or len(set(values)) != len(values) or any(not v for v in values):
                errors["choices"] = _("Isian pilihan perlu paling sedikit dua pilihan yang berbeda.")
        elif self.choices:
            errors["choices"] = _("Daftar pilihan hanya untuk isian pilihan.")
        if self.history_check and not self.is_numeric:
            errors["history_check"] = _("Pemeriksaan riwayat hanya untuk isian angka.")
        if self.section_id and self.version_id and self.section.version_id != self.version_id:
            errors["section"] = _("Bagian ini milik versi formulir lain.")
        if errors:
            raise ValidationError(errors)


class RuleKind(models.TextChoices):
    COMPARE = "banding", _("Perbandingan (mis. lulus <= peserta)")
    BOTH_OR_NEITHER = "keduanya", _("Keduanya diisi atau keduanya kosong")
    NOT_BOTH = "salah_satu", _("Tidak boleh keduanya")


class Severity(models.TextChoices):
    ERROR = "galat", _("Galat (laporan tidak dapat dikirim)")
    WARNING = "peringatan", _("Peringatan (boleh dikirim)")


class MissingPolicy(models.TextChoices):
    SKIP = "lewati", _("Lewati aturan bila ada nilai kosong")
    ZERO = "nol", _("Anggap nilai kosong sebagai 0")
    FAIL = "gagal", _("Nilai kosong membuat aturan gagal")


class ValidationRule(models.Model):
    """A check across indicators, e.g. `lulus_l + lulus_p <= peserta_l + peserta_p`.

    COMPARE: `expression` is `<sum> <op> <sum>`, each sum of indicator codes
    and numbers joined by + or -, op one of <= < >= > == !=.
    BOTH_OR_NEITHER / NOT_BOTH: `expression` lists indicator codes separated
    by commas; "filled" means not empty, not zero and not "no".
    """

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("jenis aturan"), max_length=10, choices=RuleKind.choices, default=RuleKind.COMPARE)
    expression = models.CharField(_("ungkapan"), max_length=300)
    severity = models.CharField(_("tingkat"), max_length=10, choices=Severity.choices, default=Severity.ERROR)
    when_missing = models.CharField(
        _("bila ada nilai kosong"), max_length=8, choices=MissingPolicy.choices, default=MissingPolicy.SKIP
    )
    message = models.CharField(_("pesan"), max_length=300)
    message_en = models.CharField(_("pesan (Inggris)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("aturan validasi")
        verbose_name_plural = _("aturan validasi")
        ordering = ["version", "id"]

    def __str__(self) -> str:
        return self.expression

    @property
    def display_message(self) -> str:
        return self.message_en if get_language() == "en" and self.message_en else self.message

    def clean(self) -> None:
        from ..validation import RuleSyntaxError, parse_rule

        if not self.version_id:
            return
        codes = set(self.version.indicators.values_list("code", flat=True))
        try:
            parse_rule(self.kind, self.expression, codes)
        except RuleSyntaxError as error:
            raise ValidationError({"expression": str(error)}) from error
