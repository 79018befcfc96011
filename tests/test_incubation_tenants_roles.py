"""Every incubator, tenant, mentoring, figure and product page × every role: 200, or 404 with nothing changed.

Written out by hand from DESIGN.md's role table and the incubation rules: officials read their region,
the centre's manager runs its incubator, a mentor sees only the tenants assigned to them and an
entrepreneur only their own business.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from simpul.accounts.models import Role
from simpul.centers.models import Center
from simpul.incubation.models import (
    BusinessFigure,
    Incubator,
    Mentor,
    MentoringSession,
    Product,
    ProductPhoto,
    Tenant,
)
from simpul.incubation.services import products as product_services

from .conftest import VISIBLE_CENTERS
from .factories import UserFactory
from .test_incubation_tenants import (  # noqa: F401  (the media fixture is autouse)
    PDF,
    TODAY,
    _media,
    image_bytes,
    make_figure,
    make_incubator,
    make_mentor,
    make_tenant,
    months_ago,
)

EVERYONE = set(VISIBLE_CENTERS)
ADMIN = {"admin"}
NATIONAL = {"admin", "fkn_national"}
OFFICIALS_OF_MALANG = {"admin", "fkn_national", "fkn_jatim", "pemda_jatim", "pemda_malang"}
MANAGERS_OF_MALANG = {"admin", "pengelola_malang"}
MENTOR_READERS = OFFICIALS_OF_MALANG | {"pengelola_malang"}
TENANT_READERS = OFFICIALS_OF_MALANG | {"pengelola_malang", "mentor_malang", "wirausaha_malang"}
FIGURE_WRITERS = MANAGERS_OF_MALANG | {"wirausaha_malang"}
THE_MENTOR = {"mentor_malang"}
THE_ENTREPRENEUR = {"wirausaha_malang"}


@pytest.fixture
def setup(world):
    owner = world.user("wirausaha_malang")
    incubator = make_incubator(world.malang)
    tenant = make_tenant(incubator, "Rina", user=owner)
    mentor = make_mentor(world.user("mentor_malang"), tenant)
    session = MentoringSession.objects.create(
        tenant=tenant, mentor=mentor, held_on=months_ago(1), minutes=60, topic="Harga", notes="HPP"
    )
    session.attachment.save("a.pdf", SimpleUploadedFile("a.pdf", PDF))
    make_figure(tenant, months_ago(2), 1_000_000, by=owner)
    product = Product.objects.create(tenant=tenant, name="Keripik", category="makanan", price=15_000, public=False)
    photo = product_services.photo_add(
        actor=world.user("admin"), product_id=product.pk, upload=SimpleUploadedFile("p.png", image_bytes())
    )
    other_incubator = make_incubator(world.semarang)
    other_tenant = make_tenant(other_incubator, "Yohanes")
    return {
        "incubator": incubator,
        "tenant": tenant,
        "mentor": mentor,
        "session": session,
        "product": product,
        "photo": photo,
        "other_incubator": other_incubator,
        "other_tenant": other_tenant,
        "free_mentor": UserFactory(username="mentor.baru", role=Role.MENTOR, scope_center=world.malang),
    }


def _url(name, *args, query=""):
    return reverse(f"incubation:{name}", args=args) + query


GET_PAGES = [
    ("incubators", lambda s, w: _url("incubators"), EVERYONE),
    ("incubator", lambda s, w: _url("incubator", s["incubator"].pk), EVERYONE),
    ("other province's incubator", lambda s, w: _url("incubator", s["other_incubator"].pk), NATIONAL),
    ("new incubator", lambda s, w: _url("incubator-create", query=f"?blk={w.kota_malang.pk}"), ADMIN),
    ("edit incubator", lambda s, w: _url("incubator-edit", s["incubator"].pk), MANAGERS_OF_MALANG),
    ("catalogue", lambda s, w: _url("catalogue", s["incubator"].pk), EVERYONE),
    ("mentors", lambda s, w: _url("mentors"), MENTOR_READERS),
    ("new mentor", lambda s, w: _url("mentor-create"), MANAGERS_OF_MALANG),
    ("edit mentor", lambda s, w: _url("mentor-edit", s["mentor"].pk), MANAGERS_OF_MALANG),
    ("intake", lambda s, w: _url("tenant-create", s["incubator"].pk), MANAGERS_OF_MALANG),
    ("intake outsider", lambda s, w: _url("tenant-create", s["incubator"].pk, query="?luar=1"), MANAGERS_OF_MALANG),
    ("my business", lambda s, w: _url("my-business"), THE_ENTREPRENEUR),
    ("tenant", lambda s, w: _url("tenant", s["tenant"].pk), TENANT_READERS),
    ("other province's tenant", lambda s, w: _url("tenant", s["other_tenant"].pk), NATIONAL),
    ("edit tenant", lambda s, w: _url("tenant-edit", s["tenant"].pk), MANAGERS_OF_MALANG),
    ("new session", lambda s, w: _url("session-create", s["tenant"].pk), THE_MENTOR),
    ("edit session", lambda s, w: _url("session-edit", s["session"].pk), THE_MENTOR),
    ("session attachment", lambda s, w: _url("session-attachment", s["session"].pk), TENANT_READERS),
    ("figures (new month)", lambda s, w: _url("figure", s["tenant"].pk), FIGURE_WRITERS),
    (
        "figures (entered month)",
        lambda s, w: _url("figure", s["tenant"].pk, query=f"?bulan={months_ago(2):%Y-%m}"),
        FIGURE_WRITERS,
    ),
    ("other province's figures", lambda s, w: _url("figure", s["other_tenant"].pk), ADMIN),
    ("new product", lambda s, w: _url("product-create", s["tenant"].pk), FIGURE_WRITERS),
    ("edit product", lambda s, w: _url("product-edit", s["product"].pk), FIGURE_WRITERS),
    ("private photo", lambda s, w: _url("photo", s["photo"].pk), EVERYONE),
]


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize(("page", "url", "allowed"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
def test_each_incubation_page_answers_each_role(world, setup, client, user_key, page, url, allowed):
    client.force_login(world.user(user_key))
    response = client.get(url(setup, world))
    assert response.status_code == (200 if user_key in allowed else 404), page


@pytest.mark.parametrize(("page", "url", "allowed"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
def test_every_incubation_page_asks_an_anonymous_visitor_to_log_in(world, setup, client, page, url, allowed):
    response = client.get(url(setup, world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_showcase_is_open_to_everyone_signed_in_or_not(world, setup, client):
    Product.objects.update(public=True)
    for user_key in [None, *sorted(EVERYONE)]:
        if user_key:
            client.force_login(world.user(user_key))
        for url in (
            reverse("portal:showcase"),
            reverse("portal:showcase-product", args=[setup["product"].pk]),
            reverse("portal:showcase-photo", args=[setup["photo"].pk]),
        ):
            assert client.get(url).status_code == 200, (user_key, url)


def _state():
    return (
        list(Incubator.objects.order_by("pk").values()),
        list(Tenant.objects.order_by("pk").values()),
        list(Mentor.objects.order_by("pk").values()),
        list(Mentor.tenants.through.objects.order_by("pk").values()),
        list(MentoringSession.objects.order_by("pk").values()),
        list(BusinessFigure.objects.order_by("pk").values()),
        list(Product.objects.order_by("pk").values()),
        list(ProductPhoto.objects.order_by("pk").values()),
        list(Center.objects.order_by("pk").values("pk", "status")),
    )


def _posts(s, w):
    tenant, incubator = s["tenant"], s["incubator"]
    session_data = {"held_on": TODAY.isoformat(), "minutes": 45, "topic": "Pemasaran", "notes": "Instagram"}
    return [
        (
            "edit incubator",
            _url("incubator-edit", incubator.pk),
            {"established_on": incubator.established_on.isoformat(), "manager_name": "Baru", "sop": "x"},
            MANAGERS_OF_MALANG,
        ),
        (
            "new incubator",
            _url("incubator-create", query=f"?blk={w.kota_malang.pk}"),
            {"established_on": TODAY.isoformat(), "manager_name": "Bu Sri"},
            ADMIN,
        ),
        (
            "intake",
            _url("tenant-create", incubator.pk, query="?luar=1"),
            {
                "full_name": "Pak Joko",
                "business_name": "Keripik",
                "sector": "C",
                "business_started_on": TODAY.isoformat(),
                "pre_on": TODAY.isoformat(),
            },
            MANAGERS_OF_MALANG,
        ),
        (
            "edit tenant",
            _url("tenant-edit", tenant.pk),
            {"business_name": "Nama Baru", "sector": "C", "business_started_on": months_ago(18).isoformat()},
            MANAGERS_OF_MALANG,
        ),
        (
            "stage",
            _url("tenant-stage", tenant.pk),
            {"stage": "inkubasi", "on": TODAY.isoformat(), "criteria": "Siap"},
            MANAGERS_OF_MALANG,
        ),
        (
            "leave",
            _url("tenant-leave", tenant.pk),
            {"left_on": TODAY.isoformat(), "reason": "Pindah"},
            MANAGERS_OF_MALANG,
        ),
        ("assign mentors", _url("tenant-mentors", tenant.pk), {}, MANAGERS_OF_MALANG),
        (
            "new mentor",
            _url("mentor-create"),
            {"user": s["free_mentor"].pk, "organisation": "CV Maju", "kind": "dunia_usaha", "expertise": "Ekspor"},
            MANAGERS_OF_MALANG,
        ),
        (
            "edit mentor",
            _url("mentor-edit", s["mentor"].pk),
            {"organisation": "UIN Malang", "kind": "perguruan_tinggi", "expertise": "Pembukuan"},
            MANAGERS_OF_MALANG,
        ),
        ("new session", _url("session-create", tenant.pk), session_data, THE_MENTOR),
        ("edit session", _url("session-edit", s["session"].pk), {**session_data, "topic": "Baru"}, THE_MENTOR),
        (
            "figures",
            _url("figure", tenant.pk),
            {"revenue": "1.000.000", "paid_workers": "1", "market_reach": "lokal"},
            FIGURE_WRITERS,
        ),
        (
            "new product",
            _url("product-create", tenant.pk),
            {"name": "Sambal", "category": "makanan", "price": "20.000"},
            FIGURE_WRITERS,
        ),
        (
            "edit product",
            _url("product-edit", s["product"].pk),
            {"name": "Keripik Pedas", "category": "makanan", "price": "16.000"},
            FIGURE_WRITERS,
        ),
        (
            "photo upload",
            _url("photo-upload", s["product"].pk),
            {"image": SimpleUploadedFile("q.png", image_bytes())},
            FIGURE_WRITERS,
        ),
        ("photo delete", _url("photo-delete", s["photo"].pk), {}, FIGURE_WRITERS),
        ("delete product", _url("product-delete", s["product"].pk), {}, FIGURE_WRITERS),
    ]


POSTS = [
    "edit incubator",
    "new incubator",
    "intake",
    "edit tenant",
    "stage",
    "leave",
    "assign mentors",
    "new mentor",
    "edit mentor",
    "new session",
    "edit session",
    "figures",
    "new product",
    "edit product",
    "photo upload",
    "photo delete",
    "delete product",
]


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize("name", POSTS)
def test_each_incubation_write_is_refused_with_404_and_changes_nothing(world, setup, client, user_key, name):
    _name, url, data, allowed = next(p for p in _posts(setup, world) if p[0] == name)
    if user_key in allowed:
        return  # the allowed side is below and in the flow tests
    client.force_login(world.user(user_key))
    before = _state()
    response = client.post(url, data)
    assert response.status_code == 404
    assert _state() == before


WRITERS = [
    ("edit incubator", "pengelola_malang"),
    ("new incubator", "admin"),
    ("intake", "pengelola_malang"),
    ("edit tenant", "pengelola_malang"),
    ("stage", "pengelola_malang"),
    ("leave", "pengelola_malang"),
    ("assign mentors", "pengelola_malang"),
    ("new mentor", "pengelola_malang"),
    ("edit mentor", "pengelola_malang"),
    ("new session", "mentor_malang"),
    ("edit session", "mentor_malang"),
    ("figures", "wirausaha_malang"),
    ("new product", "wirausaha_malang"),
    ("edit product", "wirausaha_malang"),
    ("photo upload", "wirausaha_malang"),
    ("photo delete", "wirausaha_malang"),
    ("delete product", "pengelola_malang"),
]


@pytest.mark.parametrize(("name", "user_key"), WRITERS)
def test_each_incubation_write_works_for_who_may_do_it(world, setup, client, name, user_key):
    _name, url, data, allowed = next(p for p in _posts(setup, world) if p[0] == name)
    assert user_key in allowed
    client.force_login(world.user(user_key))
    before = _state()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _state() != before, name
