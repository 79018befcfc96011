"""Incubators, their tenants (wirausaha binaan) and the stages they pass, mentors and sessions."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from simpul.core.idn import parse_nik

TENANT_TARGET = 10  # new entrepreneurs per incubator (DESIGN.md)
# A halal certificate number: BPJPH's (ID + digits) or an older MUI one (digits only), without separators.
HALAL_NUMBER = re.compile(r"(ID)?\d{10,20}")


class CurriculumTopic(models.TextChoices):
    """What Permenkop 3/2021 asks an incubation curriculum to cover."""

    LEGALITY = "legalitas", _("Legalitas usaha")
    MARKET = "pasar", _("Analisis pasar")
    PEOPLE = "sdm", _("Sumber daya manusia")
    BOOKKEEPING = "pembukuan", _("Pembukuan")
    MATCHING = "temu_bisnis", _("Temu bisnis (business matching)")
    MENTORING = "pendampingan", _("Pendampingan")


class Incubator(models.Model):
    center = models.OneToOneField(
        "centers.Center", verbose_name=_("BLK"), on_delete=models.PROTECT, related_name="incubator"
    )
    selection_round = models.ForeignKey(
        "incubation.SelectionRound",
        verbose_name=_("seleksi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incubators",
    )
    established_on = models.DateField(_("menjadi inkubator"))
    manager_name = models.CharField(_("nama pengelola inkubator"), max_length=150, blank=True)
    manager_full_time = models.BooleanField(_("pengelola penuh waktu"), default=False)
    has_tenant_room = models.BooleanField(_("ruang tenant"), default=False)
    has_training_room = models.BooleanField(_("ruang pelatihan"), default=False)
    has_meeting_room = models.BooleanField(_("ruang pertemuan"), default=False)
    curriculum = models.JSONField(_("kurikulum"), default=list, blank=True)  # CurriculumTopic values
    sop = models.TextField(_("SOP inkubasi"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inkubator")
        verbose_name_plural = _("inkubator")
        ordering = ["center__name"]

    def __str__(self) -> str:
        return str(self.center)

    def unmet_requirements(self) -> list[str]:
        """What Permenkop 3/2021 asks that this incubator does not have yet."""
        missing: list[str] = []
        if not (self.manager_name and self.manager_full_time):
            missing.append(str(_("pengelola penuh waktu")))
        for flag, label in (
            ("has_tenant_room", _("ruang tenant")),
            ("has_training_room", _("ruang pelatihan")),
            ("has_meeting_room", _("ruang pertemuan")),
        ):
            if not getattr(self, flag):
                missing.append(str(label))
        covered = set(self.curriculum or [])
        missing += [str(label) for value, label in CurriculumTopic.choices if value not in covered]
        return missing


class Stage(models.TextChoices):
    PRE = "pra", _("Pra-inkubasi")
    INCUBATION = "inkubasi", _("Inkubasi")
    GRADUATED = "pasca", _("Pasca-inkubasi")


STAGE_ORDER = [Stage.PRE, Stage.INCUBATION, Stage.GRADUATED]


class Tenant(models.Model):
    """A person with a business, incubated by one incubator at a time."""

    incubator = models.ForeignKey(
        Incubator, verbose_name=_("inkubator"), on_delete=models.PROTECT, related_name="tenants"
    )
    person = models.ForeignKey(
        "training.Person",
        verbose_name=_("alumni"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenancies",
    )
    # The training the founder came from (the chain training → alumnus → tenant → jobs).
    source_enrolment = models.ForeignKey(
        "training.Enrolment",
        verbose_name=_("pelatihan asal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    full_name = models.CharField(_("nama pemilik usaha"), max_length=150)
    # An outsider's identity (an alumnus is known by their training record, `person`, instead): the
    # NIK is what tells two people of the same name apart, so one person is one active tenancy.
    nik = models.CharField(
        _("NIK pemilik usaha"),
        max_length=16,
        blank=True,
        help_text=_("Untuk pemilik usaha dari luar BLK. Alumni dikenali dari data pelatihannya."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun wirausaha"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tenant",
    )
    business_name = models.CharField(_("nama usaha"), max_length=150)
    sector = models.CharField(_("bidang usaha (KBLI)"), max_length=1)
    nib = models.CharField(_("NIB"), max_length=13, blank=True, help_text=_("Nomor Induk Berusaha, 13 digit."))
    halal_certificate = models.CharField(_("sertifikat halal"), max_length=60, blank=True)
    pirt = models.CharField(_("nomor P-IRT"), max_length=30, blank=True)
    business_started_on = models.DateField(_("usaha dimulai"))
    stage = models.CharField(_("tahap"), max_length=10, choices=Stage.choices, default=Stage.PRE)
    pre_on = models.DateField(_("mulai pra-inkubasi"))
    incubation_on = models.DateField(_("mulai inkubasi"), null=True, blank=True)
    graduated_on = models.DateField(_("lulus inkubasi"), null=True, blank=True)
    left_on = models.DateField(_("keluar"), null=True, blank=True)
    # Criteria met at each step, as written by the incubator: {"inkubasi": "...", "pasca": "..."}.
    stage_criteria = models.JSONField(_("kriteria tahap"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenant")
        ordering = ["incubator", "business_name"]
        constraints = [
            # A person is a tenant of one incubator at a time.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(left_on__isnull=True, person__isnull=False),
                name="incubation_one_active_tenancy",
                violation_error_message=_("Orang ini sudah menjadi tenant aktif di inkubator lain."),
            ),
            # The same for an outsider, by their NIK.
            models.UniqueConstraint(
                fields=["nik"],
                condition=models.Q(left_on__isnull=True) & ~models.Q(nik=""),
                name="incubation_one_active_tenancy_per_nik",
                violation_error_message=_("Orang dengan NIK ini sudah menjadi tenant aktif di inkubator lain."),
            ),
            # An alumnus's NIK lives in the training records only: never a second copy here.
            models.CheckConstraint(
                condition=models.Q(person__isnull=True) | models.Q(nik=""),
                name="incubation_tenant_nik_for_outsiders_only",
                violation_error_message=_("NIK alumni diambil dari data pelatihannya."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business_name} ({self.full_name})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.nib and (len(self.nib) != 13 or not self.nib.isdigit()):
            errors["nib"] = _("NIB terdiri dari 13 digit angka.")
        if self.halal_certificate and not HALAL_NUMBER.fullmatch(self.halal_certificate):
            errors["halal_certificate"] = _(
                "Nomor sertifikat halal berupa 10–20 digit angka, boleh diawali ID (misalnya ID35110000123450722)."
            )
        if self.pirt and (len(self.pirt) != 15 or not self.pirt.isdigit()):
            errors["pirt"] = _("Nomor P-IRT terdiri dari 15 digit angka (misalnya 2063507010123-29).")
        if self.nik:
            try:
                self.nik = parse_nik(self.nik).value
            except ValidationError as error:
                errors["nik"] = error.messages
        dates = [self.pre_on, self.incubation_on, self.graduated_on]
        if self.incubation_on and self.pre_on and self.incubation_on < self.pre_on:
            errors["incubation_on"] = _("Inkubasi tidak mungkin dimulai sebelum pra-inkubasi.")
        if self.graduated_on and self.incubation_on and self.graduated_on < self.incubation_on:
            errors["graduated_on"] = _("Lulus inkubasi tidak mungkin sebelum inkubasi dimulai.")
        if any(d and d > timezone.localdate() for d in dates):
            errors["stage"] = _("Tanggal tahap tidak boleh di masa depan.")
        if errors:
            raise ValidationError(errors)


class MentorKind(models.TextChoices):
    UNIVERSITY = "perguruan_tinggi", _("Perguruan tinggi")
    BUSINESS = "dunia_usaha", _("Dunia usaha")
    OTHER = "lainnya", _("Lainnya")


class Mentor(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentor_profile")
    organisation = models.CharField(
        _("lembaga"), max_length=150, help_text=_("Misalnya IPB University, UIN Malang, CV Maju.")
    )
    kind = models.CharField(_("asal"), max_length=20, choices=MentorKind.choices)
    expertise = models.CharField(_("keahlian"), max_length=255)
    tenants = models.ManyToManyField(Tenant, verbose_name=_("tenant dampingan"), related_name="mentors", blank=True)

    history = HistoricalRecords(m2m_fields=[tenants])

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentor")

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class MentoringSession(models.Model):
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="sessions")
    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("tanggal"))
    minutes = models.PositiveSmallIntegerField(_("lama (menit)"))
    topic = models.CharField(_("topik"), max_length=200)
    notes = models.TextField(_("catatan"))
    follow_ups = models.TextField(_("tindak lanjut yang disepakati"), blank=True)
    attachment = models.FileField(_("lampiran"), upload_to="pendampingan/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("sesi pendampingan")
        verbose_name_plural = _("sesi pendampingan")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.tenant} – {self.held_on}"
