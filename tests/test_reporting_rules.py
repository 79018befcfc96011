"""Periods, value parsing and validation rules: the pure parts of reporting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from simpul.reporting.models import Indicator, IndicatorType, ReportForm, RuleKind, ValidationRule
from simpul.reporting.periods import (
    PeriodType,
    due_at,
    last_periods,
    period_containing,
    period_from_key,
    periods_between,
)
from simpul.reporting.validation import RuleSyntaxError, check, parse_rule
from simpul.reporting.values import as_input, display, parse_value

# --- periods ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "day", "key", "start", "end"),
    [
        (PeriodType.MONTHLY, dt.date(2026, 2, 14), "2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        (PeriodType.MONTHLY, dt.date(2024, 2, 29), "2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        (PeriodType.QUARTERLY, dt.date(2026, 8, 1), "2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (PeriodType.HALF_YEAR, dt.date(2026, 12, 31), "2026-H2", dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
        (PeriodType.YEARLY, dt.date(2026, 3, 3), "2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ],
)
def test_periods_have_keys_and_bounds(kind, day, key, start, end):
    period = period_containing(kind, day)
    assert (period.key, period.start, period.end) == (key, start, end)
    assert period_from_key(kind, key) == period


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("bulanan", "2026-13"),
        ("bulanan", "2026-1"),
        ("triwulanan", "2026-Q5"),
        ("semesteran", "2026-H3"),
        ("tahunan", "x"),
    ],
)
def test_a_malformed_period_key_is_refused(kind, key):
    with pytest.raises(ValueError):  # noqa: PT011
        period_from_key(kind, key)


def test_periods_between_and_the_last_ended_periods():
    months = periods_between(PeriodType.MONTHLY, dt.date(2025, 11, 20), dt.date(2026, 2, 3))
    assert [p.key for p in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert [p.key for p in last_periods(PeriodType.QUARTERLY, 2, dt.date(2026, 11, 28))] == ["2026-Q2", "2026-Q3"]


@pytest.mark.parametrize(
    ("zone", "utc_hour"),
    [("Asia/Jakarta", 16), ("Asia/Makassar", 15), ("Asia/Jayapura", 14)],
)
def test_the_due_time_is_the_end_of_the_day_in_the_centres_time_zone(zone, utc_hour):
    # October's report is due at the end of the 10th day after 31 October.
    due = due_at(dt.date(2026, 10, 31), 10, zone)
    assert due.astimezone(ZoneInfo(zone)).replace(tzinfo=None) == dt.datetime(2026, 11, 10, 23, 59, 59)
    assert due.astimezone(dt.UTC).hour == utc_hour


# --- values -------------------------------------------------------------------


def _indicator(kind, **extra):
    return Indicator(code="x", label="Nilai uji", type=kind, **extra)


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        (IndicatorType.INTEGER, "1.250", {"number": Decimal(1250)}),
        (IndicatorType.INTEGER, " 12 ", {"number": Decimal(12)}),
        (IndicatorType.DECIMAL, "12,5", {"number": Decimal("12.50")}),
        (IndicatorType.DECIMAL, "12.5", {"number": Decimal("12.50")}),
        (IndicatorType.RUPIAH, "Rp1.250.000", {"number": Decimal(1250000)}),
        (IndicatorType.PERCENTAGE, "85,5%", {"number": Decimal("85.50")}),
        (IndicatorType.YES_NO, "Ya", {"boolean": True}),
        (IndicatorType.YES_NO, "tidak", {"boolean": False}),
        (IndicatorType.DATE, "31/12/2026", {"date": dt.date(2026, 12, 31)}),
        (IndicatorType.DATE, "2026-12-31", {"date": dt.date(2026, 12, 31)}),
        (IndicatorType.TEXT, "  catatan  ", {"text": "catatan"}),
        (IndicatorType.INTEGER, "", {}),
    ],
)
def test_values_are_read_the_indonesian_way(kind, raw, expected):
    assert parse_value(_indicator(kind), raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw", "extra", "fragment"),
    [
        (IndicatorType.INTEGER, "-3", {}, "paling sedikit 0"),  # counts are never negative
        (IndicatorType.INTEGER, "12,5", {}, "bilangan bulat"),
        (IndicatorType.INTEGER, "dua belas", {}, "angka"),
        (IndicatorType.INTEGER, "900", {"max_value": Decimal(800)}, "antara 0 dan 800"),
        (IndicatorType.PERCENTAGE, "120", {}, "antara 0 dan 100"),
        (IndicatorType.RUPIAH, "Rp1.000,50", {}, "tanpa sen"),
        (IndicatorType.YES_NO, "mungkin", {}, "ya"),
        (IndicatorType.DATE, "31 Desember", {}, "tanggal"),
        (IndicatorType.TEXT, "x" * 2001, {}, "2.000"),
        (IndicatorType.INTEGER, "1e400", {}, "terlalu besar"),
    ],
)
def test_bad_values_get_a_clear_message(kind, raw, extra, fragment):
    with pytest.raises(ValidationError) as error:
        parse_value(_indicator(kind, **extra), raw)
    assert fragment in " ".join(error.value.messages)


def test_choices_accept_the_value_or_its_label_and_nothing_else():
    indicator = _indicator(
        IndicatorType.CHOICE,
        choices=[{"value": "ekspor", "label": "Ekspor", "label_en": "Export"}, {"value": "lokal", "label": "Lokal"}],
    )
    assert parse_value(indicator, "ekspor") == {"text": "ekspor"}
    assert parse_value(indicator, "Export") == {"text": "ekspor"}
    with pytest.raises(ValidationError, match="Pilih salah satu"):
        parse_value(indicator, "Mars")


def test_values_are_shown_back_with_the_one_formatter():
    assert display(_indicator(IndicatorType.RUPIAH), Decimal(1250000)) == "Rp1.250.000"
    assert display(_indicator(IndicatorType.PERCENTAGE), Decimal("85.5")) == "85,5%"
    assert display(_indicator(IndicatorType.YES_NO), False) == "Tidak"
    assert as_input(_indicator(IndicatorType.INTEGER), Decimal("12.00")) == "12"
    assert as_input(_indicator(IndicatorType.DECIMAL), Decimal("12.50")) == "12,5"


# --- rules ----------------------------------------------------------------------

CODES = {"peserta_l", "peserta_p", "lulus_l", "lulus_p", "aktif", "omzet"}


@pytest.mark.parametrize(
    ("kind", "expression"),
    [
        (RuleKind.COMPARE, "lulus_l <= peserta_l"),
        (RuleKind.COMPARE, "lulus_l + lulus_p <= peserta_l + peserta_p"),
        (RuleKind.COMPARE, "peserta_l - lulus_l >= 0"),
        (RuleKind.BOTH_OR_NEITHER, "aktif, omzet"),
    ],
)
def test_rules_parse(kind, expression):
    assert parse_rule(kind, expression, CODES).referenced


@pytest.mark.parametrize(
    ("kind", "expression"),
    [
        (RuleKind.COMPARE, "lulus_l <= tidak_ada"),
        (RuleKind.COMPARE, "lulus_l peserta_l"),
        (RuleKind.COMPARE, "lulus_l <= peserta_l <= 3"),
        (RuleKind.COMPARE, "lulus_l <= peserta_l +"),
        (RuleKind.COMPARE, "__import__('os') <= 1"),
        (RuleKind.COMPARE, "lulus_l * 2 <= peserta_l"),
        (RuleKind.NOT_BOTH, "aktif"),
    ],
)
def test_bad_rules_are_refused_without_running_anything(kind, expression):
    with pytest.raises(RuleSyntaxError):
        parse_rule(kind, expression, CODES)


def _rule(kind, expression, severity="galat", missing="lewati"):
    return ValidationRule(kind=kind, expression=expression, severity=severity, when_missing=missing, message=expression)


def _indicators():
    return [Indicator(code=code, label=code, type=IndicatorType.INTEGER, required=False) for code in sorted(CODES)]


@pytest.mark.parametrize(
    ("rule", "values", "broken"),
    [
        (_rule("banding", "lulus_l <= peserta_l"), {"lulus_l": Decimal(5), "peserta_l": Decimal(4)}, True),
        (_rule("banding", "lulus_l <= peserta_l"), {"lulus_l": Decimal(4), "peserta_l": Decimal(4)}, False),
        # missing values: skip, count as zero, or fail, as the rule says
        (_rule("banding", "lulus_l <= peserta_l"), {"lulus_l": Decimal(5)}, False),
        (_rule("banding", "lulus_l <= peserta_l", missing="nol"), {"lulus_l": Decimal(5)}, True),
        (_rule("banding", "lulus_l <= peserta_l", missing="gagal"), {"lulus_l": Decimal(0)}, True),
        (_rule("keduanya", "aktif, omzet"), {"aktif": True, "omzet": None}, True),
        (_rule("keduanya", "aktif, omzet"), {"aktif": False, "omzet": None}, False),
        (_rule("keduanya", "aktif, omzet"), {"aktif": True, "omzet": Decimal(100)}, False),
        (_rule("salah_satu", "aktif, omzet"), {"aktif": True, "omzet": Decimal(1)}, True),
        (_rule("salah_satu", "aktif, omzet"), {"aktif": True, "omzet": Decimal(0)}, False),
    ],
)
def test_rules_check_the_values(rule, values, broken):
    findings = check(indicators=_indicators(), rules=[rule], values=values)
    assert bool(findings.errors) is broken


def test_a_warning_does_not_block_but_an_error_does():
    values = {"lulus_l": Decimal(5), "peserta_l": Decimal(4)}
    warn = check(
        indicators=_indicators(), rules=[_rule("banding", "lulus_l <= peserta_l", "peringatan")], values=values
    )
    assert warn.ok
    assert [w.message for w in warn.warnings] == ["lulus_l <= peserta_l"]


def test_a_value_far_above_the_centres_history_needs_an_explanation_to_submit():
    indicator = Indicator(code="peserta_l", label="Peserta", type=IndicatorType.INTEGER, history_check=True)
    history = {"peserta_l": [Decimal(10), Decimal(12), Decimal(11), Decimal(9)]}
    usual = check(indicators=[indicator], rules=[], values={"peserta_l": Decimal(30)}, history=history)
    assert usual.ok
    assert not usual.outliers
    unusual = check(indicators=[indicator], rules=[], values={"peserta_l": Decimal(40)}, history=history)
    assert "peserta_l" in unusual.outliers
    assert not unusual.ok  # for submitting: explain first
    draft = check(
        indicators=[indicator], rules=[], values={"peserta_l": Decimal(40)}, history=history, for_submit=False
    )
    assert draft.ok
    assert draft.warnings
    explained = check(
        indicators=[indicator],
        rules=[],
        values={"peserta_l": Decimal(40)},
        history=history,
        explanations={"peserta_l": "Ada dua paket tambahan dari mitra."},
    )
    assert explained.ok


def test_required_values_are_needed_to_submit_only():
    indicator = Indicator(code="peserta_l", label="Peserta", type=IndicatorType.INTEGER, required=True)
    assert not check(indicators=[indicator], rules=[], values={}).ok
    assert check(indicators=[indicator], rules=[], values={}, for_submit=False).ok


def test_every_shipped_rule_parses_against_its_form(db):
    for form in ReportForm.objects.all():
        version = form.current_version()
        codes = set(version.indicators.values_list("code", flat=True))
        for rule in version.rules.all():
            parse_rule(rule.kind, rule.expression, codes)
        assert version.indicators.exists()
