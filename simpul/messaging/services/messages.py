"""Writing in threads: post, edit, delete (with a trace), hide and show again (moderation), read marks.

Every write checks the thread's access rule first (a thread outside one's
scope is 404, as if it did not exist), validates everything before touching
the database (the text, the mentions, the attachments, the rate limit), and
runs in one transaction: bad input changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Role
from simpul.core.audit import audit_event_record
from simpul.core.formats import format_number
from simpul.core.models import AuditAction
from simpul.core.uploads import EVIDENCE_TYPES, checked_file, reencoded_photo

from .. import access, markup
from ..models import COMMENT_MAX_LENGTH, Comment, CommentAttachment, Thread, ThreadKind, ThreadRead, Urgency
from ..tasks import announcement_fan_out
from .notifications import notifications_mark_read, notify
from .threads import direct_thread, saved, thread_url

MAX_ATTACHMENTS = 5
ATTACHMENT_MAX_BYTES = 10 * 2**20
HIDE_REASON_MAX = 300


def _rate_limit() -> tuple[int, int]:
    """(messages, seconds): at most this many messages per person in this window (settings.MESSAGE_RATE_LIMIT)."""
    count, seconds = getattr(settings, "MESSAGE_RATE_LIMIT", (10, 60))
    return int(count), int(seconds)


def _name(user: Any) -> str:
    return str(user.full_name or user.get_username())


def _clean_text(body: str, *, allow_empty: bool = False) -> str:
    text = (body or "").replace("\r\n", "\n").strip()
    if not text and not allow_empty:
        raise ValidationError({"body": _("Pesan tidak boleh kosong.")})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("Pesan terlalu panjang: %(length)s karakter, paling banyak %(max)s.")
                % {"length": format_number(len(text)), "max": format_number(COMMENT_MAX_LENGTH)}
            }
        )
    return text


def _mentioned(text: str, thread: Thread, author: Any) -> list[Any]:
    """The people mentioned, each of whom must be able to read the thread; otherwise a clear refusal."""
    names = [name for name in markup.mentioned_usernames(text) if name != author.get_username().lower()]
    if not names:
        return []
    lookup = Q()
    for name in names:
        lookup |= Q(username__iexact=name)  # usernames may be stored in any case
    users = {u.get_username().lower(): u for u in get_user_model().objects.filter(lookup, is_active=True)}
    outsiders = [name for name in names if name not in users or not access.can_read(users[name], thread)]
    if outsiders:
        raise ValidationError(
            {
                "body": _(
                    "Tidak dapat menyebut %(names)s: hanya orang yang dapat membaca percakapan ini yang dapat disebut."
                )
                % {"names": ", ".join(f"@{name}" for name in outsiders)}
            }
        )
    return [users[name] for name in names]


def _checked_files(files: Sequence[Any]) -> list[tuple[str, bytes, str]]:
    """(name, content, mime) of each attachment, checked by content and size; photos re-encoded."""
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"files": _("Paling banyak %(n)s lampiran per pesan.") % {"n": MAX_ATTACHMENTS}})
    checked = []
    for upload in files:
        content, mime = checked_file(upload, allowed=EVIDENCE_TYPES, max_bytes=ATTACHMENT_MAX_BYTES, field="files")
        name = (getattr(upload, "name", "") or "lampiran").rsplit("/", 1)[-1][:150]
        if mime != "application/pdf":
            content, mime = reencoded_photo(content, field="files").content, "image/jpeg"
            name = name.rsplit(".", 1)[0] + ".jpg"
        checked.append((name, content, mime))
    return checked


def _check_rate(actor: Any) -> None:
    count, seconds = _rate_limit()
    since = timezone.now() - dt.timedelta(seconds=seconds)
    if Comment.objects.filter(author=actor, created_at__gte=since).count() >= count:
        raise ValidationError(
            {
                "body": _(
                    "Terlalu banyak pesan dalam waktu singkat: paling banyak %(count)s pesan per %(seconds)s detik. "
                    "Tunggu sebentar, lalu kirim lagi."
                )
                % {"count": count, "seconds": seconds}
            }
        )


def _require_read(actor: Any, thread: Thread) -> None:
    if not access.can_read(actor, thread):
        raise Http404


def message_post(
    *, actor: Any, thread: Thread, body: str, files: Sequence[Any] = (), members: tuple[Any, ...] = ()
) -> Comment:
    """Write a message in a thread (saved on its first message), tell the people concerned."""
    if thread.kind == ThreadKind.DIRECT and thread.pk is None:
        # A conversation's first message: its two people (checked by direct_thread_open) become its members.
        if actor not in members or len(set(members)) != 2:
            raise Http404
    else:
        _require_read(actor, thread)
        if not access.can_post(actor, thread):
            raise PermissionDenied(_("Hanya Admin Pusat dan FKN nasional yang dapat menulis pengumuman."))
    text = _clean_text(body, allow_empty=bool(files))
    mentioned = _mentioned(text, thread, actor) if thread.pk is not None or not members else []
    checked = _checked_files(files)
    _check_rate(actor)
    with transaction.atomic():
        thread = saved(thread, members)
        comment = Comment.objects.create(
            thread=thread,
            author=actor,
            body=text,
            body_html=markup.render(text, mentions={u.get_username().lower() for u in mentioned}),
        )
        comment.mentions.set(mentioned)
        for name, content, mime in checked:
            attachment = CommentAttachment(comment=comment, name=name, mime=mime, size=len(content))
            attachment.file.save(name, ContentFile(content), save=False)
            attachment.save()
        Thread.objects.filter(pk=thread.pk).update(last_message_at=comment.created_at)
        _mark_read(actor, thread, comment.created_at)
        _tell(comment, mentioned)
    return comment


def _tell(comment: Comment, mentioned: list[Any]) -> None:
    """Mentions at once; the thread's other people (earlier writers, the centre's managers, the other
    person of a direct conversation) in the app and the digest; an announcement reaches everyone."""
    thread, author = comment.thread, comment.author
    url = thread_url(thread)
    if thread.kind != ThreadKind.RECORD:
        url = f"{url}#pesan-{comment.pk}"
    where = _place_label(thread)
    preview = comment.body[:300]
    notify(
        recipients=[u for u in mentioned if u.pk != author.pk],
        kind="mention",
        urgency=Urgency.URGENT,
        title=_("%(who)s menyebut Anda di %(where)s") % {"who": _name(author), "where": where},
        body=preview,
        url=url,
    )
    if thread.kind == ThreadKind.ANNOUNCEMENT:
        transaction.on_commit(partial(announcement_fan_out.enqueue, comment_id=comment.pk))
        return
    told = {u.pk for u in mentioned} | {author.pk}
    others = [u for u in _concerned(thread) if u.pk not in told and access.can_read(u, thread)]
    notify(
        recipients=others,
        kind="message",
        title=_("Pesan baru dari %(who)s di %(where)s") % {"who": _name(author), "where": where},
        body=preview,
        url=url,
    )


def _concerned(thread: Thread) -> list[Any]:
    """Who hears of a new message without being mentioned: the thread's earlier writers, and its owners."""
    user_model = get_user_model()
    people = list(
        user_model.objects.filter(pk__in=Comment.objects.filter(thread=thread).values("author"), is_active=True)
    )
    if thread.kind == ThreadKind.DIRECT:
        people += list(thread.members.filter(is_active=True))
    center_id: Any = None
    if thread.kind == ThreadKind.CENTER:
        center_id = int(thread.target_id)
    elif thread.kind == ThreadKind.RECORD and thread.target is not None:
        entry = access.record_entry(thread.target)
        center_id = entry.center_id(thread.target) if entry else None
    if center_id:
        people += list(user_model.objects.filter(role=Role.PENGELOLA, scope_center_id=center_id, is_active=True))
    return list({u.pk: u for u in people}.values())


def _place_label(thread: Thread) -> str:
    labels = {
        ThreadKind.ANNOUNCEMENT: lambda: _("Pengumuman nasional"),
        ThreadKind.PROVINCE: lambda: _("kanal Provinsi %(name)s") % {"name": thread.target},
        ThreadKind.CENTER: lambda: _("utas %(name)s") % {"name": thread.target},
        ThreadKind.RECORD: lambda: _("komentar %(name)s") % {"name": thread.target},
        ThreadKind.DIRECT: lambda: _("pesan langsung"),
    }
    return str(labels[ThreadKind(thread.kind)]())


def _own_message(actor: Any, comment: Comment) -> None:
    _require_read(actor, comment.thread)
    if comment.author_id != actor.pk:
        raise PermissionDenied(_("Hanya penulisnya yang dapat mengubah atau menghapus pesan ini."))
    if comment.is_removed:
        raise ValidationError({"body": _("Pesan yang sudah dihapus atau disembunyikan tidak dapat diubah.")})


def message_edit(*, actor: Any, comment: Comment, body: str) -> Comment:
    """The author changes a message; the earlier text stays in its history; the newly mentioned are told."""
    _own_message(actor, comment)
    text = _clean_text(body, allow_empty=comment.attachments.exists())
    mentioned = _mentioned(text, comment.thread, actor)
    if text == comment.body:
        return comment
    before = set(comment.mentions.values_list("pk", flat=True))
    with transaction.atomic():
        comment.body = text
        comment.body_html = markup.render(text, mentions={u.get_username().lower() for u in mentioned})
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "edited_at"])
        comment.mentions.set(mentioned)
        new = [u for u in mentioned if u.pk not in before]
        if new:
            notify(
                recipients=new,
                kind="mention",
                urgency=Urgency.URGENT,
                title=_("%(who)s menyebut Anda di %(where)s")
                % {"who": _name(actor), "where": _place_label(comment.thread)},
                body=text[:300],
                url=_comment_url(comment),
            )
    return comment


def _comment_url(comment: Comment) -> str:
    url = thread_url(comment.thread)
    return url if comment.thread.kind == ThreadKind.RECORD else f"{url}#pesan-{comment.pk}"


def message_delete(*, actor: Any, comment: Comment, request: Any = None) -> Comment:
    """The author deletes a message: its text, mentions and attachments go, a trace (who, when) stays."""
    _own_message(actor, comment)
    files = [a.file.name for a in comment.attachments.all()]
    with transaction.atomic():
        comment.deleted_at = timezone.now()
        comment.deleted_by = actor
        comment.body = ""
        comment.body_html = ""
        comment.save(update_fields=["deleted_at", "deleted_by", "body", "body_html"])
        # The earlier versions go too: a deleted message is not kept readable in its history.
        comment.history.update(body="")
        comment.mentions.clear()
        comment.attachments.all().delete()
        audit_event_record(
            action=AuditAction.MESSAGE_DELETED, actor=actor, target=comment, request=request,
            detail={"thread": comment.thread.key},
        )  # fmt: skip
        transaction.on_commit(partial(_remove_files, files))
    return comment


def _remove_files(names: list[str]) -> None:
    storage = CommentAttachment._meta.get_field("file").storage  # type: ignore[attr-defined]
    for name in names:
        storage.delete(name)


def message_hide(*, actor: Any, comment: Comment, reason: str, request: Any = None) -> Comment:
    """A moderator (FKN, Admin Pusat) hides a message with a reason; the author is told; audited."""
    thread = comment.thread
    _require_read(actor, thread)
    if not access.can_moderate(actor, thread):
        raise PermissionDenied(_("Hanya FKN dan Admin Pusat yang dapat menyembunyikan pesan."))
    why = (reason or "").strip()
    if not why:
        raise ValidationError({"reason": _("Tuliskan alasan menyembunyikan pesan ini.")})
    if len(why) > HIDE_REASON_MAX:
        raise ValidationError({"reason": _("Alasan paling panjang %(max)s karakter.") % {"max": HIDE_REASON_MAX}})
    if comment.deleted_at is not None or comment.hidden_at is not None:
        raise ValidationError({"reason": _("Pesan ini sudah dihapus atau disembunyikan.")})
    with transaction.atomic():
        comment.hidden_at = timezone.now()
        comment.hidden_by = actor
        comment.hidden_reason = why
        comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        audit_event_record(
            action=AuditAction.MESSAGE_HIDDEN, actor=actor, target=comment, request=request,
            detail={"thread": thread.key, "reason": why},
        )  # fmt: skip
        notify(
            recipients=[comment.author] if comment.author_id != actor.pk else [],
            kind="message_hidden",
            urgency=Urgency.URGENT,
            title=_("Pesan Anda di %(where)s disembunyikan oleh moderator") % {"where": _place_label(thread)},
            body=_("Alasan: %(reason)s") % {"reason": why},
            url=_comment_url(comment),
        )
    return comment


def message_unhide(*, actor: Any, comment: Comment, request: Any = None) -> Comment:
    """A moderator shows a hidden message again; audited."""
    _require_read(actor, comment.thread)
    if not access.can_moderate(actor, comment.thread):
        raise PermissionDenied(_("Hanya FKN dan Admin Pusat yang dapat menampilkan kembali pesan."))
    if comment.hidden_at is None:
        return comment
    with transaction.atomic():
        reason = comment.hidden_reason
        comment.hidden_at, comment.hidden_by, comment.hidden_reason = None, None, ""
        comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        audit_event_record(
            action=AuditAction.MESSAGE_SHOWN, actor=actor, target=comment, request=request,
            detail={"thread": comment.thread.key, "hidden_because": reason},
        )  # fmt: skip
    return comment


def _mark_read(actor: Any, thread: Thread, when: Any) -> None:
    ThreadRead.objects.update_or_create(thread=thread, user=actor, defaults={"last_read_at": when})


def thread_mark_read(*, actor: Any, thread: Thread) -> None:
    """The reader has seen the thread up to now; notifications pointing into it are read too."""
    if thread.pk is None or not access.can_read(actor, thread):
        return
    with transaction.atomic():
        _mark_read(actor, thread, timezone.now())
        notifications_mark_read(actor=actor, url_prefix=thread_url(thread).split("#")[0])


def direct_thread_open(*, actor: Any, other: Any) -> Thread:
    """The conversation between two people who share a scope (unsaved until its first message)."""
    from ..selectors import direct_contacts

    if other.pk == actor.pk or not direct_contacts(actor=actor).filter(pk=other.pk).exists():
        raise Http404
    return direct_thread(actor, other)
