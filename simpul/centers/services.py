"""Every write to the registry: one transaction, the policy check, validation, history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.core import changes
from simpul.core.audit import audit_event_record
from simpul.core.idn import normalize_npwp
from simpul.core.models import AuditAction

from .models import Center, CenterChild, SubVocation, Vocation

# What a centre's manager keeps up to date.
PROFILE_FIELDS = (
    "name",
    "host_type",
    "host_name",
    "yayasan_name",
    "npwp",
    "address",
    "province",
    "regency",
    "district",
    "postal_code",
    "latitude",
    "longitude",
    "phone",
    "email",
    "permit_number",
    "permit_date",
    "vocations",
    "sub_vocations",
)
# What only the ministry decides (Action.MANAGE).
MANAGED_FIELDS = ("cohort", "vin", "technical_unit", "development_class", "status", "opened_on", "closed_on")
M2M_FIELDS = ("vocations", "sub_vocations")
# Foreign keys may also be given by id (`province_id="35"`).
FK_IDS = {
    "province_id": "province",
    "regency_id": "regency",
    "district_id": "district",
    "technical_unit_id": "technical_unit",
}


def normalize_vin(value: str | None) -> str | None:
    value = (value or "").strip().upper()
    return value or None


def _split(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    unknown = set(fields) - set(PROFILE_FIELDS) - set(MANAGED_FIELDS) - set(FK_IDS)
    if unknown:
        raise ValueError(f"unknown centre fields: {sorted(unknown)}")
    plain = {k: v for k, v in fields.items() if k not in M2M_FIELDS}
    m2m = {k: list(v) for k, v in fields.items() if k in M2M_FIELDS}
    if "vin" in plain:
        plain["vin"] = normalize_vin(plain["vin"])
    if "npwp" in plain:
        plain["npwp"] = normalize_npwp(plain["npwp"] or "")
    for name in ("phone", "email", "yayasan_name", "postal_code", "permit_number"):
        if name in plain and plain[name] is None:
            plain[name] = ""
    return plain, m2m


def _check_sub_vocations(m2m: dict[str, list[Any]], center: Center) -> None:
    if "sub_vocations" not in m2m:
        return
    vocations = m2m.get("vocations")
    vocation_ids = (
        {v.pk if isinstance(v, Vocation) else v for v in vocations}
        if vocations is not None
        else set(center.vocations.values_list("pk", flat=True))
    )
    subs = [s if isinstance(s, SubVocation) else SubVocation.objects.get(pk=s) for s in m2m["sub_vocations"]]
    stray = [s for s in subs if s.vocation_id not in vocation_ids]
    if stray:
        raise ValidationError(
            {
                "sub_vocations": _("Sub-kejuruan %(names)s bukan bagian dari kejuruan yang dipilih.")
                % {"names": ", ".join(s.name for s in stray)}
            }
        )


def _save(center: Center, actor: Any, m2m: dict[str, list[Any]]) -> None:
    center.full_clean()
    center._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            center.save()
    except IntegrityError as error:  # two people saving the same VIN at once
        raise ValidationError({"vin": _("VIN ini sudah dipakai oleh BLK lain.")}) from error
    _check_sub_vocations(m2m, center)
    for name, values in m2m.items():
        getattr(center, name).set(values)


def center_create(*, actor: Any, **fields: Any) -> Center:
    plain, m2m = _split(fields)
    with transaction.atomic():
        center = Center(**plain)
        policy.require(actor, Action.CREATE, center)
        _save(center, actor, m2m)
    return center


def center_update(*, actor: Any, center_id: Any, **fields: Any) -> Center:
    plain, m2m = _split(fields)
    with transaction.atomic():
        center = policy.get_or_404(actor, Center.objects.select_for_update(), Action.CHANGE, pk=center_id)
        managed_changes = [
            key
            for key, value in plain.items()
            if FK_IDS.get(key, key) in MANAGED_FIELDS and getattr(center, key) != value
        ]
        if managed_changes:
            policy.require(actor, Action.MANAGE, center)
        place = (center.province_id, center.regency_id, center.cohort, center.development_class)
        for name, value in plain.items():
            setattr(center, name, value)
        _save(center, actor, m2m)
        if place != (center.province_id, center.regency_id, center.cohort, center.development_class):
            changes.centre_months_changed(center.pk)  # counted under another area, cohort or class
    return center


def center_child_create(*, actor: Any, model: type[CenterChild], center_id: Any, **fields: Any) -> CenterChild:
    with transaction.atomic():
        center = policy.get_or_404(actor, Center.objects.all(), Action.VIEW, pk=center_id)
        child = model(center=center, **_blank_not_null(model, fields))
        policy.require(actor, Action.CREATE, child)
        child.full_clean()
        child._history_user = actor  # type: ignore[attr-defined]
        child.save()
    return child


def center_child_update(*, actor: Any, model: type[CenterChild], child_id: Any, **fields: Any) -> CenterChild:
    with transaction.atomic():
        child = policy.get_or_404(actor, model._default_manager.select_for_update(), Action.CHANGE, pk=child_id)
        for name, value in _blank_not_null(model, fields).items():
            if name == "center":
                raise ValueError("a child cannot move to another centre")
            setattr(child, name, value)
        child.full_clean()
        child._history_user = actor  # type: ignore[attr-defined]
        child.save()
    return child


def center_child_delete(*, actor: Any, model: type[CenterChild], child_id: Any) -> None:
    with transaction.atomic():
        child = policy.get_or_404(actor, model._default_manager.select_for_update(), Action.DELETE, pk=child_id)
        child._history_user = actor  # type: ignore[attr-defined]
        child.delete()


def center_export_record(*, actor: Any, fmt: str, rows: int, filters: dict[str, Any], request: HttpRequest) -> None:
    """Note an export in the audit log (what, how many rows, with which filters)."""
    with transaction.atomic():
        audit_event_record(
            action=AuditAction.EXPORT,
            actor=actor,
            request=request,
            detail={"what": "centers", "format": fmt, "rows": rows, "filters": filters},
        )


def _blank_not_null(model: type[models.Model], fields: dict[str, Any]) -> dict[str, Any]:
    """Forms give None for an empty optional text field; text columns store ''."""
    cleaned = {}
    for name, value in fields.items():
        model_field = model._meta.get_field(name)
        if value is None and not getattr(model_field, "null", False) and not model_field.is_relation:
            value = ""
        cleaned[name] = value
    return cleaned
