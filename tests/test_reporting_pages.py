"""Reporting pages: every role's answer, autosave, evidence files, completeness and aid pages."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from simpul.reporting.models import AidStream, Attachment, ReportForm, Status, Submission, SubmissionValue
from simpul.reporting.periods import PeriodType, period_containing
from simpul.reporting.services import aid, schedule

from .conftest import VISIBLE_CENTERS

EVERYONE = set(VISIBLE_CENTERS)
READERS = {"admin", "fkn_national", "fkn_jatim", "pemda_jatim", "pemda_malang", "pengelola_malang", "instruktur_malang"}
GRANT_READERS = READERS - {"instruktur_malang"}

# Tiny but real files: a 1x1 PNG and a minimal PDF.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def report(world):
    form = ReportForm.objects.get(code="LAPBUL")
    schedule.schedule_period(form, period_containing(PeriodType.MONTHLY, timezone.localdate()))
    return Submission.objects.get(form=form, center=world.malang)


@pytest.fixture
def grant(world):
    return aid.grant_create(
        actor=world.user("admin"),
        center_id=world.malang.pk,
        stream=AidStream.BUILDING,
        year=2026,
        amount=Decimal(900_000_000),
        agreement_number="010/PKS/2026",
        agreement_date=dt.date(2026, 2, 2),
    )


PAGES = [
    ("report list", lambda w, r, g: reverse("reporting:submissions"), READERS),
    ("queue", lambda w, r, g: reverse("reporting:queue"), READERS),
    ("report", lambda w, r, g: reverse("reporting:submission", args=[r.pk]), READERS),
    ("completeness", lambda w, r, g: reverse("reporting:completeness"), READERS),
    ("grants", lambda w, r, g: reverse("reporting:grants"), GRANT_READERS),
    ("grant", lambda w, r, g: reverse("reporting:grant", args=[g.pk]), GRANT_READERS),
    ("new grant", lambda w, r, g: reverse("reporting:grant-create") + f"?blk={w.malang.pk}", {"admin"}),
    ("overdue lpj", lambda w, r, g: reverse("reporting:lpj-overdue"), GRANT_READERS),
    ("notifications", lambda w, r, g: reverse("messaging:notifications"), EVERYONE),
]


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize(("page", "url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_each_reporting_page_answers_each_role(world, client, report, grant, user_key, page, url, allowed):
    client.force_login(world.user(user_key))
    response = client.get(url(world, report, grant))
    assert response.status_code == (200 if user_key in allowed else 404), page


def test_a_report_of_another_province_is_not_found(world, client):
    form = ReportForm.objects.get(code="LAPBUL")
    schedule.schedule_period(form, period_containing(PeriodType.MONTHLY, timezone.localdate()))
    semarang = Submission.objects.get(center=world.semarang, form=form)
    for key in ("pemda_jatim", "fkn_jatim", "pengelola_malang"):
        client.force_login(world.user(key))
        assert client.get(reverse("reporting:submission", args=[semarang.pk])).status_code == 404


def test_the_page_prefills_and_autosave_answers_the_field_and_the_checks(world, client, report):
    client.force_login(world.user("pengelola_malang"))
    page = client.get(reverse("reporting:submission", args=[report.pk]))
    assert page.status_code == 200
    assert 'data-autosave-url="' in page.content.decode()
    response = client.post(reverse("reporting:autosave", args=[report.pk]), {"code": "lulus_l", "value": "9"})
    html = response.content.decode()
    assert 'id="ind-lulus_l"' in html
    assert 'data-saved="true"' in html
    assert 'id="findings" class="findings" hx-swap-oob="true"' in html
    assert SubmissionValue.objects.get(submission=report, indicator__code="lulus_l").number == 9
    # lulus_p was prefilled from the training records (0 here) when the page opened; bad input keeps it.
    before = SubmissionValue.objects.get(submission=report, indicator__code="lulus_p").raw
    bad = client.post(reverse("reporting:autosave", args=[report.pk]), {"code": "lulus_p", "value": "sembilan"})
    assert 'data-saved="false"' in bad.content.decode()
    assert "Isi dengan angka" in bad.content.decode()
    assert SubmissionValue.objects.get(submission=report, indicator__code="lulus_p").raw == before


@pytest.mark.parametrize("user_key", sorted(EVERYONE - {"admin", "pengelola_malang"}))
def test_autosave_and_steps_answer_404_to_those_who_may_not_and_change_nothing(world, client, report, user_key):
    client.force_login(world.user(user_key))
    assert (
        client.post(reverse("reporting:autosave", args=[report.pk]), {"code": "lulus_l", "value": "1"}).status_code
        == 404
    )
    response = client.post(reverse("reporting:step", args=[report.pk, "submit"]))
    assert response.status_code in (302, 404)
    assert not SubmissionValue.objects.exists()
    assert Submission.objects.get(pk=report.pk).status == Status.DRAFT


def _upload(client, report, content, name, indicator=""):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("reporting:attachment-upload", args=[report.pk]), {"file": file, "indicator": indicator})


def test_evidence_is_checked_by_its_content_not_its_name(world, client, report, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.user("pengelola_malang"))
    _upload(client, report, PDF, "kuitansi.pdf")
    _upload(client, report, PNG, "foto.jpg", indicator="foto_kegiatan")  # a PNG called .jpg: it is a photo
    refused = _upload(client, report, b"<script>alert(1)</script>", "bukti.pdf")
    assert "bukan foto" in client.get(refused["Location"]).content.decode()
    stored = list(Attachment.objects.order_by("pk").values_list("original_name", "content_type"))
    assert stored == [("kuitansi.pdf", "application/pdf"), ("foto.jpg", "image/png")]
    # stored under our own random name, outside the web root
    attachment = Attachment.objects.first()
    assert attachment.file.path.startswith(str(tmp_path))
    assert "kuitansi" not in attachment.file.name


def test_an_oversized_file_is_refused(world, client, report, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 1000
    client.force_login(world.user("pengelola_malang"))
    _upload(client, report, PDF + b"0" * 2000 + b"%%EOF", "besar.pdf")
    assert not Attachment.objects.exists()


def test_evidence_is_served_only_to_those_who_may_see_the_report(world, client, report, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.user("pengelola_malang"))
    _upload(client, report, PDF, "kuitansi.pdf")
    url = reverse("reporting:attachment", args=[Attachment.objects.get().pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    for key, status in (("pemda_malang", 200), ("wirausaha_malang", 404), ("mentor_malang", 404)):
        client.force_login(world.user(key))
        assert client.get(url).status_code == status
    client.logout()
    assert client.get(url).status_code == 302


def test_the_centre_page_shows_its_reports_and_grants(world, client, report, grant):
    client.force_login(world.user("pemda_jatim"))
    html = client.get(reverse("centers:detail", args=[world.malang.pk])).content.decode()
    assert 'id="laporan"' in html
    assert reverse("reporting:submission", args=[report.pk]) in html
    assert reverse("reporting:grant", args=[grant.pk]) in html
    client.force_login(world.user("mentor_malang"))
    html = client.get(reverse("centers:detail", args=[world.malang.pk])).content.decode()
    assert 'id="laporan"' not in html
    assert 'id="bantuan"' not in html


def test_the_completeness_page_for_a_province(world, client, report):
    client.force_login(world.user("pemda_jatim"))
    response = client.get(reverse("reporting:completeness"), {"province": "35", "periods": "3"})
    assert response.status_code == 200
    assert len(response.context["matrix"]) == 2  # Malang and Kota Malang, this month's reports
    assert response.context["overall"].expected == 0  # nothing was expected in the three ended months
    assert [state for state, _pk, _late in response.context["matrix"][0].cells] == ["not-expected"] * 3 + ["open"]


def test_admin_records_a_grant_through_the_page(world, client):
    client.force_login(world.user("admin"))
    response = client.post(
        reverse("reporting:grant-create"),
        {
            "center": world.semarang.pk,
            "stream": AidStream.TRAINING,
            "year": "2026",
            "amount": "150000000",
            "agreement_number": "077/PKS/2026",
            "agreement_date": "2026-04-01",
        },
    )
    assert response.status_code == 302
    grant = world.semarang.grants.get()
    assert list(grant.lpjs.values_list("kind", flat=True)) == ["akhir"]


def test_the_completeness_page_costs_the_same_queries_for_a_bigger_region(
    world, client, report, django_assert_max_num_queries
):
    from simpul.reporting.periods import previous_period

    from .factories import CenterFactory

    form = ReportForm.objects.get(code="LAPBUL")
    client.force_login(world.user("admin"))
    url = reverse("reporting:completeness") + "?province=35&periods=3"
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(12):
        CenterFactory(regency_id="35.07")
    last = previous_period(period_containing(PeriodType.MONTHLY, timezone.localdate()))
    schedule.schedule_period(form, last)  # all of them late and missing: the lists fill up too
    schedule.schedule_period(form, period_containing(PeriodType.MONTHLY, timezone.localdate()))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["matrix"]) == 14
    assert response.context["missing_count"] == 14
