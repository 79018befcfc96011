"""`manage.py load_regions [--version V]`: load the Kemendagri areas (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from simpul.regions.loader import RegionLoadError, available_versions, load_regions


class Command(BaseCommand):
    help = "Muat data wilayah Kemendagri dari data set yang dikirim bersama Simpul."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dataset-version", dest="dataset_version", choices=available_versions(), help="bawaan: versi terbaru"
        )

    def handle(self, *args: object, dataset_version: str | None, **options: object) -> None:
        try:
            report = load_regions(version=dataset_version)
        except RegionLoadError as error:
            raise CommandError(str(error)) from error
        if report.unchanged:
            self.stdout.write(f"Data wilayah {report.version} sudah termuat; tidak ada perubahan.")
        else:
            self.stdout.write(self.style.SUCCESS(report.summary()))
