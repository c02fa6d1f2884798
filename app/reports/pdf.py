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

from app.domain.dates import month_name
from app.domain.lists import ACTIVITY_KINDS
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
from app.reports.narrative import activity_label, headline, in_numbers, key_meaning
from app.reports.suppression import TOTAL_ROW, Cell, marker

TEXT_KEYS: tuple[str, ...] = ("summary", "signals", "advice", "activities")
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
_CONCEPT = "#b3261e"


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


def _make_canvas_class(footer_left: str, header: str | None = None) -> Any:
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
            width, height = self._pagesize
            self.saveState()
            if header is not None:  # a concept: said on every page, and shown across it
                self.setFillColor(_CONCEPT)
                self.setFont("Helvetica-Bold", 9)
                self.drawString(20 * mm, height - 12 * mm, header)
                self.setFillColor(_CONCEPT, alpha=0.08)
                self.setFont("Helvetica-Bold", 110)
                self.translate(width / 2, height / 2)
                self.rotate(50)
                self.drawCentredString(0, -35, "CONCEPT")
                self.restoreState()
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
        self.lead = ParagraphStyle(
            "lead", parent=self.body, fontName="Helvetica-Oblique", spaceBefore=2, spaceAfter=2
        )
        self.concept = ParagraphStyle(
            "concept",
            parent=self.body,
            fontName="Helvetica-Bold",
            textColor=colors.HexColor(_CONCEPT),
            borderColor=colors.HexColor(_CONCEPT),
            borderWidth=0.8,
            borderPadding=5,
            spaceBefore=4,
            spaceAfter=10,
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


def _facts(figures: AnnualFigures, st: _Styles) -> Any:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Table, TableStyle

    school = figures.school.strip() or _("(name of the school not filled in)")
    period = _period(figures)
    if figures.partial:
        period += " " + _("(the school year is not over yet)")
    facts: list[tuple[str, str]] = [(_("School"), school)]
    if figures.location.strip():
        facts.append((_("Location"), figures.location.strip()))
    facts.append((_("Period"), period))
    if figures.vp_name.strip():
        facts.append((_("Confidential adviser"), figures.vp_name.strip()))
    facts.append((_("Made in"), month_label(figures.made_month)))
    grid = Table(
        [[Paragraph(escape(k), st.cell_bold), Paragraph(escape(v), st.cell)] for k, v in facts],
        colWidths=[40 * mm, 130 * mm],
        hAlign="LEFT",
    )
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, colors.HexColor("#d8dee6")),
            ]
        )
    )
    return grid


def concept_note(figures: AnnualFigures) -> str:
    """Why a report of the running school year is a concept (printed on page 1)."""
    return _(
        "CONCEPT. The school year {year} is not over yet, so these figures are not final. Only "
        "a report made after 31 July is final; the school group accepts only final figures, "
        "because two reports of one year, months apart, would reveal single pupils by their "
        "difference."
    ).format(year=figures.school_year)


def _vp_block(title: str, text: str, empty: str, st: _Styles) -> list[Any]:
    from reportlab.platypus import Paragraph

    blocks = _paragraphs(text)
    story: list[Any] = [Paragraph(escape(title), st.h2)]
    if blocks:
        story += [Paragraph(block, st.body) for block in blocks]
    else:
        story.append(Paragraph(escape(empty), st.small))
    return story


def discussed_line(discussed_on: str) -> str:
    """"Besproken met de directeur op …" with the date the VP filled in, or a line to write on."""
    text = discussed_on.strip()
    shown = (_day(text) if len(text) == 10 and text[4:5] == "-" else text) or "……………………………………"
    return _("Discussed with the director on {date} (protocol 6j).").format(date=shown)


def _first_page(figures: AnnualFigures, texts: Mapping[str, str], st: _Styles) -> list[Any]:
    """Page 1: the VP's own summary and the signals for policy (protocol 4c, 6j)."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, Paragraph, Spacer

    school = figures.school.strip() or _("(name of the school not filled in)")
    subtitle = _("School year {year}").format(year=figures.school_year)
    if figures.concept:
        subtitle += " — " + _("CONCEPT")
    story: list[Any] = [
        Paragraph(escape(school.upper()), st.kicker),
        Paragraph(escape(report_title()), st.title),
        Paragraph(escape(subtitle), st.subtitle),
        Spacer(1, 2 * mm),
        HRFlowable(width="100%", thickness=1.2, color=colors.HexColor(_THIS_YEAR)),
        Spacer(1, 3 * mm),
        _facts(figures, st),
        Spacer(1, 3 * mm),
    ]
    if figures.concept:
        story.append(Paragraph(escape(concept_note(figures)), st.concept))
    numbers = in_numbers(figures)
    if numbers and not figures.empty:
        story.append(Paragraph(escape(numbers), st.statement))
    signals = "\n\n".join(
        text for text in (texts.get("signals", ""), texts.get("advice", "")) if text.strip()
    )
    story += _vp_block(
        _("Summary by the confidential adviser"),
        texts.get("summary", ""),
        _("(The confidential adviser has not written a summary.)"),
        st,
    )
    story += _vp_block(
        _("Signals and advice for school policy (protocol 4c)"),
        signals,
        _("(No signals or advice written.)"),
        st,
    )
    story += [
        Spacer(1, 4 * mm),
        Paragraph(escape(discussed_line(texts.get("discussed_on", ""))), st.statement),
        Paragraph(
            escape(
                _(
                    "This report holds anonymised numbers only: no names, classes or content "
                    "of conversations. The figures follow on the next pages."
                )
            ),
            st.small,
        ),
    ]
    return story


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

    previous = figures.comparable(table)
    heads = _column_heads(figures)
    label_width = 110 * mm
    data: list[list[Any]] = [["", *heads]]
    rows = list(figures.rows(table))
    if table in WITH_TOTAL:
        rows.append(TOTAL_ROW)
    for row in rows:
        bold = row == TOTAL_ROW
        text = row_label(table, row, with_year=False)
        font = "Helvetica-Bold" if bold else "Helvetica"
        label: Any = text
        if stringWidth(text, font, 9) > label_width - 12:
            label = Paragraph(escape(text), st.cell_bold if bold else st.cell)
        now = "" if _not_yet(figures, table, row) else show(figures.cell(table, row))
        cells = [label, now]
        if previous is not None:
            cells.append(show(previous.cell(table, figures.previous_row(table, row))))
        elif figures.previous is not None:
            cells.append("")
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

    previous = figures.comparable(table)
    notes: list[Any] = []
    if figures.previous is not None and previous is None:
        notes.append(
            Paragraph(
                escape(
                    _(
                        "The school year {year} was reported at another level of detail for "
                        "this table; see that year's own report."
                    ).format(year=figures.previous.school_year)
                ),
                st.small,
            )
        )
    hidden = bool(figures.hidden(table)) or (previous is not None and bool(previous.hidden(table)))
    if not hidden:
        return notes
    return [
        *notes,
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
    """A month or term of a running school year that has not begun: blank, not shown as 0."""
    return figures.not_yet(table, row)


def _legend_items(figures: AnnualFigures, table: str) -> list[tuple[str, str]]:
    items = [(_THIS_YEAR, figures.school_year)]
    previous = figures.comparable(table)
    if previous is not None:
        items.append((_LAST_YEAR, previous.school_year))
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
    sets = [figures] + [p for p in (figures.comparable(table),) if p is not None]
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
    _draw_legend(drawing, _legend_items(figures, table), label_width, height - 12)
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
    chart.categoryAxis.categoryNames = [
        _short_month(int(row[5:7])) if row[4:5] == "-" else _("Term {n}").format(n=row[-1])
        for row in rows
    ]
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
    _draw_legend(drawing, _legend_items(figures, "months"), 10, height - 12)
    return drawing


def _has_bars(figures: AnnualFigures, table: str) -> bool:
    sets = [figures] + [p for p in (figures.comparable(table),) if p is not None]
    return any(fig.cell(table, row) not in (0, None) for fig in sets for row in fig.rows(table))


def _has_marker(figures: AnnualFigures, table: str) -> bool:
    mark = marker(figures.threshold)
    sets = [figures] + [p for p in (figures.comparable(table),) if p is not None]
    return any(fig.cell(table, row) == mark for fig in sets for row in fig.rows(table))


def _section(figures: AnnualFigures, table: str, st: _Styles, width: float) -> list[Any]:
    """One table with its title, what it counts, what stands out, and its chart: one block."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer

    block: list[Any] = [
        Paragraph(escape(table_title(table)), st.h2),
        Paragraph(escape(table_explanation(table)), st.small),
        Paragraph(escape(headline(figures, table)), st.lead),
    ]
    if figures.omitted(table):
        return [KeepTogether(block), Spacer(1, 6 * mm)]
    block += [
        Spacer(1, 1 * mm),
        _table(figures, table, st),
        *_hidden_note(figures, table, st),
    ]
    if _has_bars(figures, table):
        chart = (
            _months_chart(figures, width)
            if table == "months"
            else _horizontal_chart(figures, table, width)
        )
        block += [Spacer(1, 3 * mm), chart]
        if _has_marker(figures, table):
            block.append(
                Paragraph(
                    escape(
                        _("A count shown as “{mark}” has no bar: its exact size is not shown.")
                    ).format(mark=escape(marker(figures.threshold))),
                    st.small,
                )
            )
    return [KeepTogether(block), Spacer(1, 6 * mm)]


def _grid_style(extra: Sequence[Any] = ()) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), "Helvetica"),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(_INK)),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f5f9")]),
            *extra,
        ]
    )


def key_figures_title() -> str:
    return _("The figures in brief")


def _key_figures(figures: AnnualFigures, st: _Styles) -> list[Any]:
    """The key figures, each with one sentence saying what it means, and what stands out."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

    previous = figures.previous
    head = [_("Figure"), figures.school_year] + (
        [previous.school_year] if previous is not None else []
    )
    data: list[list[Any]] = [head]
    for row in figures.rows("totals"):
        text = (
            f"<b>{escape(row_label('totals', row))}</b><br/>"
            f"<font size='8' color='{_MUTED}'>{escape(key_meaning(row))}</font>"
        )
        cells: list[Any] = [Paragraph(text, st.cell), show(figures.cell("totals", row))]
        if previous is not None:
            cells.append(show(previous.cell("totals", row)))
        data.append(cells)
    grid = Table(
        data, colWidths=[120 * mm] + [25 * mm] * (len(head) - 1), repeatRows=1, hAlign="LEFT"
    )
    grid.setStyle(
        _grid_style([("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("FONTSIZE", (1, 1), (-1, -1), 11)])
    )
    story: list[Any] = [
        Paragraph(escape(key_figures_title()), st.h1),
        Paragraph(escape(table_explanation("totals")), st.small),
        Spacer(1, 2 * mm),
        grid,
        *_hidden_note(figures, "totals", st),
    ]
    if not figures.empty:
        story += [
            Spacer(1, 4 * mm),
            KeepTogether(
                [
                    Paragraph(escape(_("What stands out")), st.h3),
                    *[
                        Paragraph(
                            escape(headline(figures, table))
                            + f" <font color='{_MUTED}'>({escape(table_title(table))})</font>",
                            st.body,
                            bulletText="•",
                        )
                        for table in SECTIONS
                    ],
                ]
            ),
        ]
    return story


def _activities(figures: AnnualFigures, texts: Mapping[str, str], st: _Styles) -> list[Any]:
    """Activities by kind with their reach (exact: they are not about pupils), and the VP's text."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

    previous = figures.previous
    head = [_("Activity"), _("How often"), _("People reached")]
    if previous is not None:
        head.append(_("How often {year}").format(year=previous.school_year))
    data: list[list[Any]] = [head]
    kinds = [k for k in ACTIVITY_KINDS if k in figures.activities] + [
        k for k in ACTIVITY_KINDS
        if previous is not None and k in previous.activities and k not in figures.activities
    ]
    for kind in kinds:
        count, reach = figures.activities.get(kind, (0, 0))
        cells: list[Any] = [activity_label(kind), str(count), str(reach) if reach else "—"]
        if previous is not None:
            cells.append(str(previous.activities.get(kind, (0, 0))[0]))
        data.append(cells)
    block: list[Any] = [
        Paragraph(escape(table_title("activities")), st.h2),
        Paragraph(escape(table_explanation("activities")), st.small),
        Spacer(1, 1 * mm),
    ]
    if kinds:
        grid = Table(
            data,
            colWidths=[75 * mm, 25 * mm, 35 * mm] + [35 * mm] * (len(head) - 3),
            hAlign="LEFT",
        )
        grid.setStyle(_grid_style([("ALIGN", (1, 0), (-1, -1), "RIGHT")]))
        block.append(grid)
    else:
        block.append(Paragraph(escape(_("No activities were registered.")), st.body))
    story: list[Any] = [KeepTogether(block)]
    own = _paragraphs(texts.get("activities", ""))
    if own:
        story += [Spacer(1, 2 * mm)] + [Paragraph(text, st.body) for text in own]
    return [*story, Spacer(1, 6 * mm)]


def _about(figures: AnnualFigures, st: _Styles) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Paragraph

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
    return [
        CondPageBreak(70 * mm),
        Paragraph(escape(_("About this report")), st.h1),
        Paragraph(escape(_role_text()), st.body),
        Paragraph(escape(_("How the figures are protected")), st.h3),
        Paragraph(escape(suppression_note(figures.threshold)), st.body),
        Paragraph(escape(grouping_note(figures.threshold)), st.body),
        Paragraph(escape(period_note), st.body),
    ]


def grouping_note(threshold: int) -> str:
    return _(
        "Where more than half of the numbers of a table would be smaller than {t}, the table "
        "shows groups instead (for example four groups of problems, or four school terms "
        "instead of twelve months), so that it still says something. A table whose total would "
        "otherwise have to be left out is also shown in groups."
    ).format(t=threshold)


def _day(iso: str) -> str:
    """``2026-12-03`` as "3 december 2026" (the text itself when it is not such a date)."""
    try:
        return f"{int(iso[8:10])} {month_name(int(iso[5:7]))} {iso[:4]}"
    except (ValueError, IndexError):
        return iso


def witness_text(witness: tuple[str, str] | None) -> str:
    """The journal's check code as printed on the last page."""
    if witness is None:
        return _("The journal was empty when this report was made.")
    code, at = witness
    return _(
        "Check code of the journal: {code} (as it stood on {date}). Keep this printed page: "
        "with this code the confidential adviser or an auditor can show later that the "
        "journal of the program has not been changed since (vertrouwd verify "
        "--journal-code {code})."
    ).format(code=code, date=_day(at[:10]))


def _closing(figures: AnnualFigures, witness: tuple[str, str] | None, st: _Styles) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer

    return [
        Spacer(1, 6 * mm),
        KeepTogether(
            [
                Paragraph(escape(_("Recorded")), st.h3),
                Paragraph(escape(witness_text(witness)), st.body),
            ]
        ),
    ]


def render_annual_pdf(
    figures: AnnualFigures,
    texts: Mapping[str, str],
    out: Path | None = None,
    *,
    witness: tuple[str, str] | None = None,
) -> bytes:
    """The report as PDF bytes; with ``out`` also written there atomically.

    ``texts`` holds the VP's own texts under ``summary``, ``signals``, ``advice`` and
    ``activities``, and ``discussed_on`` (the date the report was discussed with the
    director, as the VP wrote it; empty: a line to write on). ``witness`` is the journal's
    check code and moment (:func:`app.journal.witness`), printed on the last page. Raises
    :class:`app.reports.data_file.DataFileError` (Dutch message) when ``out`` cannot be
    written; nothing is left behind then.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    st = _Styles()
    width = A4[0] - 40 * mm
    story: list[Any] = _first_page(figures, texts, st)
    story += [PageBreak(), *_key_figures(figures, st)]
    if figures.empty:
        story.append(
            Paragraph(escape(_("No contacts were registered in this school year.")), st.statement)
        )
    else:
        story.append(PageBreak())
        for table in SECTIONS:
            story += _section(figures, table, st, width)
    story += _activities(figures, texts, st)
    story += _about(figures, st)
    story += _closing(figures, witness, st)

    school = figures.school.strip()
    footer = _("Annual report of the confidential adviser {year}").format(
        year=figures.school_year
    ) + (f" — {school}" if school else "")
    header = (
        _("CONCEPT — the school year {year} is not over; these figures are not final").format(
            year=figures.school_year
        )
        if figures.concept
        else None
    )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=f"{report_title()} {figures.school_year}"
        + (f" ({_('CONCEPT')})" if figures.concept else ""),
        author=figures.vp_name.strip(),
        subject=school,
        creator="Vertrouwd",
        lang="nl-NL",
    )
    document.build(story, canvasmaker=_make_canvas_class(footer, header))
    pdf = buffer.getvalue()
    if out is not None:
        write_atomic(out, pdf)
    return pdf
