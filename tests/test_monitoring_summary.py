"""The PDF summary of a scope for official letters (issue 6, part 5)."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from simpul.core.models import AuditAction, AuditEvent
from simpul.monitoring import facts
from simpul.monitoring.models import CentreMonth
from simpul.monitoring.pdf import build_summary_pdf, plain, summary_for
from simpul.monitoring.scope import CENTER, Scope
from simpul.monitoring.selectors import Filters, add_months
from simpul.reporting.models import AidStream
from simpul.reporting.services import aid as aid_services

from .conftest import SCOPE_READERS, assert_asks_to_log_in, assert_page_answers_role
from .factories import CenterFactory

TODAY = timezone.localdate()
THIS_MONTH = TODAY.replace(day=1)
LAST_YEAR = f"from={add_months(THIS_MONTH, -12):%Y-%m}&to={add_months(THIS_MONTH, -1):%Y-%m}"

DASHBOARD_USERS = SCOPE_READERS
NATIONAL_USERS = {"admin", "fkn_national"}
EVERYONE = DASHBOARD_USERS | {"mentor_malang", "wirausaha_malang"}

PAGES = [
    ("own scope", lambda w: reverse("monitoring:summary-pdf"), DASHBOARD_USERS),
    ("own centre", lambda w: reverse("monitoring:summary-pdf") + f"?level=center&code={w.malang.pk}", DASHBOARD_USERS),
    ("other province", lambda w: reverse("monitoring:summary-pdf") + "?level=province&code=33", NATIONAL_USERS),
    ("national", lambda w: reverse("monitoring:summary-pdf") + "?level=national", NATIONAL_USERS),
    (
        "centre elsewhere",
        lambda w: reverse("monitoring:summary-pdf") + f"?level=center&code={w.semarang.pk}",
        NATIONAL_USERS,
    ),
]


def pdf_text(body: bytes) -> str:
    """The text shown on the pages: every content stream inflated, its string operands joined."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            chunks.append(stream)
    strings = re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", b"\n".join(chunks), re.S)
    return re.sub(r"\s+", " ", " ".join(s.decode("cp1252") for s in strings))


def _paid_grant(world, center, number: str, amount: int = 150_000_000):
    agreed = add_months(THIS_MONTH, -3)
    grant = aid_services.grant_create(
        actor=world.user("admin"),
        center_id=center.pk,
        stream=AidStream.OPERATING,
        year=agreed.year,
        amount=Decimal(amount),
        agreement_number=number,
        agreement_date=agreed,
    )
    aid_services.instalment_record_payment(
        actor=world.user("admin"), instalment_id=grant.instalments.get().pk, paid_on=agreed + dt.timedelta(days=5)
    )
    return grant


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize(("page", "url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_each_role_gets_the_summary_of_its_own_scope_only(world, client, user_key, page, url, allowed):
    assert_page_answers_role(client, world, user_key, url, allowed, page)


@pytest.mark.parametrize(("page", "url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_an_anonymous_visitor_is_asked_to_log_in(world, client, page, url, allowed):
    assert_asks_to_log_in(client, world, url)


def test_the_region_summary_is_a_pdf_with_the_scope_the_period_and_the_figures(world, client):
    _paid_grant(world, world.malang, "001/PKS/2026")
    facts.rebuild()
    client.force_login(world.user("pemda_jatim"))

    response = client.get(reverse("monitoring:summary-pdf") + "?level=province&code=35&" + LAST_YEAR)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="ringkasan-jawa-timur-')
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Kementerian Ketenagakerjaan Republik Indonesia \u2014 Simpul BLK Komunitas" in text
    assert "Provinsi: Jawa Timur" in text
    assert "Rp150.000.000" in text  # aid paid, a headline figure
    assert "Kabupaten Malang" in text  # a child area row
    assert f"Dicetak oleh {world.user('pemda_jatim').full_name}" in text
    assert "Halaman 1 dari 1" in text


def test_the_centre_summary_names_the_centre_and_holds_no_personal_data(world, client):
    CentreMonth.objects.create(
        center=world.malang,
        month=add_months(THIS_MONTH, -2),
        province_id="35",
        regency_id="35.07",
        participants_m=9,
        participants_f=7,
        graduates_m=8,
        graduates_f=6,
    )
    client.force_login(world.user("pengelola_malang"))
    response = client.get(reverse("monitoring:summary-pdf") + "?" + LAST_YEAR)
    text = pdf_text(response.content)
    assert world.malang.name in text
    assert "87,5%" in text  # 14 of 16 graduated
    assert "Peringatan dini" in text
    assert not re.search(r"\d{16}", text)  # no NIK


def test_the_filters_are_printed_in_words(world, client):
    client.force_login(world.user("admin"))
    response = client.get(reverse("monitoring:summary-pdf") + "?level=national&cohort=2020&class=berkembang")
    text = pdf_text(response.content)
    assert "Angkatan: 2020" in text
    assert "Klasifikasi: Berkembang" in text
    assert "Per provinsi" in text


def test_the_export_is_audited(world, client):
    client.force_login(world.user("fkn_jatim"))
    client.get(reverse("monitoring:summary-pdf"))
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail["what"] == "summary_pdf"
    assert event.detail["scope"] == "level=province&code=35"


def test_a_name_outside_the_pdf_font_is_printed_not_refused(world):
    assert plain("Pondok \u201cAl-Hikmah\u201d \u2014 \u0100ceh \u4e2d") == "Pondok \u201cAl-Hikmah\u201d \u2014 Aceh ?"
    world.malang.name = "BLK Komunitas \u4e2d\u6587"
    scope = Scope(CENTER, province=world.malang.province, regency=world.malang.regency, center=world.malang)
    filters = Filters(add_months(THIS_MONTH, -12), add_months(THIS_MONTH, -1))
    body = build_summary_pdf(summary_for(scope, filters), printed_by="Admin", printed_at=TODAY, compress=False)
    assert "BLK Komunitas ??" in pdf_text(body)


def test_the_number_of_queries_does_not_grow_with_the_centres(world, client):
    client.force_login(world.user("pemda_jatim"))
    url = reverse("monitoring:summary-pdf") + "?level=regency&code=35.07&" + LAST_YEAR

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    for i in range(5):
        centre = CenterFactory(regency_id="35.07")
        _paid_grant(world, centre, f"{i}/PKS/2026")
    facts.rebuild()
    assert count() == one
