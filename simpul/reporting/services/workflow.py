"""The review workflow: draft → submitted → verified → approved, or returned with a reason.

Which step may follow which status is this table; who may take a step is
the access policy (Action.SUBMIT, VERIFY, APPROVE, RETURN, REOPEN), with the
scope of the centre. Every step keeps who, when and the comment, and tells
the people who act next.

Four eyes: Admin Pusat may verify (a region without a Pemda/FKN official
still gets its reports verified), but whoever verified a report does not
approve it too; another Kemnaker officer does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.accounts import policy
from simpul.accounts.models import Role
from simpul.accounts.policy import Action
from simpul.accounts.selectors import center_managers, region_reviewers, users_responsible_for
from simpul.core import changes
from simpul.messaging.models import Urgency
from simpul.messaging.services import notify

from ..models import Status, Submission, Transition
from .submissions import findings_for, lock_for


@dataclass(frozen=True)
class Step:
    action: Action
    sources: tuple[str, ...]
    target: str
    label: str | Promise
    needs_comment: bool = False


STEPS = {
    "submit": Step(Action.SUBMIT, (Status.DRAFT, Status.RETURNED), Status.SUBMITTED, gettext_lazy("Kirim laporan")),
    "verify": Step(Action.VERIFY, (Status.SUBMITTED,), Status.VERIFIED, gettext_lazy("Verifikasi")),
    "approve": Step(Action.APPROVE, (Status.VERIFIED,), Status.APPROVED, gettext_lazy("Setujui")),
    "return": Step(
        Action.RETURN,
        (Status.SUBMITTED, Status.VERIFIED),
        Status.RETURNED,
        gettext_lazy("Kembalikan untuk diperbaiki"),
        needs_comment=True,
    ),
    "reopen": Step(
        Action.REOPEN, (Status.APPROVED,), Status.RETURNED, gettext_lazy("Buka kembali"), needs_comment=True
    ),
}


def _verified_by(actor: Any, submission: Submission) -> bool:
    """Whether this actor took the latest step to "verified" of this submission (one query)."""
    verifier = (
        submission.transitions.filter(to_status=Status.VERIFIED)
        .order_by("-at", "-pk")
        .values_list("actor_id", flat=True)
        .first()
    )
    return verifier is not None and verifier == actor.pk


def available_steps(actor: Any, submission: Submission) -> list[tuple[str, Step]]:
    """The steps this actor may take on this submission now (for the buttons)."""
    steps = []
    for name, step in STEPS.items():
        if submission.status not in step.sources or not policy.can(actor, step.action, submission):
            continue
        if name == "approve" and _verified_by(actor, submission):
            continue  # four eyes
        # A verifier sends back what waits for verification; only Kemnaker sends back a verified report.
        if (
            name == "return"
            and submission.status == Status.VERIFIED
            and not policy.can(actor, Action.APPROVE, submission)
        ):
            continue
        steps.append((name, step))
    return steps


def submission_transition(*, actor: Any, submission_id: Any, step_name: str, comment: str = "") -> Submission:
    step = STEPS.get(step_name)
    if step is None:
        raise ValueError(f"unknown step {step_name!r}")
    with transaction.atomic():
        submission = lock_for(actor, submission_id, Action.VIEW)
        if step_name not in dict(available_steps(actor, submission)):
            if not policy.can(actor, step.action, submission):
                policy.require(actor, step.action, submission)  # 404: not theirs to act on
            if step_name == "approve" and submission.status in step.sources and _verified_by(actor, submission):
                raise ValidationError(
                    _("Laporan ini Anda verifikasi sendiri; persetujuannya harus oleh petugas Kemnaker lain.")
                )
            raise ValidationError(
                _("Laporan berstatus %(status)s tidak dapat di-%(step)s.")
                % {"status": submission.get_status_display(), "step": str(step.label).lower()}
            )
        comment = (comment or "").strip()
        if step.needs_comment and not comment:
            raise ValidationError({"comment": _("Tuliskan alasannya: pusat/BLK perlu tahu apa yang harus diperbaiki.")})
        if len(comment) > 2000:
            raise ValidationError({"comment": _("Catatan paling panjang 2.000 karakter.")})
        if step_name == "submit":
            findings = findings_for(submission, for_submit=True)
            if findings.errors:
                raise ValidationError([f.message for f in findings.errors])
        now = timezone.now()
        previous = submission.status
        submission.status = step.target
        if step_name == "submit":
            submission.submitted_at = now
            submission.first_submitted_at = submission.first_submitted_at or now
        elif step_name in ("verify", "approve", "return", "reopen"):
            submission.reviewed_at = now
        submission.save(update_fields=["status", "submitted_at", "first_submitted_at", "reviewed_at", "updated_at"])
        Transition.objects.create(
            submission=submission, from_status=previous, to_status=step.target, actor=actor, comment=comment
        )
        changes.centre_months_changed(submission.center_id, [submission.period_start])
        _tell(submission, step_name, actor, comment)
    return submission


def _tell(submission: Submission, step_name: str, actor: Any, comment: str) -> None:
    """Tell the people who act next (e-mail for review requests and returned reports)."""
    center = submission.center
    url = reverse("reporting:submission", args=[submission.pk])
    subject = f"{submission.form.display_name} {submission.period_label} – {center.name}"
    if step_name == "submit":
        notify(
            recipients=region_reviewers(center=center),
            kind="review_request",
            urgency=Urgency.URGENT,
            title=_("Menunggu verifikasi: %(subject)s") % {"subject": subject},
            body=_("Laporan ini dikirim dan menunggu verifikasi Anda."),
            url=url,
        )
    elif step_name == "verify":
        # Whoever verified may not approve too (four eyes): the request goes to the other officers.
        admins = users_responsible_for(center=center, roles=(Role.ADMIN_PUSAT,), include_national=True).exclude(
            pk=actor.pk
        )
        notify(
            recipients=admins,
            kind="approval_request",
            title=_("Menunggu persetujuan: %(subject)s") % {"subject": subject},
            url=url,
            email=False,
        )
    else:
        staff = center_managers(center=center)
        titles = {
            "approve": _("Disetujui: %(subject)s"),
            "return": _("Dikembalikan untuk diperbaiki: %(subject)s"),
            "reopen": _("Dibuka kembali: %(subject)s"),
        }
        who = actor.full_name or actor.username
        notify(
            recipients=staff,
            kind=f"report_{step_name}",
            title=titles[step_name] % {"subject": subject},
            body=(_("Alasan dari %(who)s:") % {"who": who} + "\n" + comment) if comment else "",
            url=url,
            # A returned or reopened report waits for the centre: e-mailed at once; an approval in the digest.
            urgency=Urgency.OTHER if step_name == "approve" else Urgency.URGENT,
            email=step_name != "approve",
        )
