"""Bahasa Indonesia first, English complete."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "simpul" / "locale" / "en" / "LC_MESSAGES"


def _english(text: str) -> str:
    entry = polib.pofile(str(CATALOGUE / "django.po")).find(text)
    assert entry is not None, f"{text!r} is not in the catalogue"
    assert entry.msgstr, f"no English for {text!r}"
    return entry.msgstr


def test_every_user_facing_string_has_an_english_translation(tmp_path):
    # Extract the strings from a copy of the code, merged with the committed catalogue.
    for name in ("simpul", "config"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "DATABASE_URL"}}
    env.update(DEBUG="1", SIMPUL_VAR_DIR=str(tmp_path / "var"))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "en", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(tmp_path / "simpul" / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh.untranslated_entries()] + [e.msgid for e in fresh.fuzzy_entries()]
    assert missing == [], "run `make messages` and translate: " + "; ".join(missing[:20])


def test_the_compiled_catalogue_matches_its_source():
    source = {e.msgid: e.msgstr for e in polib.pofile(str(CATALOGUE / "django.po")).translated_entries()}
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(CATALOGUE / "django.mo")) if e.msgid}
    assert compiled == source, "run `make messages` to recompile django.mo"


def test_pages_are_indonesian_even_when_the_browser_asks_for_english(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Masuk ke Simpul" in response.content.decode()
    assert response["Content-Language"] == "id"


def test_a_person_who_chooses_english_gets_english(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("accounts:login"))
    assert _english("Masuk ke Simpul") in response.content.decode()
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize("language", ["xx", "", "fr"])
def test_an_unknown_language_choice_falls_back_to_indonesian(client, db, language):
    client.cookies["django_language"] = language
    assert "Masuk ke Simpul" in client.get(reverse("accounts:login")).content.decode()


def test_a_person_who_chose_english_reads_a_form_error_in_english_and_nothing_is_saved(client, world):
    from simpul.centers.models import Center

    from .test_centers import _form_data, _snapshot

    # given an administrator who chose English
    client.force_login(world.user("admin"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    before = _snapshot(world.malang)
    count = Center.objects.count()
    # when they submit the centre form with an NPWP in the old 15-digit format
    response = client.post(
        reverse("centers:edit", args=[world.malang.pk]), _form_data(world.malang, npwp="12.345.678.9-012.000")
    )
    # then the form comes back with the error in English, not Indonesian
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    indonesian = "NPWP harus terdiri dari 16 digit angka (format NPWP 16 digit)."
    assert response.context["form"].errors["npwp"] == [_english(indonesian)]
    page = response.content.decode()
    assert _english(indonesian) in page
    assert indonesian not in page
    # and nothing was saved
    assert _snapshot(world.malang) == before
    assert Center.objects.count() == count
