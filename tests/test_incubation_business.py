"""Business figures, reminders, products, photos and the public showcase (issue 5, items 5-6 and their part of 9)."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from simpul.incubation.models import BusinessFigure, Product, ProductPhoto
from simpul.incubation.services import business, products
from simpul.incubation.services.reminders import send_figure_reminders
from simpul.messaging.models import Notification

from .factories import UserFactory
from .test_incubation_tenants import (  # noqa: F401  (the media fixture is autouse)
    PDF,
    TODAY,
    _media,
    image_bytes,
    make_figure,
    make_incubator,
    make_tenant,
    months_ago,
)

LAST_MONTH = months_ago(1)


@pytest.fixture
def tenant(world):
    return make_tenant(make_incubator(world.malang), "Rina", user=world.user("wirausaha_malang"))


def figure_post(**changes):
    return {
        "revenue": "Rp 4.750.000",
        "costs": "",
        "paid_workers": "2",
        "family_workers": "1",
        "products": "3",
        "market_reach": "regional",
        "export_country": "",
        "financing": "",
        "financing_source": "",
        "explanation": "",
        **changes,
    }


def figure_fields(**changes):
    fields = {
        "revenue": Decimal(1_000_000),
        "costs": None,
        "paid_workers": 1,
        "family_workers": 0,
        "products": 1,
        "market_reach": "lokal",
        "export_country": "",
        "financing": None,
        "financing_source": "",
        "explanation": "",
    }
    fields.update(changes)
    return fields


def _figures():
    return list(BusinessFigure.objects.order_by("pk").values())


# --- entering figures ---------------------------------------------------------------------------------------


def test_the_entrepreneur_enters_last_months_figures_as_typed(world, client, tenant):
    client.force_login(world.user("wirausaha_malang"))
    page = client.get(reverse("incubation:figure", args=[tenant.pk])).content.decode()
    assert 'inputmode="numeric"' in page
    response = client.post(reverse("incubation:figure", args=[tenant.pk]), figure_post())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("incubation:my-business"))
    figure = BusinessFigure.objects.get()
    assert (figure.month, figure.revenue, figure.workers) == (LAST_MONTH, Decimal(4_750_000), 3)
    assert figure.entered_by == world.user("wirausaha_malang")


def test_entering_a_month_again_corrects_it(world, tenant):
    owner = world.user("wirausaha_malang")
    business.figure_save(actor=owner, tenant_id=tenant.pk, month=LAST_MONTH, **figure_fields())
    business.figure_save(actor=owner, tenant_id=tenant.pk, month=LAST_MONTH, **figure_fields(paid_workers=4))
    assert BusinessFigure.objects.get().paid_workers == 4


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("revenue", "-500000"),
        ("costs", "-1"),
        ("paid_workers", "-2"),
        ("family_workers", "-1"),
        ("financing", "-100"),
    ],
)
def test_negative_revenue_or_workers_is_refused_in_words_and_nothing_is_saved(world, client, tenant, field, value):
    client.force_login(world.user("wirausaha_malang"))
    response = client.post(reverse("incubation:figure", args=[tenant.pk]), figure_post(**{field: value}))
    assert response.status_code == 200
    assert "Tidak boleh negatif" in response.content.decode()
    assert not BusinessFigure.objects.exists()


def test_the_service_refuses_negative_figures_whoever_calls_it(world, tenant):
    with pytest.raises(ValidationError) as error:
        business.figure_save(
            actor=world.user("pengelola_malang"),
            tenant_id=tenant.pk,
            month=LAST_MONTH,
            **figure_fields(revenue=Decimal(-1), paid_workers=-3),
        )
    assert set(error.value.message_dict) == {"revenue", "paid_workers"}
    assert not BusinessFigure.objects.exists()


@pytest.mark.parametrize(
    ("month", "message"),
    [
        (months_ago(-1), "belum tiba"),
        (months_ago(40), "baru dimulai"),
    ],
)
def test_a_month_in_the_future_or_before_the_business_began_is_refused(world, tenant, month, message):
    with pytest.raises(ValidationError, match=message):
        business.figure_save(actor=world.user("wirausaha_malang"), tenant_id=tenant.pk, month=month, **figure_fields())
    assert not BusinessFigure.objects.exists()


def test_export_needs_its_destination_country(world, tenant):
    owner = world.user("wirausaha_malang")
    with pytest.raises(ValidationError) as error:
        business.figure_save(actor=owner, tenant_id=tenant.pk, month=LAST_MONTH, **figure_fields(market_reach="ekspor"))
    assert "export_country" in error.value.message_dict
    with pytest.raises(ValidationError):
        business.figure_save(
            actor=owner,
            tenant_id=tenant.pk,
            month=LAST_MONTH,
            **figure_fields(market_reach="ekspor", export_country="XX"),
        )
    figure = business.figure_save(
        actor=owner, tenant_id=tenant.pk, month=LAST_MONTH, **figure_fields(market_reach="ekspor", export_country="my")
    )
    assert figure.export_country == "MY"


def test_financing_needs_its_source(world, tenant):
    with pytest.raises(ValidationError) as error:
        business.figure_save(
            actor=world.user("wirausaha_malang"),
            tenant_id=tenant.pk,
            month=LAST_MONTH,
            **figure_fields(financing=Decimal(5_000_000)),
        )
    assert "financing_source" in error.value.message_dict


@pytest.mark.parametrize(
    ("revenue", "outlier"), [(3_100_000, True), (3_000_000, False), (330_000, True), (350_000, False)]
)
def test_a_revenue_far_from_the_last_six_months_needs_an_explanation(world, tenant, revenue, outlier):
    owner = world.user("wirausaha_malang")
    for n, amount in ((2, 900_000), (3, 1_000_000), (4, 1_100_000)):  # median Rp1.000.000
        make_figure(tenant, months_ago(n), amount, by=owner)
    fields = figure_fields(revenue=Decimal(revenue))
    if outlier:
        with pytest.raises(ValidationError) as error:
            business.figure_save(actor=owner, tenant_id=tenant.pk, month=LAST_MONTH, **fields)
        assert "Rp1.000.000" in error.value.message_dict["explanation"][0]
        assert not BusinessFigure.objects.filter(month=LAST_MONTH).exists()
        fields["explanation"] = "Pesanan besar untuk hajatan desa"
    figure = business.figure_save(actor=owner, tenant_id=tenant.pk, month=LAST_MONTH, **fields)
    assert figure.revenue == revenue


def test_with_fewer_than_three_earlier_months_any_revenue_is_taken(world, tenant):
    owner = world.user("wirausaha_malang")
    make_figure(tenant, months_ago(2), 100_000, by=owner)
    make_figure(tenant, months_ago(3), 100_000, by=owner)
    business.figure_save(
        actor=owner, tenant_id=tenant.pk, month=LAST_MONTH, **figure_fields(revenue=Decimal(90_000_000))
    )


def test_the_page_asks_for_the_explanation_next_to_the_field(world, client, tenant):
    owner = world.user("wirausaha_malang")
    for n in (2, 3, 4):
        make_figure(tenant, months_ago(n), 1_000_000, by=owner)
    client.force_login(owner)
    response = client.post(reverse("incubation:figure", args=[tenant.pk]), figure_post(revenue="9.000.000"))
    page = response.content.decode()
    assert 'id="id_explanation_error"' in page
    assert "jauh dari biasanya" in page
    assert 'value="9.000.000"' in page  # what was typed stays
    response = client.post(
        reverse("incubation:figure", args=[tenant.pk]),
        figure_post(revenue="9.000.000", explanation="Pesanan seragam sekolah"),
    )
    assert response.status_code == 302


def test_the_tenant_page_marks_an_unusual_month_and_shows_its_explanation(world, client, tenant):
    owner = world.user("wirausaha_malang")
    for n in (2, 3, 4):
        make_figure(tenant, months_ago(n), 1_000_000, by=owner)
    make_figure(tenant, LAST_MONTH, 9_000_000, by=owner, explanation="Pesanan seragam sekolah")
    client.force_login(world.user("pengelola_malang"))
    page = client.get(reverse("incubation:tenant", args=[tenant.pk])).content.decode()
    assert "tidak biasa" in page
    assert "Pesanan seragam sekolah" in page


@pytest.mark.parametrize("typed", ["abc", "1,5"])
def test_rupiah_that_is_not_whole_rupiah_is_refused(world, client, tenant, typed):
    client.force_login(world.user("wirausaha_malang"))
    response = client.post(reverse("incubation:figure", args=[tenant.pk]), figure_post(revenue=typed))
    assert response.status_code == 200
    assert not BusinessFigure.objects.exists()


# --- reminders ---------------------------------------------------------------------------------------------


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Jakarta"))


def test_reminders_go_after_the_fifth_once_to_tenants_missing_last_month(world):
    incubator = make_incubator(world.malang)
    owner = world.user("wirausaha_malang")
    due = make_tenant(incubator, "Lupa", user=owner)
    done_user = UserFactory(role="wirausaha", scope_center=world.malang)
    done = make_tenant(incubator, "Rajin", user=done_user)
    make_tenant(incubator, "Tanpa akun")
    left_user = UserFactory(role="wirausaha", scope_center=world.malang)
    make_tenant(incubator, "Keluar", user=left_user, left_on=months_ago(2))
    make_figure(done, LAST_MONTH, 1_000_000, by=done_user)

    fifth = TODAY.replace(day=5)
    assert send_figure_reminders(now=_at(fifth, 23)).reminded == 0
    report = send_figure_reminders(now=_at(TODAY.replace(day=6)))
    assert report.tenants == [due.pk]
    notification = Notification.objects.get()
    assert notification.recipient == owner
    assert reverse("incubation:figure", args=[due.pk]) in notification.url
    assert f"?bulan={LAST_MONTH:%Y-%m}" in notification.url
    assert send_figure_reminders(now=_at(TODAY.replace(day=7))).reminded == 0
    assert Notification.objects.count() == 1


def test_a_tenant_who_entered_the_month_after_a_reminder_is_not_reminded_again_next_day(world):
    owner = world.user("wirausaha_malang")
    tenant = make_tenant(make_incubator(world.malang), user=owner)
    send_figure_reminders(now=_at(TODAY.replace(day=10)))
    make_figure(tenant, LAST_MONTH, 1_000_000, by=owner)
    assert send_figure_reminders(now=_at(TODAY.replace(day=11))).reminded == 0
    assert Notification.objects.count() == 1


def test_the_daily_command_runs_the_reminders_and_is_safe_to_run_twice(world, capsys):
    make_tenant(make_incubator(world.malang), user=world.user("wirausaha_malang"))
    call_command("incubation_daily", "--now")
    call_command("incubation_daily")  # through the task queue (immediate in tests)
    expected = 1 if TODAY.day > 5 else 0
    assert Notification.objects.filter(kind="figures_reminder").count() == expected
    assert "Pengingat angka usaha terkirim" in capsys.readouterr().out


# --- products and photos ----------------------------------------------------------------------------------------


def product_post(**changes):
    return {
        "name": "Keripik Tempe Rina",
        "category": "makanan",
        "price": "15.000",
        "description": "Renyah",
        "certifications": "P-IRT",
        "where_sold": "Toko oleh-oleh Batu",
        "public": "on",
        **changes,
    }


def test_the_entrepreneur_adds_a_product_with_a_photo(world, client, tenant):
    client.force_login(world.user("wirausaha_malang"))
    response = client.post(reverse("incubation:product-create", args=[tenant.pk]), product_post())
    product = Product.objects.get()
    assert response.status_code == 302
    assert (product.price, product.public) == (Decimal(15000), True)
    response = client.post(
        reverse("incubation:photo-upload", args=[product.pk]),
        {"image": SimpleUploadedFile("keripik.png", image_bytes("PNG"))},
    )
    assert response.status_code == 302
    photo = ProductPhoto.objects.get()
    assert photo.image.name.endswith(".jpg")
    assert (photo.width, photo.height) == (40, 30)


def test_a_photo_is_stored_re_encoded_without_its_location(world, tenant):
    product = Product.objects.create(tenant=tenant, name="Batik", category="busana", price=100_000)
    exif = Image.Exif()
    exif[0x8825] = {2: (7.0, 58.0, 0.0)}  # GPS latitude
    exif[0x010F] = "Kamera HP"
    upload = SimpleUploadedFile("batik.jpg", image_bytes("JPEG", size=(2400, 1800), exif=exif.tobytes()))
    photo = products.photo_add(actor=world.user("wirausaha_malang"), product_id=product.pk, upload=upload)
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 1600
        assert not stored.getexif()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.jpg", b"<script>alert(1)</script>"),
        ("foto.png", PDF),
        ("foto.jpg", image_bytes("JPEG")[:60]),  # a JPEG header on a broken file
        ("foto.gif", image_bytes("GIF")),
        ("foto.jpg", b""),
    ],
    ids=["text", "pdf", "truncated", "gif", "empty"],
)
def test_a_product_photo_that_is_not_an_image_is_refused_and_nothing_is_kept(world, client, tenant, name, content):
    product = Product.objects.create(tenant=tenant, name="Batik", category="busana", price=100_000)
    client.force_login(world.user("wirausaha_malang"))
    response = client.post(
        reverse("incubation:photo-upload", args=[product.pk]), {"image": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert not ProductPhoto.objects.exists()
    page = response.content.decode()
    assert "bukan foto" in page or "kosong" in page


def test_a_decompression_bomb_is_refused_before_it_is_decoded(world, tenant):
    product = Product.objects.create(tenant=tenant, name="Batik", category="busana", price=100_000)
    bomb = image_bytes("PNG", size=(9000, 6000), mode="1")  # small file, 54 megapixels
    assert len(bomb) < 1_000_000
    with pytest.raises(ValidationError, match="megapiksel"):
        products.photo_add(
            actor=world.user("wirausaha_malang"), product_id=product.pk, upload=SimpleUploadedFile("bom.png", bomb)
        )
    assert not ProductPhoto.objects.exists()


def test_a_photo_too_large_in_bytes_is_refused(world, tenant, settings):
    settings.PRODUCT_PHOTO_MAX_BYTES = 1000
    product = Product.objects.create(tenant=tenant, name="Batik", category="busana", price=100_000)
    with pytest.raises(ValidationError, match="terlalu besar"):
        products.photo_add(
            actor=world.user("wirausaha_malang"),
            product_id=product.pk,
            upload=SimpleUploadedFile("besar.png", image_bytes("PNG", size=(400, 400))),
        )


def test_a_product_holds_at_most_six_photos(world, tenant):
    product = Product.objects.create(tenant=tenant, name="Batik", category="busana", price=100_000)
    owner = world.user("wirausaha_malang")
    for n in range(products.MAX_PHOTOS):
        products.photo_add(actor=owner, product_id=product.pk, upload=SimpleUploadedFile(f"{n}.png", image_bytes()))
    with pytest.raises(ValidationError, match="Paling banyak"):
        products.photo_add(actor=owner, product_id=product.pk, upload=SimpleUploadedFile("7.png", image_bytes()))
    assert product.photos.count() == products.MAX_PHOTOS


def test_a_negative_price_is_refused(world, client, tenant):
    client.force_login(world.user("wirausaha_malang"))
    response = client.post(reverse("incubation:product-create", args=[tenant.pk]), product_post(price="-15.000"))
    assert response.status_code == 200
    assert "Harga tidak boleh negatif" in response.content.decode()
    assert not Product.objects.exists()


def test_deleting_a_product_removes_its_photo_files(world, tenant, django_capture_on_commit_callbacks):
    owner = world.user("wirausaha_malang")
    product = Product.objects.create(tenant=tenant, name="Batik", category="busana", price=100_000)
    photo = products.photo_add(actor=owner, product_id=product.pk, upload=SimpleUploadedFile("a.png", image_bytes()))
    path = photo.image.path
    with django_capture_on_commit_callbacks(execute=True):
        products.product_delete(actor=owner, product_id=product.pk)
    assert not Product.objects.exists()
    assert not os.path.exists(path)


def test_the_incubator_catalogue_lists_its_tenants_products(world, client, tenant):
    Product.objects.create(tenant=tenant, name="Keripik Tempe", category="makanan", price=15_000, public=False)
    client.force_login(world.user("pemda_malang"))
    page = client.get(reverse("incubation:catalogue", args=[tenant.incubator_id])).content.decode()
    assert "Keripik Tempe" in page
    assert "Rp15.000" in page
    assert "tidak tampil di etalase" in page


# --- the public showcase ------------------------------------------------------------------------------------------


def _photo(product, owner):
    return products.photo_add(actor=owner, product_id=product.pk, upload=SimpleUploadedFile("p.png", image_bytes()))


def test_the_showcase_is_public_and_names_no_one(world, client, tenant):
    owner = world.user("wirausaha_malang")
    product = Product.objects.create(tenant=tenant, name="Keripik Tempe", category="makanan", price=15_000)
    photo = _photo(product, owner)
    Product.objects.create(tenant=tenant, name="Resep Rahasia", category="makanan", price=1, public=False)
    response = client.get(reverse("portal:showcase"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Keripik Tempe" in page
    assert "Rp15.000" in page
    assert "BLK Komunitas Darul Ulum Malang" in page
    assert world.malang.province.name in page
    assert "Resep Rahasia" not in page
    assert tenant.full_name not in page
    assert tenant.business_name not in page
    assert reverse("portal:showcase-photo", args=[photo.pk]) in page
    detail = client.get(reverse("portal:showcase-product", args=[product.pk])).content.decode()
    assert tenant.full_name not in detail
    image = client.get(reverse("portal:showcase-photo", args=[photo.pk]))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"


def test_the_showcase_filters_by_province_and_category(world, client):
    malang = make_tenant(make_incubator(world.malang), "Rina")
    semarang = make_tenant(make_incubator(world.semarang), "Yohanes")
    Product.objects.create(tenant=malang, name="Keripik Malang", category="makanan", price=1)
    Product.objects.create(tenant=malang, name="Batik Malang", category="busana", price=1)
    Product.objects.create(tenant=semarang, name="Lumpia Semarang", category="makanan", price=1)

    def names(query):
        page = client.get(reverse("portal:showcase") + query).content.decode()
        return {n for n in ("Keripik Malang", "Batik Malang", "Lumpia Semarang") if n in page}

    assert names("") == {"Keripik Malang", "Batik Malang", "Lumpia Semarang"}
    assert names("?provinsi=33") == {"Lumpia Semarang"}
    assert names("?kategori=makanan") == {"Keripik Malang", "Lumpia Semarang"}
    assert names("?provinsi=35&kategori=makanan") == {"Keripik Malang"}
    assert names("?provinsi=99&kategori=senjata") == {"Keripik Malang", "Batik Malang", "Lumpia Semarang"}


def test_a_private_products_photo_is_never_served_publicly_but_is_to_its_readers(world, client, tenant):
    owner = world.user("wirausaha_malang")
    product = Product.objects.create(tenant=tenant, name="Rahasia", category="makanan", price=1, public=False)
    photo = _photo(product, owner)
    assert client.get(reverse("portal:showcase-photo", args=[photo.pk])).status_code == 404
    assert client.get(reverse("portal:showcase-product", args=[product.pk])).status_code == 404
    client.force_login(world.user("pengelola_malang"))
    assert client.get(reverse("portal:showcase-photo", args=[photo.pk])).status_code == 404
    assert client.get(reverse("incubation:photo", args=[photo.pk])).status_code == 200
    client.force_login(world.user("pemda_jatim"))
    assert client.get(reverse("incubation:photo", args=[photo.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("incubation:photo", args=[photo.pk])).status_code == 302  # asked to log in


def test_products_of_a_tenant_who_dropped_out_leave_the_showcase(world, client, tenant):
    product = Product.objects.create(tenant=tenant, name="Keripik Tempe", category="makanan", price=15_000)
    photo = _photo(product, world.user("wirausaha_malang"))
    tenant.left_on = TODAY
    tenant.save()
    assert "Keripik Tempe" not in client.get(reverse("portal:showcase")).content.decode()
    assert client.get(reverse("portal:showcase-photo", args=[photo.pk])).status_code == 404


def test_the_showcase_asks_few_queries_whatever_the_number_of_products(world, client, django_assert_max_num_queries):
    tenant = make_tenant(make_incubator(world.malang))
    owner = world.user("admin")
    for n in range(12):
        product = Product.objects.create(tenant=tenant, name=f"Produk {n}", category="makanan", price=n)
        _photo(product, owner)
    with django_assert_max_num_queries(8):
        client.get(reverse("portal:showcase"))


def test_a_pdf_is_still_good_evidence_for_reports_after_the_upload_checks_moved_to_core(world):
    from simpul.reporting.services.attachments import detect

    assert detect(PDF) == "application/pdf"
    assert detect(image_bytes("PNG")) == "image/png"
    assert detect(b"GIF89a....") is None
