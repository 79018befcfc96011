"""`manage.py messaging_daily`: the daily digest of notifications not yet read or mailed.

Run it once a day from cron or a systemd timer. It enqueues the task for the
task worker (`manage.py db_worker`); `--now` runs it in this process instead.
The job is idempotent: a notification is mailed at most once.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from simpul.messaging.tasks import send_digests, send_digests_task


class Command(BaseCommand):
    help = "Kirim ringkasan harian notifikasi yang belum dibaca lewat surel (harian)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="jalankan di proses ini, bukan lewat antrean tugas")

    def handle(self, *args: object, now: bool, **options: object) -> None:
        if now:
            sent = send_digests()
            self.stdout.write(f"Ringkasan harian terkirim: {sent} surel.")
            return
        send_digests_task.enqueue()
        self.stdout.write("Tugas ringkasan harian masuk antrean.")
