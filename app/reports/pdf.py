"""The annual report as an A4 PDF for the director (protocol 6j), made with reportlab.

Renders one :class:`app.reports.annual.AnnualFigures` (already suppressed: this module never
sees a raw count) and the VP's own texts. Layout: a title page (school, location, school
year, the VP's name, the month the report was made); "About this report" with the VP's role
and the suppression rule; the key figures; one section per table with a table (this year
beside the year before) and a bar chart; the VP's texts; "Pagina N van M" on every page
(a canvas that counts the pages before it writes them).

Charts: a suppressed cell is drawn as a bar of length 0 labelled "<5" — never at a guessed
value; the value axis has no numbers (every bar carries its own label), so the chart shows
no number that is not in the table. Helvetica (built in) covers the Dutch characters
(é, ë, ï, –, “ ”) through WinAnsi encoding.

reportlab is imported inside the functions so that importing this module stays cheap. The
PDF is built in memory; with ``out`` it is written through
:func:`app.reports.data_file.write_atomic` (temporary file, sync, rename).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from app.i18n import _
from app.reports.annual import (
    AnnualFigures,
    month_label,
    row_label,
    show,
    table_explanation,
    table_title,
)
from app.reports.data_file import WITH_TOTAL, write_atomic
from app.reports.suppression import TOTAL_ROW, Cell, marker

TEXT_KEYS: tuple[str, ...] = ("activities", "signals", "advice")
SECTIONS: tuple[str, ...] = (
    "categories",
    "referral_sources",
    "year_groups",
    "action_types",
    "months",
    "duties",
)

_INK = "#1d3557"
_THIS_YEAR = "#2f6690"
_LAST_YEAR = "#a9c4dc"
_MUTED = "#5c677d"


def report_title() -> str:
    return _("Annual report of the confidential adviser for pupils")


def suppression_note(threshold: int) -> str:
    """The rule in one paragraph, as printed in the report."""
    return _(
        "Counts from 1 to {high} are shown as “{mark}”, so that no pupil can be recognised. "
        "Where a total together with the other figures would show how large such a small "
        "count is, that total is left out and shown as “—”. Zero is shown as 0. This report "
        "holds no names, classes, dates or content of conversations."
    ).format(high=threshold - 1, mark=marker(threshold))


def _role_text() -> str:
    return _(
        "The confidential adviser for pupils is the first point of contact for pupils who face "
        "bullying, sexual harassment, aggression, violence, discrimination or problems at home. "
        "The adviser listens, helps to make the question for help clear and refers to suitable "
        "help where needed (protocol 3a and 4). Each year the adviser reports to the director "
        "with an anonymised statistical overview of contacts, the nature of the problems and "
        "the type of actions (protocol 6j). This report is that overview; it is discussed with "
        "the director."
    )


def _text_titles() -> dict[str, str]:
    return {
        "activities": _("Activities"),
        "signals": _("Signals and trends"),
        "advice": _("Policy advice to the school management"),
    }


def _short_month(month: int) -> str:
    names = (
        _("Jan"),
        _("Feb"),
        _("Mar"),
        _("Apr"),
        _("May (short)"),
        _("Jun"),
        _("Jul"),
        _("Aug"),
        _("Sep"),
        _("Oct"),
        _("Nov"),
        _("Dec"),
    )
    return names[month - 1]


def _paragraphs(text: str) -> list[str]:
    """The VP's text as escaped paragraphs (blank line = new paragraph, newline = line break)."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").replace("\r", "\n").split("\n\n")]
    return ["<br/>".join(escape(line) for line in block.split("\n")) for block in blocks if block]


def _value(cell: Cell | None) -> float:
    """The bar length of a displayed cell: the count; 0 for "<5" (its label says "<5")."""
    return float(cell) if isinstance(cell, int) else 0.0


def _make_canvas_class(footer_left: str) -> Any:
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas as rl_canvas

    class NumberedCanvas(rl_canvas.Canvas):  # type: ignore[misc]
        """Keeps every page until the end, then stamps "Pagina N van M" on each."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            self.setFont("Helvetica", 8)
            self.setFillColor(_MUTED)
            self.setStrokeColor("#c9d3df")
            self.setLineWidth(0.5)
            self.line(20 * mm, 15 * mm, width - 20 * mm, 15 * mm)
            self.drawString(20 * mm, 10.5 * mm, footer_left)
            self.drawRightString(
                width - 20 * mm,
                10.5 * mm,
                _("Page {page} of {pages}").format(page=self._pageNumber, pages=total),
            )
            self.restoreState()

    return NumberedCanvas


class _Styles:
    def __init__(self) -> None:
        from reportlab.lib import colors
        from reportlab.lib.enums import TA_LEFT, TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle

        ink = colors.HexColor(_INK)
        self.body = ParagraphStyle(
            "body", fontName="Helvetica", fontSize=10, leading=14, spaceAfter=6, alignment=TA_LEFT
        )
        self.small = ParagraphStyle(
            "small", parent=self.body, fontSize=8.5, leading=11.5, textColor=colors.HexColor(_MUTED)
        )
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=9, leading=11, spaceAfter=0)
        self.cell_bold = ParagraphStyle("cellb", parent=self.cell, fontName="Helvetica-Bold")
        self.num = ParagraphStyle("num", parent=self.cell, alignment=TA_RIGHT)
        self.num_bold = ParagraphStyle("numb", parent=self.num, fontName="Helvetica-Bold")
        self.h1 = ParagraphStyle(
            "h1",
            fontName="Helvetica-Bold",
            fontSize=16,
            leading=20,
            textColor=ink,
            spaceBefore=4,
            spaceAfter=8,
        )
        self.h2 = ParagraphStyle(
            "h2",
            fontName="Helvetica-Bold",
            fontSize=13,
            leading=17,
            textColor=ink,
            spaceBefore=10,
            spaceAfter=4,
        )
        self.h3 = ParagraphStyle(
            "h3",
            fontName="Helvetica-Bold",
            fontSize=11,
            leading=14,
            textColor=ink,
            spaceBefore=8,
            spaceAfter=3,
        )
        self.title = ParagraphStyle(
            "title",
            fontName="Helvetica-Bold",
            fontSize=24,
            leading=30,
            textColor=ink,
            spaceAfter=10,
        )
        self.subtitle = ParagraphStyle(
            "subtitle",
            fontName="Helvetica",
            fontSize=15,
            leading=20,
            textColor=ink,
            spaceAfter=4,
        )
        self.kicker = ParagraphStyle(
            "kicker",
            fontName="Helvetica-Bold",
            fontSize=10,
            leading=13,
            textColor=colors.HexColor(_THIS_YEAR),
            spaceAfter=6,
        )
        self.statement = ParagraphStyle(
            "statement",
            parent=self.body,
            fontName="Helvetica-Bold",
            fontSize=12,
            leading=16,
            textColor=ink,
            spaceBefore=6,
            spaceAfter=10,
        )


def _period(figures: AnnualFigures) -> str:
    first = f"{figures.school_year[:4]}-08"
    return _("{first} to {last}").format(
        first=month_label(first), last=month_label(figures.through_month)
    )


def _title_page(figures: AnnualFigures, st: _Styles) -> list[Any]:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, Paragraph, Spacer, Table, TableStyle

    school = figures.school.strip() or _("(name of the school not filled in)")
    facts: list[tuple[str, str]] = [(_("School"), school)]
    if figures.location.strip():
        facts.append((_("Location"), figures.location.strip()))
    facts.append((_("School year"), figures.school_year))
    period = _period(figures)
    if figures.partial:
        period += " " + _("(the school year is not over yet)")
    facts.append((_("Period"), period))
    if figures.vp_name.strip():
        facts.append((_("Confidential adviser"), figures.vp_name.strip()))
    facts.append((_("Made in"), month_label(figures.made_month)))
    grid = Table(
        [[Paragraph(escape(k), st.cell_bold), Paragraph(escape(v), st.cell)] for k, v in facts],
        colWidths=[45 * mm, 115 * mm],
        hAlign="LEFT",
    )
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, colors.HexColor("#d8dee6")),
            ]
        )
    )
    return [
        Spacer(1, 45 * mm),
        Paragraph(escape(school.upper()), st.kicker),
        Paragraph(escape(report_title()), st.title),
        Paragraph(escape(_("School year {year}").format(year=figures.school_year)), st.subtitle),
        Spacer(1, 6 * mm),
        HRFlowable(width="100%", thickness=1.2, color=colors.HexColor(_THIS_YEAR)),
        Spacer(1, 8 * mm),
        grid,
        Spacer(1, 60 * mm),
        Paragraph(
            escape(
                _(
                    "This report holds anonymised numbers only: no names, classes or content "
                    "of conversations. It is meant for the director (protocol 6j)."
                )
            ),
            st.small,
        ),
    ]


def _column_heads(figures: AnnualFigures) -> list[str]:
    heads = [figures.school_year]
    if figures.previous is not None:
        heads.append(figures.previous.school_year)
    return heads


def _table(figures: AnnualFigures, table: str, st: _Styles) -> Any:
    """Label | this year | the year before. Plain strings where they fit (fast to lay out);
    a Paragraph only for a label too long for one line."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Table, TableStyle

    previous = figures.previous
    heads = _column_heads(figures)
    label_width = 110 * mm
    data: list[list[Any]] = [["", *heads]]
    rows = list(figures.rows(table))
    if table in WITH_TOTAL:
        rows.append(TOTAL_ROW)
    for index, row in enumerate(rows):
        bold = row == TOTAL_ROW
        text = row_label(table, row, with_year=False)
        font = "Helvetica-Bold" if bold else "Helvetica"
        label: Any = text
        if stringWidth(text, font, 9) > label_width - 12:
            label = Paragraph(escape(text), st.cell_bold if bold else st.cell)
        now = "" if _not_yet(figures, table, row) else show(figures.cell(table, row))
        cells = [label, now]
        if previous is not None:
            if table == "months":
                prev_row = TOTAL_ROW if bold else previous.rows("months")[index]
            else:
                prev_row = row
            cells.append(show(previous.cell(table, prev_row)))
        data.append(cells)
    widths = [label_width] + [25 * mm] * len(heads)
    grid = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), "Helvetica"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("LEADING", (0, 0), (-1, -1), 11),
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(_INK)),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f5f9")]),
    ]
    if table in WITH_TOTAL:
        style += [
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.HexColor(_INK)),
            ("BACKGROUND", (0, -1), (-1, -1), colors.white),
            ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
        ]
    grid.setStyle(TableStyle(style))
    return grid


def _hidden_note(figures: AnnualFigures, table: str, st: _Styles) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    hidden = bool(figures.hidden(table)) or (
        figures.previous is not None and bool(figures.previous.hidden(table))
    )
    if not hidden:
        return []
    return [
        Spacer(1, 1.5 * mm),
        Paragraph(
            escape(
                _(
                    "— not shown: together with the other figures this number would reveal a "
                    "count that is protected as “{mark}”."
                ).format(mark=marker(figures.threshold))
            ),
            st.small,
        ),
    ]


def _not_yet(figures: AnnualFigures, table: str, row: str) -> bool:
    """A month of a running school year that has not begun: left blank, not shown as 0."""
    return (
        table == "months" and figures.partial and row != TOTAL_ROW and (row > figures.through_month)
    )


def _legend_items(figures: AnnualFigures) -> list[tuple[str, str]]:
    items = [(_THIS_YEAR, figures.school_year)]
    if figures.previous is not None:
        items.append((_LAST_YEAR, figures.previous.school_year))
    return items


def _draw_legend(drawing: Any, items: Sequence[tuple[str, str]], x: float, y: float) -> None:
    from reportlab.graphics.shapes import Rect, String
    from reportlab.lib import colors

    for color, text in items:
        drawing.add(Rect(x, y, 8, 8, fillColor=colors.HexColor(color), strokeColor=None))
        drawing.add(
            String(
                x + 11,
                y + 1,
                text,
                fontName="Helvetica",
                fontSize=8,
                fillColor=colors.HexColor(_INK),
            )
        )
        x += 20 + 5.2 * len(text)


def _series(
    figures: AnnualFigures, table: str, rows: Sequence[str]
) -> tuple[list[list[float]], list[list[str]]]:
    mark = marker(figures.threshold)
    sets = [figures] + ([figures.previous] if figures.previous is not None else [])
    data: list[list[float]] = []
    labels: list[list[str]] = []
    for position, fig in enumerate(sets):
        fig_rows = fig.rows(table) if table == "months" and position else rows
        cells = [fig.cell(table, row) for row in fig_rows]
        data.append([_value(cell) for cell in cells])
        labels.append(
            [
                "" if _not_yet(fig, table, row) else mark if cell is None else str(cell)
                for row, cell in zip(fig_rows, cells, strict=True)
            ]
        )
    return data, labels


def _horizontal_chart(figures: AnnualFigures, table: str, width: float) -> Any:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth

    rows = list(figures.rows(table))
    data, labels = _series(figures, table, rows)
    names = [row_label(table, row) for row in rows]
    font_size = 7.5
    label_width = max(stringWidth(n, "Helvetica", font_size) for n in names) + 8
    series = len(data)
    per_group = 7.0 * series + 5
    plot_height = per_group * len(rows)
    height = plot_height + 24
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x = label_width
    chart.y = 4
    chart.height = plot_height
    chart.width = width - label_width - 30
    # Rows top-down and this year above the year before: reportlab draws the first category,
    # and within a category the first series, at the bottom.
    chart.data = [list(reversed(d)) for d in reversed(data)]
    chart.barLabelArray = [list(reversed(lab)) for lab in reversed(labels)]
    chart.barLabelFormat = "values"
    chart.categoryAxis.categoryNames = list(reversed(names))
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = font_size
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = colors.HexColor("#9aa5b1")
    chart.categoryAxis.tickLeft = 0
    chart.valueAxis.visible = False
    chart.valueAxis.visibleLabels = False
    chart.valueAxis.visibleTicks = False
    chart.valueAxis.visibleGrid = False
    chart.valueAxis.valueMin = 0
    top = max((v for d in data for v in d), default=0.0)
    chart.valueAxis.valueMax = max(top, 1.0) * 1.05
    chart.barWidth = 6
    chart.barSpacing = 1
    chart.groupSpacing = 5
    chart.bars.strokeColor = None
    for index, color in enumerate(reversed((_THIS_YEAR, _LAST_YEAR)[:series])):
        chart.bars[index].fillColor = colors.HexColor(color)
    chart.barLabels.fontName = "Helvetica"
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.barLabels.fillColor = colors.HexColor(_INK)
    drawing.add(chart)
    _draw_legend(drawing, _legend_items(figures), label_width, height - 12)
    return drawing


def _months_chart(figures: AnnualFigures, width: float) -> Any:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    rows = list(figures.rows("months"))
    data, labels = _series(figures, "months", rows)
    height = 150.0
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x = 10
    chart.y = 18
    chart.width = width - 20
    chart.height = height - 44
    chart.data = data
    chart.barLabelArray = labels
    chart.barLabelFormat = "values"
    chart.categoryAxis.categoryNames = [_short_month(int(row[5:7])) for row in rows]
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.dy = -3
    chart.categoryAxis.strokeColor = colors.HexColor("#9aa5b1")
    chart.categoryAxis.tickDown = 0
    chart.valueAxis.visible = False
    chart.valueAxis.visibleLabels = False
    chart.valueAxis.visibleTicks = False
    chart.valueAxis.visibleGrid = False
    chart.valueAxis.valueMin = 0
    top = max((v for d in data for v in d), default=0.0)
    chart.valueAxis.valueMax = max(top, 1.0) * 1.12
    chart.groupSpacing = 8
    chart.barSpacing = 1
    chart.bars.strokeColor = None
    chart.bars[0].fillColor = colors.HexColor(_THIS_YEAR)
    if len(data) > 1:
        chart.bars[1].fillColor = colors.HexColor(_LAST_YEAR)
    chart.barLabels.fontName = "Helvetica"
    chart.barLabels.fontSize = 6
    chart.barLabels.boxAnchor = "s"
    chart.barLabels.dy = 2
    chart.barLabels.fillColor = colors.HexColor(_INK)
    drawing.add(chart)
    _draw_legend(drawing, _legend_items(figures), 10, height - 12)
    return drawing


def _has_bars(figures: AnnualFigures, table: str) -> bool:
    sets = [figures] + ([figures.previous] if figures.previous is not None else [])
    return any(fig.cell(table, row) not in (0, None) for fig in sets for row in fig.rows(table))


def _has_marker(figures: AnnualFigures, table: str) -> bool:
    mark = marker(figures.threshold)
    sets = [figures] + ([figures.previous] if figures.previous is not None else [])
    return any(fig.cell(table, row) == mark for fig in sets for row in fig.rows(table))


def _section(figures: AnnualFigures, table: str, st: _Styles, width: float) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer

    head = [
        Paragraph(escape(table_title(table)), st.h2),
        Paragraph(escape(table_explanation(table)), st.small),
        Spacer(1, 2 * mm),
        _table(figures, table, st),
        *_hidden_note(figures, table, st),
    ]
    parts: list[Any] = [KeepTogether(head)]
    if _has_bars(figures, table):
        chart = (
            _months_chart(figures, width)
            if table == "months"
            else _horizontal_chart(figures, table, width)
        )
        parts += [Spacer(1, 4 * mm), chart]
        if _has_marker(figures, table):
            parts.append(
                Paragraph(
                    escape(
                        _("A count shown as “{mark}” has no bar: its exact size is not shown.")
                    ).format(mark=escape(marker(figures.threshold))),
                    st.small,
                )
            )
    parts.append(Spacer(1, 6 * mm))
    return parts


def _texts(texts: Mapping[str, str], st: _Styles) -> list[Any]:
    from reportlab.platypus import CondPageBreak, Paragraph

    filled = [(key, texts.get(key, "") or "") for key in TEXT_KEYS]
    filled = [(key, text) for key, text in filled if text.strip()]
    if not filled:
        return []
    from reportlab.lib.units import mm

    story: list[Any] = [
        CondPageBreak(60 * mm),
        Paragraph(escape(_("The confidential adviser's notes")), st.h1),
    ]
    titles = _text_titles()
    for key, text in filled:
        story.append(Paragraph(escape(titles[key]), st.h3))
        story += [Paragraph(block, st.body) for block in _paragraphs(text)]
    return story


def render_annual_pdf(
    figures: AnnualFigures, texts: Mapping[str, str], out: Path | None = None
) -> bytes:
    """The report as PDF bytes; with ``out`` also written there atomically.

    ``texts`` holds the VP's own sections under ``activities``, ``signals`` and ``advice``
    (empty ones are left out). Raises :class:`app.reports.data_file.DataFileError` (Dutch
    message) when ``out`` cannot be written; nothing is left behind then.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    st = _Styles()
    width = A4[0] - 40 * mm
    story: list[Any] = _title_page(figures, st)
    story += [
        PageBreak(),
        Paragraph(escape(_("About this report")), st.h1),
        Paragraph(escape(_role_text()), st.body),
        Paragraph(escape(_("How the figures are protected")), st.h3),
        Paragraph(escape(suppression_note(figures.threshold)), st.body),
    ]
    period_note = _("The figures cover {period}.").format(period=_period(figures))
    if figures.partial:
        period_note += " " + _("The school year is not over yet: the figures are not final.")
    if figures.previous is None:
        period_note += " " + _(
            "Nothing was registered in the school year before, so there is no comparison."
        )
    else:
        beside = _("The figures of the school year {year} are shown beside them.")
        period_note += " " + beside.format(year=figures.previous.school_year)
    story.append(Paragraph(escape(period_note), st.body))
    if figures.empty:
        story.append(
            Paragraph(escape(_("No contacts were registered in this school year.")), st.statement)
        )
    story += [Spacer(1, 2 * mm), *_section(figures, "totals", st, width)[:1], Spacer(1, 6 * mm)]
    if not figures.empty:
        story.append(PageBreak())
        for table in SECTIONS:
            story += _section(figures, table, st, width)
    story += _texts(texts, st)

    school = figures.school.strip()
    footer = _("Annual report of the confidential adviser {year}").format(
        year=figures.school_year
    ) + (f" — {school}" if school else "")
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=22 * mm,
        title=f"{report_title()} {figures.school_year}",
        author=figures.vp_name.strip(),
        subject=school,
        creator="Vertrouwd",
        lang="nl-NL",
    )
    document.build(story, canvasmaker=_make_canvas_class(footer))
    pdf = buffer.getvalue()
    if out is not None:
        write_atomic(out, pdf)
    return pdf
