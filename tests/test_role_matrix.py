"""Every page and endpoint × every role: allowed, or 404 with nothing changed.

Expectations are written out by hand from DESIGN.md's role table.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from simpul.accounts.models import Role, User
from simpul.centers.models import Center, Instructor

from .conftest import VISIBLE_CENTERS
from .factories import InstructorFactory

EVERYONE = set(VISIBLE_CENTERS)
ADMIN = {"admin"}
EDITORS_OF_MALANG = {"admin", "pengelola_malang"}
OFFICIALS = {"admin", "fkn_national", "fkn_jatim", "pemda_jatim", "pemda_malang"}
HISTORY_OF_MALANG = OFFICIALS | {"pengelola_malang"}
NATIONAL = {"admin", "fkn_national"}

# (name, how to build the URL from the world, who gets 200; everyone else 404)
GET_PAGES = [
    ("home", lambda w: reverse("portal:home"), EVERYONE),
    ("profile", lambda w: reverse("accounts:profile"), EVERYONE),
    ("password change", lambda w: reverse("accounts:password-change"), EVERYONE),
    ("centre list", lambda w: reverse("centers:list"), EVERYONE),
    ("centre options", lambda w: reverse("centers:options") + "?regency=35.07", EVERYONE),
    ("regency options", lambda w: reverse("regions:regency-options") + "?province=35", EVERYONE),
    ("district options", lambda w: reverse("regions:district-options") + "?regency=35.07", EVERYONE),
    ("own centre", lambda w: reverse("centers:detail", args=[w.malang.pk]), EVERYONE),
    ("other province's centre", lambda w: reverse("centers:detail", args=[w.semarang.pk]), NATIONAL),
    ("edit own centre", lambda w: reverse("centers:edit", args=[w.malang.pk]), EDITORS_OF_MALANG),
    ("edit other centre", lambda w: reverse("centers:edit", args=[w.semarang.pk]), ADMIN),
    ("register centre", lambda w: reverse("centers:create"), ADMIN),
    ("centre history", lambda w: reverse("centers:history", args=[w.malang.pk]), HISTORY_OF_MALANG),
    ("export xlsx", lambda w: reverse("centers:export", args=["xlsx"]), OFFICIALS),
    ("export csv", lambda w: reverse("centers:export", args=["csv"]), OFFICIALS),
    ("add instructor", lambda w: reverse("centers:child-create", args=[w.malang.pk, "instruktur"]), EDITORS_OF_MALANG),
    ("add facility", lambda w: reverse("centers:child-create", args=[w.malang.pk, "fasilitas"]), EDITORS_OF_MALANG),
    ("add contact", lambda w: reverse("centers:child-create", args=[w.malang.pk, "narahubung"]), EDITORS_OF_MALANG),
    ("users", lambda w: reverse("accounts:user-list"), ADMIN),
    ("new user", lambda w: reverse("accounts:user-create"), ADMIN),
    ("edit user", lambda w: reverse("accounts:user-edit", args=[w.user("pemda_malang").pk]), ADMIN),
    ("audit log", lambda w: reverse("accounts:audit-log"), ADMIN),
    # The public portal is the same for every role (and for visitors: tests/test_portal.py).
    ("public directory", lambda w: reverse("portal:directory"), EVERYONE),
    ("public centre page", lambda w: reverse("portal:directory-centre", args=[w.semarang.pk]), EVERYONE),
    ("public figures", lambda w: reverse("portal:figures"), EVERYONE),
    ("open data", lambda w: reverse("portal:open-data"), EVERYONE),
    ("open data package", lambda w: reverse("portal:open-data-package"), EVERYONE),
]


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize(("page", "url", "allowed"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
def test_each_page_answers_each_role(world, client, user_key, page, url, allowed):
    client.force_login(world.user(user_key))
    response = client.get(url(world))
    assert response.status_code == (200 if user_key in allowed else 404), page


@pytest.mark.parametrize(("page", "url", "allowed"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
def test_every_page_but_the_public_ones_asks_an_anonymous_visitor_to_log_in(world, client, page, url, allowed):
    response = client.get(url(world))
    if page == "home" or page.startswith(("public ", "open data")):
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def _centre_state(world):
    return list(Center.objects.order_by("pk").values())


def _post_cases(world):
    malang = world.malang
    instructor = InstructorFactory(center=malang, full_name="Instruktur Tetap")
    centre_form = {
        "name": "Nama Diubah",
        "host_type": malang.host_type,
        "host_name": malang.host_name,
        "address": malang.address,
        "province": "35",
        "regency": "35.07",
        "district": malang.district_id,
        # Only Admin Pusat's form has these; a manager's form ignores them.
        "cohort": str(malang.cohort),
        "development_class": malang.development_class,
        "status": malang.status,
        "opened_on": str(malang.opened_on),
    }
    new_centre = {**centre_form, "name": "BLK Baru", "cohort": "2024", "opened_on": "2024-08-01"}
    new_user = {
        "username": "akun.baru",
        "full_name": "Akun Baru",
        "email": "baru@simpul.test",
        "role": Role.FKN,
        "is_active": "on",
    }
    edit_user = {**new_user, "username": "pemda.malang", "role": Role.PEMDA, "province": "35"}
    return [
        ("edit centre", reverse("centers:edit", args=[malang.pk]), centre_form, EDITORS_OF_MALANG),
        ("register centre", reverse("centers:create"), new_centre, ADMIN),
        (
            "add instructor",
            reverse("centers:child-create", args=[malang.pk, "instruktur"]),
            {"full_name": "Instruktur Baru", "is_active": "on"},
            EDITORS_OF_MALANG,
        ),
        (
            "edit instructor",
            reverse("centers:child-edit", args=[malang.pk, "instruktur", instructor.pk]),
            {"full_name": "Nama Lain", "is_active": "on"},
            EDITORS_OF_MALANG,
        ),
        (
            "delete instructor",
            reverse("centers:child-delete", args=[malang.pk, "instruktur", instructor.pk]),
            {},
            EDITORS_OF_MALANG,
        ),
        ("create user", reverse("accounts:user-create"), new_user, ADMIN),
        ("edit user", reverse("accounts:user-edit", args=[world.user("pemda_malang").pk]), edit_user, ADMIN),
        ("send password link", reverse("accounts:user-send-link", args=[world.user("pemda_malang").pk]), {}, ADMIN),
    ]


POST_NAMES = [
    "edit centre",
    "register centre",
    "add instructor",
    "edit instructor",
    "delete instructor",
    "create user",
    "edit user",
    "send password link",
]


def _state(world):
    return (
        _centre_state(world),
        list(Instructor.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values()),
    )


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize("name", POST_NAMES)
def test_each_write_is_allowed_or_404_and_changes_nothing(
    world, client, user_key, name, django_capture_on_commit_callbacks
):
    cases = {case[0]: case for case in _post_cases(world)}
    _, url, data, allowed = cases[name]
    client.force_login(world.user(user_key))
    before = _state(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    if user_key in allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert _state(world) != before or name == "send password link"
    else:
        assert response.status_code == 404
        after = _state(world)
        # the only write a refused request may make is the session's last-login bookkeeping
        assert after[0] == before[0]
        assert after[1] == before[1]
        assert [{k: v for k, v in u.items() if k != "last_login"} for u in after[2]] == [
            {k: v for k, v in u.items() if k != "last_login"} for u in before[2]
        ]
        assert mail.outbox == []
