"""Submissions: one per centre, form and period, with its values, evidence and review trail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .forms import FormVersion, Indicator, ReportForm


class Status(models.TextChoices):
    DRAFT = "draf", _("Draf")
    SUBMITTED = "dikirim", _("Dikirim")
    VERIFIED = "diverifikasi", _("Diverifikasi")
    APPROVED = "disetujui", _("Disetujui")
    RETURNED = "dikembalikan", _("Dikembalikan")


# Statuses in which the centre still owes the report.
OPEN_STATUSES = (Status.DRAFT, Status.RETURNED)
# Statuses that count as "submitted" for completeness (DHIS2's "complete").
DONE_STATUSES = (Status.SUBMITTED, Status.VERIFIED, Status.APPROVED)


class Submission(models.Model):
    """What a centre owes for one form and period: created by the schedule, filled by the centre.

    A row exists only where a report is expected (the centre was open and the
    form assigned to it), so completeness is a count over these rows.
    """

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="submissions")
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    center = models.ForeignKey("centers.Center", on_delete=models.PROTECT, related_name="submissions")
    period_key = models.CharField(_("periode"), max_length=40)
    period_start = models.DateField()
    period_end = models.DateField()
    due_at = models.DateTimeField(_("tenggat"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    first_submitted_at = models.DateTimeField(_("pertama dikirim"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # For reports owed at an event (a grant's LPJ): what it is about.
    event_label = models.CharField(_("peristiwa"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-period_start", "center_id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "center", "period_key"], name="one_submission_per_period"),
        ]
        indexes = [
            models.Index(fields=["form", "period_start", "status"], name="submission_form_period"),
            models.Index(fields=["center", "form", "period_start"], name="submission_center"),
            models.Index(fields=["status", "submitted_at"], name="submission_queue"),
            models.Index(fields=["status", "due_at"], name="submission_due"),
        ]

    def __str__(self) -> str:
        return f"{self.form.code} {self.period_key} – {self.center}"

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Still owed and past its due time."""
        return self.status in OPEN_STATUSES and self.due_at < timezone.now()

    @property
    def on_time(self) -> bool | None:
        """Submitted by the due time (the first submission counts); None while not submitted."""
        if self.first_submitted_at is None:
            return None
        return self.first_submitted_at <= self.due_at

    @property
    def period_label(self) -> str:
        if self.event_label:
            return self.event_label
        from ..periods import period_from_key

        return period_from_key(self.form.period_type, self.period_key).label


class ValueSource(models.TextChoices):
    ENTERED = "isian", _("diisi")
    PREFILLED = "otomatis", _("terisi otomatis")
    IMPORTED = "excel", _("dari Excel")


class SubmissionValue(models.Model):
    """One indicator's value in one submission. Exactly one of the value columns is used."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    number = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    boolean = models.BooleanField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=ValueSource.choices, default=ValueSource.ENTERED)
    source_detail = models.CharField(max_length=200, blank=True)
    explanation = models.TextField(_("penjelasan"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nilai laporan")
        verbose_name_plural = _("nilai laporan")
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"], name="one_value_per_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}={self.raw}"

    @property
    def raw(self) -> Any:
        if self.number is not None:
            return self.number
        if self.date is not None:
            return self.date
        if self.boolean is not None:
            return self.boolean
        return self.text or None


class Transition(models.Model):
    """One step of the review workflow: who, when, from what to what, and why."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=Status.choices)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, editable=False)
    comment = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("langkah tinjauan")
        verbose_name_plural = _("langkah tinjauan")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Attachment(models.Model):
    """Evidence (photo or PDF) of a submission, stored outside the web root."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Reminder(models.Model):
    """A reminder that went out: the key that makes the reminder job safe to run twice."""

    class Kind(models.TextChoices):
        DUE_SOON = "segera", _("Tenggat segera")
        LATE = "terlambat", _("Terlambat")
        ESCALATED = "eskalasi", _("Diteruskan ke pembina wilayah")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("pengingat")
        verbose_name_plural = _("pengingat")
        constraints = [models.UniqueConstraint(fields=["submission", "kind"], name="one_reminder_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.submission_id}"
