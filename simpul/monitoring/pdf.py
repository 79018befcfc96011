"""The PDF summary of a scope (a centre or an area) for official letters.

Built with fpdf2, pure Python, with the PDF core font Helvetica in the
Windows-1252 encoding: it covers Indonesian (and the dashes and quotes of
ordinary typing) with no font file to ship or download. A character outside
it (a name written in another script) is printed without its accents, or as
"?", rather than failing the whole document.

No personal data goes in: figures, area and centre names only.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from simpul.centers.models import DevelopmentClass
from simpul.core.formats import format_date, format_number

from . import selectors
from .dashboard_tables import figure_note, figure_text
from .measures import INDICATORS
from .scope import CENTER, NATIONAL, PROVINCE, REGENCY, Scope
from .selectors import Figure, Filters
from .warnings import early_warnings, warning_groups

ENCODING = "windows-1252"
AREA_ROWS = 15  # child areas printed, the biggest first
AREA_INDICATORS = ("participants", "graduates", "graduation_rate", "placement_rate", "completeness")


@dataclass
class AreaLine:
    label: str
    figures: dict[str, Figure]


@dataclass
class Summary:
    scope: Scope
    filters: Filters
    headline: dict[str, Figure]
    areas: list[AreaLine] = field(default_factory=list)
    areas_left_out: int = 0
    area_title: str = ""
    warnings: list[tuple[str, int]] = field(default_factory=list)  # (kind label, count)


def summary_for(scope: Scope, filters: Filters, *, today: dt.date | None = None) -> Summary:
    """What the PDF shows, from the same selectors as the dashboard."""
    summary = Summary(scope=scope, filters=filters, headline=selectors.headline(scope, filters))
    if scope.level != CENTER:
        rows = selectors.breakdown(scope, filters, "area")

        def size(row: selectors.Row) -> int:
            participants = row.figures.get("participants")
            return int(participants.numerator) if participants is not None else 0

        rows.sort(key=lambda row: (-size(row), row.label))
        summary.areas = [AreaLine(row.label, row.figures) for row in rows[:AREA_ROWS]]
        summary.areas_left_out = max(len(rows) - AREA_ROWS, 0)
        summary.area_title = {
            NATIONAL: _("Per provinsi"),
            PROVINCE: _("Per kabupaten/kota"),
            REGENCY: _("Per BLK"),
        }[scope.level]
    groups = warning_groups(early_warnings(scope, today=today))
    summary.warnings = [(group.label, group.count) for group in groups]
    return summary


def plain(text: Any) -> str:
    """Text the core font can print: accents kept where Windows-1252 has them, dropped otherwise."""
    text = str(text)
    try:
        text.encode(ENCODING)
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for char in text:
        try:
            char.encode(ENCODING)
            out.append(char)
        except UnicodeEncodeError:
            bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            try:
                bare.encode(ENCODING)
                out.append(bare or "?")
            except UnicodeEncodeError:
                out.append("?")
    return "".join(out)


def _scope_line(scope: Scope) -> str:
    if scope.level == CENTER and scope.center is not None:
        where = ", ".join(plain(x.name) for x in (scope.regency, scope.province) if x is not None)
        return _("BLK Komunitas: %(name)s (%(where)s)") % {"name": scope.name, "where": where}
    if scope.level == REGENCY:
        return _("Kabupaten/kota: %(name)s, %(province)s") % {
            "name": scope.name,
            "province": scope.province.name if scope.province else "",
        }
    if scope.level == PROVINCE:
        return _("Provinsi: %(name)s") % {"name": scope.name}
    return _("Cakupan: Nasional (seluruh Indonesia)")


def _month(value: dt.date) -> str:
    return formats.date_format(value, "F Y")


class _Document(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, plain(self.footer_text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        page = _("Halaman %(page)s dari %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 5, plain(page), align="R")


def build_summary_pdf(
    summary: Summary, *, printed_by: str, printed_at: dt.datetime | dt.date, compress: bool = True
) -> bytes:
    """The summary as PDF bytes; `compress=False` leaves the text readable in the file (for tests)."""
    printed_on = format_date(printed_at)
    pdf = _Document(orientation="portrait", unit="mm", format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.compress = compress
    pdf.set_title(plain(_("Ringkasan capaian %(name)s") % {"name": summary.scope.name}))
    pdf.set_author(plain(_("Kementerian Ketenagakerjaan Republik Indonesia")))
    pdf.set_creator("Simpul BLK Komunitas")
    pdf.footer_text = _("Dicetak oleh %(name)s pada %(date)s") % {"name": printed_by, "date": printed_on}
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.add_page()

    # Letterhead
    pdf.set_font("Helvetica", "B", 11)
    letterhead = _("Kementerian Ketenagakerjaan Republik Indonesia — Simpul BLK Komunitas")
    pdf.cell(0, 6, plain(letterhead), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y() + 1
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.ln(5)

    # Title, scope, period, date
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, plain(_("Ringkasan Capaian BLK Komunitas")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 10)
    filters = summary.filters
    lines = [
        _scope_line(summary.scope),
        _("Periode: %(start)s s.d. %(end)s") % {"start": _month(filters.month_from), "end": _month(filters.month_to)},
        _("Tanggal cetak: %(date)s") % {"date": printed_on},
    ]
    if filters.cohort:
        lines.append(_("Angkatan: %(year)s") % {"year": filters.cohort})
    if filters.development_class:
        label = dict(DevelopmentClass.choices).get(filters.development_class, filters.development_class)
        lines.append(_("Klasifikasi: %(class)s") % {"class": label})
    for line in lines:
        pdf.multi_cell(0, 5, plain(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)

    # Headline indicators
    _heading(pdf, _("Indikator utama"))
    pdf.set_font("Helvetica", "", 9)
    with pdf.table(col_widths=(70, 45, 65), text_align=("LEFT", "RIGHT", "RIGHT"), line_height=5.5) as table:
        header = table.row()
        for text in (_("Indikator"), _("Nilai"), _("Pembilang / penyebut")):
            header.cell(plain(text))
        for indicator in INDICATORS:
            result = summary.headline.get(indicator.key)
            row = table.row()
            row.cell(plain(indicator.label))
            row.cell(plain(figure_text(result)))
            row.cell(plain(figure_note(result) if indicator.denominator else ""))
    pdf.ln(4)

    # Child areas
    if summary.areas:
        _heading(pdf, summary.area_title)
        pdf.set_font("Helvetica", "", 8)
        labels = {i.key: i.label for i in INDICATORS}
        with pdf.table(
            col_widths=(52, *([26] * len(AREA_INDICATORS))),
            text_align=("LEFT", *(["RIGHT"] * len(AREA_INDICATORS))),
            line_height=5,
        ) as table:
            header = table.row()
            header.cell(plain(_("Wilayah")))
            for key in AREA_INDICATORS:
                header.cell(plain(labels[key]))
            for area in summary.areas:
                row = table.row()
                row.cell(plain(area.label))
                for key in AREA_INDICATORS:
                    row.cell(plain(figure_text(area.figures.get(key))))
        if summary.areas_left_out:
            pdf.set_font("Helvetica", "I", 8)
            pdf.multi_cell(
                0,
                5,
                plain(
                    _("Dan %(count)s wilayah lain dengan peserta lebih sedikit.")
                    % {"count": format_number(summary.areas_left_out)}
                ),
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        pdf.ln(4)

    # Warnings
    _heading(pdf, _("Peringatan dini (per tanggal cetak)"))
    pdf.set_font("Helvetica", "", 9)
    with pdf.table(col_widths=(140, 40), text_align=("LEFT", "RIGHT"), line_height=5.5) as table:
        header = table.row()
        header.cell(plain(_("Jenis peringatan")))
        header.cell(plain(_("Jumlah BLK")))
        for label, count in summary.warnings:
            row = table.row()
            row.cell(plain(label))
            row.cell(format_number(count))
    return bytes(pdf.output())


def _heading(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, plain(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
