"""Background jobs of the incubation programme. Run daily by `manage.py incubation_daily`."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .services.reminders import send_figure_reminders


@task()
def send_figure_reminders_task() -> dict[str, int]:
    """Remind entrepreneurs of last month's business figures after the 5th. Idempotent."""
    report = send_figure_reminders(now=timezone.now())
    return {"reminded": report.reminded}
