"""Alumni tracing: outcomes recorded by the centre, and personal links a graduate answers without an account."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.core import changes
from simpul.core.formats import format_date

from ..models import WAVES, Enrolment, Outcome, OutcomeSource, TracerInvitation

OUTCOME_FIELDS = (
    "status",
    "employer",
    "occupation_code",
    "occupation",
    "formality",
    "wage_band",
    "business_name",
    "business_sector",
    "started_on",
)
TOKEN_SALT = "simpul.training.tracer"  # noqa: S105 (a signing namespace, not a secret)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def wave_due(graduated_on: dt.date, wave: int) -> dt.date:
    return add_months(graduated_on, wave)


def link_days() -> int:
    return int(getattr(settings, "TRACER_LINK_DAYS", 30))


def _check_wave(enrolment: Enrolment, wave: int, today: dt.date) -> None:
    if wave not in WAVES:
        raise ValidationError({"wave": _("Penelusuran dilakukan 3, 6 atau 12 bulan setelah lulus.")})
    if not enrolment.passed or enrolment.graduated_on is None:
        raise ValidationError(_("Penelusuran alumni hanya untuk peserta yang lulus."))
    if wave_due(enrolment.graduated_on, wave) > today:
        raise ValidationError(
            {
                "wave": _("Penelusuran %(wave)s bulan baru dapat dicatat mulai %(day)s.")
                % {"wave": wave, "day": format_date(wave_due(enrolment.graduated_on, wave))}
            }
        )


def _fill(outcome: Outcome, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(OUTCOME_FIELDS)
    if unknown:
        raise ValueError(f"unknown outcome fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(outcome, name, "" if value is None and name != "started_on" else value)
    outcome.occupation_code = (outcome.occupation_code or "").strip()
    if (
        outcome.started_on
        and outcome.enrolment.graduated_on
        and outcome.started_on < outcome.enrolment.package.start_date
    ):
        raise ValidationError(
            {"started_on": _("Pekerjaan atau usaha yang sudah ada sebelum pelatihan bukan hasil pelatihan ini.")}
        )


def outcome_record(*, actor: Any, enrolment_id: Any, wave: int, **fields: Any) -> Outcome:
    """Record (or correct) what a graduate does at one tracer wave."""
    with transaction.atomic():
        enrolment = policy.get_or_404(actor, Enrolment.objects.select_related("package"), Action.VIEW, pk=enrolment_id)
        _check_wave(enrolment, wave, timezone.localdate())
        outcome = Outcome.objects.select_for_update().filter(enrolment=enrolment, wave=wave).first()
        action = Action.CHANGE if outcome else Action.CREATE
        outcome = outcome or Outcome(enrolment=enrolment, wave=wave)
        policy.require(actor, action, outcome)
        _fill(outcome, fields)
        outcome.source = OutcomeSource.STAFF
        outcome.recorded_by = actor
        outcome.full_clean()
        outcome._history_user = actor  # type: ignore[attr-defined]
        outcome.save()
        changes.centre_months_changed(enrolment.package.center_id, [enrolment.graduated_on])
    return outcome


@dataclass(frozen=True)
class TracerLink:
    invitation: TracerInvitation
    token: str


def tracer_invitation_create(*, actor: Any, enrolment_id: Any, wave: int) -> TracerLink:
    """A personal link for one graduate and one wave; it expires, and works once."""
    with transaction.atomic():
        enrolment = policy.get_or_404(actor, Enrolment.objects.select_related("package"), Action.VIEW, pk=enrolment_id)
        policy.require(actor, Action.CREATE, Outcome(enrolment=enrolment, wave=wave))
        _check_wave(enrolment, wave, timezone.localdate())
        if Outcome.objects.filter(enrolment=enrolment, wave=wave).exists():
            raise ValidationError(_("Penelusuran ini sudah terisi."))
        invitation = TracerInvitation.objects.create(
            enrolment=enrolment,
            wave=wave,
            nonce=secrets.token_hex(16),
            created_by=actor,
            expires_at=timezone.now() + dt.timedelta(days=link_days()),
        )
    token = signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=TOKEN_SALT, compress=True)
    return TracerLink(invitation, token)


class TracerLinkInvalid(Exception):
    """The link is unknown, tampered with, expired or already used (the page says which, in plain words)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def tracer_invitation_open(token: str) -> TracerInvitation:
    """The invitation behind a link, if it can still be answered."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=dt.timedelta(days=link_days()))
    except signing.SignatureExpired:
        raise TracerLinkInvalid(_("Tautan ini sudah kedaluwarsa. Minta tautan baru ke BLK Anda.")) from None
    except signing.BadSignature:
        raise TracerLinkInvalid(_("Tautan ini tidak dikenal. Periksa kembali tautan dari BLK Anda.")) from None
    invitation = (
        TracerInvitation.objects.select_related("enrolment__package__center", "enrolment__person")
        .filter(pk=data.get("i"), nonce=data.get("n"))
        .first()
    )
    if invitation is None:
        raise TracerLinkInvalid(_("Tautan ini tidak dikenal. Periksa kembali tautan dari BLK Anda."))
    if invitation.used_at is not None:
        raise TracerLinkInvalid(_("Tautan ini sudah dipakai. Terima kasih, jawaban Anda sudah kami terima."))
    if invitation.expires_at <= timezone.now():
        raise TracerLinkInvalid(_("Tautan ini sudah kedaluwarsa. Minta tautan baru ke BLK Anda."))
    return invitation


def tracer_answer(*, token: str, **fields: Any) -> Outcome:
    """A graduate's own answer through their link: lands as a self-reported outcome; the link is spent."""
    with transaction.atomic():
        invitation = tracer_invitation_open(token)
        invitation = TracerInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:  # answered in another tab a moment ago
            raise TracerLinkInvalid(_("Tautan ini sudah dipakai. Terima kasih, jawaban Anda sudah kami terima."))
        enrolment = invitation.enrolment
        if Outcome.objects.filter(enrolment=enrolment, wave=invitation.wave).exists():
            raise TracerLinkInvalid(_("Penelusuran ini sudah dicatat oleh BLK Anda. Terima kasih."))
        outcome = Outcome(enrolment=enrolment, wave=invitation.wave)
        _fill(outcome, fields)
        outcome.source = OutcomeSource.SELF
        outcome.full_clean()
        outcome.save()
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        changes.centre_months_changed(enrolment.package.center_id, [enrolment.graduated_on])
    return outcome
