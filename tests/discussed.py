"""Records of the Malang centre that carry a discussion (messaging's record threads): a grant, a tenant
of its incubator (mentored by the world's mentor) and a selection round, made through the real services
where they exist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from simpul.incubation.models import Incubator, Mentor, SelectionRound, Tenant
from simpul.incubation.services import selection as selection_services
from simpul.reporting.models import AidStream, Grant
from simpul.reporting.services import aid


@dataclass
class DiscussedRecords:
    grant: Grant
    tenant: Tenant
    selection_round: SelectionRound


def discussed_records(world) -> DiscussedRecords:
    admin = world.user("admin")
    grant = aid.grant_create(
        actor=admin,
        center_id=world.malang.pk,
        stream=AidStream.BUILDING,
        year=2026,
        amount=Decimal("1000000000"),
        agreement_number="001/PKS/BLKK/2026",
        agreement_date=dt.date(2026, 3, 2),
    )
    incubator = Incubator.objects.create(
        center=world.malang, established_on=dt.date(2024, 1, 1), manager_name="Ustadz Hasan"
    )
    tenant = Tenant.objects.create(
        incubator=incubator,
        user=world.user("wirausaha_malang"),
        full_name="Rina",
        business_name="Usaha Rina",
        sector="C",
        business_started_on=dt.date(2024, 6, 1),
        pre_on=dt.date(2025, 1, 1),
    )
    mentor = Mentor.objects.create(
        user=world.user("mentor_malang"), organisation="IPB University", kind="perguruan_tinggi", expertise="Pemasaran"
    )
    mentor.tenants.add(tenant)
    selection_round = selection_services.round_create(actor=admin, name="Seleksi 2026", year=2026, quota=2)
    return DiscussedRecords(grant=grant, tenant=tenant, selection_round=selection_round)
