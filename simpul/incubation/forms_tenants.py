"""Forms of the incubator, tenant, mentoring, figure and product pages: parsing and field messages only.

The services validate and write; negative figures, out-of-order stages and
files that are not photos are refused there, so every entry point (page,
API, import) says the same thing.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.training.reference import KBLI_SECTIONS

from .models import (
    STAGE_ORDER,
    CurriculumTopic,
    Incubator,
    MarketReach,
    MentorKind,
    ProductCategory,
    Stage,
)
from .services.business import export_countries
from .services.incubators import PROFILE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = {"inputmode": "numeric", "autocomplete": "off"}
_DIGITS = re.compile(r"^-?\d+$")


class RupiahField(forms.Field):
    """Whole rupiah as people type it: "1.250.000", "Rp 1.250.000" or "1250000"."""

    default_error_messages = {"invalid": _("Isi dengan angka rupiah, misalnya 1.250.000.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={**NUMBER, "placeholder": "0", "maxlength": "25"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()[:40]
        if not text:
            return None
        text = re.sub(r"^rp\.?", "", text, flags=re.IGNORECASE).replace(" ", "").replace("\u00a0", "")
        if "," in text:
            whole, _sep, fraction = text.partition(",")
            if fraction.strip("0"):
                raise forms.ValidationError(_("Isi rupiah tanpa sen."), code="invalid")
            text = whole
        text = text.replace(".", "")
        if not _DIGITS.match(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if abs(number) >= Decimal("1e15"):
            raise forms.ValidationError(_("Angka terlalu besar."), code="invalid")
        return number

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return f"{int(value):,}".replace(",", ".")
        return value


def _count(label: Any, required: bool = True, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=required, help_text=help_text, widget=forms.NumberInput(attrs=NUMBER)
    )


class IncubatorForm(forms.ModelForm):
    curriculum = forms.MultipleChoiceField(
        label=_("Kurikulum mencakup"),
        choices=CurriculumTopic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Incubator
        fields = list(PROFILE_FIELDS)
        widgets = {"established_on": DATE, "sop": forms.Textarea(attrs={"rows": 5})}

    def _post_clean(self) -> None:
        """The service validates the profile."""

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class TenantForm(forms.Form):
    """Intake (for an alumnus the name comes from the training records) and later corrections."""

    full_name = forms.CharField(label=_("Nama pemilik usaha"), max_length=150, required=False)
    nik = forms.CharField(
        label=_("NIK pemilik usaha"),
        max_length=24,
        required=False,
        help_text=_(
            "16 digit, dari KTP. Memastikan satu orang hanya menjadi tenant satu inkubator pada satu waktu; "
            "tidak ditampilkan utuh."
        ),
        widget=forms.TextInput(attrs=NUMBER),
    )
    business_name = forms.CharField(label=_("Nama usaha"), max_length=150)
    sector = forms.ChoiceField(label=_("Bidang usaha (KBLI)"), choices=[("", "—"), *KBLI_SECTIONS])
    business_started_on = forms.DateField(label=_("Usaha dimulai"), widget=DATE)
    nib = forms.CharField(
        label=_("NIB"),
        max_length=20,
        required=False,
        help_text=_("Nomor Induk Berusaha dari OSS, 13 digit. Kosongkan bila belum ada."),
        widget=forms.TextInput(attrs=NUMBER),
    )
    halal_certificate = forms.CharField(label=_("Nomor sertifikat halal"), max_length=60, required=False)
    pirt = forms.CharField(label=_("Nomor P-IRT"), max_length=30, required=False)
    pre_on = forms.DateField(label=_("Mulai pra-inkubasi"), widget=DATE)
    criteria = forms.CharField(
        label=_("Catatan penerimaan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mengapa usaha ini diterima: kriteria yang sudah dipenuhi."),
    )
    user = forms.ChoiceField(
        label=_("Akun wirausaha"),
        required=False,
        help_text=_("Akun untuk mengisi angka usaha sendiri. Akun dibuat oleh Admin Pusat."),
    )

    def __init__(
        self,
        *args: Any,
        accounts: Any = (),
        creating: bool = True,
        outsider: bool = False,
        masked_nik: str = "",
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["user"].choices = [
            ("", _("— belum ada —")),
            *[(str(u.pk), f"{u.full_name} ({u.username})") for u in accounts],
        ]
        if not outsider:
            del fields["nik"]
        elif masked_nik:
            # The NIK is never sent back whole: an empty field keeps the one on record.
            fields["nik"].help_text = _("Tercatat %(nik)s. Kosongkan bila tidak berubah.") % {"nik": masked_nik}
        if not creating:
            del fields["pre_on"], fields["criteria"], fields["full_name"]
        elif outsider:
            fields["full_name"].required = True
        else:
            del fields["full_name"]

    def nik_value(self) -> str:
        return self.cleaned_data.get("nik") or ""

    def business_fields(self) -> dict[str, Any]:
        names = ("business_name", "sector", "nib", "halal_certificate", "pirt", "business_started_on")
        return {name: self.cleaned_data.get(name) for name in names}

    def account_id(self) -> int | None:
        value = self.cleaned_data.get("user")
        return int(value) if value else None


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Naik ke tahap"), choices=[(s.value, s.label) for s in STAGE_ORDER[1:]])
    on = forms.DateField(label=_("Tanggal"), widget=DATE)
    criteria = forms.CharField(
        label=_("Kriteria yang sudah dipenuhi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Misalnya: sudah punya NIB, pembukuan rutin 3 bulan, omzet stabil."),
    )

    def __init__(self, *args: Any, tenant: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())
        if tenant is not None and not self.is_bound and tenant.stage in Stage.values:
            index = STAGE_ORDER.index(Stage(tenant.stage))
            if index + 1 < len(STAGE_ORDER):
                self.initial["stage"] = STAGE_ORDER[index + 1].value


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Tanggal keluar"), widget=DATE)
    reason = forms.CharField(label=_("Alasan keluar"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class MentorAssignForm(forms.Form):
    mentors = forms.MultipleChoiceField(
        label=_("Mentor"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args: Any, mentors: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["mentors"].choices = [
            (str(m.pk), f"{m.user.full_name or m.user.username} – {m.organisation} ({m.expertise})") for m in mentors
        ]


class MentorForm(forms.Form):
    user = forms.ChoiceField(label=_("Akun mentor"), help_text=_("Akun dengan peran Mentor, dibuat oleh Admin Pusat."))
    organisation = forms.CharField(
        label=_("Lembaga"), max_length=150, help_text=_("Misalnya IPB University, UIN Malang, CV Maju.")
    )
    kind = forms.ChoiceField(label=_("Asal"), choices=MentorKind.choices, widget=forms.RadioSelect)
    expertise = forms.CharField(label=_("Keahlian"), max_length=255)

    def __init__(self, *args: Any, accounts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        if accounts is None:
            del fields["user"]
        else:
            fields["user"].choices = [("", "—"), *[(str(u.pk), f"{u.full_name} ({u.username})") for u in accounts]]

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in ("organisation", "kind", "expertise")}


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Tanggal sesi"), widget=DATE)
    minutes = _count(_("Lama (menit)"))
    topic = forms.CharField(label=_("Topik"), max_length=200)
    notes = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 5}))
    follow_ups = forms.CharField(
        label=_("Tindak lanjut yang disepakati"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Apa yang akan dikerjakan tenant sebelum sesi berikutnya."),
    )
    attachment = forms.FileField(
        label=_("Lampiran"),
        required=False,
        help_text=_("Foto (JPEG, PNG, WebP) atau PDF, paling besar 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )
    remove_attachment = forms.BooleanField(label=_("Hapus lampiran yang ada"), required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["remove_attachment"]

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in ("held_on", "minutes", "topic", "notes", "follow_ups")}


class FigureForm(forms.Form):
    revenue = RupiahField(label=_("Omzet bulan ini (Rp)"), help_text=_("Semua penjualan bulan ini, 0 bila tidak ada."))
    costs = RupiahField(label=_("Biaya (Rp)"), required=False, help_text=_("Boleh dikosongkan."))
    paid_workers = _count(_("Pekerja dibayar"), help_text=_("Termasuk Anda sendiri bila mengambil gaji."))
    family_workers = _count(_("Pekerja keluarga (tidak dibayar)"), required=False)
    products = _count(_("Jumlah jenis produk"), required=False)
    market_reach = forms.ChoiceField(
        label=_("Jangkauan pasar terjauh"), choices=MarketReach.choices, widget=forms.RadioSelect
    )
    export_country = forms.ChoiceField(label=_("Negara tujuan ekspor"), required=False)
    financing = RupiahField(label=_("Pembiayaan diterima bulan ini (Rp)"), required=False)
    financing_source = forms.CharField(
        label=_("Sumber pembiayaan"), max_length=150, required=False, help_text=_("Misalnya KUR BRI, hibah, koperasi.")
    )
    explanation = forms.CharField(
        label=_("Penjelasan"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila omzet jauh dari biasanya (misalnya pesanan besar, atau usaha tutup sementara)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["export_country"].choices = [("", "—"), *export_countries()]

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Nama produk"), max_length=150)
    category = forms.ChoiceField(label=_("Kategori"), choices=[("", "—"), *ProductCategory.choices])
    price = RupiahField(label=_("Harga (Rp)"))
    description = forms.CharField(label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    certifications = forms.CharField(
        label=_("Sertifikasi"), max_length=255, required=False, help_text=_("Misalnya halal, P-IRT, SNI.")
    )
    where_sold = forms.CharField(
        label=_("Dijual di"),
        max_length=255,
        required=False,
        help_text=_("Misalnya toko oleh-oleh, minimarket, lokapasar. Tampil di etalase: jangan tulis data pribadi."),
    )
    public = forms.BooleanField(label=_("Tampilkan di etalase publik"), required=False, initial=True)

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Foto produk"),
        help_text=_("JPEG, PNG atau WebP, paling besar 8 MB. Foto disimpan ulang tanpa data lokasi."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
