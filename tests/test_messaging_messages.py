"""Messages: safe Markdown, the limits on what is written and attached, edits and deletions with a
trace, moderation, and read marks."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import Image

from simpul.core.formats import format_number
from simpul.core.models import AuditAction, AuditEvent
from simpul.messaging import markup, selectors
from simpul.messaging import services as messaging
from simpul.messaging.models import COMMENT_MAX_LENGTH, Comment, CommentAttachment, Notification, ThreadRead
from simpul.regions.models import Province


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _files_on_disk(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def _png(size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


def _centre_thread(world):
    return messaging.center_thread(world.malang)


def _post(world, who="pengelola_malang", body="Halo", **kwargs):
    return messaging.message_post(actor=world.user(who), thread=_centre_thread(world), body=body, **kwargs)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def _assert_inert(html: str) -> None:
    for tag, attrs in _tags(html):
        assert tag in markup.ALLOWED_TAGS, html
        assert set(attrs) <= {"href", "title", "rel", "class"}, html
        assert not (attrs.get("href") or "").lower().startswith("javascript"), html


# --- markdown ----------------------------------------------------------------------


def test_bold_italic_lists_and_links_are_kept_and_links_get_rel_noopener():
    html = markup.render("**tebal** dan *miring*\n\n- satu\n- dua\n\n[Kemnaker](https://kemnaker.go.id)")
    assert "<strong>tebal</strong>" in html
    assert "<em>miring</em>" in html
    assert "<ul>" in html
    assert "<li>satu</li>" in html
    links = [attrs for tag, attrs in _tags(html) if tag == "a"]
    assert links[0]["href"] == "https://kemnaker.go.id"
    assert "noopener" in links[0]["rel"]


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        '<img src=x onerror="alert(1)">',
        "[klik](javascript:alert(1))",
        '<a href="javascript:alert(1)">klik</a>',
        "![foto](https://pelacak.example/x.png)",
    ],
)
def test_html_scripts_and_dangerous_links_are_rendered_inert(text):
    html = markup.render(text)
    _assert_inert(html)
    assert "<script" not in html
    assert "<img" not in html


def test_an_attribute_injection_in_a_mention_is_rendered_inert(world):
    comment = _post(
        world,
        who="admin",
        body='Tolong @pengelola" onmouseover="alert(1) dan [tautan](https://contoh.id "@pengelola onclick=x")',
    )
    _assert_inert(comment.body_html)
    assert '<span class="mention">@pengelola</span>' in comment.body_html
    assert list(comment.mentions.all()) == [world.user("pengelola_malang")]


# --- what is written -------------------------------------------------------------


def test_a_one_megabyte_message_is_refused_with_its_length_and_nothing_is_saved(world):
    body = "a" * 2**20
    with pytest.raises(ValidationError) as error:
        _post(world, body=body)
    message = " ".join(error.value.messages)
    assert format_number(2**20) in message
    assert format_number(COMMENT_MAX_LENGTH) in message
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_empty_message_is_refused(world, body):
    with pytest.raises(ValidationError):
        _post(world, body=body)
    assert not Comment.objects.exists()


def test_the_rate_limit_refuses_the_next_message_but_not_another_person_s(world, settings):
    settings.MESSAGE_RATE_LIMIT = (3, 60)
    for n in range(3):
        _post(world, body=f"Pesan {n}")
    with pytest.raises(ValidationError) as error:
        _post(world, body="Satu lagi")
    assert "Terlalu banyak pesan" in " ".join(error.value.messages)
    assert Comment.objects.count() == 3
    _post(world, who="instruktur_malang", body="Saya juga")
    assert Comment.objects.count() == 4


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, b"bukan foto, hanya teks biasa"],
)
def test_an_attachment_that_is_not_what_its_name_says_is_refused(world, tmp_path, content):
    fake = SimpleUploadedFile("foto.jpg", content, content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        _post(world, body="Lihat foto", files=[fake])
    assert "files" in error.value.message_dict
    assert not Comment.objects.exists()
    assert not CommentAttachment.objects.exists()
    assert _files_on_disk(tmp_path) == []


def test_a_real_png_is_accepted_and_stored_re_encoded_as_jpeg(world):
    comment = _post(world, body="", files=[_png()])
    attachment = comment.attachments.get()
    assert attachment.mime == "image/jpeg"
    assert attachment.name == "foto.jpg"
    with attachment.file.open("rb") as stored:
        assert stored.read(3) == b"\xff\xd8\xff"


def test_too_many_attachments_are_refused(world, tmp_path):
    with pytest.raises(ValidationError) as error:
        _post(world, body="Banyak foto", files=[_png() for _ in range(messaging.MAX_ATTACHMENTS + 1)])
    assert "files" in error.value.message_dict
    assert not Comment.objects.exists()
    assert _files_on_disk(tmp_path) == []


def test_mentioning_someone_outside_the_thread_is_refused(world):
    # the entrepreneur does not read the centre's thread
    with pytest.raises(ValidationError) as error:
        _post(world, body="Halo @wirausaha")
    assert "@wirausaha" in " ".join(error.value.messages)
    assert not Comment.objects.exists()
    assert not Notification.objects.exists()


# --- edit and delete ---------------------------------------------------------------


def test_an_edit_keeps_the_history_and_tells_the_newly_mentioned_once(world):
    comment = _post(world, body="Rapat hari Senin @instruktur")
    manager = world.user("pengelola_malang")
    messaging.message_edit(actor=manager, comment=comment, body="Rapat hari Selasa @instruktur @mentor")
    messaging.message_edit(actor=manager, comment=comment, body="Rapat hari Rabu @instruktur @mentor")
    comment.refresh_from_db()
    assert comment.body == "Rapat hari Rabu @instruktur @mentor"
    assert comment.edited_at is not None
    bodies = list(comment.history.values_list("body", flat=True))
    assert "Rapat hari Senin @instruktur" in bodies
    assert "Rapat hari Selasa @instruktur @mentor" in bodies
    mentions = Notification.objects.filter(kind="mention")
    assert mentions.filter(recipient=world.user("instruktur_malang")).count() == 1
    assert mentions.filter(recipient=world.user("mentor_malang")).count() == 1


@pytest.mark.parametrize(
    ("user_key", "error"),
    [("instruktur_malang", PermissionDenied), ("admin", PermissionDenied), ("wirausaha_malang", Http404)],
)
def test_only_the_author_edits_or_deletes(world, user_key, error):
    comment = _post(world, body="Pesan asli")
    with pytest.raises(error):
        messaging.message_edit(actor=world.user(user_key), comment=comment, body="Diubah orang lain")
    with pytest.raises(error):
        messaging.message_delete(actor=world.user(user_key), comment=comment)
    comment.refresh_from_db()
    assert (comment.body, comment.edited_at, comment.deleted_at) == ("Pesan asli", None, None)


def test_a_deletion_leaves_a_trace_without_the_text_or_the_files(world, tmp_path, django_capture_on_commit_callbacks):
    manager = world.user("pengelola_malang")
    comment = _post(world, body="Rahasia @instruktur", files=[_png()])
    messaging.message_edit(actor=manager, comment=comment, body="Rahasia lagi @instruktur")
    assert _files_on_disk(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        messaging.message_delete(actor=manager, comment=comment)
    comment.refresh_from_db()
    assert comment.deleted_at is not None
    assert comment.deleted_by == manager
    assert comment.body == ""
    assert comment.body_html == ""
    assert set(comment.history.values_list("body", flat=True)) == {""}
    assert not comment.mentions.exists()
    assert not CommentAttachment.objects.exists()
    assert _files_on_disk(tmp_path) == []
    event = AuditEvent.objects.get(action=AuditAction.MESSAGE_DELETED)
    assert event.actor == manager
    assert event.target_id == str(comment.pk)
    assert not selectors.search(actor=world.user("admin"), query="Rahasia").exists()


# --- moderation --------------------------------------------------------------------


def test_a_moderator_hides_a_message_with_a_reason_the_author_is_told_and_it_is_audited(world):
    comment = _post(world, body="Jualan pulsa murah")
    fkn = world.user("fkn_jatim")
    with pytest.raises(ValidationError):
        messaging.message_hide(actor=fkn, comment=comment, reason="  ")
    comment.refresh_from_db()
    assert comment.hidden_at is None
    messaging.message_hide(actor=fkn, comment=comment, reason="Iklan di luar topik")
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    assert comment.hidden_by == fkn
    told = Notification.objects.get(recipient=world.user("pengelola_malang"), kind="message_hidden")
    assert "Iklan di luar topik" in told.body
    event = AuditEvent.objects.get(action=AuditAction.MESSAGE_HIDDEN)
    assert event.actor == fkn
    assert event.detail["reason"] == "Iklan di luar topik"
    messaging.message_unhide(actor=world.user("admin"), comment=comment)
    comment.refresh_from_db()
    assert comment.hidden_at is None
    assert comment.hidden_reason == ""
    shown = AuditEvent.objects.get(action=AuditAction.MESSAGE_SHOWN)
    assert shown.actor == world.user("admin")
    assert shown.detail["hidden_because"] == "Iklan di luar topik"


@pytest.mark.parametrize(
    ("user_key", "error"),
    [
        ("pemda_jatim", PermissionDenied),
        ("pemda_malang", PermissionDenied),
        ("instruktur_malang", PermissionDenied),
        ("wirausaha_malang", Http404),
    ],
)
def test_only_fkn_and_admin_pusat_hide(world, user_key, error):
    comment = _post(world, body="Pesan biasa")
    with pytest.raises(error):
        messaging.message_hide(actor=world.user(user_key), comment=comment, reason="Tidak suka")
    comment.refresh_from_db()
    assert comment.hidden_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.MESSAGE_HIDDEN).exists()


def test_a_moderator_outside_the_thread_cannot_hide(world):
    comment = messaging.message_post(
        actor=world.user("admin"), thread=messaging.province_thread(Province.objects.get(pk="33")), body="Jateng"
    )
    with pytest.raises(Http404):
        messaging.message_hide(actor=world.user("fkn_jatim"), comment=comment, reason="Di luar topik")


def test_nobody_moderates_a_direct_conversation(world):
    admin, manager = world.user("admin"), world.user("pengelola_malang")
    thread = messaging.direct_thread_open(actor=admin, other=manager)
    comment = messaging.message_post(actor=manager, thread=thread, body="Pak, mohon bantuan", members=(admin, manager))
    # a member who moderates elsewhere does not moderate their own conversation
    with pytest.raises(PermissionDenied):
        messaging.message_hide(actor=admin, comment=comment, reason="Tidak pantas")
    # and an outsider does not even see it
    with pytest.raises(Http404):
        messaging.message_hide(actor=world.user("fkn_national"), comment=comment, reason="Tidak pantas")
    comment.refresh_from_db()
    assert comment.hidden_at is None


# --- read marks --------------------------------------------------------------------


def test_unread_counts_others_messages_after_the_last_read_and_marking_read_clears_them(world):
    instructor, manager = world.user("instruktur_malang"), world.user("pengelola_malang")
    first = _post(world, who="instruktur_malang", body="Pesan pertama")
    _post(world, who="pengelola_malang", body="Jawaban")
    _post(world, who="admin", body="Dari pusat")
    thread = first.thread

    def unread(reader=manager) -> int:
        (listed,) = selectors.with_unread(actor=reader, threads=[selectors.inbox(actor=reader).get(pk=thread.pk)])
        return listed.unread

    assert unread() == 1  # the admin's message after the manager's own reply
    assert Notification.objects.filter(recipient=manager, read_at__isnull=True).exists()
    messaging.thread_mark_read(actor=manager, thread=thread)
    assert unread() == 0
    assert not Notification.objects.filter(recipient=manager, read_at__isnull=True).exists()
    assert ThreadRead.objects.filter(thread=thread, user=manager).exists()
    _post(world, who="instruktur_malang", body="Satu lagi")
    assert unread() == 1
    assert unread(instructor) == 0  # writing marks the thread read


def test_unread_in_a_direct_conversation_counts_each_message_once(world):
    manager, pemda = world.user("pengelola_malang"), world.user("pemda_malang")
    thread = messaging.direct_thread_open(actor=manager, other=pemda)
    thread = messaging.message_post(actor=manager, thread=thread, body="Selamat pagi", members=(manager, pemda)).thread
    messaging.message_post(actor=manager, thread=thread, body="Mohon tanggapan")
    for reader, expected in ((pemda, 2), (manager, 0)):
        (listed,) = selectors.with_unread(actor=reader, threads=[selectors.inbox(actor=reader).get(pk=thread.pk)])
        assert listed.unread == expected
