"""`manage.py incubation_daily`: the daily incubation jobs (reminders of business figures).

Run it once a day from cron or a systemd timer, next to `reporting_daily`.
It enqueues the task for the task worker (`manage.py db_worker`); `--now`
runs it in this process instead. Idempotent: running twice sends nothing twice.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from simpul.incubation.services.reminders import send_figure_reminders
from simpul.incubation.tasks import send_figure_reminders_task


class Command(BaseCommand):
    help = "Kirim pengingat angka usaha bulanan kepada wirausaha binaan (harian)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="jalankan di proses ini, bukan lewat antrean tugas")

    def handle(self, *args: object, now: bool, **options: object) -> None:
        if now:
            report = send_figure_reminders(now=timezone.now())
            self.stdout.write(f"Pengingat angka usaha terkirim: {report.reminded}.")
            return
        send_figure_reminders_task.enqueue()
        self.stdout.write("Tugas pengingat angka usaha masuk antrean.")
