"""Shared records: the security and access audit log, and the demo-data marker.

Changes to domain records are kept by django-simple-history on each model
(what changed, before and after). AuditEvent keeps what is not a change to a
record: logins, lockouts, exports, views of personal data, invitations.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Masuk")
    LOGOUT = "logout", _("Keluar")
    LOGIN_FAILED = "login_failed", _("Gagal masuk")
    LOCKED_OUT = "locked_out", _("Akun dikunci sementara")
    PASSWORD_CHANGED = "password_changed", _("Kata sandi diubah")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Permintaan atur ulang kata sandi")
    USER_INVITED = "user_invited", _("Undangan pengguna dikirim")
    EXPORT = "export", _("Ekspor data")
    PERSONAL_DATA_VIEWED = "personal_data_viewed", _("Data pribadi dilihat")
    IMPORT = "import", _("Impor data")
    MESSAGE_HIDDEN = "message_hidden", _("Pesan disembunyikan moderator")
    MESSAGE_SHOWN = "message_shown", _("Pesan ditampilkan kembali")
    MESSAGE_DELETED = "message_deleted", _("Pesan dihapus penulisnya")


class AuditEvent(models.Model):
    """One security-relevant event. Append-only: nothing updates or deletes it."""

    occurred_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as typed, so a failed login for an unknown name is still recorded.
    actor_username = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    action = models.CharField(_("tindakan"), max_length=40, choices=AuditAction.choices, db_index=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("objek"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    detail = models.JSONField(_("rincian"), default=dict, blank=True)

    class Meta:
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("log audit")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["actor", "-occurred_at"], name="core_audit_actor_time")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"


class DemoDataset(models.Model):
    """Present when the database holds generated demo data (shows the banner)."""

    seeded_at = models.DateTimeField(auto_now_add=True)
    scale = models.FloatField()
    seed = models.IntegerField()

    class Meta:
        verbose_name = _("data demo")
        verbose_name_plural = _("data demo")

    def __str__(self) -> str:
        return f"demo scale={self.scale} seed={self.seed}"
