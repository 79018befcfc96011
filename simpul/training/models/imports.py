"""A participant import from Excel: who uploaded what, how it went, and the file of rows that failed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .packages import Package


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "semua", _("Simpan hanya bila semua baris benar")
    VALID_ROWS = "sebagian", _("Simpan baris yang benar, kembalikan baris yang salah")


class ParticipantImport(models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="imports")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=200)
    mode = models.CharField(_("cara menyimpan"), max_length=10, choices=ImportMode.choices)
    rows = models.PositiveIntegerField(default=0)
    saved = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    existing_people = models.PositiveIntegerField(default=0)
    # Rows that failed, with a column saying why: personal data, so private storage, owner only.
    failed_file = models.FileField(upload_to="impor-peserta/", blank=True)

    class Meta:
        verbose_name = _("impor peserta")
        verbose_name_plural = _("impor peserta")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"
