"""Reminders: before the due date and when late to the centre; escalation to the region's officials.

Each (submission, kind) is reminded once: the Reminder row is written in the
same transaction as the notifications, under a unique constraint, so running
the job twice (or two workers at once) sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from simpul.accounts.selectors import center_managers, region_reviewers
from simpul.core.formats import format_datetime
from simpul.messaging.services import notify

from ..models import OPEN_STATUSES, Reminder, Submission


@dataclass
class ReminderReport:
    due_soon: int = 0
    late: int = 0
    escalated: int = 0
    notified: list[str] = field(default_factory=list)


def _pending(kind: str) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(status__in=OPEN_STATUSES)
        .exclude(reminders__kind=kind)
        .select_related("form", "center", "center__province")
    )


def send_reminders(*, now: dt.datetime) -> ReminderReport:
    days_before = settings.REPORT_REMINDER_DAYS_BEFORE
    escalate_after = settings.REPORT_ESCALATION_DAYS
    report = ReminderReport()
    soon = _pending(Reminder.Kind.DUE_SOON).filter(due_at__gt=now, due_at__lte=now + dt.timedelta(days=days_before))
    for submission in soon:
        report.due_soon += _remind(submission, Reminder.Kind.DUE_SOON)
    for submission in _pending(Reminder.Kind.LATE).filter(due_at__lt=now):
        report.late += _remind(submission, Reminder.Kind.LATE)
    late_enough = now - dt.timedelta(days=escalate_after)
    for submission in _pending(Reminder.Kind.ESCALATED).filter(due_at__lt=late_enough):
        report.escalated += _remind(submission, Reminder.Kind.ESCALATED)
    return report


def _remind(submission: Submission, kind: str) -> int:
    center = submission.center
    if kind == Reminder.Kind.ESCALATED:
        recipients = list(region_reviewers(center=center))
    else:
        recipients = list(center_managers(center=center))
    subject = f"{submission.form.display_name} {submission.period_label}"
    due = format_datetime(submission.due_at, center.province.timezone)
    titles: dict[str, str] = {
        Reminder.Kind.DUE_SOON: _("Segera kirim: %(subject)s (tenggat %(due)s)"),
        Reminder.Kind.LATE: _("Terlambat: %(subject)s (tenggat %(due)s)"),
        Reminder.Kind.ESCALATED: _("Belum dikirim %(center)s: %(subject)s (tenggat %(due)s)"),
    }
    bodies: dict[str, str] = {
        Reminder.Kind.DUE_SOON: _("Laporan ini belum dikirim. Kirim sebelum tenggat agar tercatat tepat waktu."),
        Reminder.Kind.LATE: _("Tenggat laporan ini sudah lewat. Kirim secepatnya."),
        # The delay is a setting (REPORT_ESCALATION_DAYS): the text says the configured one.
        Reminder.Kind.ESCALATED: _(
            "BLK ini belum mengirim laporannya lebih dari %(days)s hari setelah tenggat. Mohon bantu tindak lanjuti."
        )
        % {"days": settings.REPORT_ESCALATION_DAYS},
    }
    try:
        with transaction.atomic():
            Reminder.objects.create(submission=submission, kind=kind, recipients=len(recipients))
            notify(
                recipients=recipients,
                kind=f"reminder_{kind}",
                title=titles[kind] % {"subject": subject, "due": due, "center": center.name},
                body=bodies[kind],
                url=reverse("reporting:submission", args=[submission.pk]),
                dedupe_key=f"reminder:{submission.pk}:{kind}",
            )
    except IntegrityError:
        return 0  # another run sent it already
    return 1
