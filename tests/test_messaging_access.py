"""Who reads, writes, is mentioned in and is told about which thread: the role × thread matrix.

The expected readers are written out by hand, from messaging/access.py's rules
for the places and from the access rules of the records (reporting/access.py,
incubation/rules.py): a submission is read by officials, managers and
instructors of its region; a grant by officials and managers; a tenant by
officials and the manager in its region, and by its own mentor and
entrepreneur; a selection round by Admin Pusat and national FKN only.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from simpul.messaging import access, selectors
from simpul.messaging import services as messaging
from simpul.messaging.models import Comment, Notification, Thread
from simpul.messaging.tasks import announcement_fan_out
from simpul.regions.models import Province
from simpul.reporting.models import ReportForm, Submission
from simpul.reporting.periods import PeriodType, period_containing, previous_period
from simpul.reporting.services import schedule

from .conftest import EAST_JAVA_OFFICIALS, EVERYONE, NATIONAL
from .discussed import discussed_records
from .factories import UserFactory

READERS = {
    "announcements": EVERYONE,
    "province_35": EAST_JAVA_OFFICIALS | {"pengelola_malang", "instruktur_malang"},
    "province_33": NATIONAL,
    "center_malang": EAST_JAVA_OFFICIALS | {"pengelola_malang", "instruktur_malang", "mentor_malang"},
    "center_semarang": NATIONAL,
    "submission_malang": EAST_JAVA_OFFICIALS | {"pengelola_malang", "instruktur_malang"},
    "submission_semarang": NATIONAL,
    "grant_malang": EAST_JAVA_OFFICIALS | {"pengelola_malang"},
    # the tenant's own mentor and entrepreneur read it; the instructor does not
    "tenant_malang": EAST_JAVA_OFFICIALS | {"pengelola_malang", "mentor_malang", "wirausaha_malang"},
    "selection_round": NATIONAL,
    "direct": frozenset({"pengelola_malang", "pemda_malang"}),
}
# Who writes the first message of each thread (a reader of it).
FIRST_WRITER = {name: ("pengelola_malang" if name == "direct" else "admin") for name in READERS}
CASES = [(thread, user) for thread in READERS for user in sorted(EVERYONE)]


@pytest.fixture(autouse=True)
def _roomy_rate_limit(settings, tmp_path):
    settings.MESSAGE_RATE_LIMIT = (10_000, 60)
    settings.MEDIA_ROOT = tmp_path


def _places(world) -> dict[str, Thread]:
    """The thread of every place of the matrix (unsaved until a first message)."""
    form = ReportForm.objects.get(code="LAPBUL")
    period = previous_period(period_containing(PeriodType.MONTHLY, dt.date.today()))
    schedule.schedule_period(form, period, centers=[world.malang, world.semarang])
    submissions = {s.center_id: s for s in Submission.objects.filter(form=form, period_key=period.key)}
    records = discussed_records(world)
    return {
        "announcements": messaging.announcement_thread(),
        "province_35": messaging.province_thread(Province.objects.get(pk="35")),
        "province_33": messaging.province_thread(Province.objects.get(pk="33")),
        "center_malang": messaging.center_thread(world.malang),
        "center_semarang": messaging.center_thread(world.semarang),
        "submission_malang": messaging.record_thread(submissions[world.malang.pk]),
        "submission_semarang": messaging.record_thread(submissions[world.semarang.pk]),
        "grant_malang": messaging.record_thread(records.grant),
        "tenant_malang": messaging.record_thread(records.tenant),
        "selection_round": messaging.record_thread(records.selection_round),
        "direct": messaging.direct_thread_open(actor=world.user("pengelola_malang"), other=world.user("pemda_malang")),
    }


def _word(name: str) -> str:
    return f"penanda{name.replace('_', '')}x"


@pytest.fixture
def threads(world, django_capture_on_commit_callbacks) -> dict[str, Thread]:
    """Every thread of the matrix, saved with a first message holding a word only it has."""
    saved = {}
    members = (world.user("pengelola_malang"), world.user("pemda_malang"))
    with django_capture_on_commit_callbacks(execute=True):
        for name, thread in _places(world).items():
            comment = messaging.message_post(
                actor=world.user(FIRST_WRITER[name]),
                thread=thread,
                body=f"Pesan pertama {_word(name)}",
                members=members if name == "direct" else (),
            )
            saved[name] = comment.thread
    return saved


@pytest.mark.parametrize(("name", "user_key"), CASES)
def test_can_read_answers_the_matrix(world, threads, name, user_key):
    assert access.can_read(world.user(user_key), threads[name]) == (user_key in READERS[name])


def test_can_read_answers_the_matrix_for_threads_not_saved_yet(world):
    for name, thread in _places(world).items():
        if name == "direct":
            continue  # a direct conversation has no readers before its first message
        assert thread.pk is None
        readers = {key for key in EVERYONE if access.can_read(world.user(key), thread)}
        assert readers == READERS[name], name


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
def test_readable_threads_are_exactly_the_threads_the_user_reads(world, threads, user_key):
    readable = set(access.readable_threads(world.user(user_key)).values_list("pk", flat=True))
    expected = {threads[name].pk for name, readers in READERS.items() if user_key in readers}
    assert readable == expected


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
def test_search_finds_a_thread_s_message_only_for_its_readers(world, threads, user_key):
    user = world.user(user_key)
    for name, readers in READERS.items():
        found = list(selectors.search(actor=user, query=_word(name)))
        if user_key in readers:
            assert [c.thread_id for c in found] == [threads[name].pk], name
        else:
            assert found == [], name


@pytest.mark.parametrize(("name", "user_key"), CASES)
def test_only_a_reader_can_be_mentioned(world, threads, name, user_key):
    thread, author = threads[name], world.user(FIRST_WRITER[name])
    mentioned = world.user(user_key)
    before = Comment.objects.count()
    body = f"Mohon dilihat @{mentioned.username}"
    if user_key in READERS[name]:
        comment = messaging.message_post(actor=author, thread=thread, body=body)
        if mentioned != author:
            assert list(comment.mentions.all()) == [mentioned]
            assert Notification.objects.filter(recipient=mentioned, kind="mention").count() == 1
    else:
        with pytest.raises(ValidationError) as error:
            messaging.message_post(actor=author, thread=thread, body=body)
        assert f"@{mentioned.username}" in " ".join(error.value.messages)
        assert Comment.objects.count() == before
        assert not Notification.objects.filter(recipient=mentioned, kind="mention").exists()


@pytest.mark.parametrize(("name", "user_key"), CASES)
def test_posting_answers_the_matrix(world, threads, name, user_key):
    user, thread = world.user(user_key), threads[name]
    before = Comment.objects.count()
    if user_key not in READERS[name]:
        with pytest.raises(Http404):
            messaging.message_post(actor=user, thread=thread, body="Halo semua")
        assert Comment.objects.count() == before
    elif name == "announcements" and user_key not in NATIONAL:
        with pytest.raises(PermissionDenied):
            messaging.message_post(actor=user, thread=thread, body="Halo semua")
        assert Comment.objects.count() == before
    else:
        comment = messaging.message_post(actor=user, thread=thread, body="Halo semua")
        assert comment.thread == thread
        assert Comment.objects.count() == before + 1


@pytest.mark.parametrize("name", [name for name in READERS if name != "announcements"])
def test_only_readers_are_ever_notified(world, threads, name, django_capture_on_commit_callbacks):
    thread = threads[name]
    readers = sorted(READERS[name])
    with django_capture_on_commit_callbacks(execute=True):
        for key in readers:  # earlier writers of every role that reads the thread
            messaging.message_post(actor=world.user(key), thread=thread, body=f"Catatan dari {key}")
        Notification.objects.all().delete()
        last = world.user(readers[-1])
        messaging.message_post(actor=last, thread=thread, body="Pesan terakhir")
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    expected = {world.user(key).username for key in readers} - {last.username}
    assert told == expected


def test_an_earlier_writer_who_no_longer_reads_the_thread_is_not_told(world, threads):
    thread = threads["center_malang"]
    instructor = world.user("instruktur_malang")
    messaging.message_post(actor=instructor, thread=thread, body="Jadwal pelatihan minggu depan")
    instructor.scope_center = world.semarang
    instructor.save()
    messaging.message_post(actor=world.user("pengelola_malang"), thread=thread, body="Terima kasih")
    assert not Notification.objects.filter(recipient=instructor, kind="message").exists()
    with pytest.raises(ValidationError):
        messaging.message_post(actor=world.user("pengelola_malang"), thread=thread, body="@instruktur lihat ini")


@pytest.mark.parametrize("user_key", sorted(EVERYONE - NATIONAL))
def test_only_national_admin_and_fkn_post_announcements(world, threads, user_key):
    before = Comment.objects.count()
    with pytest.raises(PermissionDenied):
        messaging.message_post(actor=world.user(user_key), thread=threads["announcements"], body="Pengumuman")
    assert Comment.objects.count() == before


def test_an_announcement_reaches_every_active_user_but_its_author_once(
    world, threads, django_capture_on_commit_callbacks
):
    inactive = UserFactory(username="nonaktif", role="pengelola", scope_center=world.malang, is_active=False)
    Notification.objects.all().delete()
    author = world.user("fkn_national")
    with django_capture_on_commit_callbacks(execute=True):
        comment = messaging.message_post(actor=author, thread=threads["announcements"], body="Libur nasional")
    assert announcement_fan_out.call(comment_id=comment.pk) == 0  # the task run again tells nobody twice
    told = list(Notification.objects.filter(kind="announcement").values_list("recipient__username", flat=True))
    everyone = {world.user(key).username for key in EVERYONE}
    assert sorted(told) == sorted(everyone - {author.username})
    assert inactive.username not in told
