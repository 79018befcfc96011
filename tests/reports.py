"""A centre's monthly report (LAPBUL) taken through the real reporting services: scheduled, filled,
sent, verified and approved, the way the tests of every app need an approved report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone

from simpul.accounts.models import Role, User
from simpul.centers.models import Center
from simpul.reporting.models import ReportForm, Submission
from simpul.reporting.periods import PeriodType, period_containing, previous_period
from simpul.reporting.services import schedule
from simpul.reporting.services import submissions as submission_services
from simpul.reporting.services.workflow import submission_transition

from .factories import UserFactory

# A complete month: two packages running, 32 participants (14 men, 18 women), 31 graduates.
MONTHLY_COMPLETE = {
    "tidak_ada_kegiatan": "tidak",
    "paket_berjalan": "2",
    "jam_pelatihan": "320",
    "peserta_l": "14",
    "peserta_p": "18",
    "lulus_l": "13",
    "lulus_p": "18",
    "sertifikat_l": "10",
    "sertifikat_p": "12",
    "bekerja_l": "3",
    "bekerja_p": "2",
    "wirausaha_l": "1",
    "wirausaha_p": "2",
    "unit_produksi_aktif": "ya",
    "omzet_unit_produksi": "Rp4.500.000",
}

# A complete month with one package running and no one in it (the figures to add go on top).
EMPTY_MONTH = {
    "tidak_ada_kegiatan": "tidak",
    "paket_berjalan": "1",
    "jam_pelatihan": "100",
    "peserta_l": "0",
    "peserta_p": "0",
    "lulus_l": "0",
    "lulus_p": "0",
    "sertifikat_l": "0",
    "sertifikat_p": "0",
    "bekerja_l": "0",
    "bekerja_p": "0",
    "wirausaha_l": "0",
    "wirausaha_p": "0",
    "unit_produksi_aktif": "tidak",
    "omzet_unit_produksi": "0",
}


def _account(world, who: str | User) -> User:
    return world.user(who) if isinstance(who, str) else who


def approve_submission(
    world,
    submission: Submission,
    *,
    values: Mapping[str, str] | None = None,
    staff: str | User | None = None,
    verifier: str | User | None = None,
    approver: str | User = "admin",
) -> Submission:
    """A scheduled report filled with `values` (a complete month by default), sent, verified and approved.

    `staff`, `verifier` and `approver` are world account keys or users. By default the centre's own
    manager sends it (the world's for Malang, a new one for any other centre) and the East Java
    regional government verifies it (the national FKN outside East Java: the approver may not be the
    verifier).
    """
    centre = submission.center
    if staff is None:
        staff = (
            world.user("pengelola_malang")
            if centre.pk == world.malang.pk
            else UserFactory(role=Role.PENGELOLA, scope_center=centre)
        )
    if verifier is None:
        verifier = "pemda_jatim" if centre.province_id == "35" else "fkn_national"
    staff, verifier, approver = (_account(world, who) for who in (staff, verifier, approver))
    submission_services.submission_save_values(
        actor=staff, submission_id=submission.pk, raw_values=values or MONTHLY_COMPLETE
    )
    for actor, step in ((staff, "submit"), (verifier, "verify"), (approver, "approve")):
        submission_transition(actor=actor, submission_id=submission.pk, step_name=step)
    return submission


def approve_monthly_report(
    world,
    centre: Center,
    *,
    month: dt.date | None = None,
    values: Mapping[str, str] | None = None,
    staff: str | User | None = None,
    verifier: str | User | None = None,
    approver: str | User = "admin",
    every_centre: bool = False,
) -> Submission:
    """The centre's LAPBUL for the month holding `month` (last month by default): scheduled, then
    filled, sent, verified and approved as `approve_submission` does.

    The month is scheduled for this centre only, or for every centre that owes it (`every_centre`,
    as the monthly job does).
    """
    form = ReportForm.objects.get(code="LAPBUL")
    today = timezone.localdate()
    if month is None:
        period = previous_period(period_containing(PeriodType.MONTHLY, today))
    else:
        period = period_containing(PeriodType.MONTHLY, month)
    schedule.schedule_period(form, period, centers=None if every_centre else [centre])
    submission = Submission.objects.get(form=form, center=centre, period_key=period.key)
    return approve_submission(world, submission, values=values, staff=staff, verifier=verifier, approver=approver)
