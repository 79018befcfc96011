"""`manage.py training_areas_rebuild`: list every participant anew in the areas of their enrolments.

For a backfill after loading enrolments that bypassed the services. Never scheduled: every write that
enrols, removes, renames or moves keeps the lists up to date itself, in its own transaction.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from simpul.training.services.areas import person_areas_rebuild


class Command(BaseCommand):
    help = "Susun ulang daftar peserta per BLK, kabupaten/kota dan provinsi dari data pendaftaran."

    def handle(self, *args: object, **options: object) -> None:
        started = time.monotonic()
        with transaction.atomic():
            rows = person_areas_rebuild()
        self.stdout.write(f"{rows:,} baris daftar peserta per wilayah, {time.monotonic() - started:.1f} s")
