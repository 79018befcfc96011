"""Early warnings and rankings (issue 6, part 4): the rules, the pages, the one-click message, the roles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from simpul.accounts.models import Role
from simpul.centers.models import CenterStatus
from simpul.core.models import AuditAction, AuditEvent
from simpul.incubation.models import Incubator, Tenant
from simpul.messaging.models import Comment, Notification
from simpul.messaging.selectors import comment_list
from simpul.monitoring import facts
from simpul.monitoring.measures import INDICATOR_BY_KEY
from simpul.monitoring.models import CentreMonth
from simpul.monitoring.scope import CENTER, NATIONAL, PROVINCE, REGENCY, Scope
from simpul.monitoring.selectors import Filters, add_months
from simpul.monitoring.warnings import WarningKind, early_warnings, ranking
from simpul.regions.models import Province, Regency
from simpul.reporting.models import AidStream, ReportForm
from simpul.reporting.periods import PeriodType, period_containing
from simpul.reporting.services import aid as aid_services
from simpul.reporting.services import schedule

from .conftest import SCOPE_READERS, assert_asks_to_log_in, assert_page_answers_role
from .factories import CenterFactory, UserFactory

TODAY = timezone.localdate()
THIS_MONTH = TODAY.replace(day=1)


def month(n: int) -> dt.date:
    """The first day of the month n months before this one (1: last month)."""
    return add_months(THIS_MONTH, -n)


def centre_month(center, when: dt.date, **measures) -> CentreMonth:
    """A row of the aggregate the rules read (what facts.py keeps from the records)."""
    row, _ = CentreMonth.objects.update_or_create(
        center=center,
        month=when,
        defaults={
            "province_id": center.province_id,
            "regency_id": center.regency_id,
            "cohort": center.cohort,
            "development_class": center.development_class or "",
            **measures,
        },
    )
    return row


def busy(center, *months_back: int) -> None:
    """A centre that trained people and reported in those months."""
    for n in months_back:
        centre_month(
            center, month(n), participants_m=8, participants_f=8, graduates_m=7, graduates_f=7, training_hours=120,
            reports_expected=1, reports_submitted=1, reports_on_time=1, reports_approved=1,
        )  # fmt: skip


def national() -> Scope:
    return Scope(NATIONAL)


def province(code: str) -> Scope:
    return Scope(PROVINCE, province=Province.objects.get(pk=code))


def centre_scope(center) -> Scope:
    return Scope(CENTER, province=center.province, regency=center.regency, center=center)


def kinds_of(warnings, center) -> set[str]:
    return {w.kind for w in warnings if w.center_id == center.pk}


# --- (a) no activity for three months ---------------------------------------------------------------


def test_a_centre_with_nothing_in_the_last_three_months_is_flagged_since_its_last_activity(world):
    busy(world.malang, 1, 2, 3)
    busy(world.kota_malang, 5)
    warnings = early_warnings(province("35"))
    assert WarningKind.INACTIVE not in kinds_of(warnings, world.malang)
    (warning,) = [w for w in warnings if w.kind == WarningKind.INACTIVE]
    assert warning.center_id == world.kota_malang.pk
    assert warning.since == month(4)
    assert "Kegiatan terakhir tercatat" in warning.reason


def test_a_report_sent_in_the_window_counts_as_activity(world):
    centre_month(world.kota_malang, month(2), reports_expected=1, reports_submitted=1)
    assert WarningKind.INACTIVE not in kinds_of(early_warnings(province("35")), world.kota_malang)


def test_a_new_or_closed_centre_is_not_called_inactive(world):
    young = CenterFactory(regency_id="35.07", opened_on=month(1))
    CenterFactory(regency_id="35.07", status=CenterStatus.INACTIVE)
    flagged = {w.center_id for w in early_warnings(province("35")) if w.kind == WarningKind.INACTIVE}
    assert flagged == {world.malang.pk, world.kota_malang.pk}
    assert young.pk not in flagged


# --- (b) monthly report late twice in a row ---------------------------------------------------------


def _closed_months() -> tuple[dt.date, dt.date]:
    due_days = ReportForm.objects.get(code="LAPBUL").due_days
    deadline = add_months(month(1), 1) - dt.timedelta(days=1) + dt.timedelta(days=due_days)
    last = month(1) if deadline < TODAY else month(2)
    return last, add_months(last, -1)


def test_two_closed_monthly_reports_missing_in_a_row_raise_a_warning_from_the_real_schedule(world):
    monthly = ReportForm.objects.get(code="LAPBUL")
    last, before = _closed_months()
    for when in (before, last):
        schedule.schedule_period(monthly, period_containing(PeriodType.MONTHLY, when), centers=[world.malang])
    schedule.schedule_period(monthly, period_containing(PeriodType.MONTHLY, last), centers=[world.kota_malang])
    facts.rebuild()

    warnings = early_warnings(province("35"))

    late = [w for w in warnings if w.kind == WarningKind.LATE_REPORTS]
    assert [w.center_id for w in late] == [world.malang.pk]  # one late month only: no warning for Kota Malang
    assert late[0].since == before


def test_reports_sent_on_time_raise_no_warning(world):
    last, before = _closed_months()
    for when in (before, last):
        centre_month(world.malang, when, reports_expected=1, reports_submitted=1, reports_on_time=1)
        centre_month(world.kota_malang, when, reports_expected=1, reports_submitted=1, reports_on_time=0)
    late = {w.center_id for w in early_warnings(province("35")) if w.kind == WarningKind.LATE_REPORTS}
    assert late == {world.kota_malang.pk}


# --- (c) falling graduation rate --------------------------------------------------------------------


def _graduation(center, previous: tuple[int, int], recent: tuple[int, int]) -> None:
    for n, (participants, graduates) in ((5, previous), (2, recent)):
        centre_month(center, month(n), participants_m=participants, graduates_m=graduates, training_hours=10)


def test_a_graduation_rate_ten_points_lower_than_the_three_months_before_is_flagged(world):
    _graduation(world.malang, previous=(20, 18), recent=(20, 15))  # 90% -> 75%
    _graduation(world.kota_malang, previous=(20, 18), recent=(20, 17))  # 90% -> 85%: under ten points
    (warning,) = [w for w in early_warnings(province("35")) if w.kind == WarningKind.FALLING_GRADUATION]
    assert warning.center_id == world.malang.pk
    assert "90,0%" in warning.reason
    assert "75,0%" in warning.reason
    assert warning.since == month(3)


def test_a_handful_of_participants_does_not_raise_the_alarm(world):
    _graduation(world.malang, previous=(10, 10), recent=(10, 2))
    assert not [w for w in early_warnings(province("35")) if w.kind == WarningKind.FALLING_GRADUATION]


# --- (d) overdue LPJ ----------------------------------------------------------------------------------


def _grant(world, center, agreed: dt.date, number: str):
    return aid_services.grant_create(
        actor=world.user("admin"),
        center_id=center.pk,
        stream=AidStream.OPERATING,
        year=agreed.year,
        amount=Decimal("150000000"),
        agreement_number=number,
        agreement_date=agreed,
    )


def test_an_lpj_past_its_due_date_and_not_sent_is_flagged_and_a_future_one_is_not(world):
    _grant(world, world.malang, TODAY - dt.timedelta(days=400), "001/PKS/2025")
    _grant(world, world.kota_malang, TODAY - dt.timedelta(days=10), "002/PKS/2026")
    (warning,) = [w for w in early_warnings(national()) if w.kind == WarningKind.OVERDUE_LPJ]
    assert warning.center_id == world.malang.pk
    assert warning.since < TODAY
    assert "1 LPJ" in warning.reason


# --- (e) incubator far below its tenant target ------------------------------------------------------


def _incubator(center, established: dt.date, tenants: int) -> Incubator:
    incubator = Incubator.objects.create(center=center, established_on=established, manager_name="Bu Sri")
    for i in range(tenants):
        Tenant.objects.create(
            incubator=incubator,
            full_name=f"Tenant {i}",
            business_name=f"Usaha {i}",
            sector="C",
            business_started_on=established,
            pre_on=established,
        )
    return incubator


def test_an_incubator_of_more_than_a_year_with_under_half_its_tenants_is_flagged(world):
    _incubator(world.malang, TODAY - dt.timedelta(days=500), tenants=3)
    _incubator(world.kota_malang, TODAY - dt.timedelta(days=500), tenants=6)
    _incubator(world.semarang, TODAY - dt.timedelta(days=100), tenants=1)  # still in its first year
    (warning,) = [w for w in early_warnings(national()) if w.kind == WarningKind.FEW_TENANTS]
    assert warning.center_id == world.malang.pk
    assert "3 tenant aktif dari target 10" in warning.reason


def test_tenants_who_left_do_not_count(world):
    incubator = _incubator(world.kota_malang, TODAY - dt.timedelta(days=500), tenants=6)
    Tenant.objects.filter(incubator=incubator).update(left_on=TODAY - dt.timedelta(days=30))
    assert WarningKind.FEW_TENANTS in kinds_of(early_warnings(national()), world.kota_malang)


# --- a healthy centre and the scope -----------------------------------------------------------------


def test_a_healthy_centre_has_no_warning(world):
    busy(world.malang, *range(1, 7))
    _incubator(world.malang, TODAY - dt.timedelta(days=500), tenants=10)
    assert kinds_of(early_warnings(national()), world.malang) == set()


def test_warnings_stay_inside_the_scope(world):
    centres = {w.center_id for w in early_warnings(province("35"))}
    assert world.semarang.pk not in centres
    assert {w.center_id for w in early_warnings(centre_scope(world.malang))} == {world.malang.pk}
    regency = Scope(REGENCY, province=world.malang.province, regency=Regency.objects.get(pk="35.73"))
    assert {w.center_id for w in early_warnings(regency)} == {world.kota_malang.pk}


def test_the_number_of_queries_does_not_grow_with_the_centres(world):
    scope = Scope(REGENCY, province=world.malang.province, regency=world.malang.regency)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            warnings = early_warnings(scope)
        return len(queries), len(warnings)

    _incubator(world.malang, TODAY - dt.timedelta(days=500), tenants=1)
    one, few = count()
    for i in range(6):
        centre = CenterFactory(regency_id="35.07")
        _graduation(centre, previous=(20, 18), recent=(20, 10))
        _incubator(centre, TODAY - dt.timedelta(days=500), tenants=1)
        _grant(world, centre, TODAY - dt.timedelta(days=400), f"{i}/PKS/2025")
    many, more = count()
    assert many == one
    assert more > few + 6 * 2


# --- rankings -----------------------------------------------------------------------------------------


def _filters() -> Filters:
    return Filters(month_from=month(12), month_to=month(1))


def test_centres_are_ranked_best_first_and_equal_values_share_a_rank(world):
    extra = CenterFactory(regency_id="35.07", name="BLK Komunitas Tanpa Peserta")
    centre_month(world.malang, month(2), participants_m=20, graduates_m=18)  # 90%
    centre_month(world.kota_malang, month(2), participants_m=10, graduates_m=9)  # 90%
    centre_month(world.semarang, month(2), participants_m=20, graduates_m=10)  # 50%
    centre_month(extra, month(2), training_hours=5)  # nobody to graduate: not ranked

    result = ranking(national(), _filters(), INDICATOR_BY_KEY["graduation_rate"])

    assert [(r.rank, r.center_id) for r in result.rows] == [
        (1, world.kota_malang.pk),  # same rate, then by name
        (1, world.malang.pk),
        (3, world.semarang.pk),
    ]
    assert result.rows[0].figure.value == Decimal("90.0")
    assert result.bottom == []


def test_a_shorter_wait_ranks_first_and_the_bottom_ten_is_worst_first(world):
    centres = [CenterFactory(regency_id="35.07", name=f"BLK Komunitas {i:02d}") for i in range(22)]
    for weeks, centre in enumerate(centres, start=1):
        centre_month(centre, month(3), waiting_weeks_sum=weeks, waiting_count=1)
    result = ranking(province("35"), _filters(), INDICATOR_BY_KEY["waiting_weeks"])
    assert [r.center_id for r in result.top] == [c.pk for c in centres[:10]]
    assert [r.center_id for r in result.bottom] == [c.pk for c in reversed(centres[-10:])]


def test_the_ranking_reads_only_the_months_asked_for(world):
    centre_month(world.malang, month(14), participants_m=50)
    centre_month(world.kota_malang, month(2), participants_m=5)
    result = ranking(province("35"), _filters(), INDICATOR_BY_KEY["participants"])
    values = {r.center_id: r.figure.value for r in result.rows}
    assert values == {world.kota_malang.pk: 5}


# --- pages and roles ----------------------------------------------------------------------------------

DASHBOARD_USERS = SCOPE_READERS
NATIONAL_USERS = {"admin", "fkn_national"}
EVERYONE = DASHBOARD_USERS | {"mentor_malang", "wirausaha_malang"}

OTHER = "?level=province&code=33"
PAGES = [
    ("warnings", lambda w: reverse("monitoring:warnings"), DASHBOARD_USERS),
    ("warnings xlsx", lambda w: reverse("monitoring:warnings") + "?format=xlsx", DASHBOARD_USERS),
    ("warnings csv", lambda w: reverse("monitoring:warnings") + "?format=csv", DASHBOARD_USERS),
    ("warnings panel", lambda w: reverse("monitoring:warnings-panel"), DASHBOARD_USERS),
    ("rankings", lambda w: reverse("monitoring:rankings"), DASHBOARD_USERS),
    ("rankings xlsx", lambda w: reverse("monitoring:rankings") + "?format=xlsx", DASHBOARD_USERS),
    ("rankings csv", lambda w: reverse("monitoring:rankings") + "?format=csv", DASHBOARD_USERS),
    (
        "warnings of the own centre",
        lambda w: reverse("monitoring:warnings") + f"?level=center&code={w.malang.pk}",
        DASHBOARD_USERS,
    ),
    ("warnings of another province", lambda w: reverse("monitoring:warnings") + OTHER, NATIONAL_USERS),
    ("panel of another province", lambda w: reverse("monitoring:warnings-panel") + OTHER, NATIONAL_USERS),
    ("rankings of another province", lambda w: reverse("monitoring:rankings") + OTHER, NATIONAL_USERS),
    (
        "rankings export of another province",
        lambda w: reverse("monitoring:rankings") + OTHER + "&format=csv",
        NATIONAL_USERS,
    ),
    (
        "warnings of a centre elsewhere",
        lambda w: reverse("monitoring:warnings") + f"?level=center&code={w.semarang.pk}",
        NATIONAL_USERS,
    ),
]


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize(("page", "url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_each_warning_page_answers_each_role(world, client, user_key, page, url, allowed):
    assert_page_answers_role(client, world, user_key, url, allowed, page)


@pytest.mark.parametrize(("page", "url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_an_anonymous_visitor_is_asked_to_log_in(world, client, page, url, allowed):
    assert_asks_to_log_in(client, world, url)


def test_the_page_groups_the_warnings_and_links_each_to_the_centre_and_its_dashboard(world, client):
    busy(world.malang, 1, 2, 3)
    client.force_login(world.user("pemda_jatim"))
    page = client.get(reverse("monitoring:warnings")).content.decode()
    assert world.kota_malang.name in page
    assert reverse("centers:detail", args=[world.kota_malang.pk]) in page
    assert f"?level=center&amp;code={world.kota_malang.pk}" in page
    assert "Kirim pesan" in page
    assert world.semarang.name not in page


def test_the_centre_staff_see_their_warnings_without_the_message_button(world, client):
    client.force_login(world.user("pengelola_malang"))
    page = client.get(reverse("monitoring:warnings")).content.decode()
    assert world.malang.name in page
    assert "Kirim pesan" not in page


def test_the_panel_counts_each_kind_and_links_to_the_page(world, client):
    client.force_login(world.user("fkn_jatim"))
    panel = client.get(reverse("monitoring:warnings-panel"), HTTP_HX_REQUEST="true").content.decode()
    assert "Tidak ada kegiatan 3 bulan" in panel
    assert "<strong>2</strong>" in panel
    assert reverse("monitoring:warnings") in panel


def test_the_exports_hold_the_rows_and_are_audited(world, client):
    client.force_login(world.user("pemda_jatim"))
    response = client.get(reverse("monitoring:warnings") + "?format=csv")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert world.kota_malang.name in text
    assert world.semarang.name not in text
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail["what"] == "warnings"
    assert event.detail["rows"] == 2


def test_the_rankings_page_shows_rank_value_and_links(world, client):
    centre_month(world.malang, month(2), participants_m=20, graduates_m=18)
    client.force_login(world.user("fkn_jatim"))
    page = client.get(reverse("monitoring:rankings") + "?indicator=graduation_rate").content.decode()
    assert "90,0%" in page
    assert reverse("centers:detail", args=[world.malang.pk]) in page


def test_an_unknown_export_format_is_not_found(world, client):
    client.force_login(world.user("admin"))
    assert client.get(reverse("monitoring:warnings") + "?format=pdf").status_code == 404


# --- the one-click message ----------------------------------------------------------------------------


def _send(client, world, user_key, center, body="Tidak ada kegiatan 3 bulan: ..."):
    client.force_login(world.user(user_key))
    return client.post(reverse("monitoring:warning-message", args=[center.pk]), {"body": body})


def test_one_click_posts_the_warning_to_the_centres_thread_and_tells_its_manager(world, client):
    manager = world.user("pengelola_malang")
    response = _send(client, world, "pemda_jatim", world.malang, "LPJ melewati batas waktu: 1 LPJ belum dikirim.")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("monitoring:warnings"))
    (comment,) = comment_list(actor=manager, target=world.malang)
    assert comment.body == "LPJ melewati batas waktu: 1 LPJ belum dikirim."
    assert comment.author == world.user("pemda_jatim")
    (notification,) = Notification.objects.filter(recipient=manager)
    # It leads to the message in the centre's thread.
    assert notification.url == reverse("messaging:center", args=[world.malang.pk]) + f"#pesan-{comment.pk}"
    assert not Notification.objects.exclude(recipient=manager).exists()


def test_the_manager_reads_the_message_on_the_centre_page_and_answers_it(world, client):
    _send(client, world, "pemda_jatim", world.malang, "Laporan bulanan terlambat dua kali berturut-turut.")
    client.force_login(world.user("pengelola_malang"))
    page = client.get(reverse("centers:detail", args=[world.malang.pk])).content.decode()
    assert "Laporan bulanan terlambat dua kali berturut-turut." in page
    back = reverse("centers:detail", args=[world.malang.pk]) + "#komentar"
    response = client.post(
        reverse("messaging:center", args=[world.malang.pk]), {"body": "Sudah kami kirim hari ini.", "next": back}
    )
    assert response["Location"] == reverse("centers:detail", args=[world.malang.pk]) + "#komentar"
    bodies = [c.body for c in comment_list(actor=world.user("pemda_jatim"), target=world.malang)]
    assert bodies == ["Laporan bulanan terlambat dua kali berturut-turut.", "Sudah kami kirim hari ini."]


def test_an_official_of_another_province_can_neither_read_nor_write_the_centres_thread(world, client):
    _send(client, world, "pemda_jatim", world.malang, "Pesan untuk Malang.")
    outsider = UserFactory(username="pemda.jateng", role=Role.PEMDA, scope_province_id="33")
    client.force_login(outsider)
    assert client.get(reverse("centers:detail", args=[world.malang.pk])).status_code == 404
    response = client.post(reverse("messaging:center", args=[world.malang.pk]), {"body": "Halo"})
    assert response.status_code == 404
    assert len(comment_list(actor=world.user("admin"), target=world.malang)) == 1


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
def test_who_may_send_a_message_to_a_centre_elsewhere(world, client, user_key):
    response = _send(client, world, user_key, world.semarang)
    allowed = user_key in NATIONAL_USERS
    assert response.status_code == (302 if allowed else 404)
    assert Comment.objects.count() == (1 if allowed else 0)
    assert Notification.objects.count() == 0  # Semarang has no manager account


@pytest.mark.parametrize("user_key", ["pengelola_malang", "instruktur_malang", "mentor_malang", "wirausaha_malang"])
def test_the_centres_own_staff_and_others_do_not_send_warning_messages(world, client, user_key):
    assert _send(client, world, user_key, world.malang).status_code == 404
    assert not Comment.objects.exists()
    assert not Notification.objects.exists()


def test_an_empty_message_is_refused_and_nothing_is_written(world, client):
    response = _send(client, world, "admin", world.malang, body="  ")
    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert not Notification.objects.exists()


def test_an_inactive_manager_is_not_notified(world, client):
    UserFactory(username="mantan", role=Role.PENGELOLA, scope_center=world.malang, is_active=False)
    _send(client, world, "admin", world.malang)
    assert Notification.objects.count() == 1
