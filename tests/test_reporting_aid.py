"""Government aid: instalments with conditions, LPJ obligations and what is overdue or held."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from simpul.reporting.models import AidStream, Grant, Instalment, LpjKind, Status, Submission
from simpul.reporting.selectors import aid as selectors
from simpul.reporting.services import aid as services
from simpul.reporting.services import submissions as submission_services
from simpul.reporting.services.workflow import submission_transition

AGREED = dt.date(2026, 3, 2)


def _building_grant(world, center=None, number="001/PKS/BLKK/2026", **extra):
    return services.grant_create(
        actor=world.user("admin"),
        center_id=(center or world.malang).pk,
        stream=AidStream.BUILDING,
        year=2026,
        amount=Decimal("1000000000"),
        agreement_number=number,
        agreement_date=AGREED,
        **extra,
    )


def test_a_building_grant_gets_70_30_instalments_and_two_lpj_to_fill(world):
    grant = _building_grant(world)
    instalments = list(grant.instalments.values_list("order", "percent", "condition"))
    assert instalments == [(1, 70, "setelah_pks"), (2, 30, "progres_50")]
    lpjs = {lpj.kind: lpj for lpj in grant.lpjs.select_related("submission")}
    assert set(lpjs) == {LpjKind.PROGRESS, LpjKind.FINAL}
    final = lpjs[LpjKind.FINAL].submission
    assert final.form.code == "LPJ"
    assert final.center == world.malang
    assert final.status == Status.DRAFT
    assert final.due_at.date() == AGREED + dt.timedelta(days=240)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"instalments": [(60, "setelah_pks"), (30, "progres_50")]}, "instalments"),
        ({"lpj_dues": {LpjKind.PROGRESS: AGREED}}, "lpj_dues"),
    ],
)
def test_a_grant_that_does_not_add_up_is_refused_and_nothing_is_saved(world, extra, field):
    with pytest.raises(ValidationError) as error:
        _building_grant(world, **extra)
    assert field in error.value.message_dict
    assert not Grant.objects.exists()
    assert not Submission.objects.filter(form__code="LPJ").exists()


def test_the_same_agreement_cannot_be_registered_twice(world):
    _building_grant(world)
    with pytest.raises(ValidationError) as error:
        _building_grant(world, center=world.kota_malang)
    assert "agreement_number" in error.value.message_dict
    assert Grant.objects.count() == 1


def test_only_kemnaker_registers_grants(world):
    with pytest.raises(Http404):
        services.grant_create(
            actor=world.user("pemda_jatim"),
            center_id=world.malang.pk,
            stream=AidStream.OPERATING,
            year=2026,
            amount=Decimal(1),
            agreement_number="x",
            agreement_date=AGREED,
        )


def _approve_lpj(world, lpj, progress):
    manager = world.user("pengelola_malang")
    submission_services.submission_prefill(actor=manager, submission_id=lpj.submission_id)
    submission_services.submission_save_values(
        actor=manager,
        submission_id=lpj.submission_id,
        raw_values={
            "dana_terpakai": "600000000",
            "sisa_dana": "100000000",
            "progres_fisik": str(progress),
            "uraian_kegiatan": "Gedung workshop",
        },
    )
    from simpul.reporting.models import Attachment

    Attachment.objects.create(
        submission_id=lpj.submission_id,
        indicator=lpj.submission.version.indicators.get(code="bukti_pengeluaran"),
        file="evidence/test.pdf",
        original_name="kuitansi.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=manager,
    )
    for actor, step in (("pengelola_malang", "submit"), ("pemda_malang", "verify"), ("admin", "approve")):
        submission_transition(actor=world.user(actor), submission_id=lpj.submission_id, step_name=step)


def test_the_second_instalment_waits_for_half_progress_and_an_approved_progress_lpj(world):
    grant = _building_grant(world)
    admin = world.user("admin")
    first, second = grant.instalments.order_by("order")
    with pytest.raises(ValidationError, match="sebelumnya"):
        services.instalment_record_payment(actor=admin, instalment_id=second.pk, paid_on=AGREED)
    services.instalment_record_payment(actor=admin, instalment_id=first.pk, paid_on=AGREED + dt.timedelta(days=20))
    assert Instalment.objects.get(pk=first.pk).paid_amount == Decimal("700000000")
    with pytest.raises(ValidationError, match="Syarat pencairan"):
        services.instalment_record_payment(actor=admin, instalment_id=second.pk, paid_on=timezone.localdate())
    # the LPJ prefills what was paid, and once approved with 50 % progress the second instalment may go
    progress_lpj = grant.lpjs.get(kind=LpjKind.PROGRESS)
    _approve_lpj(world, progress_lpj, 55)
    prefilled = progress_lpj.submission.values.get(indicator__code="dana_diterima")
    assert prefilled.number == Decimal("700000000")
    services.grant_update_progress(actor=world.user("pengelola_malang"), grant_id=grant.pk, physical_progress=55)
    services.instalment_record_payment(actor=admin, instalment_id=second.pk, paid_on=timezone.localdate())
    assert Instalment.objects.get(pk=second.pk).paid_amount == Decimal("300000000")


def test_a_payment_is_recorded_by_kemnaker_only_and_never_twice(world):
    grant = _building_grant(world)
    first = grant.instalments.get(order=1)
    with pytest.raises(Http404):
        services.instalment_record_payment(actor=world.user("pengelola_malang"), instalment_id=first.pk, paid_on=AGREED)
    services.instalment_record_payment(actor=world.user("admin"), instalment_id=first.pk, paid_on=AGREED)
    with pytest.raises(ValidationError):
        services.instalment_record_payment(actor=world.user("admin"), instalment_id=first.pk, paid_on=AGREED)


def test_overdue_lpj_and_the_money_held_without_a_final_lpj(world):
    admin = world.user("admin")
    late = _building_grant(world, lpj_dues={LpjKind.FINAL: AGREED + dt.timedelta(days=30)})
    not_due = _building_grant(
        world,
        center=world.semarang,
        number="002/PKS",
        lpj_dues={LpjKind.FINAL: timezone.localdate() + dt.timedelta(days=60)},
    )
    for grant in (late, not_due):
        first = grant.instalments.get(order=1)
        services.instalment_record_payment(actor=admin, instalment_id=first.pk, paid_on=AGREED)
    overdue = selectors.overdue_lpjs(actor=admin)
    assert [lpj.grant_id for lpj in overdue] == [late.pk]
    held = selectors.held_without_final_lpj(actor=admin)
    assert (held.recipients, held.grants, held.amount) == (2, 2, Decimal("1400000000"))
    assert (held.overdue_recipients, held.overdue_amount) == (1, Decimal("700000000"))
    by_province = selectors.overdue_by_province(actor=admin)
    assert [(row["grant__center__province_id"], row["lpjs"]) for row in by_province] == [("35", 1)]
    # a Central Java official sees none of East Java's
    assert not selectors.overdue_lpjs(actor=world.user("fkn_national")).filter(grant__center=world.semarang).exists()
    jatim = selectors.held_without_final_lpj(actor=world.user("pemda_jatim"))
    assert jatim.amount == Decimal("700000000")
