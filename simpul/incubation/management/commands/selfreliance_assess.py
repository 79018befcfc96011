"""`manage.py selfreliance_assess [--year Y] [--center ID ...]`: the yearly self-reliance assessment.

Run once a year after the yearly reports (LAPMAN) are due, e.g. from cron in February for the
year before (the default). Safe to run again: unchanged assessments are left alone, changed ones
are updated with their earlier version kept in the history.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from simpul.incubation.services.selfreliance import assessment_run_scheduled


class Command(BaseCommand):
    help = "Hitung penilaian kemandirian tahunan BLK (aman dijalankan berulang)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="tahun yang dinilai (bawaan: tahun lalu)")
        parser.add_argument(
            "--center", type=int, action="append", dest="centers", help="hanya BLK ini (boleh berulang)"
        )

    def handle(self, *args: object, year: int | None, centers: list[int] | None, **options: object) -> None:
        year = year or timezone.localdate().year - 1
        try:
            result = assessment_run_scheduled(year=year, center_ids=centers)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Penilaian kemandirian {year}: {result.assessed} BLK "
            f"({result.created} baru, {result.updated} berubah, {result.unchanged} tetap)."
        )
