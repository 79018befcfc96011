"""Tenants (wirausaha binaan): taken in, stepped through the stages, leaving; their mentors.

A tenant is an alumnus from the training records (the chain training →
alumnus → tenant → jobs keeps the enrolment they came from) or an outsider,
known by name and NIK. A person is a tenant of one incubator at a time:

- an alumnus is known by their training record (`person`), an outsider by
  their NIK, and the two are compared with each other (an outsider's NIK may
  be an alumnus's of another centre). The database holds each of them with a
  conditional unique constraint; the service says it in words first, and
  locks the training record with that NIK so an alumnus intake and an
  outsider intake of the same person cannot pass each other.
- an outsider's NIK is optional (it is personal data, and records from
  before it was asked have none), but without it nothing tells two people of
  the same name apart: an outsider without a NIK whose name is that of an
  active tenant is asked for it rather than taken in or refused outright.
  A NIK is never put in a message or a log, and is shown masked.

Stages only move forward, one step at a time, each with its date and the
criteria the incubator saw met.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.models import Role, User
from simpul.accounts.policy import Action
from simpul.core.idn import parse_nik
from simpul.training.models import Enrolment, Person
from simpul.training.reference import KBLI_SECTIONS

from ..models import STAGE_ORDER, Incubator, Mentor, MentorKind, Stage, Tenant

BUSINESS_FIELDS = ("business_name", "sector", "nib", "halal_certificate", "pirt", "business_started_on")
STAGE_DATE_FIELD = {Stage.INCUBATION: "incubation_on", Stage.GRADUATED: "graduated_on"}
LEFT_KEY = "keluar"  # stage_criteria key for the reason a tenant left
_SEPARATORS = re.compile(r"[\s.\-/]")
_PIRT_PREFIX = re.compile(r"^\s*(P\s*-?\s*IRT)?\s*(NO\.?|NOMOR)?\s*:?", re.IGNORECASE)


def counts_toward_target(prefix: str = "") -> Q:
    """Tenants that count toward an incubator's target: still in the programme, or graduated from it.

    `prefix` reaches the tenant from another model (e.g. "tenants__" from an incubator).
    """
    return Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}graduated_on__isnull": False})


def _apply_business(tenant: Tenant, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(BUSINESS_FIELDS)
    if unknown:
        raise ValueError(f"unknown tenant fields: {sorted(unknown)}")
    for name, value in fields.items():
        if name != "business_started_on":
            value = (value or "").strip()
        setattr(tenant, name, value)
    tenant.nib = tenant.nib.replace(" ", "")
    # Numbers as they are printed ("P-IRT No. 2063507010123-29", "ID 3511 0000 …"): kept as digits.
    tenant.halal_certificate = _SEPARATORS.sub("", tenant.halal_certificate).upper()
    tenant.pirt = _SEPARATORS.sub("", _PIRT_PREFIX.sub("", tenant.pirt))
    if tenant.sector not in {code for code, _name in KBLI_SECTIONS}:
        raise ValidationError({"sector": _("Pilih bidang usaha menurut KBLI.")})
    if tenant.business_started_on and tenant.business_started_on > timezone.localdate():
        raise ValidationError({"business_started_on": _("Tanggal mulai usaha tidak boleh di masa depan.")})


def _link_account(tenant: Tenant, user_id: Any) -> None:
    """The entrepreneur's own account: a Wirausaha account of the incubator's centre, one business each."""
    if not user_id:
        tenant.user = None
        return
    user = User.objects.filter(
        pk=user_id, role=Role.WIRAUSAHA, is_active=True, scope_center_id=tenant.incubator.center_id
    ).first()
    if user is None:
        raise ValidationError({"user": _("Pilih akun wirausaha aktif dari BLK ini.")})
    linked = Tenant.objects.select_for_update().filter(user=user).exclude(pk=tenant.pk).first()
    if linked is not None:
        if linked.left_on is None:
            raise ValidationError({"user": _("Akun ini sudah terhubung dengan usaha binaan lain yang masih aktif.")})
        linked.user = None  # an earlier tenancy that ended: the account moves to the new one
        linked.save(update_fields=["user"])
    tenant.user = user


def _active_tenancy(*, person: Person | None = None, nik: str = "", exclude: Any = None) -> Tenant | None:
    """The person's active tenancy anywhere: as an alumnus (their training record) or as an outsider (their NIK)."""
    match = Q(pk__in=[])
    if person is not None:
        match |= Q(person=person)
        nik = nik or person.nik
    if nik:
        match |= Q(nik=nik) | Q(person__nik=nik)
    active = Tenant.objects.filter(match, left_on__isnull=True).select_related("incubator__center")
    if exclude is not None:
        active = active.exclude(pk=exclude)
    return active.order_by("pk").first()


def _active_elsewhere_message(actor: Any, active: Tenant | None, name: str, incubator: Incubator) -> str:
    """Why `name` cannot be taken in: naming the other incubator only to someone who may see it."""
    if active is None:
        return ""
    if active.incubator_id == incubator.pk:
        return _("%(name)s sudah menjadi tenant inkubator ini.") % {"name": name}
    if policy.can(actor, Action.VIEW, active.incubator):
        return _(
            "%(name)s masih menjadi tenant aktif di %(incubator)s. Seseorang hanya dapat menjadi tenant satu "
            "inkubator pada satu waktu: catat dulu keluarnya di sana."
        ) % {"name": name, "incubator": active.incubator.center.name}
    return _(
        "%(name)s masih menjadi tenant aktif di inkubator lain. Seseorang hanya dapat menjadi tenant satu "
        "inkubator pada satu waktu."
    ) % {"name": name}


def _same_name(name: str) -> str:
    return " ".join(name.split())


def _set_outsider_identity(actor: Any, tenant: Tenant, nik: str) -> None:
    """An outsider's NIK (checked and deduplicated) or, without one, no namesake among the active tenants."""
    tenant.full_name = _same_name(tenant.full_name)
    nik = (nik or "").strip()
    if nik:
        try:
            tenant.nik = parse_nik(nik).value
        except ValidationError as error:
            raise ValidationError({"nik": error.messages}) from None
        # The training record with this NIK, if there is one, is locked as an alumnus intake locks it.
        list(Person.objects.select_for_update().filter(nik=tenant.nik).values_list("pk", flat=True))
        message = _active_elsewhere_message(
            actor, _active_tenancy(nik=tenant.nik, exclude=tenant.pk), tenant.full_name, tenant.incubator
        )
        if message:
            raise ValidationError({"nik": message})
        return
    if tenant.nik:
        return  # a correction that leaves the NIK as it was
    namesake = (
        Tenant.objects.filter(full_name__iexact=tenant.full_name, left_on__isnull=True)
        .exclude(pk=tenant.pk)
        .select_related("incubator__center")
        .order_by("pk")
        .first()
    )
    if namesake is not None:
        where = (
            namesake.incubator.center.name
            if policy.can(actor, Action.VIEW, namesake.incubator)
            else _("inkubator lain")
        )
        raise ValidationError(
            {
                "nik": _(
                    "Sudah ada tenant aktif bernama %(name)s di %(incubator)s. Isi NIK pemilik usaha untuk "
                    "memastikan ini bukan orang yang sama: seseorang hanya dapat menjadi tenant satu inkubator "
                    "pada satu waktu."
                )
                % {"name": tenant.full_name, "incubator": where}
            }
        )


def _save(tenant: Tenant, actor: Any) -> None:
    tenant.full_clean()
    tenant._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            tenant.save()
    except IntegrityError:  # the same person taken in by another incubator a moment ago
        key = "person" if tenant.person_id else "nik"
        raise ValidationError({key: _("Orang ini sudah menjadi tenant aktif di inkubator lain.")}) from None


def tenant_create(
    *,
    actor: Any,
    incubator_id: Any,
    pre_on: dt.date,
    enrolment_id: Any = None,
    full_name: str = "",
    nik: str = "",
    criteria: str = "",
    user_id: Any = None,
    **business: Any,
) -> Tenant:
    """Take someone in as a tenant (pra-inkubasi): an alumnus by their enrolment, or an outsider by name and NIK."""
    with transaction.atomic():
        incubator = policy.get_or_404(actor, Incubator.objects.select_related("center"), Action.VIEW, pk=incubator_id)
        tenant = Tenant(incubator=incubator, stage=Stage.PRE, pre_on=pre_on)
        policy.require(actor, Action.CREATE, tenant)
        if enrolment_id:
            enrolment = policy.get_or_404(
                actor, Enrolment.objects.select_related("person", "package"), Action.VIEW, pk=enrolment_id
            )
            if not enrolment.passed:
                raise ValidationError({"person": _("Hanya lulusan pelatihan yang dapat masuk sebagai alumni.")})
            if (nik or "").strip():
                raise ValidationError({"nik": _("NIK alumni diambil dari data pelatihannya.")})
            person = Person.objects.select_for_update().get(pk=enrolment.person_id)  # one intake at a time
            message = _active_elsewhere_message(actor, _active_tenancy(person=person), person.full_name, incubator)
            if message:
                raise ValidationError({"person": message})
            tenant.person = person
            tenant.source_enrolment = enrolment
            tenant.full_name = person.full_name
        else:
            tenant.full_name = (full_name or "").strip()
            if not tenant.full_name:
                raise ValidationError({"full_name": _("Tulis nama pemilik usaha.")})
            _set_outsider_identity(actor, tenant, nik)
        _apply_business(tenant, business)
        if pre_on and pre_on > timezone.localdate():
            raise ValidationError({"pre_on": _("Tanggal mulai pra-inkubasi tidak boleh di masa depan.")})
        if criteria.strip():
            tenant.stage_criteria = {Stage.PRE.value: criteria.strip()}
        _link_account(tenant, user_id)
        _save(tenant, actor)
    return tenant


def tenant_update(*, actor: Any, tenant_id: Any, user_id: Any = None, nik: str = "", **business: Any) -> Tenant:
    """Correct the business data (name, sector, NIB, halal, P-IRT, start), the linked account and an
    outsider's NIK (left empty: unchanged)."""
    with transaction.atomic():
        tenant = policy.get_or_404(
            actor,
            Tenant.objects.select_for_update(of=("self",)).select_related("incubator__center"),
            Action.CHANGE,
            pk=tenant_id,
        )
        if (nik or "").strip():
            if tenant.person_id is not None:
                raise ValidationError({"nik": _("NIK alumni diambil dari data pelatihannya.")})
            if tenant.left_on is None:
                _set_outsider_identity(actor, tenant, nik)
            else:
                try:
                    tenant.nik = parse_nik(nik).value
                except ValidationError as error:
                    raise ValidationError({"nik": error.messages}) from None
        _apply_business(tenant, business)
        _link_account(tenant, user_id)
        _save(tenant, actor)
    return tenant


def tenant_stage_advance(*, actor: Any, tenant_id: Any, stage: str, on: dt.date | None, criteria: str) -> Tenant:
    """One step forward: pra-inkubasi → inkubasi → pasca-inkubasi, with the date and the criteria met."""
    with transaction.atomic():
        tenant = policy.get_or_404(actor, Tenant.objects.select_for_update(), Action.MANAGE, pk=tenant_id)
        if tenant.left_on is not None:
            raise ValidationError(_("Tenant ini sudah keluar dari inkubator: tahapnya tidak dapat diubah lagi."))
        if stage not in Stage.values:
            raise ValidationError({"stage": _("Pilih tahap.")})
        current = STAGE_ORDER.index(Stage(tenant.stage))
        target = STAGE_ORDER.index(Stage(stage))
        if target <= current:
            raise ValidationError(
                {
                    "stage": _("Tenant ini sudah di tahap %(current)s: tahap tidak dapat diulang atau mundur.")
                    % {"current": Stage(tenant.stage).label}
                }
            )
        if target > current + 1:
            raise ValidationError(
                {
                    "stage": _("Tahap harus berurutan: setelah %(current)s adalah %(next)s, bukan %(stage)s.")
                    % {
                        "current": Stage(tenant.stage).label,
                        "next": STAGE_ORDER[current + 1].label,
                        "stage": Stage(stage).label,
                    }
                }
            )
        if on is None:
            raise ValidationError({"on": _("Isi tanggal naik tahap.")})
        if on > timezone.localdate():
            raise ValidationError({"on": _("Tanggal naik tahap tidak boleh di masa depan.")})
        previous = tenant.incubation_on if stage == Stage.GRADUATED else tenant.pre_on
        if previous and on < previous:
            raise ValidationError(
                {"on": _("Tanggal ini sebelum tahap %(current)s dimulai.") % {"current": Stage(tenant.stage).label}}
            )
        if not (criteria or "").strip():
            raise ValidationError({"criteria": _("Tulis kriteria yang sudah dipenuhi untuk naik ke tahap ini.")})
        setattr(tenant, STAGE_DATE_FIELD[Stage(stage)], on)
        tenant.stage = stage
        tenant.stage_criteria = {**(tenant.stage_criteria or {}), stage: criteria.strip()}
        _save(tenant, actor)
    return tenant


def tenant_leave(*, actor: Any, tenant_id: Any, left_on: dt.date | None, reason: str) -> Tenant:
    """A tenant leaves the incubator (dropped out, moved, or finished after graduating)."""
    with transaction.atomic():
        tenant = policy.get_or_404(actor, Tenant.objects.select_for_update(), Action.MANAGE, pk=tenant_id)
        if tenant.left_on is not None:
            raise ValidationError(_("Tenant ini sudah tercatat keluar."))
        if left_on is None:
            raise ValidationError({"left_on": _("Isi tanggal keluar.")})
        if left_on > timezone.localdate():
            raise ValidationError({"left_on": _("Tanggal keluar tidak boleh di masa depan.")})
        last_step = tenant.graduated_on or tenant.incubation_on or tenant.pre_on
        if left_on < last_step:
            raise ValidationError({"left_on": _("Tanggal keluar tidak boleh sebelum tahap terakhirnya dimulai.")})
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Tulis alasan keluar.")})
        tenant.left_on = left_on
        tenant.stage_criteria = {**(tenant.stage_criteria or {}), LEFT_KEY: reason.strip()}
        _save(tenant, actor)
    return tenant


def tenant_mentors_set(*, actor: Any, tenant_id: Any, mentor_ids: Iterable[Any]) -> Tenant:
    """Assign the tenant's mentors among those the actor may see; mentors outside the actor's view stay."""
    with transaction.atomic():
        tenant = policy.get_or_404(actor, Tenant.objects.select_for_update(), Action.CHANGE, pk=tenant_id)
        visible = {m.pk: m for m in policy.scope_queryset(actor, Mentor.objects.all(), Action.VIEW)}
        wanted = {int(pk) for pk in mentor_ids}
        if wanted - set(visible):
            raise ValidationError({"mentors": _("Ada mentor yang tidak dikenal.")})
        if wanted and tenant.left_on is not None:
            raise ValidationError({"mentors": _("Tenant ini sudah keluar: mentor tidak dapat ditugaskan lagi.")})
        current = set(tenant.mentors.filter(pk__in=visible).values_list("pk", flat=True))
        for pk in wanted ^ current:
            mentor = visible[pk]
            mentor._history_user = actor  # type: ignore[attr-defined]
            if pk in wanted:
                mentor.tenants.add(tenant)
            else:
                mentor.tenants.remove(tenant)
    return tenant


MENTOR_FIELDS = ("organisation", "kind", "expertise")


def _apply_mentor(mentor: Mentor, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(MENTOR_FIELDS)
    if unknown:
        raise ValueError(f"unknown mentor fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(mentor, name, (value or "").strip())
    if mentor.kind not in MentorKind.values:
        raise ValidationError({"kind": _("Pilih asal mentor.")})


def mentor_create(*, actor: Any, user_id: Any, **fields: Any) -> Mentor:
    """A mentor profile (institution, expertise) for a Mentor account."""
    with transaction.atomic():
        user = User.objects.filter(pk=user_id, role=Role.MENTOR, is_active=True).first()
        if user is None:
            raise ValidationError({"user": _("Pilih akun dengan peran Mentor.")})
        mentor = Mentor(user=user)
        policy.require(actor, Action.CREATE, mentor)
        if Mentor.objects.filter(user=user).exists():
            raise ValidationError({"user": _("Akun ini sudah punya profil mentor.")})
        _apply_mentor(mentor, fields)
        mentor.full_clean()
        mentor._history_user = actor  # type: ignore[attr-defined]
        mentor.save()
    return mentor


def mentor_update(*, actor: Any, mentor_id: Any, **fields: Any) -> Mentor:
    with transaction.atomic():
        mentor = policy.get_or_404(actor, Mentor.objects.select_for_update(), Action.CHANGE, pk=mentor_id)
        _apply_mentor(mentor, fields)
        mentor.full_clean()
        mentor._history_user = actor  # type: ignore[attr-defined]
        mentor.save()
    return mentor
