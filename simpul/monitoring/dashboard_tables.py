"""The dashboard's panels as tables: one shape for the page, the chart beside it and the xlsx/csv export.

Each builder takes the viewer, the scope (already checked by `scope_get`) and
the filters, calls the selectors once, and returns a Table. A cell carries the
raw value (what the export and the chart read), the text a person reads, and
where available a link to the records behind it, chosen by `RecordLinks`
so that a link is only offered when the viewer's role may open that list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.centers.models import Center
from simpul.core import formats
from simpul.core.exports import Column
from simpul.incubation.models import Incubator
from simpul.reporting.models import Grant, ReportForm, Status, Submission
from simpul.training.models import Outcome

from . import selectors
from .measures import INDICATOR_BY_KEY, MEASURES, Indicator, Kind
from .scope import CENTER, REGENCY, Scope
from .selectors import Figure, Filters

MEASURE_SOURCE = {m.name: m.source for m in MEASURES}


@dataclass(frozen=True)
class Cell:
    value: Any  # what the export and the chart read
    text: str  # what a person reads
    href: str = ""
    note: str = ""  # e.g. "31 / 32" under a rate

    @property
    def raw(self) -> str:
        """The value as the chart reads it (never localised: "12.5", not "12,5")."""
        return "" if self.value is None else str(self.value)


@dataclass
class Table:
    caption: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    chart: str = ""  # "line" or "bar": drawn in the browser from the first column and the charted one
    chart_column: int = 1

    @property
    def beside(self) -> bool:
        """Few columns: the table fits beside its chart on a wide screen."""
        return len(self.columns) <= 4

    @property
    def lines(self) -> list[list[tuple[str, Cell]]]:
        """Each row's cells with their column's header (the phone layout labels each cell)."""
        headers = [str(c.header) for c in self.columns]
        return [list(zip(headers, row, strict=False)) for row in self.rows]

    def export_rows(self) -> list[list[Any]]:
        return [[cell.value for cell in row] for row in self.rows]

    def body_html(self) -> str:
        """The table's rows as HTML, escaped, written in Python.

        The same markup as a template loop, but an area table is hundreds of
        cells and the template engine's per-node cost made it the slowest
        part of a panel request (measured with `make bench`).
        """
        headers = [str(c.header) for c in self.columns]
        lines = []
        for row in self.rows:
            cells = []
            for index, cell in enumerate(row):
                text = format_html('<a href="{}">{}</a>', cell.href, cell.text) if cell.href else escape(cell.text)
                note = format_html("<br><small>{}</small>", cell.note) if cell.note else ""
                if index == 0:
                    cells.append(format_html('<th scope="row" data-value="{}">{}{}</th>', cell.raw, text, note))
                else:
                    cells.append(
                        format_html(
                            '<td class="num" data-label="{}" data-value="{}">{}{}</td>',
                            headers[index] if index < len(headers) else "",
                            cell.raw,
                            text,
                            note,
                        )
                    )
            lines.append("<tr>" + "".join(cells) + "</tr>")
        return mark_safe("\n".join(lines))  # noqa: S308  (every part above was escaped by format_html)


def figure_value(figure: Figure | None) -> Any:
    """The number a spreadsheet and a chart get (a rate is already in percent)."""
    if figure is None:
        return None
    return figure.value


def figure_text(figure: Figure | None) -> str:
    if figure is None or figure.value is None:
        return "–"
    kind = figure.indicator.kind
    if kind == Kind.RATE:
        return formats.format_number(figure.value, 1) + "%"
    if kind == Kind.RUPIAH:
        return formats.format_rupiah(figure.value)
    if kind == Kind.WEEKS:
        return _("%(weeks)s minggu") % {"weeks": formats.format_number(figure.value, 1)}
    return formats.format_number(figure.value)


def figure_note(figure: Figure | None) -> str:
    if figure is None or not figure.indicator.denominator:
        return ""
    return f"{formats.format_number(figure.numerator)} / {formats.format_number(figure.denominator)}"


def indicator_header(indicator: Indicator) -> str:
    return f"{indicator.label} (%)" if indicator.kind == Kind.RATE else str(indicator.label)


class RecordLinks:
    """Where the records behind a figure are listed, for this viewer and scope (or "" when nowhere)."""

    def __init__(self, actor: Any, scope: Scope) -> None:
        self.actor = actor
        self.scope = scope
        self._lapbul: int | bool | None = False  # looked up once, when first needed

    def _region(self) -> dict[str, str]:
        params = {}
        if self.scope.province is not None:
            params["province"] = self.scope.province.pk
        if self.scope.regency is not None:
            params["regency"] = self.scope.regency.pk
        return params

    def _url(self, name: str, params: dict[str, Any]) -> str:
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        return reverse(name) + (f"?{query}" if query else "")

    def lapbul_pk(self) -> int | None:
        if self._lapbul is False:
            self._lapbul = ReportForm.objects.filter(code="LAPBUL").values_list("pk", flat=True).first()
        return self._lapbul  # type: ignore[return-value]

    def centers(self) -> str:
        if not policy.allowed(self.actor, Action.VIEW, Center):
            return ""
        if self.scope.center is not None:
            return reverse("centers:detail", args=[self.scope.center.pk])
        return self._url("centers:list", self._region())

    def source(self, source: str) -> str:
        center = self.scope.center
        if source == "lapbul" and policy.allowed(self.actor, Action.VIEW, Submission):
            q = center.name if center is not None else ""
            return self._url(
                "reporting:submissions",
                {"form": self.lapbul_pk(), "status": Status.APPROVED, **self._region(), "q": q},
            )
        if source == "submissions" and policy.allowed(self.actor, Action.VIEW, Submission):
            return self._url("reporting:completeness", {"form": self.lapbul_pk(), **self._region()})
        if source == "tracing" and policy.allowed(self.actor, Action.VIEW, Outcome):
            return self._url("training:tracing", {"blk": center.pk if center is not None else ""})
        if source == "business" and policy.allowed(self.actor, Action.VIEW, Incubator):
            return reverse("incubation:incubators")
        if source == "aid":
            return self.grants()
        return ""

    def indicator(self, indicator: Indicator) -> str:
        return self.source(MEASURE_SOURCE.get(indicator.numerator[0], ""))

    def grants(self) -> str:
        if not policy.allowed(self.actor, Action.VIEW, Grant):
            return ""
        province = self.scope.province.pk if self.scope.province is not None else ""
        return self._url("reporting:grants", {"province": province})

    def overdue_lpjs(self) -> str:
        if not policy.allowed(self.actor, Action.VIEW, Grant):
            return ""
        province = self.scope.province.pk if self.scope.province is not None else ""
        return self._url("reporting:lpj-overdue", {"province": province})


def dashboard_url(scope: Scope, filter_query: str) -> str:
    query = "&".join(q for q in (scope.query(), filter_query) if q)
    return reverse("monitoring:dashboard") + (f"?{query}" if query else "")


# Which indicators each split shows (the sex split holds the report's L/P figures only).
AREA_KEYS = ("participants", "graduation_rate", "placement_rate", "completeness", "timeliness", "aid_paid")
SEX_KEYS = ("participants", "graduates", "graduation_rate", "certification_rate", "placement_rate")
GROUP_KEYS = ("participants", "graduation_rate", "certification_rate", "placement_rate", "completeness")
TREND_DEFAULT = "participants"


@dataclass
class Context:
    actor: Any
    scope: Scope
    filters: Filters
    filter_query: str  # the filters as a query string, kept on drill-down links
    params: Any  # the request's GET, for a panel's own choices (the trend's indicator)

    @property
    def links(self) -> RecordLinks:
        return RecordLinks(self.actor, self.scope)


def _figure_cell(figure: Figure | None, href: str = "") -> Cell:
    return Cell(figure_value(figure), figure_text(figure), href, figure_note(figure))


def headline_table(ctx: Context) -> Table:
    figures = selectors.headline(ctx.scope, ctx.filters)
    links = ctx.links
    table = Table(
        _("Angka utama: %(scope)s") % {"scope": ctx.scope.name},
        [Column(gettext_lazy("Indikator"), 32), Column(gettext_lazy("Nilai")), *_count_columns()],
    )
    for key, figure in figures.items():
        indicator = INDICATOR_BY_KEY.get(key, figure.indicator)
        table.rows.append(
            [
                Cell(str(indicator.label), str(indicator.label)),
                _figure_cell(figure, links.indicator(indicator)),
                *_count_cells(figure),
            ]
        )
    return table


def _count_columns() -> list[Column]:
    return [Column(gettext_lazy("Pembilang")), Column(gettext_lazy("Penyebut"))]


def _count_cells(figure: Figure) -> list[Cell]:
    if not figure.indicator.denominator:
        return [Cell(None, ""), Cell(None, "")]
    return [
        Cell(figure.numerator, formats.format_number(figure.numerator)),
        Cell(figure.denominator, formats.format_number(figure.denominator)),
    ]


def trend_indicator(ctx: Context) -> Indicator:
    return INDICATOR_BY_KEY.get(ctx.params.get("indicator", ""), INDICATOR_BY_KEY[TREND_DEFAULT])


def trend_table(ctx: Context) -> Table:
    indicator = trend_indicator(ctx)
    rows = selectors.trend(ctx.scope, ctx.filters)
    columns = [Column(gettext_lazy("Bulan")), Column(indicator_header(indicator), 22)]
    if indicator.denominator:
        columns += _count_columns()
    table = Table(_("%(indicator)s per bulan") % {"indicator": indicator.label}, columns, chart="line")
    for row in rows:
        figure = row.figures.get(indicator.key)
        cells = [Cell(row.key, row.label), _figure_cell(figure)]
        if indicator.denominator:
            cells += _count_cells(figure) if figure is not None else [Cell(None, ""), Cell(None, "")]
        table.rows.append(cells)
    return table


def _split_table(ctx: Context, rows: list[selectors.Row], caption: str, first: Any, keys: tuple[str, ...]) -> Table:
    indicators = [INDICATOR_BY_KEY[k] for k in keys]
    table = Table(
        caption, [Column(first, 28), *(Column(indicator_header(i)) for i in indicators)], chart="bar", chart_column=1
    )
    for row in rows:
        href = dashboard_url(row.scope, ctx.filter_query) if row.scope is not None else ""
        table.rows.append([Cell(row.label, row.label, href), *(_figure_cell(row.figures.get(k)) for k in keys)])
    return table


def area_table(ctx: Context) -> Table:
    rows = selectors.breakdown(ctx.scope, ctx.filters, "area")
    if ctx.scope.level == REGENCY:
        first, caption = gettext_lazy("BLK"), _("Per BLK di %(scope)s")
    elif ctx.scope.level == CENTER:
        first, caption = gettext_lazy("BLK"), _("%(scope)s")
    else:
        first, caption = gettext_lazy("Wilayah"), _("Per wilayah di %(scope)s")
    return _split_table(ctx, rows, caption % {"scope": ctx.scope.name}, first, AREA_KEYS)


def sex_table(ctx: Context) -> Table:
    rows = selectors.breakdown(ctx.scope, ctx.filters, "sex")
    return _split_table(ctx, rows, _("Per jenis kelamin"), gettext_lazy("Jenis kelamin"), SEX_KEYS)


def cohort_table(ctx: Context) -> Table:
    rows = selectors.breakdown(ctx.scope, ctx.filters, "cohort")
    return _split_table(ctx, rows, _("Per angkatan (tahun bantuan)"), gettext_lazy("Angkatan"), GROUP_KEYS)


def class_table(ctx: Context) -> Table:
    rows = selectors.breakdown(ctx.scope, ctx.filters, "class")
    return _split_table(ctx, rows, _("Per klasifikasi BLK"), gettext_lazy("Klasifikasi"), GROUP_KEYS)


def vocation_table(ctx: Context) -> Table:
    rows = selectors.vocation_breakdown(ctx.scope, ctx.filters)
    # The vocation rows hold the training-record figures the selector gives, in its order.
    keys = list(rows[0].figures) if rows else []
    headers = [indicator_header(rows[0].figures[k].indicator) for k in keys]
    table = Table(
        _("Per kejuruan (catatan pelatihan)"),
        [Column(gettext_lazy("Kejuruan"), 32), *(Column(h) for h in headers)],
        chart="bar",
    )
    for row in rows:
        table.rows.append([Cell(row.label, row.label), *(_figure_cell(row.figures.get(k)) for k in keys)])
    return table


def _plain(label: Any, value: int, text: str, href: str = "") -> list[Cell]:
    return [Cell(str(label), str(label)), Cell(value, text, href)]


def incubation_table(ctx: Context) -> Table:
    figures = selectors.incubation_figures(ctx.scope, ctx.filters)
    href = reverse("incubation:incubators") if policy.allowed(ctx.actor, Action.VIEW, Incubator) else ""
    number = formats.format_number
    table = Table(
        _("Tenant terhadap target 10 per inkubator"),
        [Column(gettext_lazy("Ukuran"), 32), Column(gettext_lazy("Jumlah"))],
        chart="bar",
    )
    table.rows = [
        _plain(gettext_lazy("Inkubator"), figures.incubators, number(figures.incubators), href),
        _plain(gettext_lazy("Tenant aktif"), figures.tenants, number(figures.tenants), href),
        _plain(gettext_lazy("Target tenant"), figures.target, number(figures.target)),
        _plain(gettext_lazy("Inkubator dengan < 5 tenant"), figures.below_half, number(figures.below_half), href),
    ]
    return table


def aid_table(ctx: Context) -> Table:
    figures = selectors.aid_figures(ctx.scope, ctx.filters)
    links = ctx.links
    rupiah, number = formats.format_rupiah, formats.format_number
    table = Table(_("Bantuan dan LPJ"), [Column(gettext_lazy("Ukuran"), 32), Column(gettext_lazy("Nilai"), 22)])
    table.rows = [
        _plain(gettext_lazy("Bantuan diberikan (Rp)"), figures.granted, rupiah(figures.granted), links.grants()),
        _plain(gettext_lazy("Bantuan dicairkan (Rp)"), figures.paid, rupiah(figures.paid), links.grants()),
        _plain(
            gettext_lazy("LPJ terlambat"),
            figures.lpj_outstanding,
            number(figures.lpj_outstanding),
            links.overdue_lpjs(),
        ),
        _plain(gettext_lazy("LPJ jatuh tempo ≤ 30 hari"), figures.lpj_due_soon, number(figures.lpj_due_soon)),
    ]
    return table


@dataclass(frozen=True)
class PanelSpec:
    name: str
    title: Any
    build: Callable[[Context], Table]
    wide: bool = False


PANELS: tuple[PanelSpec, ...] = (
    PanelSpec("headline", gettext_lazy("Angka utama"), headline_table, wide=True),
    PanelSpec("trend", gettext_lazy("Tren bulanan"), trend_table, wide=True),
    PanelSpec("area", gettext_lazy("Per wilayah"), area_table, wide=True),
    PanelSpec("sex", gettext_lazy("Per jenis kelamin"), sex_table),
    PanelSpec("cohort", gettext_lazy("Per angkatan"), cohort_table),
    PanelSpec("class", gettext_lazy("Per klasifikasi"), class_table),
    PanelSpec("vocation", gettext_lazy("Per kejuruan"), vocation_table),
    PanelSpec("incubation", gettext_lazy("Inkubasi"), incubation_table),
    PanelSpec("aid", gettext_lazy("Bantuan dan LPJ"), aid_table),
)
PANEL_BY_NAME = {p.name: p for p in PANELS}
