"""Shared helpers: formats, exports, health, production settings, the demo data generator."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.urls import reverse
from django.utils import translation

from simpul.accounts.models import Role, User
from simpul.centers.models import Center, Instructor
from simpul.core.exports import build_csv, csv_cell
from simpul.core.formats import format_date, format_datetime, format_number, format_percent, format_phone, format_rupiah
from simpul.core.models import DemoDataset

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (1250000, "Rp1.250.000"),
        (Decimal("1250000.00"), "Rp1.250.000"),
        (Decimal("1250000.5"), "Rp1.250.000,50"),
        (0, "Rp0"),
        (-75000, "-Rp75.000"),
        (None, "–"),
    ],
)
def test_rupiah_is_written_the_indonesian_way(amount, text):
    assert format_rupiah(amount) == text


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(1250000, None, "1.250.000"), (Decimal("12.5"), None, "12,5"), (3.14159, 2, "3,14"), (999, None, "999")],
)
def test_numbers_use_indonesian_separators(value, decimals, text):
    assert format_number(value, decimals) == text


def test_percentages_and_dates_and_phones():
    assert format_percent(0.853) == "85,3%"
    with translation.override("id"):
        assert format_date(dt.date(2021, 11, 5)) == "5 November 2021"
        assert format_date(dt.date(2021, 8, 17)) == "17 Agustus 2021"
    with translation.override("en"):
        assert format_date(dt.date(2021, 8, 17)) == "17 August 2021"
    moment = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)
    with translation.override("id"):
        assert format_datetime(moment) == "2 Januari 2026 10.04 WIB"
        assert format_datetime(moment, "Asia/Jayapura") == "2 Januari 2026 12.04 WIT"
    assert format_phone("+6281234567890") == "0812-3456-7890"
    assert format_phone("+62341551234") == "(0341) 551234"
    assert format_phone("") == ""


@pytest.mark.parametrize("text", ["=1+1", "+62812", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_csv_cells_get_an_apostrophe(text):
    assert csv_cell(text) == "'" + text


def test_ordinary_csv_cells_are_left_alone():
    assert csv_cell("Pondok Pesantren Al-Falah") == "Pondok Pesantren Al-Falah"
    assert csv_cell(-5) == -5  # numbers are numbers, not text
    assert build_csv([], []).startswith("\ufeff".encode())


def test_health_check_answers_ok_with_a_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_check_answers_503_when_the_database_is_down(client, db):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def _production_env(**extra: str) -> dict[str, str]:
    drop = {"PYTEST_VERSION", "DEBUG", "SIMPUL_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="simpul.kemnaker.go.id")
    env.update(extra)
    return env


def test_the_deployment_checklist_reports_nothing_in_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_make_run_database_is_wal(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "DATABASE_URL"}}
    env.update(DEBUG="1", SIMPUL_VAR_DIR=str(tmp_path))
    code = (
        "from django.db import connection as c; k = c.cursor(); k.execute('PRAGMA journal_mode'); print(*k.fetchone())"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "wal"


# --- the synthetic data generator ----------------------------------------


def _digest() -> str:
    rows = list(
        Center.objects.order_by("pk").values_list("name", "regency_id", "district_id", "cohort", "vin", "status")
    )
    rows += list(Instructor.objects.order_by("pk").values_list("full_name", "phone"))
    rows += list(User.objects.order_by("pk").values_list("username", "role", "scope_center__name"))
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _seed_and_digest(scale: float, seed: int) -> tuple[str, int]:
    with transaction.atomic():
        call_command("seed", scale=scale, seed=seed, stdout=open(os.devnull, "w"))  # noqa: SIM115
        result = _digest(), Center.objects.count()
        transaction.set_rollback(True)
    return result


def test_the_same_scale_and_seed_give_the_same_data(db):
    first = _seed_and_digest(0.004, 7)
    second = _seed_and_digest(0.004, 7)
    other = _seed_and_digest(0.004, 8)
    assert first == second
    assert other[0] != first[0]
    assert first[1] == 20  # 5,000 centres at national scale x 0.004


def test_seed_makes_one_demo_account_per_role_and_marks_the_demo(db):
    call_command("seed", scale=0.002, stdout=open(os.devnull, "w"))  # noqa: SIM115
    demo = User.objects.filter(username__in=_readme_accounts())
    assert set(demo.values_list("role", flat=True)) == set(Role.values)
    assert DemoDataset.objects.exists()
    # the centre-level demo accounts share one centre, in the demo regency
    centres = {u.scope_center for u in demo if u.scope_center_id}
    assert len(centres) == 1
    assert centres.pop().regency_id == "35.07"
    # ... and `--if-empty` leaves a filled database alone
    call_command("seed", scale=0.002, if_empty=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert DemoDataset.objects.count() == 1


def _readme_accounts() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^\| `([a-z.]+)` \|", text, flags=re.MULTILINE)


def test_the_readme_lists_every_demo_account_with_its_role_and_scope(db):
    from simpul.accounts.seeding import DEMO_PASSWORD

    call_command("seed", scale=0.002, stdout=open(os.devnull, "w"))  # noqa: SIM115
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert DEMO_PASSWORD in text
    for username in _readme_accounts():
        user = User.objects.get(username=username)
        row = next(line for line in text.splitlines() if line.startswith(f"| `{username}` |"))
        assert str(user.get_role_display()) in row, row
        assert user.scope_label in row, row
        assert user.check_password(DEMO_PASSWORD)
    assert len(_readme_accounts()) == 9


def test_the_demo_banner_shows_only_with_demo_data(client, db):
    from django.core.cache import cache

    cache.clear()
    assert "Data demo" not in client.get(reverse("portal:directory")).content.decode()
    call_command("seed", scale=0.002, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert "Data demo" in client.get(reverse("portal:directory")).content.decode()


def test_production_serves_hashed_static_files_without_a_web_server(tmp_path):
    script = """
import django, os
django.setup()
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
call_command("collectstatic", "--noinput", verbosity=0)
url = static("simpul/app.css")
response = Client().get(url, secure=True)
print(url, response.status_code, response.get("Cache-Control", ""))
"""
    env = _production_env(
        STATIC_ROOT=str(tmp_path / "static"), SIMPUL_VAR_DIR=str(tmp_path), ALLOWED_HOSTS="testserver"
    )
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    url, status, cache_control = result.stdout.split(maxsplit=2)
    assert re.fullmatch(r"/static/simpul/app\.[0-9a-f]{12}\.css", url)
    assert status == "200"
    assert "immutable" in cache_control


# --- No CDN: every script, stylesheet, image and font comes from our own static files ------------

# The tags that make a browser fetch something, and the attributes naming what.
_FETCHING_TAG = re.compile(
    r"<(script|link|img|source|iframe|video|audio|object|embed)\b[^>]*>", re.IGNORECASE | re.DOTALL
)
_FETCHED_URL = re.compile(r"\b(src|href|srcset|data)\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE)
_EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


def _external_fetches(html: str) -> list[str]:
    found = []
    for tag in _FETCHING_TAG.finditer(html):
        for _attr, url in _FETCHED_URL.findall(tag.group(0)):
            if any(_EXTERNAL.match(part) for part in url.split(",")):
                found.append(tag.group(0))
    return found


def test_the_external_fetch_check_catches_a_cdn():
    # The check below would be worthless if it could not see a CDN tag.
    assert _external_fetches('<script\n  src="https://cdn.example.com/htmx.js"></script>')
    assert _external_fetches('<link rel="stylesheet" href="//fonts.example.com/css">')
    assert _external_fetches('<img alt="" src="http://example.com/a.png">')
    assert not _external_fetches('<a href="https://example.com">situs</a><script src="/static/a.js"></script>')


def test_no_template_loads_a_script_stylesheet_image_or_font_from_another_site():
    templates = sorted((ROOT / "simpul").glob("**/templates/**/*.html"))
    assert ROOT / "simpul" / "templates" / "base.html" in templates
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in templates
        if (found := _external_fetches(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_no_stylesheet_of_ours_imports_from_another_site():
    url = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"'])\s*((?:https?:)?//[^\"')\s]*)", re.IGNORECASE)
    offenders = {
        str(path.relative_to(ROOT)): url.findall(path.read_text(encoding="utf-8"))
        for path in (ROOT / "simpul" / "static").glob("**/*.css")
        if url.search(path.read_text(encoding="utf-8"))
    }
    assert offenders == {}


def test_the_maps_fetch_no_tiles_unless_a_tile_server_is_configured(client, db, settings):
    # The default is no tile server: the maps draw on a plain background.
    settings_source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    assert 'MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")' in settings_source
    settings.MAP_TILE_URL = ""
    page = client.get(reverse("portal:directory")).content.decode()
    assert "data-map-url" in page
    assert "data-tile-url" not in page
    # A configured server is the one place an outside address may appear.
    settings.MAP_TILE_URL = "https://tiles.example.go.id/{z}/{x}/{y}.png"
    assert 'data-tile-url="https://tiles.example.go.id/' in client.get(reverse("portal:directory")).content.decode()


@pytest.mark.parametrize("url_name", ["portal:home", "accounts:login"])
def test_the_public_pages_fetch_nothing_from_another_site(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script" in page  # the page does load its assets
    assert 'rel="stylesheet"' in page
    assert _external_fetches(page) == []


def test_a_signed_in_page_fetches_nothing_from_another_site(world, client):
    client.force_login(world.user("admin"))
    page = client.get(reverse("centers:list")).content.decode()
    assert _external_fetches(page) == []


# --- The README tells the truth about the configuration ---------------------------------------


def test_the_readme_names_every_environment_variable_the_settings_read():
    settings_source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    names = set(
        re.findall(r"(?:os\.environ\.get|env_int|env_bool|env_list)\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", settings_source)
    )
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "MAP_TILE_URL"} <= names  # the parse finds them
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = "\n".join(line for line in readme.splitlines() if line.startswith("|"))
    missing = sorted(name for name in names if f"`{name}`" not in table)
    assert missing == [], "add to the README's configuration table: " + ", ".join(missing)
