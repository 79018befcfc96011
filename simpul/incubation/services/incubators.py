"""Incubator profiles: made for a chosen centre, kept by the centre's manager.

The profile is checked against what Permenkop 3/2021 asks of an incubator
(`Incubator.unmet_requirements`): a shortfall is shown, never a reason to
refuse saving, because a new incubator fills its profile over time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.centers.models import Center, CenterStatus
from simpul.centers.services import center_update

from ..models import CurriculumTopic, Incubator

PROFILE_FIELDS = (
    "established_on",
    "manager_name",
    "manager_full_time",
    "has_tenant_room",
    "has_training_room",
    "has_meeting_room",
    "curriculum",
    "sop",
)


def _curriculum(values: Iterable[str] | None) -> list[str]:
    """The topics covered, in the order the regulation lists them; an unknown topic is an error."""
    chosen = set(values or [])
    unknown = chosen - set(CurriculumTopic.values)
    if unknown:
        raise ValidationError({"curriculum": _("Topik kurikulum tidak dikenal.")})
    return [value for value in CurriculumTopic.values if value in chosen]


def _apply(incubator: Incubator, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"unknown incubator fields: {sorted(unknown)}")
    for name, value in fields.items():
        if name == "curriculum":
            value = _curriculum(value)
        elif name in ("manager_name", "sop"):
            value = (value or "").strip()
        elif name.startswith(("has_", "manager_full")):
            value = bool(value)
        setattr(incubator, name, value)
    if incubator.established_on and incubator.established_on > timezone.localdate():
        raise ValidationError({"established_on": _("Tanggal menjadi inkubator tidak boleh di masa depan.")})


def incubator_create(
    *,
    actor: Any,
    center_id: Any,
    established_on: dt.date,
    selection_round_id: Any = None,
    **fields: Any,
) -> Incubator:
    """Make a centre an incubator (Admin Pusat; also what a selection decision calls for each chosen centre).

    The centre's status becomes "incubator" in the same transaction.
    """
    with transaction.atomic():
        center = policy.get_or_404(actor, Center.objects.select_for_update(), Action.VIEW, pk=center_id)
        incubator = Incubator(center=center, selection_round_id=selection_round_id)
        policy.require(actor, Action.CREATE, incubator)
        if center.status == CenterStatus.INACTIVE:
            raise ValidationError(_("BLK nonaktif tidak dapat menjadi inkubator."))
        if Incubator.objects.filter(center=center).exists():
            raise ValidationError(_("BLK ini sudah punya profil inkubator."))
        _apply(incubator, {"established_on": established_on, **fields})
        incubator.full_clean()
        incubator._history_user = actor  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                incubator.save()
        except IntegrityError:  # made by someone else a moment ago
            raise ValidationError(_("BLK ini sudah punya profil inkubator.")) from None
        if center.status != CenterStatus.INCUBATOR:
            center_update(actor=actor, center_id=center.pk, status=CenterStatus.INCUBATOR)
    return incubator


def incubator_update(*, actor: Any, incubator_id: Any, **fields: Any) -> Incubator:
    """The centre's manager (or Admin Pusat) keeps the profile: manager, rooms, curriculum, SOP."""
    with transaction.atomic():
        incubator = policy.get_or_404(actor, Incubator.objects.select_for_update(), Action.CHANGE, pk=incubator_id)
        _apply(incubator, fields)
        incubator.full_clean()
        incubator._history_user = actor  # type: ignore[attr-defined]
        incubator.save()
    return incubator
