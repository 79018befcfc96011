"""The communication space: threads, their messages, and notifications.

A thread is one place where people talk, of one of five kinds: the national
announcements, a province's channel, a centre's thread, the comments on a
record (a submission, a grant, a tenant, a selection round), or a direct
conversation between two people. A thread that is about something points at it
generically (content type + id), so reporting and incubation attach threads
without messaging knowing them. Who may read a thread is decided in
`access.py`, from the thread's kind and what it is about.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

COMMENT_MAX_LENGTH = 5000


class Urgency(models.TextChoices):
    """How a notification reaches a person by e-mail: at once (mentions, returned reports,
    review requests) or in the daily digest (everything else). Each person chooses per urgency."""

    URGENT = "urgent", _("Penting (sebutan, laporan dikembalikan, permintaan tinjauan)")
    OTHER = "other", _("Lainnya")


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("jenis"), max_length=40)
    urgency = models.CharField(_("kepentingan"), max_length=10, choices=Urgency.choices, default=Urgency.OTHER)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when the notification went out by e-mail, at once or in a digest: never mailed twice.
    email_sent_at = models.DateTimeField(null=True, blank=True)
    # The same event never notifies the same person twice (a job run twice).
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class EmailChoice(models.TextChoices):
    AT_ONCE = "at_once", _("Langsung")
    DIGEST = "digest", _("Ringkasan harian")
    NEVER = "never", _("Tidak dikirim surel")


class NotificationPreference(models.Model):
    """How one person wants notifications by e-mail. Without a row, the defaults apply."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    urgent_email = models.CharField(
        _("surel untuk yang penting"), max_length=10, choices=EmailChoice.choices, default=EmailChoice.AT_ONCE
    )
    other_email = models.CharField(
        _("surel untuk lainnya"),
        max_length=10,
        choices=[(EmailChoice.DIGEST, EmailChoice.DIGEST.label), (EmailChoice.NEVER, EmailChoice.NEVER.label)],
        default=EmailChoice.DIGEST,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengaturan notifikasi")
        verbose_name_plural = _("pengaturan notifikasi")

    def __str__(self) -> str:
        return str(self.user)

    def choice_for(self, urgency: str) -> str:
        return self.urgent_email if urgency == Urgency.URGENT else self.other_email


class ThreadKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Pengumuman nasional")
    PROVINCE = "province", _("Kanal provinsi")
    CENTER = "center", _("Utas BLK")
    RECORD = "record", _("Komentar catatan")
    DIRECT = "direct", _("Pesan langsung")


class Thread(models.Model):
    kind = models.CharField(_("jenis"), max_length=20, choices=ThreadKind.choices)
    # One thread per place: "announcements", "province:35", "center:12", "record:<ct>:<id>", "direct:<a>:<b>".
    key = models.CharField(max_length=120, unique=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # The target's id as a number (every record and centre has one; a province's code is text): what the access
    # filter joins on, with the record table's own primary key index (messaging.access.readable_threads).
    target_pk = models.BigIntegerField(null=True, blank=True)
    # Only for direct messages: the two people in the conversation.
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="direct_threads")
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("utas")
        verbose_name_plural = _("utas")
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="thread_target"),
            models.Index(fields=["target_type", "target_pk"], name="thread_target_pk"),
        ]

    def __str__(self) -> str:
        return self.key


class ThreadRead(models.Model):
    """Up to when a person has read a thread: what came after is unread for them."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="one_read_mark_per_thread_and_user")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.thread_id}"


class Comment(models.Model):
    """One message in a thread. Edits keep their history; a deletion or a moderator's hiding leaves a trace."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("pesan"), max_length=COMMENT_MAX_LENGTH, blank=True)
    # The body rendered from safe Markdown and sanitised (markup.render): what every reader sees.
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("diubah"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("dihapus"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_at = models.DateTimeField(_("disembunyikan"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_reason = models.CharField(_("alasan disembunyikan"), max_length=300, blank=True)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    history = HistoricalRecords(excluded_fields=["body_html", "thread", "author", "created_at"])

    class Meta:
        verbose_name = _("pesan")
        verbose_name_plural = _("pesan")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"], name="comment_thread_time")]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_removed(self) -> bool:
        return self.deleted_at is not None or self.hidden_at is not None


class CommentAttachment(models.Model):
    """A photo or PDF with a message: checked by its content, stored outside the web root."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="messages/%Y/%m/")
    name = models.CharField(_("nama berkas"), max_length=200)
    mime = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("lampiran pesan")
        verbose_name_plural = _("lampiran pesan")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
