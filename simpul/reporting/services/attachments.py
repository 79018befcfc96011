"""Evidence files: checked by their content (not their name), size-limited, stored outside the web root."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.core import uploads

from ..models import OPEN_STATUSES, Attachment, IndicatorType
from .submissions import indicators_of, lock_for

# What evidence may be: photos and PDF, recognised by their first bytes (core.uploads).
ALLOWED = uploads.EVIDENCE_TYPES
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_bytes() -> int:
    return getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)


def detect(content: bytes) -> str | None:
    """The MIME type the content really has, if it is one we accept."""
    return uploads.detect(content, ALLOWED)


def attachment_add(*, actor: Any, submission_id: Any, upload: Any, indicator_code: str = "") -> Attachment:
    with transaction.atomic():
        submission = lock_for(actor, submission_id, Action.VIEW)
        policy.require(actor, Action.CREATE, Attachment(submission=submission))
        if submission.status not in OPEN_STATUSES:
            raise ValidationError(_("Lampiran hanya dapat ditambah selama laporan belum dikirim."))
        indicator = None
        if indicator_code:
            indicator = indicators_of(submission).get(indicator_code)
            if indicator is None or indicator.type != IndicatorType.FILE:
                raise ValidationError({"indicator": _("Isian berkas ini tidak ada di formulir.")})
        content, mime = uploads.checked_file(upload, allowed=ALLOWED, max_bytes=max_bytes())
        attachment = Attachment(
            submission=submission,
            indicator=indicator,
            original_name=(getattr(upload, "name", "") or "berkas")[:200],
            content_type=mime,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=actor,
        )
        # The stored name is ours: nothing the uploader typed reaches the file system.
        attachment.file.save(f"{uuid.uuid4().hex}.{ALLOWED[mime]}", ContentFile(content), save=False)
        try:
            attachment.save()
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def attachment_delete(*, actor: Any, attachment_id: Any) -> None:
    with transaction.atomic():
        attachment = policy.get_or_404(
            actor, Attachment.objects.select_related("submission"), Action.DELETE, pk=attachment_id
        )
        lock_for(actor, attachment.submission_id, Action.VIEW)
        if attachment.submission.status not in OPEN_STATUSES:
            raise ValidationError(_("Lampiran laporan yang sudah dikirim tidak dapat dihapus."))
        stored = attachment.file.name
        storage = attachment.file.storage
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(stored))


def attachment_open(*, actor: Any, attachment_id: Any) -> Attachment:
    attachment = policy.get_or_404(actor, Attachment.objects.all(), Action.VIEW, pk=attachment_id)
    if not attachment.file.storage.exists(attachment.file.name):
        raise Http404
    return attachment
