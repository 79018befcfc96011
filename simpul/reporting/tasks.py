"""Background jobs of reporting. Run daily by `manage.py reporting_daily` (cron or a systemd timer)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .services.reminders import send_reminders
from .services.schedule import schedule_reports


@task()
def schedule_reports_task() -> dict[str, int]:
    """Make today's expected reports and refresh the figures of those that fell due. Idempotent."""
    return schedule_reports(today=timezone.localdate(), now=timezone.now())


@task()
def send_reminders_task() -> dict[str, int]:
    """Remind centres before and after due dates; escalate to officials. Idempotent."""
    report = send_reminders(now=timezone.now())
    return {"due_soon": report.due_soon, "late": report.late, "escalated": report.escalated}
