"""The dashboards (/pantauan/): who sees which scope, figures that agree with the records,
panels in a fixed number of queries, drill-down and record links that open, exports."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from simpul.core.navigation import items_for
from simpul.monitoring.dashboard_tables import PANELS
from simpul.regions.models import Province, Regency
from simpul.reporting.models import ReportForm
from simpul.reporting.periods import PeriodType, period_containing, previous_period
from simpul.reporting.services import schedule

from .conftest import SCOPE_READERS
from .factories import CenterFactory
from .reports import approve_monthly_report

PANEL_NAMES = [p.name for p in PANELS]
DASHBOARD_USERS = SCOPE_READERS
EVERYONE = DASHBOARD_USERS | {"mentor_malang", "wirausaha_malang"}
HOME_SCOPE = {
    "admin": "Nasional",
    "fkn_national": "Nasional",
    "fkn_jatim": "35",
    "pemda_jatim": "35",
    "pemda_malang": "35.07",
    "pengelola_malang": "BLK Komunitas Darul Ulum Malang",
    "instruktur_malang": "BLK Komunitas Darul Ulum Malang",
}


def area_name(code):
    """The name of a province or regency as the data set spells it (or the text itself)."""
    if code.count(".") == 1:
        return Regency.objects.get(pk=code).name
    if code.isdigit():
        return Province.objects.get(pk=code).name
    return code


def panel_url(name, query=""):
    return reverse("monitoring:panel", args=[name]) + (f"?{query}" if query else "")


def dashboard_url(query=""):
    return reverse("monitoring:dashboard") + (f"?{query}" if query else "")


def table_of(response):
    return response.context["table"]


def row_by_label(table, label):
    return next(row for row in table.rows if row[0].text == label)


def value_of(table, label):
    return row_by_label(table, label)[1].value


# --- who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize("target", ["page", *PANEL_NAMES])
def test_each_role_gets_its_own_dashboard_and_panels_or_404(world, client, user_key, target):
    client.force_login(world.user(user_key))
    url = dashboard_url() if target == "page" else panel_url(target)
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == (200 if user_key in DASHBOARD_USERS else 404)
    if response.status_code == 200:
        assert response.context["scope"].name == area_name(HOME_SCOPE[user_key])


def _other_scopes(world):
    return {
        "other province": "level=province&code=33",
        "other regency": "level=regency&code=35.73",
        "other centre": f"level=center&code={world.semarang.pk}",
        "own province": "level=province&code=35",
        "national": "level=national",
        "unknown province": "level=province&code=99",
        "bad level": "level=planet&code=1",
    }


# Which of those scopes each role may open (everything else: 404).
SCOPES_ALLOWED = {
    "admin": {"other province", "other regency", "other centre", "own province", "national"},
    "fkn_national": {"other province", "other regency", "other centre", "own province", "national"},
    "fkn_jatim": {"other regency", "own province"},
    "pemda_jatim": {"other regency", "own province"},
    "pemda_malang": set(),
    "pengelola_malang": set(),
    "instruktur_malang": set(),
    "mentor_malang": set(),
    "wirausaha_malang": set(),
}


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize("target", ["page", *PANEL_NAMES])
def test_a_scope_outside_ones_own_is_404_like_one_that_does_not_exist(world, client, user_key, target):
    client.force_login(world.user(user_key))
    for name, query in _other_scopes(world).items():
        url = dashboard_url(query) if target == "page" else panel_url(target, query)
        response = client.get(url, HTTP_HX_REQUEST="true")
        expected = 200 if name in SCOPES_ALLOWED[user_key] else 404
        assert response.status_code == expected, (name, target)


@pytest.mark.parametrize("target", ["page", *PANEL_NAMES])
def test_an_anonymous_visitor_is_asked_to_log_in(world, client, target):
    url = dashboard_url() if target == "page" else panel_url(target)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_menu_offers_the_dashboard_to_officials_and_centre_staff_only(world, client):
    for key in EVERYONE:
        client.force_login(world.user(key))
        page = client.get(reverse("accounts:profile"))
        keys = {item.key for item in items_for(world.user(key))}
        assert ("dashboard" in keys) == (key in DASHBOARD_USERS), key
        assert (f'href="{dashboard_url()}"' in page.content.decode()) == (key in DASHBOARD_USERS), key


# --- the page --------------------------------------------------------------------------------


def test_the_page_shows_the_scope_the_filters_and_a_placeholder_that_loads_each_panel(world, client):
    client.force_login(world.user("pemda_malang"))
    response = client.get(dashboard_url("level=regency&code=35.07&from=2026-01&to=2026-06&class=tumbuh"))
    html = response.content.decode()
    assert response.status_code == 200
    assert area_name("35.07") in html
    # Breadcrumbs: the nation and the province above the regency, keeping the filters.
    assert response.context["crumbs"][0][0].level == "national"
    assert "level=province&amp;code=35" in html
    for name in PANEL_NAMES:
        placeholder = re.search(rf'id="panel-{name}".*?hx-get="([^"]+)"\s+hx-trigger="load"', html, re.S)
        assert placeholder, name
        assert "level=regency&amp;code=35.07" in placeholder.group(1)
        assert "from=2026-01&amp;to=2026-06" in placeholder.group(1)
        assert "class=tumbuh" in placeholder.group(1)
    assert "Memuat" in html
    assert "<noscript>" in html
    # No inline script: the charts come from static files.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "vendor/chartjs-4.5.1/chart.umd.min.js" in html


def test_a_national_viewer_picks_a_province_and_lands_on_its_dashboard(world, client):
    client.force_login(world.user("admin"))
    response = client.get(dashboard_url("province=35&from=2026-01&to=2026-03"))
    assert response.status_code == 302
    assert "level=province&code=35" in response["Location"]
    assert "from=2026-01" in response["Location"]
    back = client.get(dashboard_url("level=province&code=35&province="))
    assert back.status_code == 302
    assert "level=national" in back["Location"]


def test_a_province_official_cannot_pick_another_province(world, client):
    client.force_login(world.user("pemda_jatim"))
    page = client.get(dashboard_url())
    assert page.context["provinces"] is None
    redirected = client.get(dashboard_url("province=33"), follow=True)
    assert redirected.status_code == 404


def test_a_panel_opened_without_javascript_is_a_page_of_its_own(world, client):
    client.force_login(world.user("admin"))
    response = client.get(panel_url("area"))
    assert response.status_code == 200
    assert b"<html" in response.content
    fragment = client.get(panel_url("area"), HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content


# --- figures agree with the records ---------------------------------------------------------


def test_an_approved_monthly_report_shows_in_every_scope_above_its_centre(world, client):
    approve_monthly_report(world, world.malang, every_centre=True)
    client.force_login(world.user("admin"))
    for query in ("", "level=province&code=35", "level=regency&code=35.07", f"level=center&code={world.malang.pk}"):
        headline = table_of(client.get(panel_url("headline", query), HTTP_HX_REQUEST="true"))
        assert value_of(headline, "Peserta dilatih") == 32, query
        assert value_of(headline, "Lulus") == 31, query
        rate = row_by_label(headline, "Tingkat kelulusan")
        assert rate[1].text == "96,9%"
        assert (rate[2].value, rate[3].value) == (31, 32)
    elsewhere = table_of(client.get(panel_url("headline", "level=province&code=33"), HTTP_HX_REQUEST="true"))
    assert value_of(elsewhere, "Peserta dilatih") == 0


def test_the_splits_add_up_to_the_records(world, client):
    approve_monthly_report(world, world.malang, every_centre=True)
    client.force_login(world.user("fkn_national"))
    area = table_of(client.get(panel_url("area"), HTTP_HX_REQUEST="true"))
    assert value_of(area, area_name("35")) == 32
    assert value_of(area, area_name("33")) == 0
    sex = table_of(client.get(panel_url("sex"), HTTP_HX_REQUEST="true"))
    assert [row[1].value for row in sex.rows] == [14, 18]
    trend = table_of(client.get(panel_url("trend"), HTTP_HX_REQUEST="true"))
    last_month = previous_period(period_containing(PeriodType.MONTHLY, timezone.localdate())).start
    assert trend.rows[-1][0].value == f"{last_month:%Y-%m}"
    assert trend.rows[-1][1].value == 32
    assert sum(row[1].value for row in trend.rows) == 32
    cohort = table_of(client.get(panel_url("cohort"), HTTP_HX_REQUEST="true"))
    assert sum(row[1].value for row in cohort.rows) == 32
    klass = table_of(client.get(panel_url("class"), HTTP_HX_REQUEST="true"))
    assert sum(row[1].value for row in klass.rows) == 32


def test_a_trend_shows_the_indicator_asked_for_with_its_counts(world, client):
    approve_monthly_report(world, world.malang, every_centre=True)
    client.force_login(world.user("admin"))
    response = client.get(panel_url("trend", "indicator=placement_rate"), HTTP_HX_REQUEST="true")
    table = table_of(response)
    assert "Tingkat penempatan" in str(table.columns[1].header)
    assert table.rows[-1][1].text == "25,8%"  # (3+2+1+2) / 31
    assert (table.rows[-1][2].value, table.rows[-1][3].value) == (8, 31)
    assert 'data-chart="line"' in response.content.decode()


def test_the_area_split_drills_down_to_the_child_scope_keeping_the_filters(world, client):
    client.force_login(world.user("admin"))
    query = "from=2026-01&to=2026-06"
    national = table_of(client.get(panel_url("area", query), HTTP_HX_REQUEST="true"))
    assert row_by_label(national, area_name("35"))[0].href == dashboard_url(f"level=province&code=35&{query}")
    province = table_of(client.get(panel_url("area", f"level=province&code=35&{query}"), HTTP_HX_REQUEST="true"))
    assert row_by_label(province, area_name("35.07"))[0].href.startswith(dashboard_url("level=regency&code=35.07"))
    regency = table_of(client.get(panel_url("area", f"level=regency&code=35.07&{query}"), HTTP_HX_REQUEST="true"))
    assert row_by_label(regency, world.malang.name)[0].href.startswith(
        dashboard_url(f"level=center&code={world.malang.pk}")
    )


def test_a_centre_name_with_markup_is_shown_as_text_in_the_area_table(world, client):
    CenterFactory(name='BLK <script>alert("x")</script>', regency_id="35.07")
    client.force_login(world.user("admin"))
    response = client.get(panel_url("area", "level=regency&code=35.07"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<script>alert" not in body
    assert "BLK &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


@pytest.mark.parametrize("user_key", sorted(DASHBOARD_USERS))
def test_every_link_in_every_panel_opens_for_the_viewer(world, client, user_key):
    approve_monthly_report(world, world.malang, every_centre=True)
    client.force_login(world.user(user_key))
    hrefs = set()
    for name in PANEL_NAMES:
        table = table_of(client.get(panel_url(name), HTTP_HX_REQUEST="true"))
        hrefs |= {cell.href for row in table.rows for cell in row if cell.href}
    hrefs.add(client.get(dashboard_url()).context["centers_url"] or reverse("portal:home"))
    assert hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200, href


def test_figures_link_to_the_records_behind_them(world, client):
    client.force_login(world.user("pemda_jatim"))
    headline = table_of(client.get(panel_url("headline"), HTTP_HX_REQUEST="true"))
    participants = row_by_label(headline, "Peserta dilatih")[1].href
    assert participants.startswith(reverse("reporting:submissions"))
    assert "status=disetujui" in participants
    assert "province=35" in participants
    assert row_by_label(headline, "Kelengkapan laporan")[1].href.startswith(reverse("reporting:completeness"))
    aid = table_of(client.get(panel_url("aid"), HTTP_HX_REQUEST="true"))
    assert row_by_label(aid, "LPJ terlambat")[1].href == reverse("reporting:lpj-overdue") + "?province=35"


# --- queries ---------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["page", *PANEL_NAMES])
@pytest.mark.parametrize("scope", ["", "level=province&code=35", "level=regency&code=35.07", "class=tumbuh"])
def test_each_panel_takes_the_same_number_of_queries_for_one_centre_and_for_many(world, client, name, scope):
    approve_monthly_report(world, world.malang, every_centre=True)
    client.force_login(world.user("admin"))
    url = dashboard_url(scope) if name == "page" else panel_url(name, scope)
    client.get(url, HTTP_HX_REQUEST="true")  # the first request after logging in also renews the session
    few = _queries(client, url)
    for regency in ("35.07", "35.07", "35.73", "33.74", "31.71"):
        CenterFactory(regency_id=regency)
    form = ReportForm.objects.get(code="LAPBUL")
    schedule.schedule_period(form, previous_period(period_containing(PeriodType.MONTHLY, timezone.localdate())))
    approve_monthly_report(world, world.kota_malang, every_centre=True)
    many = _queries(client, url)
    assert many == few


# --- exports ---------------------------------------------------------------------------------


def test_a_panel_table_downloads_as_csv_with_its_rows(world, client):
    approve_monthly_report(world, world.malang, every_centre=True)
    client.force_login(world.user("admin"))
    response = client.get(panel_url("area", "from=2026-01&to=2026-06") + "&format=csv")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "pantauan-area-nasional-2026-01_2026-06.csv" in disposition
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Wilayah"
    assert {row[0] for row in rows[1:]} >= {area_name("35"), area_name("33")}


def test_a_panel_table_downloads_as_xlsx_with_the_same_rows_as_the_page(world, client):
    approve_monthly_report(world, world.malang, every_centre=True)
    client.force_login(world.user("pemda_jatim"))
    page = table_of(client.get(panel_url("headline"), HTTP_HX_REQUEST="true"))
    response = client.get(panel_url("headline", "format=xlsx"))
    assert response.status_code == 200
    assert "jawa-timur" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Indikator", "Nilai")
    assert len(rows) == len(page.rows) + 1
    participants = next(row for row in rows if row[0] == "Peserta dilatih")
    assert participants[1] == 32


def test_an_unknown_export_format_or_panel_is_404(world, client):
    client.force_login(world.user("admin"))
    assert client.get(panel_url("area") + "?format=pdf").status_code == 404
    assert client.get(panel_url("nothing")).status_code == 404


def test_an_export_outside_the_viewers_scope_is_404(world, client):
    client.force_login(world.user("pengelola_malang"))
    response = client.get(panel_url("area", f"level=center&code={world.semarang.pk}&format=csv"))
    assert response.status_code == 404


def test_tenants_are_counted_against_ten_per_incubator_in_the_scope(world, client):
    from simpul.incubation.services import incubators as incubator_services
    from simpul.incubation.services import tenants as tenant_services

    today = timezone.localdate()
    incubator = incubator_services.incubator_create(
        actor=world.user("admin"), center_id=world.malang.pk, established_on=today, manager_name="Bu Sri"
    )
    for name in ("Joko", "Sri", "Wati"):
        tenant_services.tenant_create(
            actor=world.user("pengelola_malang"),
            incubator_id=incubator.pk,
            pre_on=today,
            full_name=name,
            business_name=f"Usaha {name}",
            sector="C",
            business_started_on=today,
        )
    client.force_login(world.user("pemda_jatim"))
    table = table_of(client.get(panel_url("incubation"), HTTP_HX_REQUEST="true"))
    assert [row[1].value for row in table.rows] == [1, 3, 10, 1]
    assert row_by_label(table, "Tenant aktif")[1].href == reverse("incubation:incubators")
    client.force_login(world.user("admin"))
    elsewhere = table_of(client.get(panel_url("incubation", "level=province&code=33"), HTTP_HX_REQUEST="true"))
    assert [row[1].value for row in elsewhere.rows] == [0, 0, 0, 0]
