from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from simpul.regions.models import Province, Regency
from simpul.regions.selectors import province_list

from . import policy
from .models import CENTER_ROLES, Role, User

INPUT_HINTS = {"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}


class UserForm(forms.Form):
    """Create or edit an account. The scope is picked top-down: province, regency, centre."""

    username = forms.CharField(label=_("Nama pengguna"), max_length=150, widget=forms.TextInput(attrs=INPUT_HINTS))
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Surel"), help_text=_("Tautan untuk membuat kata sandi dikirim ke alamat ini."))
    phone = PhoneNumberField(label=_("Nomor telepon"), required=False, region="ID")
    role = forms.ChoiceField(label=_("Peran"), choices=[("", _("— pilih peran —")), *Role.choices])
    province = forms.ModelChoiceField(
        label=_("Provinsi"), queryset=Province.objects.none(), required=False, empty_label=_("— nasional —")
    )
    regency = forms.ModelChoiceField(
        label=_("Kabupaten/kota"), queryset=Regency.objects.none(), required=False, empty_label=_("— semua —")
    )
    center: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("BLK"),
        queryset=None,
        required=False,
        empty_label=_("— pilih BLK —"),
        help_text=_("Untuk Pengelola BLK, Instruktur, Mentor dan Wirausaha."),
    )
    is_active = forms.BooleanField(label=_("Akun aktif"), required=False, initial=True)

    def __init__(self, *args: Any, actor: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        fields: dict[str, Any] = self.fields  # model choice fields, typed loosely by the stubs
        if editing:
            fields["username"].disabled = True
        fields["province"].queryset = province_list()
        fields["province"].widget.attrs.update(
            {"hx-get": reverse("regions:regency-options"), "hx-target": "#id_regency", "hx-trigger": "change"}
        )
        # Centres are listed by the centers app's option view (a URL name, not an import).
        fields["regency"].widget.attrs.update(
            {
                "hx-get": reverse("centers:options"),
                "hx-target": "#id_center",
                "hx-trigger": "change",
                "data-clears": "id_center",
            }
        )
        province = self._value("province")
        regency = self._value("regency")
        fields["regency"].queryset = Regency.objects.filter(is_active=True, province_id=province or "")
        # The centre model is reached through the foreign key, not imported:
        # centers sits above accounts.
        center_model: Any = User._meta.get_field("scope_center").related_model
        centers = center_model._default_manager.all()
        fields["center"].queryset = policy.scope_queryset(actor, centers).filter(regency_id=regency or "")

    def _value(self, name: str) -> Any:
        if self.is_bound:
            return self.data.get(self.add_prefix(name)) or None
        value = self.initial.get(name)
        return getattr(value, "pk", value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        province, regency, center = data.get("province"), data.get("regency"), data.get("center")
        if regency and province and regency.province_id != province.pk:
            self.add_error("regency", _("Kabupaten/kota ini tidak berada di provinsi yang dipilih."))
        role = data.get("role")
        if role in CENTER_ROLES:
            data["scope"] = {"scope_province": None, "scope_regency": None, "scope_center": center}
        else:
            if center:
                self.add_error("center", _("BLK hanya dipilih untuk peran yang bertugas di satu BLK."))
            data["scope"] = {
                "scope_province": province if not regency else None,
                "scope_regency": regency,
                "scope_center": None,
            }
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {
            "full_name": data["full_name"],
            "email": data["email"],
            "phone": data.get("phone") or "",
            "role": data["role"],
            "is_active": data["is_active"],
            **data["scope"],
        }
        if not self.fields["username"].disabled:
            fields["username"] = data["username"]
        return fields

    @staticmethod
    def initial_for(user: User) -> dict[str, Any]:
        center = user.scope_center
        regency = user.scope_regency or (center.regency if center else None)
        province = user.scope_province or (regency.province if regency else None)
        return {
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "phone": user.phone,
            "role": user.role,
            "province": province,
            "regency": regency,
            "center": center,
            "is_active": user.is_active,
        }


# Service errors use model field names; the form picks the scope in its own fields.
USER_FORM_FIELD_MAP = {"scope_province": "province", "scope_regency": "regency", "scope_center": "center"}


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(label=_("Surel akun Anda"))


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False)
    role = forms.ChoiceField(label=_("Peran"), required=False, choices=[("", _("Semua peran")), *Role.choices])
