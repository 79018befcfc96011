"""`manage.py monitoring_rebuild`: recompute monitoring's aggregates from the records.

For a first install, a backfill after loading data that bypassed the services,
or the seed. Never scheduled: every write keeps the aggregates up to date
itself, in its own transaction.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from simpul.monitoring import facts


class Command(BaseCommand):
    help = "Hitung ulang seluruh angka pemantauan dari data (pemasangan pertama atau pengisian ulang)."

    def handle(self, *args: object, **options: object) -> None:
        started = time.monotonic()
        self.stdout.write("angka pemantauan ...")
        facts.rebuild(out=self.stdout)
        self.stdout.write(f"  selesai dalam {time.monotonic() - started:.1f} s")
