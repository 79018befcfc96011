"""The communication space's pages: who opens which (200 or 404), posting through them, the record thread
on a record's page, the centre page's panel, and the bell that polls without keeping a session alive."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from simpul.accounts.models import Role
from simpul.core.middleware import IdleSessionMiddleware
from simpul.core.navigation import items_for
from simpul.messaging import services as messaging
from simpul.messaging.models import Comment, Notification, Thread, ThreadKind
from simpul.regions.models import Province
from simpul.reporting.models import ReportForm, Submission
from simpul.reporting.periods import PeriodType, period_containing, previous_period
from simpul.reporting.services import schedule

from .conftest import EAST_JAVA_OFFICIALS, EVERYONE, NATIONAL, assert_page_answers_role
from .discussed import discussed_records
from .factories import UserFactory

PROVINCE_35 = EAST_JAVA_OFFICIALS | {"pengelola_malang", "instruktur_malang"}
CENTER_MALANG = PROVINCE_35 | {"mentor_malang"}


@pytest.fixture(autouse=True)
def _roomy_rate_limit(settings, tmp_path):
    settings.MESSAGE_RATE_LIMIT = (10_000, 60)
    settings.MEDIA_ROOT = tmp_path


def _photo(name: str = "foto.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 12), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _center_message(world, body: str = "Rapat koordinasi Senin.", files=()) -> Comment:
    return messaging.message_post(
        actor=world.user("pengelola_malang"), thread=messaging.center_thread(world.malang), body=body, files=files
    )


def _direct_thread(world) -> Thread:
    manager, official = world.user("pengelola_malang"), world.user("pemda_malang")
    thread = messaging.direct_thread_open(actor=manager, other=official)
    return messaging.message_post(actor=manager, thread=thread, body="Halo Pak.", members=(manager, official)).thread


def _submission(world) -> Submission:
    form = ReportForm.objects.get(code="LAPBUL")
    period = previous_period(period_containing(PeriodType.MONTHLY, dt.date.today()))
    schedule.schedule_period(form, period, centers=[world.malang])
    return Submission.objects.get(form=form, center=world.malang, period_key=period.key)


# --- who opens which page -------------------------------------------------------------------------

PAGES = {
    "inbox": (lambda world: reverse("messaging:inbox"), EVERYONE),
    "announcements": (lambda world: reverse("messaging:announcements"), EVERYONE),
    "province_35": (lambda world: reverse("messaging:province", args=["35"]), PROVINCE_35),
    "province_33": (lambda world: reverse("messaging:province", args=["33"]), NATIONAL),
    "center_malang": (lambda world: reverse("messaging:center", args=[world.malang.pk]), CENTER_MALANG),
    "center_semarang": (lambda world: reverse("messaging:center", args=[world.semarang.pk]), NATIONAL),
    "search": (lambda world: reverse("messaging:search") + "?q=rapat", EVERYONE),
    "direct_new": (lambda world: reverse("messaging:direct-new"), EVERYONE),
    # Everyone shares a scope with the regency's official, except the official herself.
    "direct_in_scope": (
        lambda world: reverse("messaging:direct", args=[world.user("pemda_malang").pk]),
        EVERYONE - {"pemda_malang"},
    ),
    "preferences": (lambda world: reverse("messaging:preferences"), EVERYONE),
    "bell": (lambda world: reverse("messaging:bell"), EVERYONE),
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("user_key", sorted(EVERYONE))
def test_who_opens_each_page(world, client, page, user_key):
    url, allowed = PAGES[page]
    assert_page_answers_role(client, world, user_key, url, allowed, page)


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
def test_only_national_accounts_write_directly_to_someone_in_another_province(world, client, user_key):
    semarang_manager = UserFactory(username="pengelola.smg", role=Role.PENGELOLA, scope_center=world.semarang)
    url = lambda world: reverse("messaging:direct", args=[semarang_manager.pk])  # noqa: E731
    assert_page_answers_role(client, world, user_key, url, NATIONAL, "direct elsewhere")


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
def test_a_direct_conversation_opens_for_its_two_people_only(world, client, user_key):
    thread = _direct_thread(world)
    url = lambda world: reverse("messaging:thread", args=[thread.pk])  # noqa: E731
    assert_page_answers_role(client, world, user_key, url, {"pengelola_malang", "pemda_malang"}, "direct thread")


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
def test_a_message_s_history_and_attachment_open_for_the_thread_s_readers(world, client, user_key):
    comment = _center_message(world, files=[_photo()])
    attachment = comment.attachments.get()
    assert_page_answers_role(
        client, world, user_key, lambda w: reverse("messaging:message-history", args=[comment.pk]), CENTER_MALANG, "h"
    )
    assert_page_answers_role(
        client, world, user_key, lambda w: reverse("messaging:attachment", args=[attachment.pk]), CENTER_MALANG, "a"
    )


def test_the_attachment_is_served_with_its_checked_type_and_a_safe_name(world, client):
    comment = _center_message(world, files=[_photo('foto "rapat"; x.png')])
    client.force_login(world.user("pemda_malang"))
    response = client.get(reverse("messaging:attachment", args=[comment.attachments.get().pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert '"' not in response["Content-Disposition"].split("filename=")[1].strip('"')


def test_a_saved_non_direct_thread_s_address_leads_to_its_page(world, client):
    thread = _center_message(world).thread
    client.force_login(world.user("pemda_jatim"))
    response = client.get(reverse("messaging:thread", args=[thread.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:center", args=[world.malang.pk])


def test_the_menu_offers_communication_to_every_account(world):
    for key in EVERYONE:
        assert "communication" in {item.key for item in items_for(world.user(key))}, key


# --- posting through the pages --------------------------------------------------------------------


def test_a_post_on_the_thread_page_adds_one_message_and_goes_to_it(world, client):
    client.force_login(world.user("pemda_jatim"))
    url = reverse("messaging:center", args=[world.malang.pk])
    response = client.post(url, {"body": "Mohon laporan **segera** dikirim.", "files": [_photo()]})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{url}#pesan-{comment.pk}"
    assert comment.attachments.count() == 1
    page = client.get(url).content.decode()
    assert f'id="pesan-{comment.pk}"' in page
    assert "<strong>segera</strong>" in page


def test_a_script_in_a_message_is_shown_as_text(world, client):
    client.force_login(world.user("pengelola_malang"))
    url = reverse("messaging:province", args=["35"])
    client.post(url, {"body": "<script>alert(1)</script> halo"})
    page = client.get(url).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_bad_input_shows_the_error_keeps_the_draft_and_saves_nothing(world, client):
    client.force_login(world.user("pengelola_malang"))
    draft = "Laporan " + "x" * 5000
    response = client.post(reverse("messaging:center", args=[world.malang.pk]), {"body": draft})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Pesan terlalu panjang" in page
    assert draft in page
    assert not Comment.objects.exists()
    assert not Thread.objects.exists()


def test_an_empty_message_is_refused_with_a_clear_error(world, client):
    client.force_login(world.user("admin"))
    response = client.post(reverse("messaging:announcements"), {"body": "   "})
    assert response.status_code == 400
    assert "Pesan tidak boleh kosong." in response.content.decode()
    assert not Comment.objects.exists()


def test_only_announcers_see_the_form_and_post_announcements(world, client):
    client.force_login(world.user("pemda_jatim"))
    page = client.get(reverse("messaging:announcements")).content.decode()
    assert 'name="body"' not in page
    response = client.post(reverse("messaging:announcements"), {"body": "Pengumuman palsu"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_an_entrepreneur_neither_reads_nor_writes_the_centre_s_thread(world, client):
    _center_message(world, "Khusus pengelola.")
    client.force_login(world.user("wirausaha_malang"))
    assert client.post(reverse("messaging:center", args=[world.malang.pk]), {"body": "Halo"}).status_code == 404
    page = client.get(reverse("centers:detail", args=[world.malang.pk])).content.decode()
    assert "Khusus pengelola." not in page
    assert Comment.objects.count() == 1


def test_a_first_direct_message_starts_the_conversation_for_both(world, client):
    manager, official = world.user("pengelola_malang"), world.user("pemda_malang")
    client.force_login(manager)
    response = client.post(reverse("messaging:direct", args=[official.pk]), {"body": "Apakah bisa bertemu?"})
    assert response.status_code == 302
    thread = Thread.objects.get(kind=ThreadKind.DIRECT)
    assert set(thread.members.all()) == {manager, official}
    client.force_login(official)
    inbox = client.get(reverse("messaging:inbox")).content.decode()
    assert reverse("messaging:thread", args=[thread.pk]) in inbox
    assert "1 baru" in inbox
    page = client.get(reverse("messaging:thread", args=[thread.pk])).content.decode()
    assert "Apakah bisa bertemu?" in page


def test_direct_new_finds_contacts_by_name(world, client):
    client.force_login(world.user("pengelola_malang"))
    page = client.get(reverse("messaging:direct-new") + "?q=pemda.mal").content.decode()
    assert reverse("messaging:direct", args=[world.user("pemda_malang").pk]) in page
    assert reverse("messaging:direct", args=[world.user("pemda_jatim").pk]) not in page


def test_search_finds_a_readable_message(world, client):
    comment = _center_message(world, "Jadwal pelatihan menjahit")
    client.force_login(world.user("pemda_malang"))
    page = client.get(reverse("messaging:search") + "?q=menjahit").content.decode()
    assert f"#pesan-{comment.pk}" in page
    client.force_login(world.user("wirausaha_malang"))
    assert f"#pesan-{comment.pk}" not in client.get(reverse("messaging:search") + "?q=menjahit").content.decode()


# --- one message: edit, history, delete, hide -----------------------------------------------------


def test_the_author_edits_a_message_and_the_history_keeps_both_versions(world, client):
    comment = _center_message(world, "Rapat hari Senin.")
    client.force_login(world.user("pengelola_malang"))
    edit = reverse("messaging:message-edit", args=[comment.pk])
    assert "Rapat hari Senin." in client.get(edit).content.decode()
    response = client.post(edit, {"body": "Rapat hari Selasa."})
    assert response["Location"].endswith(f"#pesan-{comment.pk}")
    client.force_login(world.user("pemda_jatim"))
    assert client.get(edit).status_code == 404
    page = client.get(reverse("messaging:center", args=[world.malang.pk])).content.decode()
    assert "(diubah)" in page
    history = client.get(reverse("messaging:message-history", args=[comment.pk])).content.decode()
    assert history.index("Rapat hari Selasa.") < history.index("Rapat hari Senin.")


def test_a_deleted_message_leaves_only_a_trace(world, client):
    comment = _center_message(world, "Salah kirim.")
    client.force_login(world.user("pengelola_malang"))
    client.post(reverse("messaging:message-delete", args=[comment.pk]))
    page = client.get(reverse("messaging:center", args=[world.malang.pk])).content.decode()
    assert "Salah kirim." not in page
    assert "Pesan dihapus oleh" in page
    history = client.get(reverse("messaging:message-history", args=[comment.pk])).content.decode()
    assert "Salah kirim." not in history
    assert "Pesan dihapus oleh" in history


def test_a_hidden_message_shows_the_reason_to_all_and_the_text_to_its_author_and_moderators(world, client):
    comment = _center_message(world, "Kata kasar.")
    client.force_login(world.user("instruktur_malang"))
    assert client.post(reverse("messaging:message-hide", args=[comment.pk]), {"reason": "x"}).status_code == 403
    client.force_login(world.user("fkn_jatim"))
    client.post(reverse("messaging:message-hide", args=[comment.pk]), {"reason": "Tidak sopan"})
    url = reverse("messaging:center", args=[world.malang.pk])
    for key, sees_text in (("instruktur_malang", False), ("pengelola_malang", True), ("fkn_jatim", True)):
        client.force_login(world.user(key))
        page = client.get(url).content.decode()
        assert "Disembunyikan oleh moderator: Tidak sopan" in page, key
        assert ("Kata kasar." in page) == sees_text, key
    client.force_login(world.user("fkn_jatim"))
    client.post(reverse("messaging:message-unhide", args=[comment.pk]))
    comment.refresh_from_db()
    assert comment.hidden_at is None


# --- the record thread on a record's page, and the centre page's panel ----------------------------


def test_a_comment_on_a_submission_is_posted_and_shown_on_its_page(world, client):
    submission = _submission(world)
    client.force_login(world.user("pemda_malang"))
    post = reverse("messaging:record-post", args=["reporting.submission", submission.pk])
    response = client.post(post, {"body": "Mohon lengkapi jumlah lulusan."})
    page_url = reverse("reporting:submission", args=[submission.pk])
    assert response["Location"] == f"{page_url}#komentar"
    page = client.get(page_url).content.decode()
    assert 'id="komentar"' in page
    assert "Mohon lengkapi jumlah lulusan." in page
    assert post in page


def test_a_bad_comment_on_a_record_says_why(world, client):
    submission = _submission(world)
    client.force_login(world.user("pemda_malang"))
    post = reverse("messaging:record-post", args=["reporting.submission", submission.pk])
    response = client.post(post, {"body": ""}, follow=True)
    assert "Pesan tidak boleh kosong." in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
def test_who_may_comment_on_a_submission(world, client, user_key):
    submission = _submission(world)
    client.force_login(world.user(user_key))
    post = reverse("messaging:record-post", args=["reporting.submission", submission.pk])
    response = client.post(post, {"body": "Komentar"})
    allowed = user_key in PROVINCE_35
    assert response.status_code == (302 if allowed else 404)
    assert Comment.objects.count() == (1 if allowed else 0)


def _records(world) -> dict[str, tuple[object, str]]:
    """A grant, a tenant and a selection round of Malang, with their pages."""
    records = discussed_records(world)
    grant, tenant, selection_round = records.grant, records.tenant, records.selection_round
    return {
        "grant": (grant, reverse("reporting:grant", args=[grant.pk])),
        "tenant": (tenant, reverse("incubation:tenant", args=[tenant.pk])),
        "round": (selection_round, reverse("incubation:round", args=[selection_round.pk])),
    }


@pytest.mark.parametrize("record", ["grant", "tenant", "round"])
def test_grants_tenants_and_selection_rounds_carry_their_discussion(world, client, record):
    target, page_url = _records(world)[record]
    messaging.comment_post(actor=world.user("admin"), target=target, body=f"Catatan untuk {record}.")
    client.force_login(world.user("admin"))
    page = client.get(page_url).content.decode()
    assert 'id="komentar"' in page
    assert f"Catatan untuk {record}." in page
    assert reverse("messaging:record-post", args=[target._meta.label_lower, target.pk]) in page


def test_a_record_label_that_is_not_registered_is_not_found(world, client):
    client.force_login(world.user("admin"))
    response = client.post(reverse("messaging:record-post", args=["accounts.user", 1]), {"body": "x"})
    assert response.status_code == 404


def test_the_centre_page_shows_the_latest_messages_and_a_link_to_the_thread(world, client):
    for n in range(7):
        _center_message(world, f"Pesan nomor {n}.")
    client.force_login(world.user("pemda_malang"))
    page = client.get(reverse("centers:detail", args=[world.malang.pk])).content.decode()
    assert "Pesan nomor 6." in page
    assert "Pesan nomor 1." not in page
    assert "Buka utas BLK" in page
    assert reverse("messaging:center", args=[world.malang.pk]) in page


# --- the bell -------------------------------------------------------------------------------------


def test_the_bell_fragment_gives_the_unread_count(world, client):
    manager = world.user("pengelola_malang")
    messaging.notify(recipients=[manager], kind="test", title="Satu", email=False)
    messaging.notify(recipients=[manager], kind="test", title="Dua", email=False)
    client.force_login(manager)
    response = client.get(reverse("messaging:bell"))
    html = response.content.decode()
    assert html.startswith('<span id="bell-count"')
    assert '<span class="bell-count">2</span>' in html
    assert "<html" not in html


def test_the_bell_poll_does_not_renew_the_idle_session(world, client):
    client.force_login(world.user("pengelola_malang"))
    session = client.session
    session[IdleSessionMiddleware.KEY] = 1
    session.save()
    client.get(reverse("messaging:bell"))
    assert client.session[IdleSessionMiddleware.KEY] == 1
    client.get(reverse("messaging:notifications"))
    assert client.session[IdleSessionMiddleware.KEY] > 1


def test_the_page_polls_the_bell(world, client):
    client.force_login(world.user("pengelola_malang"))
    page = client.get(reverse("messaging:inbox")).content.decode()
    assert f'hx-get="{reverse("messaging:bell")}"' in page


def test_preferences_are_saved_and_bad_choices_refused(world, client):
    manager = world.user("pengelola_malang")
    client.force_login(manager)
    url = reverse("messaging:preferences")
    response = client.post(url, {"urgent_email": "digest", "other_email": "never"})
    assert response.status_code == 302
    preference = messaging.preference_of(manager)
    assert (preference.urgent_email, preference.other_email) == ("digest", "never")
    assert client.post(url, {"urgent_email": "sms", "other_email": "never"}).status_code == 400
    assert messaging.preference_of(manager).urgent_email == "digest"


def test_a_national_reader_finds_every_province_channel_in_the_inbox(world, client):
    client.force_login(world.user("fkn_national"))
    page = client.get(reverse("messaging:inbox")).content.decode()
    assert reverse("messaging:province", args=["33"]) in page
    client.force_login(world.user("instruktur_malang"))
    page = client.get(reverse("messaging:inbox")).content.decode()
    assert reverse("messaging:province", args=["35"]) in page
    assert reverse("messaging:province", args=["33"]) not in page
    assert reverse("messaging:center", args=[world.malang.pk]) in page
    assert Province.objects.filter(pk="33").exists()


BAD_INPUT = {
    "a megabyte of text": ({"body": "x" * 1_000_000}, "Pesan terlalu panjang: 1.000.000 karakter"),
    "a program named as a photo": (
        {"body": "Foto kegiatan", "files": [SimpleUploadedFile("foto.jpg", b"MZ\x90\x00" + b"\x00" * 500)]},
        "Isi berkas bukan foto",
    ),
    "mentioning someone outside the thread": ({"body": "@wirausaha ikut baca ya"}, "Tidak dapat menyebut @wirausaha"),
    "a flood of posts": ({"body": "Satu lagi"}, "Terlalu banyak pesan dalam waktu singkat"),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_on_a_thread_page_says_why_and_changes_nothing(world, client, settings, case):
    data, message = BAD_INPUT[case]
    manager = world.user("pengelola_malang")
    settings.MESSAGE_RATE_LIMIT = (2, 60)
    thread = messaging.center_thread(world.malang)
    messaging.message_post(actor=manager, thread=thread, body="Pesan pertama")
    if case == "a flood of posts":
        messaging.message_post(actor=manager, thread=thread, body="Pesan kedua")
    before = (
        Comment.objects.count(),
        Notification.objects.count(),
        sorted(p.name for p in settings.MEDIA_ROOT.rglob("*")),
    )
    client.force_login(manager)
    response = client.post(reverse("messaging:center", args=[world.malang.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    after = (
        Comment.objects.count(),
        Notification.objects.count(),
        sorted(p.name for p in settings.MEDIA_ROOT.rglob("*")),
    )
    assert after == before
    # The page that answers stays light: a crafted megabyte is not sent back whole.
    assert len(response.content) < 200_000


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["inbox", "search"])
def test_the_inbox_and_search_need_no_query_per_thread(world, client, page):
    """Each row names its place (a centre, a report, the other person): read for the whole page at once."""
    admin = world.user("admin")
    url = reverse("messaging:inbox") if page == "inbox" else reverse("messaging:search") + "?q=rapat"

    def talk(number: int) -> None:
        other = UserFactory(username=f"kontak{number}", role=Role.PEMDA, scope_province_id="35")
        thread = messaging.direct_thread_open(actor=admin, other=other)
        messaging.message_post(actor=other, thread=thread, body=f"Rapat {number}", members=(admin, other))

    center = messaging.message_post(actor=admin, thread=messaging.center_thread(world.malang), body="Rapat BLK")
    messaging.comment_post(actor=admin, target=_submission(world), body="Rapat laporan")
    talk(0)
    client.force_login(admin)
    client.get(url)  # the first request of a session reads a few things once
    few = _queries(client, url)
    messaging.message_post(actor=admin, thread=messaging.center_thread(world.semarang), body="Rapat Semarang")
    for number in range(1, 6):
        talk(number)
    assert center.thread.pk
    assert Thread.objects.count() == 9
    assert _queries(client, url) == few
