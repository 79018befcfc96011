"""The report form builder: forms, versions, sections, indicators and rules as data, edited by Admin Pusat only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from simpul.reporting.forms_builder import IndicatorForm, parse_choices
from simpul.reporting.models import (
    Assignment,
    FormVersion,
    Indicator,
    IndicatorType,
    ReportForm,
    RuleKind,
    Section,
    Severity,
    Submission,
    ValidationRule,
    VersionStatus,
)
from simpul.reporting.periods import PeriodType, period_from_key
from simpul.reporting.services import builder
from simpul.reporting.services.schedule import schedule_period
from simpul.reporting.services.submissions import indicators_of

from .conftest import VISIBLE_CENTERS

EVERYONE = set(VISIBLE_CENTERS)
LOCKED = "Versi ini sudah terbit; buat versi baru untuk mengubahnya."
NEW_FORM = {
    "code": "UJI",
    "name": "Laporan uji",
    "name_en": "Test report",
    "period_type": PeriodType.MONTHLY,
    "due_days": 10,
    "assignment": Assignment.ALL,
}


def _state():
    """Everything the builder can change, to check that a refused request changed nothing."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (ReportForm, FormVersion, Section, Indicator, ValidationRule)
    ]


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


@pytest.fixture
def admin(world):
    return world.user("admin")


@pytest.fixture
def draft(admin):
    """A new form's draft version 1: participants and graduates, a comparison rule, and spare parts to delete."""
    form = builder.report_form_create(actor=admin, **NEW_FORM)
    version = form.versions.get()
    section = version.sections.get()

    def add(code, **fields):
        fields = {"type": IndicatorType.INTEGER, "label": code, "section": section, **fields}
        return builder.indicator_save(actor=admin, version_id=version.pk, code=code, **fields)

    add("peserta", min_value=Decimal(0))
    add("lulus", min_value=Decimal(0))
    add("catatan", type=IndicatorType.TEXT, required=False)
    builder.rule_save(
        actor=admin,
        version_id=version.pk,
        kind=RuleKind.COMPARE,
        expression="lulus <= peserta",
        message="Lulusan melebihi peserta.",
    )
    builder.section_save(actor=admin, version_id=version.pk, title="Cadangan")
    return version


# --- forms -------------------------------------------------------------------


def test_admin_creates_a_form_with_draft_version_1_and_one_empty_section(admin):
    form = builder.report_form_create(actor=admin, **NEW_FORM)
    version = form.versions.get()
    assert (version.number, version.status) == (1, VersionStatus.DRAFT)
    assert list(version.sections.values_list("title", flat=True)) == ["Umum"]
    assert not version.indicators.exists()
    assert form.current_version() is None


def test_a_form_assigned_to_cohorts_needs_at_least_one_and_saves_nothing_without(admin):
    before = _state()
    with pytest.raises(ValidationError) as error:
        builder.report_form_create(actor=admin, **{**NEW_FORM, "assignment": Assignment.COHORTS})
    assert "assigned_cohorts" in _messages(error)
    assert _state() == before


def test_a_form_keeps_only_the_list_its_assignment_uses(admin):
    form = builder.report_form_create(
        actor=admin,
        **{**NEW_FORM, "assignment": Assignment.CLASSES, "assigned_classes": ["mandiri", "tumbuh"]},
        assigned_cohorts=[2019],
    )
    assert (form.assigned_classes, form.assigned_cohorts) == (["tumbuh", "mandiri"], [])


def test_a_cohort_before_the_programme_began_is_refused(admin):
    with pytest.raises(ValidationError) as error:
        builder.report_form_create(
            actor=admin, **{**NEW_FORM, "assignment": Assignment.COHORTS, "assigned_cohorts": [2010]}
        )
    assert "assigned_cohorts" in _messages(error)


def test_the_period_type_and_code_cannot_change_once_a_version_was_published(admin):
    monthly = ReportForm.objects.get(code="LAPBUL")
    with pytest.raises(ValidationError) as error:
        builder.report_form_update(actor=admin, form_id=monthly.pk, period_type=PeriodType.QUARTERLY, code="LAPTRI")
    assert set(_messages(error)) == {"period_type", "code"}
    monthly.refresh_from_db()
    assert (monthly.period_type, monthly.code) == (PeriodType.MONTHLY, "LAPBUL")


def test_the_period_type_can_change_while_no_version_was_published(admin, draft):
    form = builder.report_form_update(actor=admin, form_id=draft.form_id, period_type=PeriodType.QUARTERLY)
    assert ReportForm.objects.get(pk=form.pk).period_type == PeriodType.QUARTERLY


def test_a_published_form_still_changes_its_name_and_due_days(admin):
    monthly = ReportForm.objects.get(code="LAPBUL")
    builder.report_form_update(actor=admin, form_id=monthly.pk, name="Laporan bulanan baru", due_days=15)
    monthly.refresh_from_db()
    assert (monthly.name, monthly.due_days) == ("Laporan bulanan baru", 15)


# --- sections, indicators, rules ------------------------------------------------


INDICATORS_OF_EACH_TYPE = [
    (IndicatorType.INTEGER, {"min_value": Decimal(0), "max_value": Decimal(16)}),
    (IndicatorType.DECIMAL, {"min_value": Decimal("0.5")}),
    (IndicatorType.PERCENTAGE, {}),
    (IndicatorType.RUPIAH, {"min_value": Decimal(0), "history_check": True}),
    (IndicatorType.TEXT, {"required": False}),
    (IndicatorType.YES_NO, {}),
    (IndicatorType.CHOICE, {"choices": parse_choices("lokal | Lokal | Local\nekspor | Ekspor | Export")}),
    (IndicatorType.DATE, {}),
    (IndicatorType.FILE, {"required": False}),
]


@pytest.mark.parametrize(("kind", "fields"), INDICATORS_OF_EACH_TYPE, ids=[t for t, _ in INDICATORS_OF_EACH_TYPE])
def test_an_indicator_of_each_type_is_added_to_the_draft(admin, draft, kind, fields):
    section = draft.sections.get(title="Cadangan")
    saved = builder.indicator_save(
        actor=admin,
        version_id=draft.pk,
        section=section,
        code="baru",
        label="Baru",
        label_en="New",
        type=kind,
        **fields,
    )
    indicator = Indicator.objects.get(pk=saved.pk)
    assert (indicator.version_id, indicator.section_id, indicator.type, indicator.order) == (
        draft.pk,
        section.pk,
        kind,
        1,
    )
    for name, value in fields.items():
        assert getattr(indicator, name) == value


def test_a_percentage_is_bounded_to_0_100_when_no_bounds_are_given(admin, draft):
    saved = builder.indicator_save(
        actor=admin, version_id=draft.pk, section_id=draft.sections.first().pk, code="persen", label="P", type="persen"
    )
    assert (saved.min_value, saved.max_value) == (Decimal(0), Decimal(100))


def test_choice_lines_become_values_with_indonesian_and_english_labels():
    assert parse_choices("lokal | Lokal (kabupaten/kota) | Local\n\n ekspor|Ekspor ") == [
        {"value": "lokal", "label": "Lokal (kabupaten/kota)", "label_en": "Local"},
        {"value": "ekspor", "label": "Ekspor", "label_en": ""},
    ]


@pytest.mark.parametrize(
    "text",
    [
        "lokal | Lokal\nekspor",
        "lokal | Lokal\nEkspor Luar | Ekspor",
        "lokal | Lokal\nlokal | Lokal lagi",
        "a | b | c | d",
    ],
    ids=["no label", "value with capitals and spaces", "value twice", "too many parts"],
)
def test_a_bad_choice_line_is_an_error_on_the_choices_field(draft, text):
    form = IndicatorForm(
        {"section": draft.sections.first().pk, "code": "pasar", "label": "Pasar", "type": "pilihan", "choices": text},
        version=draft,
    )
    assert not form.is_valid()
    assert "Baris" in " ".join(form.errors["choices"])


def test_a_choice_indicator_needs_two_choices(admin, draft):
    with pytest.raises(ValidationError) as error:
        builder.indicator_save(
            actor=admin,
            version_id=draft.pk,
            section=draft.sections.first(),
            code="pasar",
            label="Pasar",
            type=IndicatorType.CHOICE,
            choices=parse_choices("lokal | Lokal"),
        )
    assert "choices" in _messages(error)


def test_an_indicator_code_used_twice_in_a_version_is_an_error_on_the_code(admin, draft):
    before = _state()
    with pytest.raises(ValidationError) as error:
        builder.indicator_save(
            actor=admin,
            version_id=draft.pk,
            section=draft.sections.first(),
            code="peserta",
            label="Lagi",
            type="bilangan",
        )
    assert _messages(error)["code"] == ["Kode ini sudah dipakai indikator lain di versi ini."]
    assert _state() == before


def test_an_unregistered_prefill_source_is_refused(admin, draft):
    with pytest.raises(ValidationError) as error:
        builder.indicator_save(
            actor=admin,
            version_id=draft.pk,
            section=draft.sections.first(),
            code="guru",
            label="Guru",
            type="bilangan",
            prefill="tidak.ada",
        )
    assert "prefill" in _messages(error)


def test_rules_are_saved_with_their_severity_and_what_happens_when_a_value_is_missing(admin, draft):
    rule = builder.rule_save(
        actor=admin,
        version_id=draft.pk,
        kind=RuleKind.BOTH_OR_NEITHER,
        expression=" peserta, catatan ",
        severity=Severity.WARNING,
        when_missing="nol",
        message="Isi keduanya.",
        message_en="Fill both.",
    )
    saved = ValidationRule.objects.get(pk=rule.pk)
    assert (saved.expression, saved.severity, saved.when_missing) == ("peserta, catatan", "peringatan", "nol")


@pytest.mark.parametrize(
    ("kind", "expression", "says"),
    [
        (RuleKind.COMPARE, "lulus <= peserta_l", "peserta_l"),
        (RuleKind.COMPARE, "lulus peserta", "tepat satu"),
        (RuleKind.COMPARE, "lulus <= peserta *", "Tidak dapat membaca"),
        (RuleKind.COMPARE, "catatan <= peserta", "bukan angka"),
        (RuleKind.NOT_BOTH, "lulus", "paling sedikit dua"),
    ],
    ids=["unknown code", "no operator", "bad character", "text compared", "one code"],
)
def test_a_bad_rule_is_refused_on_its_expression_and_nothing_is_saved(admin, draft, kind, expression, says):
    before = _state()
    with pytest.raises(ValidationError) as error:
        builder.rule_save(actor=admin, version_id=draft.pk, kind=kind, expression=expression, message="Pesan")
    assert list(_messages(error)) == ["expression"]
    assert says in _messages(error)["expression"][0]
    assert _state() == before


def test_deleting_an_indicator_that_a_rule_uses_is_refused_naming_the_rule(admin, draft):
    lulus = draft.indicators.get(code="lulus")
    with pytest.raises(ValidationError) as error:
        builder.indicator_delete(actor=admin, version_id=draft.pk, indicator_id=lulus.pk)
    assert "“lulus <= peserta”" in error.value.messages[0]
    assert Indicator.objects.filter(pk=lulus.pk).exists()


def test_an_indicator_no_rule_uses_is_deleted(admin, draft):
    catatan = draft.indicators.get(code="catatan")
    builder.indicator_delete(actor=admin, version_id=draft.pk, indicator_id=catatan.pk)
    assert not Indicator.objects.filter(pk=catatan.pk).exists()


def test_renaming_an_indicator_that_a_rule_uses_is_refused(admin, draft):
    lulus = draft.indicators.get(code="lulus")
    with pytest.raises(ValidationError) as error:
        builder.indicator_save(actor=admin, version_id=draft.pk, indicator_id=lulus.pk, code="lulusan")
    assert "lulus <= peserta" in _messages(error)["code"][0]
    assert Indicator.objects.get(pk=lulus.pk).code == "lulus"


def test_an_indicator_moves_to_another_section_of_the_draft(admin, draft):
    spare = draft.sections.get(title="Cadangan")
    catatan = draft.indicators.get(code="catatan")
    builder.indicator_save(actor=admin, version_id=draft.pk, indicator_id=catatan.pk, section=spare)
    assert Indicator.objects.get(pk=catatan.pk).section_id == spare.pk


def test_a_section_of_another_version_is_refused(admin, draft):
    other = ReportForm.objects.get(code="LAPBUL").current_version().sections.first()
    with pytest.raises(ValidationError) as error:
        builder.indicator_save(
            actor=admin, version_id=draft.pk, section=other, code="baru", label="Baru", type="bilangan"
        )
    assert "section" in _messages(error)


def test_a_section_with_indicators_is_not_deleted_and_an_empty_one_is(admin, draft):
    general, spare = draft.sections.get(title="Umum"), draft.sections.get(title="Cadangan")
    with pytest.raises(ValidationError):
        builder.section_delete(actor=admin, version_id=draft.pk, section_id=general.pk)
    builder.section_delete(actor=admin, version_id=draft.pk, section_id=spare.pk)
    assert list(draft.sections.values_list("title", flat=True)) == ["Umum"]


# --- versions ------------------------------------------------------------------


def test_publishing_a_version_without_indicators_is_refused(admin):
    form = builder.report_form_create(actor=admin, **NEW_FORM)
    version = form.versions.get()
    with pytest.raises(ValidationError) as error:
        builder.form_version_publish(actor=admin, version_id=version.pk)
    assert "indikator" in error.value.messages[0]
    assert FormVersion.objects.get(pk=version.pk).status == VersionStatus.DRAFT


def test_publishing_a_version_with_only_file_indicators_is_refused(admin):
    form = builder.report_form_create(actor=admin, **NEW_FORM)
    version = form.versions.get()
    builder.indicator_save(
        actor=admin, version_id=version.pk, section=version.sections.get(), code="foto", label="Foto", type="berkas"
    )
    with pytest.raises(ValidationError):
        builder.form_version_publish(actor=admin, version_id=version.pk)
    assert FormVersion.objects.get(pk=version.pk).status == VersionStatus.DRAFT


def test_publishing_records_who_and_when_and_retires_the_version_it_replaces(admin):
    monthly = ReportForm.objects.get(code="LAPBUL")
    first = monthly.current_version()
    second = builder.form_version_create_draft(actor=admin, form_id=monthly.pk)
    builder.form_version_publish(actor=admin, version_id=second.pk, note="  Tambah catatan  ")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (VersionStatus.RETIRED, VersionStatus.PUBLISHED)
    assert (second.published_by, second.note) == (admin, "Tambah catatan")
    assert second.published_at is not None
    assert monthly.current_version() == second


def test_a_new_draft_copies_the_published_versions_sections_indicators_and_rules(admin):
    monthly = ReportForm.objects.get(code="LAPBUL")
    published = monthly.current_version()
    draft = builder.form_version_create_draft(actor=admin, form_id=monthly.pk)

    def contents(version):
        sections = list(version.sections.values_list("order", "title", "title_en"))
        indicators = [
            (i.section.title, *(getattr(i, name) for name in builder.INDICATOR_FIELDS if name != "section"))
            for i in version.indicators.select_related("section")
        ]
        rules = list(version.rules.values_list(*builder.RULE_FIELDS))
        return sections, indicators, rules

    assert (draft.number, draft.status) == (published.number + 1, VersionStatus.DRAFT)
    assert contents(draft) == contents(published)
    assert len(contents(draft)[1]) == published.indicators.count() > 10
    assert not set(draft.indicators.values_list("pk", flat=True)) & set(
        published.indicators.values_list("pk", flat=True)
    )


def test_a_second_draft_is_refused_while_one_exists(admin, draft):
    with pytest.raises(ValidationError) as error:
        builder.form_version_create_draft(actor=admin, form_id=draft.form_id)
    assert "sudah punya draf (versi 1)" in error.value.messages[0]
    assert draft.form.versions.count() == 1


def test_editing_a_published_version_is_refused_and_changes_nothing(admin):
    version = ReportForm.objects.get(code="LAPBUL").current_version()
    section, indicator, rule = version.sections.first(), version.indicators.first(), version.rules.first()
    edits = [
        lambda: builder.section_save(actor=admin, version_id=version.pk, title="Baru"),
        lambda: builder.section_save(actor=admin, version_id=version.pk, section_id=section.pk, title="Diubah"),
        lambda: builder.section_delete(actor=admin, version_id=version.pk, section_id=section.pk),
        lambda: builder.indicator_save(
            actor=admin, version_id=version.pk, section=section, code="baru", label="Baru", type="bilangan"
        ),
        lambda: builder.indicator_save(actor=admin, version_id=version.pk, indicator_id=indicator.pk, label="Diubah"),
        lambda: builder.indicator_delete(actor=admin, version_id=version.pk, indicator_id=indicator.pk),
        lambda: builder.rule_save(
            actor=admin, version_id=version.pk, kind="banding", expression="lulus_l <= 5", message="Baru"
        ),
        lambda: builder.rule_save(actor=admin, version_id=version.pk, rule_id=rule.pk, message="Diubah"),
        lambda: builder.rule_delete(actor=admin, version_id=version.pk, rule_id=rule.pk),
        lambda: builder.form_version_publish(actor=admin, version_id=version.pk),
    ]
    before = _state()
    for edit in edits:
        with pytest.raises(ValidationError) as error:
            edit()
        assert error.value.messages[0] in (LOCKED, "Versi ini sudah terbit.")
    assert _state() == before


def test_an_old_submission_keeps_its_version_and_new_periods_get_the_new_one(admin, world):
    monthly = ReportForm.objects.get(code="LAPBUL")
    october = period_from_key(PeriodType.MONTHLY, "2026-10")
    schedule_period(monthly, october)
    old = Submission.objects.get(form=monthly, center=world.malang, period_key="2026-10")
    old_indicators = {code: (i.pk, i.label) for code, i in indicators_of(old).items()}

    draft = builder.form_version_create_draft(actor=admin, form_id=monthly.pk)
    participants = draft.indicators.get(code="peserta_l")
    builder.indicator_save(actor=admin, version_id=draft.pk, indicator_id=participants.pk, label="Peserta pria")
    builder.indicator_save(
        actor=admin, version_id=draft.pk, section=draft.sections.first(), code="catatan", label="Catatan", type="teks"
    )
    builder.form_version_publish(actor=admin, version_id=draft.pk)
    schedule_period(monthly, period_from_key(PeriodType.MONTHLY, "2026-11"))

    old.refresh_from_db()
    assert old.version.number == 1
    assert {code: (i.pk, i.label) for code, i in indicators_of(old).items()} == old_indicators
    assert old_indicators["peserta_l"][1] != "Peserta pria"
    new = Submission.objects.get(form=monthly, center=world.malang, period_key="2026-11")
    assert new.version.number == 2
    assert indicators_of(new)["peserta_l"].label == "Peserta pria"
    assert "catatan" in indicators_of(new)
    assert "catatan" not in indicators_of(old)


@pytest.mark.parametrize("user_key", sorted(EVERYONE - {"admin"}))
def test_only_admin_pusat_may_call_the_builder_services(world, draft, user_key):
    actor = world.user(user_key)
    before = _state()
    calls = [
        lambda: builder.report_form_create(actor=actor, **{**NEW_FORM, "code": "LAIN"}),
        lambda: builder.report_form_update(actor=actor, form_id=draft.form_id, name="Diubah"),
        lambda: builder.form_version_create_draft(actor=actor, form_id=ReportForm.objects.get(code="LAPBUL").pk),
        lambda: builder.form_version_publish(actor=actor, version_id=draft.pk),
        lambda: builder.section_save(actor=actor, version_id=draft.pk, title="Baru"),
        lambda: builder.indicator_delete(
            actor=actor, version_id=draft.pk, indicator_id=draft.indicators.get(code="catatan").pk
        ),
        lambda: builder.rule_delete(actor=actor, version_id=draft.pk, rule_id=draft.rules.get().pk),
    ]
    for call in calls:
        with pytest.raises(Http404):
            call()
    assert _state() == before


# --- pages ---------------------------------------------------------------------


def test_the_form_list_shows_period_due_days_assignment_current_version_and_submission_count(world, client, admin):
    monthly = ReportForm.objects.get(code="LAPBUL")
    schedule_period(monthly, period_from_key(PeriodType.MONTHLY, "2026-10"))
    builder.form_version_create_draft(actor=admin, form_id=monthly.pk)
    client.force_login(admin)
    response = client.get(reverse("reporting:form-list"))
    rows = {item.code: item for item in response.context["page"].object_list}
    assert set(rows) >= {"LAPBUL", "LAPINK", "LAPMAN", "LPJ"}
    assert (rows["LAPBUL"].submission_count, rows["LAPBUL"].current_number, rows["LAPBUL"].draft_number) == (3, 1, 2)
    assert (rows["LAPINK"].submission_count, rows["LAPINK"].draft_number) == (0, None)
    html = response.content.decode()
    assert "Inkubator saja" in html
    assert "draf versi 2" in html


def test_a_published_version_page_is_read_only_and_says_old_reports_keep_their_version(client, admin):
    version = ReportForm.objects.get(code="LAPBUL").current_version()
    client.force_login(admin)
    html = client.get(reverse("reporting:version-detail", args=[version.pk])).content.decode()
    assert 'id="read-only-note"' in html
    assert "peserta_l" in html
    assert reverse("reporting:indicator-edit", args=[version.pk, version.indicators.first().pk]) not in html
    assert reverse("reporting:version-publish", args=[version.pk]) not in html
    assert reverse("reporting:version-create", args=[version.form_id]) in html


def test_a_draft_page_offers_editing_and_says_what_blocks_publication(client, admin):
    version = builder.report_form_create(actor=admin, **NEW_FORM).versions.get()
    client.force_login(admin)
    html = client.get(reverse("reporting:version-detail", args=[version.pk])).content.decode()
    assert reverse("reporting:version-publish", args=[version.pk]) in html
    assert reverse("reporting:section-create", args=[version.pk]) in html
    assert "Tambahkan paling sedikit satu indikator yang bukan isian berkas." in html


def test_admin_builds_and_publishes_a_form_through_the_pages(client, admin):
    client.force_login(admin)
    response = client.post(
        reverse("reporting:form-create"),
        {
            "code": " lapuji ",
            "name": "Laporan uji",
            "period_type": "triwulanan",
            "due_days": "15",
            "assignment": "klasifikasi",
        }
        | {"assigned_classes": ["mandiri"], "is_active": "on"},
    )
    form = ReportForm.objects.get(code="LAPUJI")
    version = form.versions.get()
    assert response["Location"] == reverse("reporting:version-detail", args=[version.pk])
    assert (form.period_type, form.due_days, form.assigned_classes) == ("triwulanan", 15, ["mandiri"])
    section = version.sections.get()
    indicator = {"section": section.pk, "required": "on", "order": ""}
    for data in (
        {
            "code": "pasar",
            "label": "Pasar terjauh",
            "type": "pilihan",
            "choices": "lokal | Lokal | Local\nekspor | Ekspor",
        },
        {"code": "omzet", "label": "Omzet", "type": "rupiah", "min_value": "0", "choices": "ignored | Ignored"},
        {"code": "biaya", "label": "Biaya", "type": "rupiah"},
    ):
        response = client.post(reverse("reporting:indicator-create", args=[version.pk]), indicator | data)
        assert response.status_code == 302, response.content.decode()[-3000:]
    rule = {"kind": "banding", "expression": "biaya <= omzet", "severity": "peringatan", "when_missing": "lewati"}
    response = client.post(reverse("reporting:rule-create", args=[version.pk]), rule | {"message": "Biaya > omzet."})
    assert response.status_code == 302
    response = client.post(reverse("reporting:version-publish", args=[version.pk]), {"note": "Versi pertama"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert (version.status, version.note) == (VersionStatus.PUBLISHED, "Versi pertama")
    assert version.indicators.get(code="pasar").choices[1] == {"value": "ekspor", "label": "Ekspor", "label_en": ""}
    assert version.indicators.get(code="omzet").choices == []  # the choices box applies to choice indicators only
    assert version.rules.get().expression == "biaya <= omzet"


def test_a_bad_rule_on_the_page_is_shown_next_to_the_expression_and_saves_nothing(client, admin, draft):
    client.force_login(admin)
    data = {"kind": "banding", "expression": "lulus <= tidak_ada", "severity": "galat", "when_missing": "lewati"}
    response = client.post(reverse("reporting:rule-create", args=[draft.pk]), data | {"message": "Pesan"})
    assert response.status_code == 200
    assert "tidak_ada" in " ".join(response.context["form"].errors["expression"])
    assert 'id="field-expression"' in response.content.decode()
    assert draft.rules.count() == 1


def test_a_part_of_a_published_version_cannot_be_opened_for_editing(client, admin):
    version = ReportForm.objects.get(code="LAPBUL").current_version()
    client.force_login(admin)
    response = client.get(reverse("reporting:indicator-create", args=[version.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reporting:version-detail", args=[version.pk])
    assert LOCKED in response.content.decode()


def test_a_choice_indicator_is_edited_one_choice_per_line(client, admin):
    incubator = ReportForm.objects.get(code="LAPINK")
    draft = builder.form_version_create_draft(actor=admin, form_id=incubator.pk)
    market = draft.indicators.get(code="pasar_terjauh")
    client.force_login(admin)
    response = client.get(reverse("reporting:indicator-edit", args=[draft.pk, market.pk]))
    assert (
        "lokal | Lokal (kabupaten/kota) | Local (regency/city)\nregional | Regional (provinsi) | Regional (province)"
        in (response.content.decode())
    )


def test_deleting_an_indicator_a_rule_uses_on_the_page_says_which_rule(client, admin, draft):
    client.force_login(admin)
    lulus = draft.indicators.get(code="lulus")
    response = client.post(reverse("reporting:indicator-delete", args=[draft.pk, lulus.pk]), follow=True)
    assert "“lulus &lt;= peserta”" in response.content.decode()
    assert Indicator.objects.filter(pk=lulus.pk).exists()


def test_the_edit_page_of_a_published_form_keeps_code_and_period_type_fixed(client, admin):
    monthly = ReportForm.objects.get(code="LAPBUL")
    client.force_login(admin)
    data = {"code": "LAIN", "name": "Diubah", "period_type": "tahunan", "due_days": "12", "assignment": "semua"}
    response = client.post(reverse("reporting:form-edit", args=[monthly.pk]), data | {"is_active": "on"})
    assert response.status_code == 302
    monthly.refresh_from_db()
    assert (monthly.code, monthly.period_type, monthly.name, monthly.due_days) == ("LAPBUL", "bulanan", "Diubah", 12)


# --- every role × every page ----------------------------------------------------


def _parts(draft):
    return {
        "monthly": ReportForm.objects.get(code="LAPBUL"),
        "section": draft.sections.get(title="Cadangan"),
        "indicator": draft.indicators.get(code="catatan"),
        "rule": draft.rules.get(),
    }


GET_PAGES = [
    ("form list", lambda d, p: reverse("reporting:form-list")),
    ("new form", lambda d, p: reverse("reporting:form-create")),
    ("form", lambda d, p: reverse("reporting:form-detail", args=[p["monthly"].pk])),
    ("edit form", lambda d, p: reverse("reporting:form-edit", args=[p["monthly"].pk])),
    ("published version", lambda d, p: reverse("reporting:version-detail", args=[p["monthly"].current_version().pk])),
    ("draft version", lambda d, p: reverse("reporting:version-detail", args=[d.pk])),
    ("new section", lambda d, p: reverse("reporting:section-create", args=[d.pk])),
    ("edit section", lambda d, p: reverse("reporting:section-edit", args=[d.pk, p["section"].pk])),
    ("new indicator", lambda d, p: reverse("reporting:indicator-create", args=[d.pk])),
    ("edit indicator", lambda d, p: reverse("reporting:indicator-edit", args=[d.pk, p["indicator"].pk])),
    ("new rule", lambda d, p: reverse("reporting:rule-create", args=[d.pk])),
    ("edit rule", lambda d, p: reverse("reporting:rule-edit", args=[d.pk, p["rule"].pk])),
]
RULE_FORM = {"kind": "banding", "expression": "peserta >= 0", "severity": "galat", "when_missing": "lewati"}
NEW_FORM_POST = {"code": "BARU", "name": "Baru", "period_type": "bulanan", "due_days": "10", "assignment": "semua"}
POSTS = [
    ("create form", lambda d, p: (reverse("reporting:form-create"), NEW_FORM_POST)),
    (
        "edit form",
        lambda d, p: (reverse("reporting:form-edit", args=[p["monthly"].pk]), NEW_FORM_POST | {"code": "LAPBUL"}),
    ),
    ("new version", lambda d, p: (reverse("reporting:version-create", args=[p["monthly"].pk]), {})),
    ("publish", lambda d, p: (reverse("reporting:version-publish", args=[d.pk]), {"note": "Terbit"})),
    ("add section", lambda d, p: (reverse("reporting:section-create", args=[d.pk]), {"title": "Baru"})),
    ("edit section", lambda d, p: (reverse("reporting:section-edit", args=[d.pk, p["section"].pk]), {"title": "Lain"})),
    ("delete section", lambda d, p: (reverse("reporting:section-delete", args=[d.pk, p["section"].pk]), {})),
    (
        "add indicator",
        lambda d, p: (
            reverse("reporting:indicator-create", args=[d.pk]),
            {"section": p["section"].pk, "code": "baru", "label": "Baru", "type": "bilangan"},
        ),
    ),
    (
        "edit indicator",
        lambda d, p: (
            reverse("reporting:indicator-edit", args=[d.pk, p["indicator"].pk]),
            {"section": p["section"].pk, "code": "catatan", "label": "Catatan lain", "type": "teks"},
        ),
    ),
    ("delete indicator", lambda d, p: (reverse("reporting:indicator-delete", args=[d.pk, p["indicator"].pk]), {})),
    ("add rule", lambda d, p: (reverse("reporting:rule-create", args=[d.pk]), RULE_FORM | {"message": "Baru"})),
    (
        "edit rule",
        lambda d, p: (reverse("reporting:rule-edit", args=[d.pk, p["rule"].pk]), RULE_FORM | {"message": "Lain"}),
    ),
    ("delete rule", lambda d, p: (reverse("reporting:rule-delete", args=[d.pk, p["rule"].pk]), {})),
]


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize(("page", "url"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
def test_each_builder_page_answers_admin_pusat_and_404_to_everyone_else(world, client, draft, user_key, page, url):
    client.force_login(world.user(user_key))
    response = client.get(url(draft, _parts(draft)))
    assert response.status_code == (200 if user_key == "admin" else 404), page


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize(("name", "case"), POSTS, ids=[p[0] for p in POSTS])
def test_each_builder_write_is_done_by_admin_pusat_only_and_refused_with_404_changing_nothing(
    world, client, draft, user_key, name, case
):
    url, data = case(draft, _parts(draft))
    client.force_login(world.user(user_key))
    before = _state()
    response = client.post(url, data)
    if user_key == "admin":
        assert response.status_code == 302, response.content.decode()[-3000:]
        assert _state() != before, name
    else:
        assert response.status_code == 404
        assert _state() == before


@pytest.mark.parametrize(("page", "url"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
def test_an_anonymous_visitor_is_asked_to_log_in_on_every_builder_page(client, draft, page, url):
    response = client.get(url(draft, _parts(draft)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_anonymous_write_is_sent_to_log_in_and_changes_nothing(client, draft):
    before = _state()
    response = client.post(reverse("reporting:version-publish", args=[draft.pk]), {"note": "x"})
    assert response["Location"].startswith(reverse("accounts:login"))
    assert _state() == before


def test_a_new_event_driven_form_is_refused_because_only_lpj_is_owed_per_event(world):
    from simpul.reporting.models import ReportForm
    from simpul.reporting.services.builder import report_form_create

    with pytest.raises(ValidationError) as error:
        report_form_create(
            actor=world.user("admin"),
            code="PERISTIWA",
            name="Laporan peristiwa",
            period_type="peristiwa",
            due_days=5,
            assignment="bantuan",
        )
    assert "period_type" in error.value.message_dict
    assert not ReportForm.objects.filter(code="PERISTIWA").exists()
