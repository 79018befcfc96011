"""Notifications by e-mail: urgent ones at once, the rest in one daily digest, as each person chose;
mail only from tasks, after the commit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from simpul.messaging import services as messaging
from simpul.messaging.models import EmailChoice, Notification, NotificationPreference, Urgency
from simpul.messaging.tasks import send_digests
from simpul.reporting.models import ReportForm, Submission
from simpul.reporting.periods import PeriodType, period_containing, previous_period
from simpul.reporting.services import schedule
from simpul.reporting.services import submissions as submission_services
from simpul.reporting.services.workflow import submission_transition

from .factories import UserFactory
from .reports import MONTHLY_COMPLETE


def _mails_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def _post(world, who="pengelola_malang", body="Halo"):
    return messaging.message_post(actor=world.user(who), thread=messaging.center_thread(world.malang), body=body)


def _report(world) -> Submission:
    form = ReportForm.objects.get(code="LAPBUL")
    period = previous_period(period_containing(PeriodType.MONTHLY, dt.date.today()))
    schedule.schedule_period(form, period, centers=[world.malang])
    report = Submission.objects.get(form=form, center=world.malang, period_key=period.key)
    submission_services.submission_save_values(
        actor=world.user("pengelola_malang"), submission_id=report.pk, raw_values=MONTHLY_COMPLETE
    )
    return report


# --- at once -----------------------------------------------------------------------


def test_a_mention_is_mailed_at_once_after_the_commit_only(world, django_capture_on_commit_callbacks):
    instructor = world.user("instruktur_malang")
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            _post(world, body="Mohon cek jadwal @instruktur")
            assert mail.outbox == []
        assert mail.outbox == []  # nothing is mailed before the commit's callbacks run
    for callback in callbacks:
        callback()
    [message] = _mails_to(instructor)
    assert "menyebut Anda" in message.subject
    assert "Mohon cek jadwal" in message.body
    assert Notification.objects.get(recipient=instructor, kind="mention").email_sent_at is not None
    # the digest does not mail it again
    assert send_digests() == 0
    assert len(_mails_to(instructor)) == 1


def test_a_mention_waits_for_the_digest_for_who_chose_so(world, django_capture_on_commit_callbacks):
    instructor = world.user("instruktur_malang")
    messaging.preference_update(actor=instructor, urgent_email=EmailChoice.DIGEST, other_email=EmailChoice.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        _post(world, body="Mohon cek jadwal @instruktur")
    assert _mails_to(instructor) == []
    send_digests()
    [digest] = _mails_to(instructor)
    assert "Ringkasan harian" in digest.subject
    assert Notification.objects.get(recipient=instructor, kind="mention").title in digest.body


def test_a_mention_is_never_mailed_for_who_chose_never(world, django_capture_on_commit_callbacks):
    instructor = world.user("instruktur_malang")
    messaging.preference_update(actor=instructor, urgent_email=EmailChoice.NEVER, other_email=EmailChoice.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        _post(world, body="Mohon cek jadwal @instruktur")
    send_digests()
    assert _mails_to(instructor) == []
    assert Notification.objects.filter(recipient=instructor, kind="mention").exists()  # still in the app


def test_a_review_request_mails_the_reviewers_at_once(world, django_capture_on_commit_callbacks):
    report = _report(world)
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(actor=world.user("pengelola_malang"), submission_id=report.pk, step_name="submit")
    reviewers = [world.user(key) for key in ("fkn_jatim", "pemda_jatim", "pemda_malang")]
    for reviewer in reviewers:
        [message] = _mails_to(reviewer)
        assert "Menunggu verifikasi" in message.subject
    assert {m.to[0] for m in mail.outbox} == {r.email for r in reviewers}
    assert set(Notification.objects.filter(kind="review_request").values_list("urgency", flat=True)) == {Urgency.URGENT}


def test_a_returned_report_mails_the_centre_manager_at_once(world, django_capture_on_commit_callbacks):
    report = _report(world)
    submission_transition(actor=world.user("pengelola_malang"), submission_id=report.pk, step_name="submit")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(
            actor=world.user("pemda_jatim"),
            submission_id=report.pk,
            step_name="return",
            comment="Jumlah lulusan salah.",
        )
    [message] = _mails_to(world.user("pengelola_malang"))
    assert "Dikembalikan" in message.subject
    assert "Jumlah lulusan salah." in message.body
    assert [m.to for m in mail.outbox] == [[world.user("pengelola_malang").email]]


# --- the digest --------------------------------------------------------------------


def test_an_ordinary_message_is_not_mailed_at_once_but_goes_in_one_digest_per_person(
    world, django_capture_on_commit_callbacks
):
    manager, instructor = world.user("pengelola_malang"), world.user("instruktur_malang")
    with django_capture_on_commit_callbacks(execute=True):
        _post(world, who="instruktur_malang", body="Jadwal minggu ini")
        _post(world, who="admin", body="Pesan dari pusat pertama")
        _post(world, who="admin", body="Pesan dari pusat kedua")
    assert mail.outbox == []
    assert send_digests() == 2  # the manager (three messages) and the instructor (two)
    [digest] = _mails_to(manager)
    assert "3 notifikasi" in digest.subject
    assert digest.body.count("Pesan baru dari") == 3
    assert "Jadwal minggu ini" in digest.body
    [digest] = _mails_to(instructor)
    assert digest.body.count("Pesan baru dari") == 2
    assert send_digests() == 0
    assert len(mail.outbox) == 2


def test_the_digest_leaves_out_what_was_read_or_mailed_already(world, django_capture_on_commit_callbacks):
    manager = world.user("pengelola_malang")
    with django_capture_on_commit_callbacks(execute=True):
        _post(world, who="admin", body="Sudah dibaca")
    messaging.thread_mark_read(actor=manager, thread=messaging.center_thread(world.malang))
    assert send_digests() == 0
    with django_capture_on_commit_callbacks(execute=True):
        _post(world, who="admin", body="Belum dibaca")
    send_digests()
    [digest] = _mails_to(manager)
    assert "Belum dibaca" in digest.body
    assert "Sudah dibaca" not in digest.body
    with django_capture_on_commit_callbacks(execute=True):
        _post(world, who="admin", body="Yang ketiga")
    send_digests()
    second = _mails_to(manager)[1]
    assert "Yang ketiga" in second.body
    assert "Belum dibaca" not in second.body


def test_inactive_people_and_people_without_e_mail_get_no_mail(world, django_capture_on_commit_callbacks):
    manager, instructor = world.user("pengelola_malang"), world.user("instruktur_malang")
    no_mail = UserFactory(username="tanpa.surel", email="", role="instruktur", scope_center=world.malang)
    with django_capture_on_commit_callbacks(execute=True):
        _post(world, who="instruktur_malang", body="Saya ikut")
        messaging.message_post(actor=no_mail, thread=messaging.center_thread(world.malang), body="Saya juga")
        _post(world, who="admin", body="Untuk semua @pengelola @instruktur @tanpa.surel")
    assert {m.to[0] for m in mail.outbox} == {manager.email, instructor.email}  # the mentions, at once
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _post(world, who="admin", body="Pesan biasa")
    assert Notification.objects.filter(recipient=no_mail, kind="message", email_sent_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=instructor, kind="message", email_sent_at__isnull=True).exists()
    instructor.is_active = False
    instructor.save()
    assert send_digests() == 1
    assert [m.to for m in mail.outbox] == [[manager.email]]


def test_the_preferences_take_only_the_allowed_choices(world):
    manager = world.user("pengelola_malang")
    messaging.preference_update(actor=manager, urgent_email=EmailChoice.DIGEST, other_email=EmailChoice.NEVER)
    for urgent, other in [("kapan-kapan", EmailChoice.DIGEST), (EmailChoice.AT_ONCE, EmailChoice.AT_ONCE)]:
        with pytest.raises(ValidationError):
            messaging.preference_update(actor=manager, urgent_email=urgent, other_email=other)
    preference = NotificationPreference.objects.get(user=manager)
    assert (preference.urgent_email, preference.other_email) == (EmailChoice.DIGEST, EmailChoice.NEVER)


def test_messaging_daily_now_sends_the_digests(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _post(world, who="admin", body="Kabar terbaru")
    out = io.StringIO()
    call_command("messaging_daily", now=True, stdout=out)
    assert "Ringkasan harian terkirim: 1" in out.getvalue()
    assert [m.to for m in mail.outbox] == [[world.user("pengelola_malang").email]]
    out = io.StringIO()
    call_command("messaging_daily", now=True, stdout=out)
    assert "Ringkasan harian terkirim: 0" in out.getvalue()
    assert len(mail.outbox) == 1


def test_a_name_with_a_line_break_does_not_break_the_mail(world, django_capture_on_commit_callbacks):
    author = UserFactory(
        username="nakal", full_name="Budi\nBcc: orang@luar.test", role="instruktur", scope_center=world.malang
    )
    with django_capture_on_commit_callbacks(execute=True):
        messaging.message_post(actor=author, thread=messaging.center_thread(world.malang), body="Halo @pengelola")
    [message] = _mails_to(world.user("pengelola_malang"))
    assert "\n" not in message.subject
    assert message.bcc == []
