"""Admin Pusat's form builder: every write to report forms, their versions, sections, indicators and rules.

A submission points at the version it was filled in, so a published version
never changes: sections, indicators and rules are edited only in the form's
one draft, which is then published as the next version (the previous one is
retired, not altered). Each service runs in one transaction, asks the policy
first (a refusal is 404), validates with full_clean() and names the field of
every error, so bad input saves nothing.
"""

from __future__ import annotations

import copy
import re
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.centers.models import FIRST_COHORT, DevelopmentClass

from .. import prefill
from ..models import (
    NUMERIC_TYPES,
    Assignment,
    FormVersion,
    Indicator,
    IndicatorType,
    ReportForm,
    RuleKind,
    Section,
    ValidationRule,
    VersionStatus,
)
from ..periods import PeriodType
from ..validation import RuleSyntaxError, parse_rule

FORM_FIELDS = (
    "code",
    "name",
    "name_en",
    "description",
    "period_type",
    "due_days",
    "assignment",
    "assigned_cohorts",
    "assigned_classes",
    "is_active",
)
# Once a version was published, these identify what submissions and other parts rely on
# (the LPJ form is found by its code; periods already scheduled follow the period type).
FROZEN_AFTER_PUBLICATION = ("code", "period_type")
SECTION_FIELDS = ("order", "title", "title_en")
INDICATOR_FIELDS = (
    "section",
    "order",
    "code",
    "label",
    "label_en",
    "help_text",
    "type",
    "required",
    "min_value",
    "max_value",
    "choices",
    "prefill",
    "history_check",
)
RULE_FIELDS = ("kind", "expression", "severity", "when_missing", "message", "message_en")
FIRST_SECTION = {"title": "Umum", "title_en": "General"}
_CODE_TOKEN = re.compile(r"(?<![a-z0-9_])[a-z][a-z0-9_]*")

Child = TypeVar("Child", Section, Indicator, ValidationRule)
Errors = dict[str, list[str]]


def _only(fields: dict[str, Any], allowed: tuple[str, ...], what: str) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"unknown {what} fields: {sorted(unknown)}")
    return dict(fields)


def _add(errors: Errors, name: str, message: str) -> None:
    messages = errors.setdefault(name, [])
    if message not in messages:
        messages.append(message)


def _clean(instance: models.Model, errors: Errors | None = None, **options: Any) -> None:
    """full_clean(), with the service's own findings; raise them all together, by field."""
    errors = errors if errors is not None else {}
    try:
        instance.full_clean(**options)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                _add(errors, name, message)
    if errors:
        raise ValidationError(errors)


def locked_error() -> ValidationError:
    return ValidationError(_("Versi ini sudah terbit; buat versi baru untuk mengubahnya."), code="published")


# --- forms ---------------------------------------------------------------------


def _assignment_errors(form: ReportForm) -> Errors:
    """Keep only the list the assignment uses, in a canonical form; name what is wrong with it."""
    errors: Errors = {}
    if form.assignment != Assignment.COHORTS:
        form.assigned_cohorts = []
    if form.assignment != Assignment.CLASSES:
        form.assigned_classes = []
    last = timezone.localdate().year + 1
    try:
        cohorts = sorted({int(c) for c in form.assigned_cohorts or [] if not isinstance(c, bool)})
    except (TypeError, ValueError):
        cohorts = []
        _add(errors, "assigned_cohorts", _("Angkatan ditulis sebagai tahun, mis. 2019."))
    if any(year < FIRST_COHORT or year > last for year in cohorts):
        _add(
            errors,
            "assigned_cohorts",
            _("Angkatan antara %(first)s dan %(last)s.") % {"first": FIRST_COHORT, "last": last},
        )
    form.assigned_cohorts = cohorts
    classes = [str(c) for c in form.assigned_classes or []]
    if any(c not in DevelopmentClass.values for c in classes):
        _add(errors, "assigned_classes", _("Klasifikasi yang dikenal: tumbuh, berkembang, mandiri."))
    form.assigned_classes = [c for c in DevelopmentClass.values if c in classes]
    return errors


def _save_form(form: ReportForm, actor: Any, errors: Errors) -> None:
    for name, messages in _assignment_errors(form).items():
        for message in messages:
            _add(errors, name, message)
    _clean(form, errors)
    form._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError as error:  # two people saving the same code at once
        raise ValidationError({"code": _("Kode formulir ini sudah dipakai.")}) from error


def report_form_create(*, actor: Any, **fields: Any) -> ReportForm:
    """A new form with draft version 1 and one empty section to start from."""
    fields = _only(fields, FORM_FIELDS, "form")
    with transaction.atomic():
        form = ReportForm(**fields)
        policy.require(actor, Action.CREATE, form)
        errors: Errors = {}
        if form.period_type == PeriodType.EVENT:
            # Event-driven reports are owed per grant milestone, to the shipped LPJ form
            # (services/aid.py); a second event form would never be owed by anyone.
            _add(errors, "period_type", _("Laporan berdasarkan peristiwa hanya LPJ bantuan; pilih periode berkala."))
        _save_form(form, actor, errors)
        version = FormVersion(form=form, number=1, status=VersionStatus.DRAFT)
        policy.require(actor, Action.CREATE, version)
        version.full_clean()
        version.save()
        Section.objects.create(version=version, order=1, **FIRST_SECTION)
    return form


def report_form_update(*, actor: Any, form_id: Any, **fields: Any) -> ReportForm:
    fields = _only(fields, FORM_FIELDS, "form")
    with transaction.atomic():
        form = policy.get_or_404(actor, ReportForm.objects.select_for_update(), Action.CHANGE, pk=form_id)
        errors: Errors = {}
        published = form.versions.filter(status__in=(VersionStatus.PUBLISHED, VersionStatus.RETIRED)).exists()
        for name in FROZEN_AFTER_PUBLICATION:
            if published and name in fields and fields[name] != getattr(form, name):
                message = (
                    _("Jenis periode tidak dapat diubah setelah ada versi terbit.")
                    if name == "period_type"
                    else _("Kode formulir tidak dapat diubah setelah ada versi terbit.")
                )
                _add(errors, name, message)
        for name, value in fields.items():
            setattr(form, name, value)
        _save_form(form, actor, errors)
    return form


# --- versions ------------------------------------------------------------------


def _copy_contents(source: FormVersion, target: FormVersion) -> None:
    sections = {
        section.pk: Section.objects.create(
            version=target, order=section.order, title=section.title, title_en=section.title_en
        )
        for section in source.sections.all()
    }
    copied = [name for name in INDICATOR_FIELDS if name != "section"]
    Indicator.objects.bulk_create(
        Indicator(
            version=target,
            section=sections[indicator.section_id],
            **{name: copy.deepcopy(getattr(indicator, name)) for name in copied},
        )
        for indicator in source.indicators.all()
    )
    ValidationRule.objects.bulk_create(
        ValidationRule(version=target, **{name: getattr(rule, name) for name in RULE_FIELDS})
        for rule in source.rules.all()
    )


def _lock_version(actor: Any, version_id: Any) -> FormVersion:
    return policy.get_or_404(
        actor, FormVersion.objects.select_for_update(of=("self",)).select_related("form"), Action.CHANGE, pk=version_id
    )


def form_version_create_draft(*, actor: Any, form_id: Any) -> FormVersion:
    """The next version as a draft, a copy of the published one (its sections, indicators and rules)."""
    with transaction.atomic():
        form = policy.get_or_404(actor, ReportForm.objects.select_for_update(), Action.CHANGE, pk=form_id)
        version = FormVersion(form=form, status=VersionStatus.DRAFT)
        policy.require(actor, Action.CREATE, version)
        draft = form.versions.filter(status=VersionStatus.DRAFT).first()
        if draft is not None:
            raise ValidationError(
                _("Formulir ini sudah punya draf (versi %(number)s): ubah draf itu dan terbitkan dulu.")
                % {"number": draft.number},
                code="draft_exists",
            )
        version.number = (form.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version.full_clean()
        version.save()
        source = form.current_version()
        if source is None:
            Section.objects.create(version=version, order=1, **FIRST_SECTION)
        else:
            _copy_contents(source, version)
    return version


def rule_problem(kind: str, expression: str, indicators: dict[str, Indicator]) -> str:
    """What is wrong with a rule against these indicators ("" when nothing)."""
    try:
        parsed = parse_rule(kind, expression, indicators)
    except RuleSyntaxError as error:
        return str(error)
    if kind == RuleKind.COMPARE:
        not_numbers = sorted(c for c in parsed.referenced if indicators[c].type not in NUMERIC_TYPES)
        if not_numbers:
            return _("Perbandingan hanya untuk isian angka: “%(code)s” bukan angka.") % {"code": not_numbers[0]}
    return ""


def version_publish_problems(version: FormVersion) -> list[str]:
    """Why this version cannot be published yet (empty when it can)."""
    indicators = {i.code: i for i in version.indicators.all()}
    problems = []
    if not any(i.type != IndicatorType.FILE for i in indicators.values()):
        problems.append(_("Tambahkan paling sedikit satu indikator yang bukan isian berkas."))
    for rule in version.rules.all():
        problem = rule_problem(rule.kind, rule.expression, indicators)
        if problem:
            problems.append(_("Aturan “%(rule)s”: %(problem)s") % {"rule": rule.expression, "problem": problem})
    return problems


def form_version_publish(*, actor: Any, version_id: Any, note: str = "") -> FormVersion:
    """Publish a draft: new periods are filled in it; the version it replaces is retired, unchanged."""
    with transaction.atomic():
        version = _lock_version(actor, version_id)
        if not version.is_editable:
            raise ValidationError(_("Versi ini sudah terbit."), code="published")
        ReportForm.objects.select_for_update().get(pk=version.form_id)  # one publication of a form at a time
        problems = version_publish_problems(version)
        if problems:
            raise ValidationError(problems)
        version.status = VersionStatus.PUBLISHED
        version.published_at = timezone.now()
        version.published_by = actor
        version.note = (note or "").strip()
        version.form.versions.filter(status=VersionStatus.PUBLISHED).exclude(pk=version.pk).update(
            status=VersionStatus.RETIRED
        )
        _clean(version)
        version.save()
    return version


# --- sections, indicators, rules of a draft ------------------------------------


def _draft(actor: Any, version_id: Any) -> FormVersion:
    version = _lock_version(actor, version_id)
    if not version.is_editable:
        raise locked_error()
    return version


def _child(actor: Any, model: type[Child], version: FormVersion, pk: Any, action: Action = Action.CHANGE) -> Child:
    """The draft's section, indicator or rule `pk` (404 if not the actor's or not this version's), or a new one."""
    if pk is None:
        child = model(version=version)
        policy.require(actor, Action.CREATE, child)
        return child
    return policy.get_or_404(actor, model._default_manager.select_for_update(), action, pk=pk, version=version)


def _next_order(queryset: models.QuerySet[Any]) -> int:
    return (queryset.aggregate(last=Max("order"))["last"] or 0) + 1


def _rules_using(version: FormVersion, code: str) -> list[ValidationRule]:
    # Read the codes from the text, so even a rule that no longer parses is found.
    return [rule for rule in version.rules.all() if code in _CODE_TOKEN.findall(rule.expression)]


def _named(rules: list[ValidationRule]) -> str:
    return ", ".join(f"“{rule.expression}”" for rule in rules)


def section_save(*, actor: Any, version_id: Any, section_id: Any = None, **fields: Any) -> Section:
    fields = _only(fields, SECTION_FIELDS, "section")
    with transaction.atomic():
        version = _draft(actor, version_id)
        section = _child(actor, Section, version, section_id)
        if fields.get("order") is None:
            fields.pop("order", None)
            if section.pk is None:
                section.order = _next_order(version.sections.all())
        for name, value in fields.items():
            setattr(section, name, value)
        _clean(section)
        section.save()
    return section


def section_delete(*, actor: Any, version_id: Any, section_id: Any) -> None:
    with transaction.atomic():
        version = _draft(actor, version_id)
        section = _child(actor, Section, version, section_id, Action.DELETE)
        count = section.indicators.count()
        if count:
            raise ValidationError(
                _("Bagian “%(title)s” masih berisi %(count)s indikator: pindahkan atau hapus dulu indikatornya.")
                % {"title": section.title, "count": count}
            )
        section.delete()


def indicator_save(*, actor: Any, version_id: Any, indicator_id: Any = None, **fields: Any) -> Indicator:
    fields = _only(fields, (*INDICATOR_FIELDS, "section_id"), "indicator")
    with transaction.atomic():
        version = _draft(actor, version_id)
        indicator = _child(actor, Indicator, version, indicator_id)
        old_code, old_type, old_prefill = indicator.code, indicator.type, indicator.prefill
        errors: Errors = {}
        moves = "section" in fields or "section_id" in fields
        section = fields.pop("section", None)
        section = section if section is not None else fields.pop("section_id", None)
        fields.pop("section_id", None)
        if moves or indicator.pk is None:
            section_pk = getattr(section, "pk", section)
            found = version.sections.filter(pk=section_pk).first() if section_pk else None
            if found is None:
                _add(errors, "section", _("Pilih bagian dari versi ini."))
            else:
                indicator.section = found
        if fields.get("order") is None:
            fields.pop("order", None)
            if indicator.pk is None and indicator.section_id:
                indicator.order = _next_order(version.indicators.filter(section_id=indicator.section_id))
        for name, value in fields.items():
            setattr(indicator, name, value)
        indicator.choices = indicator.choices or []
        if indicator.prefill and indicator.prefill not in prefill.SOURCES and indicator.prefill != old_prefill:
            _add(errors, "prefill", _("Sumber isi otomatis ini tidak dikenal."))
        if version.indicators.filter(code=indicator.code).exclude(pk=indicator.pk).exists():
            _add(errors, "code", _("Kode ini sudah dipakai indikator lain di versi ini."))
        if indicator.pk is not None:
            using = _rules_using(version, old_code)
            if indicator.code != old_code and using:
                _add(
                    errors,
                    "code",
                    _("Kode “%(code)s” dipakai aturan %(rules)s: ubah aturan itu dulu.")
                    % {"code": old_code, "rules": _named(using)},
                )
            comparing = [r for r in using if r.kind == RuleKind.COMPARE]
            if indicator.type not in NUMERIC_TYPES and old_type in NUMERIC_TYPES and comparing:
                _add(
                    errors,
                    "type",
                    _("Indikator ini dibandingkan oleh aturan %(rules)s, jadi harus tetap isian angka.")
                    % {"rules": _named(comparing)},
                )
        # The (version, code) constraint is checked above, so its message names the field.
        _clean(indicator, errors, validate_constraints=False)
        try:
            with transaction.atomic():
                indicator.save()
        except IntegrityError as error:  # the same code saved twice at the same moment
            raise ValidationError({"code": _("Kode ini sudah dipakai indikator lain di versi ini.")}) from error
    return indicator


def indicator_delete(*, actor: Any, version_id: Any, indicator_id: Any) -> None:
    with transaction.atomic():
        version = _draft(actor, version_id)
        indicator = _child(actor, Indicator, version, indicator_id, Action.DELETE)
        using = _rules_using(version, indicator.code)
        if using:
            raise ValidationError(
                _("Indikator “%(code)s” dipakai aturan %(rules)s: ubah atau hapus aturan itu dulu.")
                % {"code": indicator.code, "rules": _named(using)}
            )
        indicator.delete()


def rule_save(*, actor: Any, version_id: Any, rule_id: Any = None, **fields: Any) -> ValidationRule:
    fields = _only(fields, RULE_FIELDS, "rule")
    with transaction.atomic():
        version = _draft(actor, version_id)
        rule = _child(actor, ValidationRule, version, rule_id)
        for name, value in fields.items():
            setattr(rule, name, value.strip() if isinstance(value, str) else value)
        errors: Errors = {}
        problem = rule_problem(rule.kind, rule.expression, {i.code: i for i in version.indicators.all()})
        if problem:
            _add(errors, "expression", problem)
        _clean(rule, errors)
        rule.save()
    return rule


def rule_delete(*, actor: Any, version_id: Any, rule_id: Any) -> None:
    with transaction.atomic():
        version = _draft(actor, version_id)
        _child(actor, ValidationRule, version, rule_id, Action.DELETE).delete()
