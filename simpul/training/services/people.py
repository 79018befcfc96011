"""Writes about people: finding or registering a person by NIK, correcting their data, showing it whole."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.core import changes
from simpul.core.audit import audit_event_record
from simpul.core.idn import parse_nik
from simpul.core.models import AuditAction
from simpul.regions.models import District

from ..models import Consent, ConsentPurpose, Person
from .areas import person_area_names_refresh

PERSON_FIELDS = (
    "nik",
    "full_name",
    "sex",
    "birth_date",
    "education",
    "disability",
    "address",
    "province",
    "regency",
    "district",
    "phone",
    "email",
)
FK_IDS = {"province_id": "province", "regency_id": "regency", "district_id": "district"}


def nik_warnings(nik: str) -> list[str]:
    """What is odd but allowed about a valid NIK: a district code that is not (or no longer) Kemendagri's."""
    try:
        parsed = parse_nik(nik)
    except ValidationError:
        return []
    if District.objects.filter(code=parsed.district_code).exists():
        return []
    return [
        _(
            "Kode kecamatan %(code)s pada NIK tidak ada dalam data wilayah Kemendagri (bisa jadi kode lama). "
            "NIK tetap diterima; periksa sekali lagi."
        )
        % {"code": parsed.district_code}
    ]


def same_person(person: Person, *, full_name: str, birth_date: dt.date | None) -> bool:
    """Does what was typed describe the person already registered under this NIK?"""
    return " ".join(full_name.split()).casefold() == " ".join(person.full_name.split()).casefold() and (
        birth_date is None or birth_date == person.birth_date
    )


@dataclass(frozen=True)
class PersonMatch:
    person: Person
    existed: bool


def person_build(data: dict[str, Any]) -> Person:
    """An unsaved, validated person from typed data (ValidationError names the fields)."""
    unknown = set(data) - set(PERSON_FIELDS) - set(FK_IDS)
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    values = {k: ("" if v is None and k in ("address", "email", "phone") else v) for k, v in data.items()}
    person = Person(**values)
    person.full_name = " ".join((person.full_name or "").split())
    person.full_clean(validate_unique=False)
    return person


def person_resolve(data: dict[str, Any]) -> PersonMatch:
    """The person this NIK belongs to: the registered one when the data agree, else a new one.

    A NIK already registered with another name or birth date is refused, never merged:
    one of the two is wrong, and a person decides which.
    """
    person = person_build(data)
    existing = Person.objects.filter(nik=person.nik).first()
    if existing is None:
        return PersonMatch(person, existed=False)
    if not same_person(existing, full_name=person.full_name, birth_date=person.birth_date):
        raise ValidationError(
            {
                "nik": _(
                    "NIK ini sudah terdaftar atas nama atau tanggal lahir lain. Periksa NIK dan data peserta; "
                    "bila keduanya benar, minta Admin Pusat memeriksa data yang terdaftar."
                )
            }
        )
    return PersonMatch(existing, existed=True)


def consent_record(*, actor: Any, person: Person, given_on: dt.date, center: Any) -> Consent:
    consent = Consent(
        person=person, purpose=ConsentPurpose.TRAINING, given_on=given_on, recorded_by=actor, center=center
    )
    consent.full_clean()
    consent.save()
    return consent


def person_update(*, actor: Any, person_id: Any, **fields: Any) -> Person:
    """Correct a person's data. The NIK, name and birth date stay consistent with each other."""
    unknown = set(fields) - set(PERSON_FIELDS) - set(FK_IDS)
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    with transaction.atomic():
        person = policy.get_or_404(actor, Person.objects.select_for_update(), Action.CHANGE, pk=person_id)
        for name, value in fields.items():
            if name in ("address", "email", "phone") and value is None:
                value = ""
            setattr(person, name, value)
        person.full_name = " ".join(person.full_name.split())
        person.full_clean()
        person._history_user = actor  # type: ignore[attr-defined]
        person.save()
        person_area_names_refresh(person)
        if "sex" in fields:  # participants are counted by sex
            for center_id, ended in person.enrolments.values_list("package__center_id", "package__end_date"):
                changes.centre_months_changed(center_id, [ended])
    return person


def person_personal_data_reveal(*, actor: Any, person_id: Any, request: HttpRequest | None = None) -> Person:
    """The person with their personal data, for someone allowed to see it whole; the view is audited."""
    with transaction.atomic():
        person = policy.get_or_404(actor, Person.objects.all(), Action.VIEW_PERSONAL, pk=person_id)
        audit_event_record(
            action=AuditAction.PERSONAL_DATA_VIEWED,
            actor=actor,
            target=person,
            request=request,
            detail={"fields": ["nik", "birth_date", "address", "phone", "email"]},
        )
    return person
