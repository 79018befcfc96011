"""Recording a competency test (uji kompetensi) and its BNSP certificate."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.core import changes

from ..models import VALIDITY_YEARS, CompetencyTest, Enrolment, TestResult, add_years

TEST_FIELDS = ("lsp", "scheme", "tested_on", "result", "certificate_number", "issued_on", "valid_until")


def competency_test_record(*, actor: Any, enrolment_id: Any, **fields: Any) -> CompetencyTest:
    """Record a test of a graduate; a certificate is valid 3 years from issue unless the LSP says otherwise."""
    unknown = set(fields) - set(TEST_FIELDS)
    if unknown:
        raise ValueError(f"unknown competency test fields: {sorted(unknown)}")
    with transaction.atomic():
        enrolment = policy.get_or_404(actor, Enrolment.objects.select_related("package"), Action.VIEW, pk=enrolment_id)
        test = CompetencyTest(
            enrolment=enrolment,
            **{k: ("" if v is None and k in ("certificate_number",) else v) for k, v in fields.items()},
        )
        policy.require(actor, Action.CREATE, test)
        if not enrolment.passed:
            raise ValidationError(_("Uji kompetensi dicatat untuk peserta yang lulus pelatihan."))
        test.certificate_number = (test.certificate_number or "").strip().upper()
        if test.result == TestResult.COMPETENT and test.issued_on and not test.valid_until:
            test.valid_until = add_years(test.issued_on, VALIDITY_YEARS)
        test.full_clean()
        test._history_user = actor  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                test.save()
        except IntegrityError:
            raise ValidationError(
                {"certificate_number": _("Nomor sertifikat BNSP ini sudah tercatat untuk orang lain.")}
            ) from None
        changes.centre_months_changed(enrolment.package.center_id, [enrolment.package.end_date])
    return test
