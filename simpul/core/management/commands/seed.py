"""`manage.py seed --scale S [--seed N] [--if-empty]`: deterministic synthetic data.

Scale 1.0 is the national data set of DESIGN.md (5,000 centres ...); the demo
uses a small scale. The same scale and seed always give the same data.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from simpul.core.context_processors import DEMO_CACHE_KEY
from simpul.core.models import DemoDataset
from simpul.core.seeding import SeedContext, registered_seeders


class Command(BaseCommand):
    help = "Isi basis data dengan data sintetis yang realistis (deterministik)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=0.02, help="1.0 = skala nasional")
        parser.add_argument("--seed", type=int, default=20171, help="benih pembangkit acak")
        parser.add_argument("--if-empty", action="store_true", help="lewati bila data demo atau data lain sudah ada")

    def handle(self, *args: object, scale: float, seed: int, if_empty: bool, **options: object) -> None:
        if scale <= 0 or scale > 2:
            raise CommandError("--scale harus di antara 0 dan 2.")
        if if_empty and self._has_data():
            self.stdout.write("Data sudah ada; pengisian data demo dilewati.")
            return
        context = SeedContext(scale=scale, seed=seed, out=self.stdout)
        started = time.monotonic()
        with transaction.atomic():
            for _order, name, function in registered_seeders():
                step = time.monotonic()
                self.stdout.write(f"{name} ...")
                function(context)
                self.stdout.write(f"  selesai dalam {time.monotonic() - step:.1f} s")
            # The seeders write in bulk, past the services that keep monitoring's figures: count them once.
            call_command("monitoring_rebuild", stdout=self.stdout)
            DemoDataset.objects.create(scale=scale, seed=seed)
        cache.delete(DEMO_CACHE_KEY)
        self.stdout.write(self.style.SUCCESS(f"Data demo siap dalam {time.monotonic() - started:.1f} s."))

    def _has_data(self) -> bool:
        from django.contrib.auth import get_user_model

        return DemoDataset.objects.exists() or get_user_model().objects.exists()
