"""Accounts: creating people, their scope, passwords by e-mailed link, login security, the audit log."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from simpul.accounts import services
from simpul.accounts.models import Role, User
from simpul.core.middleware import IdleSessionMiddleware
from simpul.core.models import AuditAction, AuditEvent

from .factories import TEST_PASSWORD, UserFactory


def _link_from(message) -> str:
    match = re.search(r"http://\S+/atur-sandi/\S+/", message.body)
    assert match, message.body
    return match.group(0).replace("http://127.0.0.1:8000", "")


# --- creating accounts ------------------------------------------------------


def test_admin_creates_a_centre_manager_who_gets_a_link_to_set_a_password(
    world, client, django_capture_on_commit_callbacks
):
    admin = world.user("admin")
    # when Admin Pusat creates an account for the manager of a centre
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_create(
            actor=admin,
            username="budi.malang",
            full_name="Budi Santoso",
            email="budi@simpul.test",
            role=Role.PENGELOLA,
            scope_center=world.malang,
        )
    # then the account has no usable password and the person gets one e-mail with a link
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["budi@simpul.test"]
    assert "budi.malang" in mail.outbox[0].body
    # and the link lets them set their own password, once
    link = _link_from(mail.outbox[0])
    page = client.get(link, follow=True)
    assert page.status_code == 200
    set_url = page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "Malang-Kota-Apel-77", "new_password2": "Malang-Kota-Apel-77"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Malang-Kota-Apel-77")
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, actor=user).exists()
    assert AuditEvent.objects.filter(action=AuditAction.USER_INVITED, actor=admin, target_id=str(user.pk)).exists()
    # the link is spent
    again = client.get(link, follow=True)
    assert "tidak berlaku lagi" in again.content.decode()


def test_only_admin_pusat_can_create_accounts(world):
    with pytest.raises(Http404):
        services.user_create(
            actor=world.user("pemda_jatim"),
            username="baru",
            full_name="Baru",
            email="baru@simpul.test",
            role=Role.PENGELOLA,
            scope_center=world.malang,
        )
    assert not User.objects.filter(username="baru").exists()


@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [
        (Role.PENGELOLA, {}, "scope_center"),
        (Role.PEMDA, {}, "scope_province"),
        (Role.ADMIN_PUSAT, {"scope_province_id": "35"}, "role"),
        (Role.FKN, {"scope_regency_id": "35.07"}, "role"),
    ],
)
def test_a_scope_that_does_not_fit_the_role_is_refused_with_a_message_on_the_field(world, role, scope, field):
    with pytest.raises(ValidationError) as error:
        services.user_create(
            actor=world.user("admin"), username="x", full_name="X", email="x@simpul.test", role=role, **scope
        )
    assert field in error.value.message_dict
    assert not User.objects.filter(username="x").exists()


def test_admin_cannot_lock_themselves_out(world):
    admin = world.user("admin")
    with pytest.raises(ValidationError):
        services.user_update(actor=admin, user_id=admin.pk, is_active=False)
    with pytest.raises(ValidationError):
        services.user_update(actor=admin, user_id=admin.pk, role=Role.FKN)
    admin.refresh_from_db()
    assert admin.is_active
    assert admin.role == Role.ADMIN_PUSAT


def test_changing_a_scope_is_kept_in_the_history_with_who_did_it(world):
    admin = world.user("admin")
    pemda = world.user("pemda_malang")
    services.user_update(actor=admin, user_id=pemda.pk, scope_regency=None, scope_province_id="35")
    latest = pemda.history.latest()
    assert latest.history_user == admin
    assert latest.scope_province_id == "35"
    assert latest.scope_regency_id is None


def test_the_user_form_creates_an_account_from_cascading_picks(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.user("admin"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:user-create"),
            {
                "username": "instruktur.baru",
                "full_name": "Instruktur Baru",
                "email": "ib@simpul.test",
                "phone": "0812-3456-7890",
                "role": Role.INSTRUKTUR,
                "province": "35",
                "regency": "35.07",
                "center": world.malang.pk,
                "is_active": "on",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(username="instruktur.baru")
    assert user.scope_center == world.malang
    assert user.scope_province is None
    assert user.scope_regency is None
    assert user.phone.as_e164 == "+6281234567890"
    assert len(mail.outbox) == 1


def test_the_user_form_refuses_a_centre_outside_the_chosen_regency(world, client):
    client.force_login(world.user("admin"))
    response = client.post(
        reverse("accounts:user-create"),
        {
            "username": "salah.pilih",
            "full_name": "Salah Pilih",
            "email": "sp@simpul.test",
            "role": Role.PENGELOLA,
            "province": "35",
            "regency": "35.07",
            "center": world.semarang.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "center" in response.context["form"].errors
    assert not User.objects.filter(username="salah.pilih").exists()


def test_the_user_form_says_which_field_is_wrong_for_a_bad_phone(world, client):
    client.force_login(world.user("admin"))
    response = client.post(
        reverse("accounts:user-create"),
        {"username": "t", "full_name": "T", "email": "t@simpul.test", "phone": "12ab", "role": Role.FKN},
    )
    assert "phone" in response.context["form"].errors
    assert not User.objects.filter(username="t").exists()


# --- login security ---------------------------------------------------------


def _login(client, username, password, ip="10.1.1.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_and_logout_are_in_the_audit_log(world, client):
    user = world.user("pengelola_malang")
    response = _login(client, user.username, TEST_PASSWORD)
    assert response.status_code == 302
    client.post(reverse("accounts:logout"))
    actions = list(AuditEvent.objects.filter(actor=user).order_by("id").values_list("action", "ip_address"))
    assert actions == [(AuditAction.LOGIN, "10.1.1.1"), (AuditAction.LOGOUT, "127.0.0.1")]


def test_a_failed_login_is_recorded_with_the_name_typed(world, client):
    response = _login(client, "pengelola", "salah")
    assert response.status_code == 200
    assert "benar" in response.content.decode()  # Django's Indonesian "enter a correct username and password"
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor_username == "pengelola"
    assert event.ip_address == "10.1.1.1"


def test_repeated_failures_lock_out_that_user_from_that_address_only(world, client, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        _login(client, "pengelola", "salah", ip="10.9.9.9")
    # the pair is locked: even the right password is refused for now
    locked = _login(client, "pengelola", TEST_PASSWORD, ip="10.9.9.9")
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan" in locked.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT, actor_username="pengelola").exists()
    # a colleague behind the same address still logs in
    colleague = world.user("instruktur_malang")
    assert _login(client, colleague.username, TEST_PASSWORD, ip="10.9.9.9").status_code == 302
    client.post(reverse("accounts:logout"))
    # and the same person from another address too
    assert _login(client, "pengelola", TEST_PASSWORD, ip="10.2.2.2").status_code == 302


def test_passwords_are_hashed_with_argon2(world):
    assert world.user("admin").password.startswith("argon2")


def _session_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_the_session_ends_after_the_idle_timeout(world, client, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    _login(client, "pengelola", TEST_PASSWORD)
    session = Session.objects.get(session_key=client.session.session_key)
    session.expire_date = timezone.now() - dt.timedelta(seconds=1)  # 30 idle minutes have passed
    session.save()
    cache.clear()  # the cached copy expires at the same moment
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert "Keluar" not in response.content.decode()  # signed out: the public front page


def test_activity_renews_the_session_at_most_once_a_minute(world, client):
    _login(client, "pengelola", TEST_PASSWORD)
    first = _session_expiry(client)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("accounts:profile"))
    # Within the minute: the session is not written again.
    assert not [q for q in queries.captured_queries if "UPDATE" in q["sql"] and "django_session" in q["sql"]]
    assert _session_expiry(client) == first
    # A minute later the expiry moves forward.
    session = client.session
    session[IdleSessionMiddleware.KEY] = int(time.time()) - IdleSessionMiddleware.RENEW_EVERY
    session.save()
    saved = _session_expiry(client)
    client.get(reverse("accounts:profile"))
    assert _session_expiry(client) > saved


def test_a_visitor_without_a_session_is_given_none(db, client):
    client.get(reverse("portal:home"))
    assert not Session.objects.exists()


def test_a_password_reset_request_never_reveals_whether_an_address_exists(
    world, client, django_capture_on_commit_callbacks
):
    url = reverse("accounts:password-reset")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": world.user("pemda_malang").email}, follow=True)
        unknown = client.post(url, {"email": "tidak.ada@simpul.test"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    message = "Jika surel itu terdaftar"
    assert message in known.content.decode()
    assert message in unknown.content.decode()
    assert [m.to for m in mail.outbox] == [[world.user("pemda_malang").email]]


def test_a_weak_password_is_refused_and_changes_nothing(world, client, django_capture_on_commit_callbacks):
    user = world.user("pemda_malang")
    old_hash = user.password
    with django_capture_on_commit_callbacks(execute=True):
        services.password_reset_request(email=user.email)
    page = client.get(_link_from(mail.outbox[0]), follow=True)
    response = client.post(page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert response.context["form"].errors
    user.refresh_from_db()
    assert user.password == old_hash


def test_a_new_account_can_log_in_only_after_setting_a_password(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_create(
            actor=world.user("admin"),
            username="baru.sekali",
            full_name="Baru Sekali",
            email="baru@simpul.test",
            role=Role.FKN,
        )
    assert _login(client, user.username, "").status_code == 200
    assert not client.session.get("_auth_user_id")


def test_a_deactivated_account_cannot_log_in(world, client):
    user = UserFactory(username="nonaktif", is_active=False)
    assert _login(client, user.username, TEST_PASSWORD).status_code == 200
    assert not client.session.get("_auth_user_id")


# The foundation's menu entries each account of the world is offered, written from the
# policy: every role sees the registry (of its own scope); only Admin Pusat manages
# accounts and reads the audit log.
FOUNDATION_MENU = {
    "admin": {"centers", "users", "audit"},
    "fkn_national": {"centers"},
    "fkn_jatim": {"centers"},
    "pemda_jatim": {"centers"},
    "pemda_malang": {"centers"},
    "pengelola_malang": {"centers"},
    "instruktur_malang": {"centers"},
    "mentor_malang": {"centers"},
    "wirausaha_malang": {"centers"},
}


@pytest.mark.parametrize("user_key", sorted(FOUNDATION_MENU))
def test_the_menu_offers_the_registry_users_and_audit_log_by_role(world, client, user_key):
    from simpul.core.navigation import items_for

    # given an account of the world
    user = world.user(user_key)
    # when its menu is built
    offered = {item.key for item in items_for(user)} & {"centers", "users", "audit"}
    # then it holds exactly the foundation entries its role may use
    assert offered == FOUNDATION_MENU[user_key]
    # and the rendered page links to those and no others
    client.force_login(user)
    page = client.get(reverse("portal:home")).content.decode()
    links = {"centers": reverse("centers:list"), "users": reverse("accounts:user-list")}
    links["audit"] = reverse("accounts:audit-log")
    for key, url in links.items():
        assert (f'href="{url}"' in page) is (key in FOUNDATION_MENU[user_key]), key
