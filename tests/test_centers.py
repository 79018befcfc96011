"""The BLK registry: validation, editing through the services, history, export."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from openpyxl import load_workbook

from simpul.centers import selectors, services
from simpul.centers.models import Center, CenterStatus, DevelopmentClass, Instructor, SubVocation, Vocation
from simpul.core.models import AuditAction, AuditEvent

from .factories import CenterFactory


def _snapshot(center: Center) -> dict:
    center.refresh_from_db()
    return {f.attname: getattr(center, f.attname) for f in Center._meta.concrete_fields}


def _valid_fields(**overrides):
    fields = {
        "name": "BLK Komunitas Pondok Pesantren Nurul Huda",
        "host_type": "pondok_pesantren",
        "host_name": "Pondok Pesantren Nurul Huda",
        "address": "Jl. Masjid No. 3",
        "province_id": "35",
        "regency_id": "35.07",
        "district_id": "35.07.01",
        "cohort": 2021,
        "opened_on": datetime.date(2021, 9, 1),
    }
    fields.update(overrides)
    return fields


def test_admin_registers_a_centre_with_vocations(world):
    tik = Vocation.objects.get(code="TIK")
    design = SubVocation.objects.get(code="TIK-DGR")
    center = services.center_create(
        actor=world.user("admin"),
        **_valid_fields(npwp="01.234.567.8-901.234-5", vin=" vin-mlg-999 ", phone="0341-551234"),
        vocations=[tik],
        sub_vocations=[design],
    )
    assert center.npwp == "0123456789012345"
    assert center.vin == "VIN-MLG-999"
    assert center.phone.as_e164 == "+62341551234"
    assert list(center.vocations.all()) == [tik]
    assert center.history.latest().history_user == world.user("admin")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"regency_id": "33.74"}, "regency"),  # Kota Semarang is not in Jawa Timur
        ({"district_id": "35.73.01"}, "district"),  # a district of Kota Malang, not Kabupaten Malang
        ({"npwp": "12.345.678.9-012.000"}, "npwp"),  # the old 15-digit format
        ({"npwp": "ABCDEFGHIJKLMNOP"}, "npwp"),
        ({"latitude": Decimal("48.85"), "longitude": Decimal("2.35")}, "latitude"),  # Paris
        ({"latitude": Decimal("-7.9"), "longitude": Decimal("150.0")}, "longitude"),
        ({"latitude": Decimal("-7.9")}, "longitude"),  # only one of the two
        ({"vin": "VIN-MLG-001"}, "vin"),  # already used by the Malang centre
        ({"vin": "vin-mlg-001"}, "vin"),  # the same VIN in other letters
        ({"vin": "VIN MLG 1"}, "vin"),
        ({"cohort": 2015}, "cohort"),  # before the programme
        ({"cohort": 2099}, "cohort"),
        ({"postal_code": "6515"}, "postal_code"),
    ],
)
def test_bad_registry_data_is_refused_naming_the_field_and_nothing_is_saved(world, overrides, field):
    count = Center.objects.count()
    with pytest.raises(ValidationError) as error:
        services.center_create(actor=world.user("admin"), **_valid_fields(**overrides))
    assert field in error.value.message_dict
    assert Center.objects.count() == count


def test_a_bad_phone_never_reaches_the_service(world, client):
    client.force_login(world.user("pengelola_malang"))
    before = _snapshot(world.malang)
    response = client.post(reverse("centers:edit", args=[world.malang.pk]), _form_data(world.malang, phone="12345"))
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert _snapshot(world.malang) == before


def test_a_sub_vocation_must_belong_to_a_chosen_vocation_and_nothing_changes_otherwise(world):
    before = _snapshot(world.malang)
    with pytest.raises(ValidationError) as error:
        services.center_update(
            actor=world.user("admin"),
            center_id=world.malang.pk,
            name="Nama Baru",
            vocations=[Vocation.objects.get(code="OTO")],
            sub_vocations=[SubVocation.objects.get(code="TIK-DGR")],
        )
    assert "sub_vocations" in error.value.message_dict
    assert _snapshot(world.malang) == before
    assert not world.malang.vocations.exists()


def test_a_manager_edits_the_profile_but_not_what_the_ministry_decides(world):
    manager = world.user("pengelola_malang")
    services.center_update(actor=manager, center_id=world.malang.pk, address="Jl. Baru No. 9")
    assert Center.objects.get(pk=world.malang.pk).address == "Jl. Baru No. 9"
    with pytest.raises(Http404):
        services.center_update(actor=manager, center_id=world.malang.pk, status=CenterStatus.INCUBATOR)
    with pytest.raises(Http404):
        services.center_update(actor=manager, center_id=world.malang.pk, development_class=DevelopmentClass.MANDIRI)
    world.malang.refresh_from_db()
    assert world.malang.status == CenterStatus.ACTIVE


def test_a_manager_cannot_edit_another_centre(world):
    before = _snapshot(world.semarang)
    with pytest.raises(Http404):
        services.center_update(actor=world.user("pengelola_malang"), center_id=world.semarang.pk, name="Diambil alih")
    assert _snapshot(world.semarang) == before


def test_every_change_keeps_who_when_and_before_and_after(world):
    admin = world.user("admin")
    services.center_update(actor=admin, center_id=world.malang.pk, address="Jl. Kartini No. 5", cohort=2019)
    instructor = services.center_child_create(
        actor=world.user("pengelola_malang"), model=Instructor, center_id=world.malang.pk, full_name="Rina Lestari"
    )
    services.center_child_delete(actor=admin, model=Instructor, child_id=instructor.pk)
    entries = selectors.center_history(actor=admin, center=world.malang)
    deleted, created, changed = entries[0], entries[1], entries[2]
    assert (deleted.action, deleted.record, deleted.who) == ("dihapus", "Rina Lestari", admin)
    assert (created.action, created.who) == ("dibuat", world.user("pengelola_malang"))
    assert changed.who == admin
    labels = {c.label: (c.old, c.new) for c in changed.changes}
    assert labels["alamat"] == ("Jl. Diponegoro No. 1", "Jl. Kartini No. 5")
    assert labels["tahun bantuan (angkatan)"] == ("2020", "2019")


def test_history_is_shown_only_to_those_allowed(world):
    services.center_update(actor=world.user("admin"), center_id=world.malang.pk, address="Jl. Lain")
    assert selectors.center_history(actor=world.user("pemda_malang"), center=world.malang)
    assert selectors.center_history(actor=world.user("instruktur_malang"), center=world.malang) == []


# --- list, filters, export ------------------------------------------------


def test_the_list_filters_by_region_vocation_cohort_class_and_text(world):
    admin = world.user("admin")
    tik = Vocation.objects.get(code="TIK")
    world.kota_malang.vocations.add(tik)

    def names(**filters):
        return {c.name for c in selectors.center_list(actor=admin, filters=selectors.CenterFilters(**filters))}

    assert names(province="35") == {world.malang.name, world.kota_malang.name}
    assert names(regency="33.74") == {world.semarang.name}
    assert names(vocation=tik.pk) == {world.kota_malang.name}
    assert names(q="seminari") == {world.semarang.name}
    assert names(q="vin-mlg") == {world.malang.name}
    assert names(cohort=2019) == set()
    assert names(development_class="tumbuh", status="aktif") == {
        world.malang.name,
        world.kota_malang.name,
        world.semarang.name,
    }


def test_the_list_page_costs_the_same_queries_for_ten_rows_as_for_two(world, client, django_assert_max_num_queries):
    client.force_login(world.user("admin"))
    client.get(reverse("centers:list"))  # warm the session and caches
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("centers:list"))
    for _ in range(8):
        CenterFactory(regency_id="35.07").vocations.add(Vocation.objects.first())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("centers:list"))
    assert len(response.context["page"].object_list) == 11


def test_an_unknown_filter_value_is_ignored_not_an_error(world, client):
    client.force_login(world.user("admin"))
    response = client.get(reverse("centers:list"), {"province": "99", "cohort": "abc", "status": "x"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3


def _export(client, fmt, **params):
    response = client.get(reverse("centers:export", args=[fmt]), params)
    assert response.status_code == 200
    return response


def test_the_export_holds_exactly_the_centres_in_scope(world, client):
    client.force_login(world.user("pemda_jatim"))
    response = _export(client, "csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1] == "Nama BLK Komunitas"
    assert {row[1] for row in rows[1:]} == {world.malang.name, world.kota_malang.name}
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == world.user("pemda_jatim")
    assert event.detail["rows"] == 2


def test_the_export_follows_the_filters(world, client):
    client.force_login(world.user("admin"))
    workbook = load_workbook(io.BytesIO(_export(client, "xlsx", regency="33.74").content))
    sheet = workbook.active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [world.semarang.name]


def test_formula_like_text_is_escaped_in_both_formats(world, client):
    services.center_update(
        actor=world.user("admin"), center_id=world.malang.pk, host_name='=HYPERLINK("http://x","klik")'
    )
    services.center_update(actor=world.user("admin"), center_id=world.kota_malang.pk, host_name="@SUM(A1)")
    client.force_login(world.user("admin"))
    rows = list(csv.reader(io.StringIO(_export(client, "csv").content.decode("utf-8-sig"))))
    host_names = {row[3] for row in rows[1:]}
    assert '\'=HYPERLINK("http://x","klik")' in host_names
    assert "'@SUM(A1)" in host_names
    sheet = load_workbook(io.BytesIO(_export(client, "xlsx").content)).active
    cells = {row[3].value: row[3] for row in sheet.iter_rows(min_row=2)}
    cell = cells['=HYPERLINK("http://x","klik")']
    assert cell.data_type == "s"  # text, never a formula
    assert cell.quotePrefix


@pytest.mark.parametrize("user_key", ["pengelola_malang", "instruktur_malang", "mentor_malang", "wirausaha_malang"])
def test_roles_without_export_get_404_and_nothing_is_logged(world, client, user_key):
    client.force_login(world.user(user_key))
    assert client.get(reverse("centers:export", args=["xlsx"])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


# --- pages -----------------------------------------------------------------


def _form_data(center: Center, **overrides):
    data = {
        "name": center.name,
        "host_type": center.host_type,
        "host_name": center.host_name,
        "yayasan_name": center.yayasan_name,
        "npwp": center.npwp,
        "address": center.address,
        "province": center.province_id,
        "regency": center.regency_id,
        "district": center.district_id,
        "postal_code": "",
        "latitude": "",
        "longitude": "",
        "phone": "",
        "email": "",
        "permit_number": "",
        "permit_date": "",
    }
    data.update(overrides)
    return data


def test_a_manager_saves_the_profile_form_and_sees_the_change(world, client):
    client.force_login(world.user("pengelola_malang"))
    response = client.post(
        reverse("centers:edit", args=[world.malang.pk]),
        _form_data(world.malang, phone="0812 1111 2222", latitude="-8.05", longitude="112.6"),
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "0812-1111-2222" in page
    world.malang.refresh_from_db()
    assert world.malang.latitude == Decimal("-8.050000")


def test_the_profile_form_shows_the_region_error_next_to_the_field(world, client):
    client.force_login(world.user("admin"))
    before = _snapshot(world.malang)
    response = client.post(reverse("centers:edit", args=[world.malang.pk]), _form_data(world.malang, regency="33.74"))
    assert response.status_code == 200
    assert "regency" in response.context["form"].errors
    assert _snapshot(world.malang) == before


def test_the_child_pages_add_change_and_delete_an_instructor(world, client):
    client.force_login(world.user("pengelola_malang"))
    url = reverse("centers:child-create", args=[world.malang.pk, "instruktur"])
    response = client.post(url, {"full_name": "Dewi Astuti", "phone": "081299998888", "is_active": "on"})
    assert response.status_code == 302
    instructor = Instructor.objects.get(full_name="Dewi Astuti")
    assert instructor.phone.as_e164 == "+6281299998888"
    edit = reverse("centers:child-edit", args=[world.malang.pk, "instruktur", instructor.pk])
    client.post(edit, {"full_name": "Dewi Astuti, S.Kom.", "phone": "081299998888", "is_active": "on"})
    instructor.refresh_from_db()
    assert instructor.full_name == "Dewi Astuti, S.Kom."
    delete = reverse("centers:child-delete", args=[world.malang.pk, "instruktur", instructor.pk])
    assert client.post(delete).status_code == 302
    assert not Instructor.objects.filter(pk=instructor.pk).exists()


def test_a_child_of_another_centre_is_not_found_through_this_centre(world, client):
    from .factories import InstructorFactory

    other = InstructorFactory(center=world.kota_malang)
    client.force_login(world.user("admin"))
    url = reverse("centers:child-edit", args=[world.malang.pk, "instruktur", other.pk])
    assert client.get(url).status_code == 404


def test_vocation_changes_appear_in_the_history_by_name(world):
    admin = world.user("admin")
    tik, oto = Vocation.objects.get(code="TIK"), Vocation.objects.get(code="OTO")
    services.center_update(actor=admin, center_id=world.malang.pk, vocations=[tik])
    services.center_update(actor=admin, center_id=world.malang.pk, vocations=[tik, oto])
    latest = selectors.center_history(actor=admin, center=world.malang)[0]
    change = {c.label: (c.old, c.new) for c in latest.changes}["kejuruan"]
    assert change == ("Teknologi Informasi dan Komunikasi", "Otomotif, Teknologi Informasi dan Komunikasi")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"opened_on": datetime.date(2019, 5, 1)}, "opened_on"),  # before its grant year (2021)
        ({"status": CenterStatus.INACTIVE}, "closed_on"),  # inactive needs the closing date
        ({"closed_on": datetime.date(2024, 1, 1)}, "closed_on"),  # a closing date on an active centre
        ({"status": CenterStatus.INACTIVE, "closed_on": datetime.date(2021, 1, 1)}, "closed_on"),  # before opening
    ],
)
def test_opening_and_closing_dates_must_make_sense(world, overrides, field):
    with pytest.raises(ValidationError) as error:
        services.center_create(actor=world.user("admin"), **_valid_fields(**overrides))
    assert field in error.value.message_dict


def test_the_second_page_of_the_registry_shows_the_rest_and_repeats_none(world, client, settings):
    # given more centres than one page holds (the world's three plus enough to spill over)
    page_size = settings.SIMPUL_PAGE_SIZE
    CenterFactory.create_batch(page_size + 2 - Center.objects.count(), regency_id="33.74")
    client.force_login(world.user("admin"))
    # when both pages are opened
    first = client.get(reverse("centers:list"))
    second = client.get(reverse("centers:list"), {"page": 2})
    # then the first is full, the second holds the rest, and no centre is on both
    first_ids = [c.pk for c in first.context["page"].object_list]
    second_ids = [c.pk for c in second.context["page"].object_list]
    assert len(first_ids) == page_size
    assert len(second_ids) == 2
    assert not set(first_ids) & set(second_ids)
    assert set(first_ids) | set(second_ids) == set(Center.objects.values_list("pk", flat=True))
    page_two = second.content.decode()
    for center in Center.objects.filter(pk__in=second_ids):
        assert center.name in page_two


def test_the_profile_form_takes_an_npwp_typed_with_separators(world, client):
    # given the form's own placeholder shows the NPWP in groups ("0000 0000 0000 0000")
    client.force_login(world.user("pengelola_malang"))
    # when a manager types it that way
    response = client.post(
        reverse("centers:edit", args=[world.malang.pk]), _form_data(world.malang, npwp="0123 4567 8901 2345")
    )
    # then it is saved as its 16 digits
    assert response.status_code == 302, response.context["form"].errors
    world.malang.refresh_from_db()
    assert world.malang.npwp == "0123456789012345"
