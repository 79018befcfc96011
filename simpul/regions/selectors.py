"""Reads of the area tables. Areas are public reference data: no scope applies."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import District, Province, Regency


def province_list() -> QuerySet[Province]:
    return Province.objects.filter(is_active=True).order_by("code")


def regency_list(*, province_code: str | None) -> QuerySet[Regency]:
    if not province_code:
        return Regency.objects.none()
    return Regency.objects.filter(is_active=True, province_id=province_code).order_by("code")


def district_list(*, regency_code: str | None) -> QuerySet[District]:
    if not regency_code:
        return District.objects.none()
    return District.objects.filter(is_active=True, regency_id=regency_code).order_by("code")
