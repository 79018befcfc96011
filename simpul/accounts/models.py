"""Users, their role and their scope.

Every account has exactly one role and one scope: a node of the tree
National -> Province -> Regency -> Centre. The scope is stored as at most one
of three references (none = national); which levels a role may hold is an
invariant checked both in clean() and by a database constraint.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ADMIN_PUSAT = "admin_pusat", _("Admin Pusat (Kemnaker)")
    FKN = "fkn", _("Koordinator FKN")
    PEMDA = "pemda", _("Pemda / Disnaker")
    PENGELOLA = "pengelola", _("Pengelola BLK")
    INSTRUKTUR = "instruktur", _("Instruktur")
    MENTOR = "mentor", _("Mentor")
    WIRAUSAHA = "wirausaha", _("Wirausaha")


class ScopeLevel(models.TextChoices):
    NATIONAL = "national", _("Nasional")
    PROVINCE = "province", _("Provinsi")
    REGENCY = "regency", _("Kabupaten/kota")
    CENTER = "center", _("BLK")


# Which scope levels each role may hold (DESIGN.md, "Who uses it").
ROLE_SCOPE_LEVELS: dict[str, tuple[str, ...]] = {
    Role.ADMIN_PUSAT: (ScopeLevel.NATIONAL,),
    Role.FKN: (ScopeLevel.NATIONAL, ScopeLevel.PROVINCE),
    Role.PEMDA: (ScopeLevel.PROVINCE, ScopeLevel.REGENCY),
    Role.PENGELOLA: (ScopeLevel.CENTER,),
    Role.INSTRUKTUR: (ScopeLevel.CENTER,),
    Role.MENTOR: (ScopeLevel.CENTER,),
    Role.WIRAUSAHA: (ScopeLevel.CENTER,),
}

CENTER_ROLES = tuple(role for role, levels in ROLE_SCOPE_LEVELS.items() if levels == (ScopeLevel.CENTER,))


def _scope_condition(level: str) -> Q:
    province, regency, center = (
        Q(scope_province__isnull=level != ScopeLevel.PROVINCE),
        Q(scope_regency__isnull=level != ScopeLevel.REGENCY),
        Q(scope_center__isnull=level != ScopeLevel.CENTER),
    )
    return province & regency & center


def _role_scope_constraint() -> Q:
    condition = Q()
    for role, levels in ROLE_SCOPE_LEVELS.items():
        any_level = Q()
        for level in levels:
            any_level |= _scope_condition(level)
        condition |= Q(role=role) & any_level
    return condition


class UserManager(DjangoUserManager["User"]):
    def create_user(  # type: ignore[override]
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("role", Role.ADMIN_PUSAT)
        return self._create_user(username, email, password, **extra)

    def create_superuser(  # type: ignore[override]
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN_PUSAT)
        return self._create_user(username, email, password, **extra)

    def _create_user(self, username: str, email: str | None, password: str | None, **extra: Any) -> User:
        user = self.model(username=username, email=self.normalize_email(email or ""), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    username = models.CharField(
        _("nama pengguna"),
        max_length=150,
        unique=True,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Huruf, angka dan @ . + - _ saja."),
        error_messages={"unique": _("Nama pengguna ini sudah dipakai.")},
    )
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    email = models.EmailField(_("surel"), blank=True)
    phone = PhoneNumberField(_("nomor telepon"), blank=True)
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    scope_province = models.ForeignKey(
        "regions.Province",
        verbose_name=_("cakupan provinsi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scope_regency = models.ForeignKey(
        "regions.Regency",
        verbose_name=_("cakupan kabupaten/kota"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A reference to a higher app by label, not an import (DESIGN.md).
    scope_center = models.ForeignKey(
        "centers.Center",
        verbose_name=_("cakupan BLK"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    is_staff = models.BooleanField(_("akses admin Django"), default=False)
    date_joined = models.DateTimeField(_("terdaftar"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(condition=_role_scope_constraint(), name="user_scope_matches_role"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.username

    # --- scope -----------------------------------------------------------
    @property
    def scope_level(self) -> str:
        if self.scope_center_id:
            return ScopeLevel.CENTER
        if self.scope_regency_id:
            return ScopeLevel.REGENCY
        if self.scope_province_id:
            return ScopeLevel.PROVINCE
        return ScopeLevel.NATIONAL

    @property
    def scope_node_id(self) -> Any:
        nodes: dict[str, Any] = {
            ScopeLevel.CENTER: self.scope_center_id,
            ScopeLevel.REGENCY: self.scope_regency_id,
            ScopeLevel.PROVINCE: self.scope_province_id,
            ScopeLevel.NATIONAL: None,
        }
        return nodes[self.scope_level]

    @property
    def scope_label(self) -> str:
        level = self.scope_level
        if level == ScopeLevel.CENTER:
            return str(self.scope_center)
        if level == ScopeLevel.REGENCY:
            return f"{self.scope_regency} ({self.scope_regency.province})"  # type: ignore[union-attr]
        if level == ScopeLevel.PROVINCE:
            return f"{_('Provinsi')} {self.scope_province}"
        return str(_("Nasional"))

    def clean(self) -> None:
        super().clean()
        if not self.role:
            return
        set_levels = [
            level
            for level, value in (
                (ScopeLevel.PROVINCE, self.scope_province_id),
                (ScopeLevel.REGENCY, self.scope_regency_id),
                (ScopeLevel.CENTER, self.scope_center_id),
            )
            if value
        ]
        if len(set_levels) > 1:
            raise ValidationError(_("Satu akun hanya boleh punya satu cakupan."), code="scope_multiple")
        allowed = ROLE_SCOPE_LEVELS[self.role]
        if self.scope_level in allowed:
            return
        role = Role(self.role).label
        if allowed == (ScopeLevel.CENTER,):
            field, message = "scope_center", _("Pilih BLK tempat %(role)s bertugas.")
        elif ScopeLevel.NATIONAL in allowed:
            field, message = "role", _("%(role)s bercakupan nasional atau provinsi, bukan kabupaten/kota atau BLK.")
            if allowed == (ScopeLevel.NATIONAL,):
                message = _("%(role)s bercakupan nasional: kosongkan pilihan wilayah dan BLK.")
        else:
            field, message = "scope_province", _("Pilih provinsi atau kabupaten/kota untuk %(role)s (bukan BLK).")
        raise ValidationError({field: message % {"role": role}}, code="scope_role")
