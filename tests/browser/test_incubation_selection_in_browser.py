"""Real Chromium: Admin Pusat runs an incubator selection from the long-list to the decision with three
reviewers, one of whom declares a conflict and is replaced; the chosen centre becomes an incubator; the
review page works on a 360 px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from simpul.accounts.models import Role
from simpul.centers.models import Center, CenterStatus
from simpul.incubation.models import Assignment, Incubator, RoundStatus, SelectionRound

from ..factories import UserFactory
from ..test_incubation_selection import _graduates, _report_history, build_round, make_eligible
from .conftest import horizontal_overflow, login, screenshot

pytestmark = pytest.mark.browser

CRITERIA = [
    ("Kelengkapan laporan", "kelengkapan-laporan", "40", "kelengkapan"),
    ("Lulusan", "lulusan", "30", "lulusan"),
    ("Kesiapan inkubasi", "kesiapan", "30", ""),
]
RUBRIC = ["Tidak ada", "Kurang", "Cukup", "Baik", "Sangat baik"]


def _reviewers(world):
    """An FKN coordinator, a Central Java FKN coordinator and a mentor working at Kota Malang's centre."""
    return (
        UserFactory(username="rev.fkn", full_name="Ratna Pratiwi", role=Role.FKN),
        UserFactory(username="rev.jateng", full_name="Joko Santoso", role=Role.FKN, scope_province_id="33"),
        UserFactory(username="rev.mentor", full_name="Maya Lestari", role=Role.MENTOR, scope_center=world.kota_malang),
    )


def _switch(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    login(page, base, username)


def _score_queue(page: Page, base: str, values: dict[str, int]) -> list[str]:
    """Work through the reviewer's queue: score, send, next. Returns the centres scored in order."""
    page.goto(f"{base}/seleksi/tugas/")
    page.click("#start-next")
    scored = []
    while True:
        name = page.locator("h1").inner_text()
        expect(page.locator("#review-form")).to_contain_text("Sangat baik")  # the rubric beside each criterion
        value = values[name]
        for _label, code, _weight, _source in CRITERIA:
            block = page.locator(f"#criterion-{code}")
            block.locator(f"input[type=radio][value='{value if code != 'kesiapan' else 3}']").check()
            block.locator("textarea").fill(f"Nilai {value}: sesuai data dan kunjungan lapangan")
        page.click("#send-and-next")
        scored.append(name)
        expect(page.locator(".messages")).to_contain_text(f"Nilai untuk {name} terkirim")
        if page.url.removeprefix(base) == "/seleksi/tugas/":
            expect(page.locator(".messages")).to_contain_text("sudah dinilai")
            return scored


def test_a_round_runs_from_long_list_to_decision_with_a_conflicted_reviewer(live_world, live_server, page: Page):
    base = live_server.url
    world = live_world
    make_eligible(world)
    _report_history(world.malang, months=6, sent=6)
    _report_history(world.kota_malang, months=6, sent=4)
    _report_history(world.semarang, months=6, sent=3)
    _graduates(world.malang, count=5, working=4)
    _graduates(world.semarang, count=2, working=1)
    fkn, jateng, mentor = _reviewers(world)

    # Admin Pusat opens a round: quota, three criteria with weights and a 1-5 rubric.
    login(page, base, "admin")
    page.goto(f"{base}/seleksi/")
    page.click("#new-round")
    page.fill("#id_name", "Seleksi Inkubator Wirausaha 2026")
    page.fill("#id_year", "2026")
    page.fill("#id_quota", "1")
    page.fill("#id_reviewers_per_candidate", "2")
    page.check("#id_normalise")
    page.click("#save-round")
    expect(page.locator(".messages")).to_contain_text("Tetapkan kriterianya")
    for name, code, weight, source in CRITERIA:
        page.fill("#id_name", name)
        page.fill("#id_code", code)
        page.fill("#id_weight", weight)
        page.select_option("#id_data_source", source)
        for level, text in enumerate(RUBRIC, start=1):
            page.fill(f"#id_rubric_{level}", f"{text} ({name.lower()})")
        page.click("#add-criterion")
        expect(page.locator(".messages")).to_contain_text("Kriteria ditambahkan")
    expect(page.locator("#weight-total")).to_contain_text("Jumlah bobot: 100%")
    rnd = SelectionRound.objects.get()

    # The long-list, drawn from the data, each centre with its data score.
    page.click("#round-steps >> text=2. Calon")
    page.click("#build-longlist")
    expect(page.locator(".messages")).to_contain_text("3 BLK masuk daftar calon")
    table = page.locator("#candidate-table")
    expect(table.locator("tbody tr").first).to_contain_text(world.malang.name)  # best data score first
    expect(table).to_contain_text("100% (6 dari 6 laporan)")
    screenshot(page, "selection-longlist")

    # Three reviewers, spread evenly; the mentor never gets their own centre.
    page.click("#round-steps >> text=3. Reviewer")
    for reviewer in (fkn, jateng, mentor):
        page.check(f"#assign-form label:has-text('{reviewer.full_name}') input")
    page.click("#assign-reviewers")
    expect(page.locator(".messages")).to_contain_text("6 penugasan reviewer dibuat")
    assert not Assignment.objects.filter(reviewer=mentor, candidate__center=world.kota_malang).exists()
    page.click("#round-steps >> text=Ringkasan")
    page.click("#open-round")
    expect(page.locator("#round-status")).to_have_text("Penilaian")

    # The Central Java coordinator declares a conflict with the Semarang centre and is replaced.
    _switch(page, base, "rev.jateng")
    page.goto(f"{base}/seleksi/tugas/")
    expect(page.locator("#pending")).to_contain_text("2 calon belum dinilai")
    page.click(f"#pending >> text={world.semarang.name}")
    expect(page.locator("#candidate-facts")).to_contain_text("Kelengkapan laporan 12 bulan terakhir")
    page.fill("#id_conflict_reason", "Saya pengurus yayasan pengelola BLK ini")
    page.click("#declare-conflict")
    expect(page.locator(".messages")).to_contain_text("reviewer lain menggantikan Anda")
    replaced = Assignment.objects.get(candidate__center=world.semarang, reviewer=jateng)
    assert replaced.conflict
    assert Assignment.objects.filter(candidate__center=world.semarang, reviewer=fkn, conflict=False).exists()

    # The other two work through their queues: score, send, next.
    values = {world.malang.name: 5, world.kota_malang.name: 3, world.semarang.name: 2}
    _switch(page, base, "rev.fkn")
    assert sorted(_score_queue(page, base, values)) == sorted(values)  # including the replacement
    _switch(page, base, "rev.mentor")
    assert sorted(_score_queue(page, base, values)) == sorted([world.malang.name, world.semarang.name])

    # Having sent, a reviewer sees the others' scores of that candidate.
    page.goto(f"{base}/seleksi/tugas/")
    page.click(f"#submitted >> text={world.malang.name}")
    expect(page.locator("#criterion-kelengkapan-laporan .others")).to_contain_text("Reviewer 1: 5")

    # The owner sees who still owes scores.
    _switch(page, base, "admin")
    page.goto(f"{base}/seleksi/{rnd.pk}/")
    missing = page.locator("#missing-scores tr", has_text="Joko Santoso")
    expect(missing).to_contain_text(world.kota_malang.name)
    expect(page.locator("#conflicts")).to_contain_text("Saya pengurus yayasan")
    screenshot(page, "selection-missing-scores")

    # The last scores come in.
    _switch(page, base, "rev.jateng")
    assert _score_queue(page, base, values) == [world.kota_malang.name]

    # The ranking explains itself; the owner decides; the decision is published.
    _switch(page, base, "admin")
    page.goto(f"{base}/seleksi/{rnd.pk}/peringkat/")
    rows = page.locator("#ranking-table tbody tr")
    expect(rows.nth(0)).to_contain_text(world.malang.name)
    expect(rows.nth(0)).to_contain_text("Naik karena Kelengkapan laporan")
    expect(rows.nth(0)).to_contain_text(re.compile(r"\+\d,\d\d Kelengkapan laporan \(100% vs median \d+%\)"))
    expect(rows.nth(2)).to_contain_text(world.semarang.name)
    expect(rows.nth(2)).to_contain_text("Turun karena")
    screenshot(page, "selection-ranking")
    page.click("#go-decide")
    expect(page.locator("#decide-form input[type=checkbox]:checked")).to_have_count(1)
    page.fill("#id_decision_note", "Sesuai peringkat.")
    page.click("#decide")
    expect(page.locator("#chosen")).to_contain_text(world.malang.name)
    expect(page.locator("#decided-by")).to_have_text("Admin Pusat (Kemnaker)")
    screenshot(page, "selection-decision")
    assert SelectionRound.objects.get().status == RoundStatus.DECIDED
    assert Incubator.objects.filter(center=world.malang, selection_round=rnd).exists()

    # The chosen centre shows as an incubator.
    page.goto(f"{base}/blk/{world.malang.pk}/")
    expect(page.locator(".page-head .badge").first).to_have_text("Inkubator wirausaha")
    assert Center.objects.get(pk=world.malang.pk).status == CenterStatus.INCUBATOR

    # A second decision is refused: the decision page answers instead of a form.
    page.goto(f"{base}/seleksi/{rnd.pk}/putuskan/")
    expect(page).to_have_url(re.compile(rf"/seleksi/{rnd.pk}/keputusan/$"))

    # Anyone can read the decision, without signing in and without anyone's name.
    page.context.clear_cookies()
    page.goto(f"{base}/seleksi/{rnd.pk}/keputusan/")
    expect(page.locator("#chosen")).to_contain_text(world.malang.name)
    expect(page.locator("main")).not_to_contain_text("Ratna")


def test_the_review_page_works_on_a_360_pixel_phone(live_world, live_server, phone: Page):
    world = live_world
    reviewers = _reviewers(world)
    rnd = build_round(world, reviewers=reviewers)
    assignment = Assignment.objects.filter(reviewer=reviewers[0], candidate__round=rnd).order_by("pk").first()
    login(phone, live_server.url, "rev.fkn")
    for path in ("/seleksi/tugas/", f"/seleksi/tugas/{assignment.pk}/"):
        phone.goto(f"{live_server.url}{path}")
        assert horizontal_overflow(phone) == 0, path
    for criterion in rnd.criteria.all():
        block = phone.locator(f"#criterion-{criterion.code}")
        block.locator("input[type=radio][value='4']").check()
        block.locator("textarea").fill("Baik")
    screenshot(phone, "selection-review-360")
    phone.click("#save-draft")
    expect(phone.locator(".messages")).to_contain_text("Nilai tersimpan")
    assert horizontal_overflow(phone) == 0
    assert assignment.scores.count() == 3
