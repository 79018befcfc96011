"""`manage.py reporting_daily`: the daily reporting jobs (schedule, reminders).

Run it once a day from cron or a systemd timer. It enqueues the two tasks
for the task worker (`manage.py db_worker`); `--now` runs them in this
process instead. Both jobs are idempotent: running twice sends nothing twice.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from simpul.reporting.services.reminders import send_reminders
from simpul.reporting.services.schedule import schedule_reports
from simpul.reporting.tasks import schedule_reports_task, send_reminders_task


class Command(BaseCommand):
    help = "Jadwalkan laporan periode berjalan dan kirim pengingat (harian)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="jalankan di proses ini, bukan lewat antrean tugas")

    def handle(self, *args: object, now: bool, **options: object) -> None:
        if now:
            made = schedule_reports(today=timezone.localdate())
            report = send_reminders(now=timezone.now())
            self.stdout.write(
                f"Laporan dijadwalkan: {sum(made.values())}; pengingat: {report.due_soon} segera, "
                f"{report.late} terlambat, {report.escalated} diteruskan."
            )
            return
        schedule_reports_task.enqueue()
        send_reminders_task.enqueue()
        self.stdout.write("Tugas penjadwalan dan pengingat masuk antrean.")
