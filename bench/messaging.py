"""Communication space timings at national scale (issue 7).

If the data set holds few messages, a national volume is written first with
bulk_create (bench data, not the product path: no history rows, no
notifications, no read marks), with the keys, targets and rendered HTML the
services would write: one thread per centre (3 messages), each province's
channel (50), 10 % of the submissions commented (2 each) and 500 direct
conversations (4 each).

Then: an announcement and its fan-out to every account (twice: the second
run writes nothing), the inbox, search, a centre's thread, a commented
submission and the bell as a national, a province and a centre user, and a
new message posted on the demo centre's thread. Tasks go to the dummy
backend (queued, not run) so each step is measured alone.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from simpul.accounts.models import Role
from simpul.centers.models import Center
from simpul.messaging import access, markup, services
from simpul.messaging.models import Comment, Notification, Thread, ThreadKind
from simpul.messaging.tasks import announcement_fan_out
from simpul.regions.models import Province
from simpul.reporting.models import Submission

FEW_MESSAGES = 10_000
CENTRE_MESSAGES = 3
PROVINCE_MESSAGES = 50
SUBMISSION_SHARE = 10  # one submission in ten is commented
SUBMISSION_COMMENTS = 2
DIRECT_THREADS = 500
DIRECT_MESSAGES = 4
BATCH = 2000

BODIES = [
    "Mohon laporan bulan ini dikirim sebelum tanggal 10.",
    "Laporan sudah kami kirim, mohon ditinjau.",
    "Angka peserta pada **paket Menjahit** perlu diperiksa lagi.",
    "Terima kasih, data sudah kami perbaiki.",
    "Jadwal monitoring minggu depan: Selasa pukul 09.00.",
    "Apakah LPJ tahap 1 cukup berupa PDF pindaian?",
    "Cukup, asal tanda tangan terbaca.",
    "Daftar hadir pelatihan _Las_ sudah kami unggah.",
    "Instruktur baru mulai bulan depan.",
    "Mohon konfirmasi jumlah lulusan yang sudah bekerja.",
    "- Peserta: 20 orang\n- Lulus: 18 orang\n- Bekerja: 9 orang",
    "Rapat koordinasi daring hari Kamis, tautan menyusul.",
    "Ada kendala mengisi laporan triwulan, indikator 4 tidak muncul.",
    "Sudah kami teruskan ke admin pusat.",
    "Stok bahan praktik menipis, pengadaan sedang berjalan.",
    "Kunjungan dinas diundur ke minggu depan.",
]


def _rendered() -> list[tuple[str, str]]:
    return [(body, markup.render(body, mentions=set())) for body in BODIES]


class _Writer:
    """Threads and their messages in bulk, with the services' keys and targets."""

    def __init__(self) -> None:
        self.rng = random.Random(7)
        self.bodies = _rendered()
        self.now = timezone.now()
        self.existing = set(Thread.objects.values_list("key", flat=True))
        self.counts: dict[str, int] = defaultdict(int)

    def when(self) -> dt.datetime:
        return self.now - dt.timedelta(seconds=self.rng.randint(3600, 365 * 86400))

    def write(self, kind: str, places: list[tuple[str, Any, list[Any]]], per_thread: int) -> list[Thread]:
        """places: (key, target or None, authors to take turns); returns the threads created."""
        places = [place for place in places if place[0] not in self.existing]
        created: list[Thread] = []
        for start in range(0, len(places), BATCH):
            chunk = places[start : start + BATCH]
            threads, messages = [], []
            for key, target, authors in chunk:
                thread = Thread(kind=kind, key=key)
                if target is not None:
                    thread.target_type = ContentType.objects.get_for_model(target)
                    thread.target_id = str(target.pk)
                    thread.target_pk = target.pk if isinstance(target.pk, int) else None
                times = sorted(self.when() for _ in range(per_thread))
                thread.last_message_at = times[-1]
                thread.created_at = times[0]
                threads.append(thread)
                for number, moment in enumerate(times):
                    body, html = self.bodies[self.rng.randrange(len(self.bodies))]
                    author = authors[number % len(authors)]
                    messages.append((thread, Comment(author_id=author, body=body, body_html=html, created_at=moment)))
            with transaction.atomic():
                Thread.objects.bulk_create(threads)
                keys = {t.key for t in threads}
                ids = dict(Thread.objects.filter(key__in=keys).values_list("key", "pk"))
                for thread in threads:
                    thread.pk = ids[thread.key]
                for thread, comment in messages:
                    comment.thread_id = thread.pk
                Comment.objects.bulk_create([comment for _, comment in messages], batch_size=500)
            created += threads
            self.counts[kind] += len(messages)
            self.existing |= keys
        return created


def _generate() -> None:
    user_model = get_user_model()
    # The bench writes past dates: auto_now_add would overwrite them.
    comment_created, thread_created = Comment._meta.get_field("created_at"), Thread._meta.get_field("created_at")
    comment_created.auto_now_add = thread_created.auto_now_add = False  # type: ignore[attr-defined]
    try:
        writer = _Writer()
        national = list(
            user_model.objects.filter(role__in=[Role.ADMIN_PUSAT, Role.FKN], scope_province__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        managers = dict(
            user_model.objects.filter(role=Role.PENGELOLA, is_active=True)
            .order_by("-pk")
            .values_list("scope_center_id", "pk")
        )
        officials: dict[str, list[int]] = defaultdict(list)
        for pk, province_id in user_model.objects.filter(
            role__in=[Role.FKN, Role.PEMDA], scope_province__isnull=False
        ).values_list("pk", "scope_province_id"):
            officials[province_id].append(pk)
        centres = list(Center.objects.order_by("pk"))
        by_province: dict[str, list[int]] = defaultdict(list)
        for centre in centres:
            if centre.pk in managers:
                by_province[centre.province_id].append(managers[centre.pk])

        def official(province_id: str) -> int:
            return writer.rng.choice(officials.get(province_id) or national)

        places = [
            (
                f"center:{c.pk}",
                c,
                [managers.get(c.pk) or national[0], official(c.province_id), managers.get(c.pk) or national[0]],
            )
            for c in centres
        ]
        writer.write(ThreadKind.CENTER, places, CENTRE_MESSAGES)
        places = []
        for province in Province.objects.order_by("pk"):
            people = by_province[province.pk][:40] + officials.get(province.pk, []) + national
            writer.rng.shuffle(people)
            places.append((f"province:{province.pk}", province, people))
        writer.write(ThreadKind.PROVINCE, places, PROVINCE_MESSAGES)
        content_type = ContentType.objects.get_for_model(Submission)
        centre_province = {c.pk: c.province_id for c in centres}
        places = []
        submissions = Submission.objects.order_by("pk").only("pk", "center_id")
        for submission in submissions.iterator(chunk_size=5000):
            if submission.pk % SUBMISSION_SHARE:
                continue
            manager = managers.get(submission.center_id) or national[0]
            places.append(
                (
                    f"record:{content_type.pk}:{submission.pk}",
                    submission,
                    [official(centre_province[submission.center_id]), manager],
                )
            )
        writer.write(ThreadKind.RECORD, places, SUBMISSION_COMMENTS)
        # Direct conversations: a centre's manager with a national or (where there are some) a province official.
        staffed = [c for c in centres if c.pk in managers]
        sample = writer.rng.sample(staffed, min(DIRECT_THREADS, len(staffed)))
        places, pairs = [], {}
        for centre in sample:
            manager = managers[centre.pk]
            other = writer.rng.choice(officials.get(centre.province_id, []) + national)
            low, high = sorted([manager, other])
            pairs[f"direct:{low}:{high}"] = (low, high)
            places.append((f"direct:{low}:{high}", None, [manager, other]))
        threads = writer.write(ThreadKind.DIRECT, places, DIRECT_MESSAGES)
        through = Thread.members.through
        through.objects.bulk_create(
            [through(thread_id=t.pk, user_id=person) for t in threads for person in pairs[t.key]], batch_size=BATCH
        )
    finally:
        comment_created.auto_now_add = thread_created.auto_now_add = True  # type: ignore[attr-defined]
    if writer.counts:
        print("  messages written: " + ", ".join(f"{kind} {n:,}" for kind, n in writer.counts.items()), flush=True)


def _counts() -> None:
    threads = dict(Thread.objects.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    messages = dict(
        Comment.objects.values_list("thread__kind").annotate(n=Count("pk")).values_list("thread__kind", "n")
    )
    for kind in ThreadKind.values:
        print(f"  {kind:<14} threads {threads.get(kind, 0):>8,}  messages {messages.get(kind, 0):>9,}")


def _queries(function: Callable[[], object]) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = function()
    return len(captured.captured_queries), result


def _measure(bench: Any, label: str, function: Callable[[], object], repeat: int = 5) -> object:
    """A first call warms the caches, a second counts the queries, then the median of `repeat`.

    A step that fails (e.g. a statement timeout set with PGOPTIONS="-c statement_timeout=20000") is
    reported and skipped, so the other steps are still measured."""
    started = time.perf_counter()
    try:
        function()
    except Exception as error:  # reported, the bench goes on
        took = time.perf_counter() - started
        print(f"  {label:<58} FAILED after {took:.1f} s: {type(error).__name__}: {str(error)[:80]}", flush=True)
        return None
    count, _ = _queries(function)
    return bench.timed(f"{label} [{count} q]", function, repeat=repeat)


def _post(bench: Any, path: str, user: Any) -> Callable[[], object]:
    number = iter(range(1_000_000))
    bench.client.force_login(user)

    def send() -> object:
        response = bench.client.post(path, {"body": f"Pesan uji bench nomor {next(number)} tentang laporan."})
        assert response.status_code == 302, (path, response.status_code)
        return response

    return send


def run(bench: Any) -> None:
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per force_login otherwise
    _load("start")
    if Comment.objects.count() < FEW_MESSAGES:
        bench.timed("write a national volume of messages (bulk, bench data)", _generate)
    _counts()
    users = {"national": bench.national, "province": bench.province, "centre": bench.centre}
    active = get_user_model().objects.filter(is_active=True).exclude(role="").count()
    print(f"  active accounts: {active:,}  notifications: {Notification.objects.count():,}")
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    # DEBUG off as in production (the debug cursor formats every statement); tasks queued, not run.
    with override_settings(DEBUG=False, TASKS=dummy, MESSAGE_RATE_LIMIT=(1_000_000, 60)):
        _announce(bench, active)
        for name, user in users.items():
            _measure(bench, f"readable_threads({name}).count()", lambda u=user: access.readable_threads(u).count())
        for name, user in users.items():
            _measure(bench, f"GET /komunikasi/ (inbox) as {name}", bench.get("/komunikasi/", user))
        for name, user in users.items():
            _measure(
                bench, f"GET /komunikasi/cari/?q=laporan as {name}", bench.get("/komunikasi/cari/?q=laporan", user)
            )
        centre = bench.centre.scope_center
        path = reverse("messaging:center", args=[centre.pk])
        _measure(bench, "GET demo centre thread as pengelola.demo", bench.get(path, bench.centre))
        _measure(bench, "GET demo centre thread as admin.pusat", bench.get(path, bench.national))
        # A commented submission of the province (one in ten is): looked up by thread key.
        content_type = ContentType.objects.get_for_model(Submission)
        recent = Submission.objects.filter(center__province_id=bench.province.scope_province_id).order_by("-pk")
        keys = [f"record:{content_type.pk}:{pk}" for pk in recent.values_list("pk", flat=True)[:1000]]
        commented = Thread.objects.filter(key__in=keys).order_by("-pk").first()
        submission_id = commented.target_id if commented else None
        if submission_id:
            path_submission = reverse("reporting:submission", args=[submission_id])
            _measure(bench, "GET a commented submission as pemda.jatim", bench.get(path_submission, bench.province))
        for name, user in users.items():
            _measure(bench, f"GET /notifikasi/jumlah/ (bell) as {name}", bench.get("/notifikasi/jumlah/", user), 20)
        _measure(bench, "POST a message on the demo centre thread", _post(bench, path, bench.centre))
    _load("end")


def _load(when: str) -> None:
    one, five, fifteen = os.getloadavg()
    print(f"  load average at the {when}: {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)", flush=True)


def _announce(bench: Any, active: int) -> None:
    sent = iter(range(1_000_000))

    def post() -> Comment:
        return services.message_post(
            actor=bench.national,
            thread=services.announcement_thread(),
            body=f"Pengumuman uji bench {next(sent)}: **laporan** bulanan dikirim paling lambat tanggal 10.",
        )

    comment = _measure(bench, "message_post national announcement (task queued)", post)
    assert isinstance(comment, Comment)
    before = Notification.objects.count()
    for attempt in ("first run", "second run, idempotent"):
        with CaptureQueriesContext(connection) as captured:
            created = bench.timed(
                f"announcement_fan_out, {attempt}", lambda: announcement_fan_out.call(comment_id=comment.pk)
            )
        print(
            f"    {created:,} notifications created for {active:,} active accounts "
            f"(table +{Notification.objects.count() - before:,}), {len(captured.captured_queries)} queries",
            flush=True,
        )
        before = Notification.objects.count()
