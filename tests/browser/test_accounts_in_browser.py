"""Real Chromium: Admin Pusat creates an account; the person sets a password from the e-mail and logs in."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from simpul.core.models import AuditAction, AuditEvent

from .conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_admin_creates_a_manager_who_sets_a_password_and_sees_only_their_centre(live_world, live_server, page):
    login(page, live_server.url, live_world.user("admin").username)
    page.click("nav.nav-wide >> text=Pengguna")
    page.click("text=Tambah pengguna")
    page.fill("#id_username", "siti.malang")
    page.fill("#id_full_name", "Siti Aminah")
    page.fill("#id_email", "siti@simpul.test")
    page.fill("#id_phone", "0813 2222 3333")
    page.select_option("#id_role", "pengelola")
    # Province -> regency -> centre: each choice loads the next list.
    page.select_option("#id_province", "35")
    expect(page.locator("#id_regency option[value='35.07']")).to_have_count(1)
    page.select_option("#id_regency", "35.07")
    expect(page.locator(f"#id_center option[value='{live_world.malang.pk}']")).to_have_count(1)
    expect(page.locator(f"#id_center option[value='{live_world.semarang.pk}']")).to_have_count(0)
    page.select_option("#id_center", str(live_world.malang.pk))
    screenshot(page, "admin-new-user")
    page.click("form.stacked button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("siti@simpul.test")

    # The invitation went out by e-mail, with a one-time link.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/atur-sandi/\S+/", mail.outbox[0].body).group(0)
    path = link.split("/atur-sandi/", 1)[1]
    page.click("header .user-menu button[type=submit]")  # log out

    page.goto(f"{live_server.url}/atur-sandi/{path}")
    page.fill("#id_new_password1", "Apel-Malang-Manis-2026")
    page.fill("#id_new_password2", "Apel-Malang-Manis-2026")
    page.click("form.stacked button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Kata sandi tersimpan")

    login(page, live_server.url, "siti.malang", "Apel-Malang-Manis-2026")
    expect(page.locator("main")).to_contain_text("Pengelola BLK")
    page.goto(f"{live_server.url}/blk/")
    expect(page.locator("#center-table tbody tr")).to_have_count(1)
    expect(page.locator("#center-table")).to_contain_text(live_world.malang.name)
    assert AuditEvent.objects.filter(action=AuditAction.USER_INVITED, target_repr="Siti Aminah").exists()


def test_a_wrong_password_says_so_in_indonesian_and_is_audited(live_world, live_server, page):
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "pengelola")
    page.fill("#id_password", "bukan-sandinya")
    page.click("form.stacked button[type=submit]")
    expect(page.locator(".form-errors")).to_contain_text("benar")
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, actor_username="pengelola").exists()


def test_admin_reads_the_audit_log(live_world, live_server, page):
    login(page, live_server.url, live_world.user("admin").username)
    page.click("nav.nav-wide >> text=Log audit")
    expect(page.locator("table.list")).to_contain_text("Masuk")
    expect(page.locator("table.list")).to_contain_text("admin")
    screenshot(page, "audit-log")
