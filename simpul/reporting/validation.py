"""Validation rules as data: parsing them safely and checking a submission's values.

No `eval`: a COMPARE rule is `<sum> <op> <sum>` where a sum is indicator
codes and numbers joined by + and -. BOTH_OR_NEITHER and NOT_BOTH name
indicator codes separated by commas.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from simpul.core.formats import format_number

from .models import Indicator, MissingPolicy, RuleKind, Severity, ValidationRule

OPERATORS = {
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
}
_TOKEN = re.compile(r"\s*(<=|>=|==|!=|<|>|\+|-|\d+(?:\.\d+)?|[a-z][a-z0-9_]*)")
HISTORY_FACTOR = 3
HISTORY_MIN_PERIODS = 3


class RuleSyntaxError(ValueError):
    pass


@dataclass(frozen=True)
class Term:
    sign: int
    code: str | None = None
    number: Decimal | None = None


@dataclass(frozen=True)
class ParsedRule:
    kind: str
    left: tuple[Term, ...] = ()
    operator: str = ""
    right: tuple[Term, ...] = ()
    codes: tuple[str, ...] = ()

    @property
    def referenced(self) -> set[str]:
        terms = (*self.left, *self.right)
        return {t.code for t in terms if t.code} | set(self.codes)


def _sum(tokens: list[str], known: set[str]) -> tuple[Term, ...]:
    terms: list[Term] = []
    sign = 1
    expect_operand = True
    for token in tokens:
        if token in ("+", "-"):
            if expect_operand:
                raise RuleSyntaxError(_("Ungkapan tidak lengkap di sekitar “%(token)s”.") % {"token": token})
            sign = 1 if token == "+" else -1  # noqa: S105 (an operator, not a password)
            expect_operand = True
            continue
        if not expect_operand:
            raise RuleSyntaxError(_("Antara dua nilai perlu + atau -: “%(token)s”.") % {"token": token})
        if token[0].isdigit():
            terms.append(Term(sign=sign, number=Decimal(token)))
        elif token in known:
            terms.append(Term(sign=sign, code=token))
        else:
            raise RuleSyntaxError(_("Tidak ada indikator berkode “%(code)s” di versi ini.") % {"code": token})
        expect_operand = False
    if expect_operand:
        raise RuleSyntaxError(_("Ungkapan tidak lengkap."))
    return tuple(terms)


def parse_rule(kind: str, expression: str, known_codes: Iterable[str]) -> ParsedRule:
    known = set(known_codes)
    if kind in (RuleKind.BOTH_OR_NEITHER, RuleKind.NOT_BOTH):
        codes = tuple(c.strip() for c in expression.split(",") if c.strip())
        if len(codes) < 2:
            raise RuleSyntaxError(_("Sebutkan paling sedikit dua kode indikator, dipisah koma."))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise RuleSyntaxError(_("Tidak ada indikator berkode “%(code)s” di versi ini.") % {"code": unknown[0]})
        return ParsedRule(kind=kind, codes=codes)
    text = expression.strip()
    tokens: list[str] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or not match.group(1):
            raise RuleSyntaxError(_("Tidak dapat membaca ungkapan mulai “%(rest)s”.") % {"rest": text[position:][:20]})
        tokens.append(match.group(1))
        position = match.end()
    operators = [i for i, t in enumerate(tokens) if t in OPERATORS]
    if len(operators) != 1:
        raise RuleSyntaxError(_("Perbandingan perlu tepat satu dari <=, <, >=, >, ==, !=."))
    at = operators[0]
    return ParsedRule(
        kind=kind, left=_sum(tokens[:at], known), operator=tokens[at], right=_sum(tokens[at + 1 :], known)
    )


def is_filled(value: Any) -> bool:
    """Filled: not empty, not zero and not "no" (for BOTH_OR_NEITHER / NOT_BOTH)."""
    return value not in (None, "", False) and value != 0


@dataclass
class Finding:
    message: str
    codes: tuple[str, ...] = ()


@dataclass
class Findings:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    # indicator code -> the median it is far from (needs a written explanation)
    outliers: dict[str, Decimal] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _evaluate(parsed: ParsedRule, when_missing: str, values: Mapping[str, Any]) -> bool | None:
    """True (holds), False (broken) or None (skipped for a missing value)."""
    if parsed.kind == RuleKind.BOTH_OR_NEITHER:
        filled = [is_filled(values.get(code)) for code in parsed.codes]
        return all(filled) or not any(filled)
    if parsed.kind == RuleKind.NOT_BOTH:
        return sum(is_filled(values.get(code)) for code in parsed.codes) <= 1

    def total(terms: tuple[Term, ...]) -> Decimal | None:
        result = Decimal(0)
        for term in terms:
            if term.number is not None:
                result += term.sign * term.number
                continue
            value = values.get(term.code or "")
            if value is None or value == "":
                if when_missing == MissingPolicy.ZERO:
                    value = Decimal(0)
                else:
                    return None
            if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
                return None
            result += term.sign * Decimal(value)
        return result

    left, right = total(parsed.left), total(parsed.right)
    if left is None or right is None:
        return False if when_missing == MissingPolicy.FAIL else None
    return bool(OPERATORS[parsed.operator](left, right))


def check(
    *,
    indicators: Iterable[Indicator],
    rules: Iterable[ValidationRule],
    values: Mapping[str, Any],
    history: Mapping[str, list[Decimal]] | None = None,
    explanations: Mapping[str, str] | None = None,
    for_submit: bool = True,
) -> Findings:
    """Everything wrong or unusual about a submission's values.

    `for_submit` adds the checks that only matter when sending (required
    fields); a draft may be incomplete.
    """
    findings = Findings()
    indicators = list(indicators)
    codes = {i.code for i in indicators}
    if for_submit:
        for indicator in indicators:
            if indicator.required and not _present(values.get(indicator.code)):
                findings.errors.append(
                    Finding(_("%(label)s wajib diisi.") % {"label": indicator.display_label}, (indicator.code,))
                )
    for rule in rules:
        parsed = parse_rule(rule.kind, rule.expression, codes)
        if _evaluate(parsed, rule.when_missing, values) is False:
            target = findings.errors if rule.severity == Severity.ERROR else findings.warnings
            target.append(Finding(rule.display_message, tuple(sorted(parsed.referenced))))
    for indicator in indicators:
        if not indicator.history_check:
            continue
        past = (history or {}).get(indicator.code, [])
        value = values.get(indicator.code)
        if len(past) < HISTORY_MIN_PERIODS or not isinstance(value, Decimal):
            continue
        median = Decimal(str(statistics.median(past)))
        if median > 0 and value > HISTORY_FACTOR * median:
            findings.outliers[indicator.code] = median
            if not (explanations or {}).get(indicator.code, "").strip():
                # A warning that needs a written explanation before sending.
                (findings.errors if for_submit else findings.warnings).append(
                    Finding(
                        _(
                            "%(label)s jauh di atas biasanya (lebih dari %(factor)s× median %(median)s): "
                            "tulis penjelasan singkat."
                        )
                        % {"label": indicator.display_label, "factor": HISTORY_FACTOR, "median": format_number(median)},
                        (indicator.code,),
                    )
                )
    return findings


def _present(value: Any) -> bool:
    return value is not None and value != ""
