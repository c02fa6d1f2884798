"""The school group's PDF: several schools' annual figures added up (reportlab, A4).

reportlab is imported inside :func:`render_group_pdf` so that importing this module
stays cheap. The PDF is built in memory and written with
:func:`app.reports.data_file.write_atomic`, so a failure leaves no partial file.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from app.reports import grouping
from app.reports.annual import report_duty_label
from app.reports.data_file import (
    TABLES,
    MergedFigures,
    write_atomic,
)
from app.reports.suppression import TOTAL_ROW, marker

TITLE = "Jaarcijfers vertrouwenspersonen — samengevoegd"

TABLE_TITLES: dict[str, str] = {
    "totals": "Totalen",
    "categories": "Aard van de problemen",
    "referral_sources": "Aangemeld via",
    "year_groups": "Leerjaren",
    "action_types": "Type acties",
    "months": "Per maand",
    "duties": "Plichten en escalaties",
}

ROW_LABELS: dict[str, str] = {
    # categories
    "pesten": "Pesten (ook online)",
    "seksuele_intimidatie": "Seksuele intimidatie",
    "discriminatie": "Discriminatie",
    "agressie_geweld": "Agressie en geweld",
    "klacht_school": "Klacht over de school",
    "relatie_personeel": "Relatie met een personeelslid",
    "thuissituatie": "Thuissituatie",
    "kindermishandeling": "Huiselijk geweld of kindermishandeling",
    "zelfbeschadiging": "Eetproblemen, zelfbeschadiging, suïcidale gedachten",
    "strafbaar_feit": "Strafbaar feit",
    "welbevinden": "Welbevinden",
    "onderwijs": "Onderwijs",
    "overig": "Overig",
    # referral sources
    "leerling_zelf": "De leerling zelf",
    "ouder": "Ouder",
    "medeleerling": "Medeleerling",
    "mentor_coach": "Mentor of coach",
    "afdelingsleider": "Afdelingsleider",
    "ondersteuningscoordinator": "Ondersteuningscoördinator",
    "docent": "Docent",
    "anders": "Anders",
    # action types
    "luisteren_advies": "Luisteren en advies",
    "verwijzing_intern": "Verwijzing binnen de school",
    "verwijzing_extern": "Verwijzing buiten de school",
    "consultatie_anoniem": "Anonieme consultatie",
    "ouders_geinformeerd": "Ouders geïnformeerd",
    "directie_geinformeerd": "Directie geïnformeerd",
    "meldcode_gestart": "Meldcode gestart",
    "veilig_thuis_advies": "Advies van Veilig Thuis",
    "veilig_thuis_melding": "Melding bij Veilig Thuis",
    "klachtverwijzing": "Verwezen naar de klachtenregeling",
    "aangifte_begeleid": "Begeleid bij aangifte",
    "beleidsadvies": "Beleidsadvies",
    # duties
    "ACT_NOW": "Direct handelen (acuut gevaar)",
    "MELDCODE": "Meldcode",
    "VEILIG_THUIS_ADVICE": "Advies vragen aan Veilig Thuis",
    "REPORT_BOARD": "Melden bij het bevoegd gezag",
    "REPORT_DIRECTOR": "Melden bij de directeur",
    "INFORM_PARENTS": "Ouders informeren",
    "ADVISE_REPORT_POLICE": "Aangifte bespreken",
    "REFER_COMPLAINT": "Verwijzen naar de klachtenregeling",
    "CONSENT_ONLY": "Alleen met toestemming delen",
    TOTAL_ROW: "Totaal",
}

MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def row_label(table: str, row: str) -> str:
    """The Dutch label of a row id (months as "augustus 2025")."""
    if table == "duties" and row != TOTAL_ROW and row not in grouping.group_ids(table):
        return report_duty_label(row)  # plain Dutch, as in a school's own report
    if row in ROW_LABELS:
        return ROW_LABELS[row]
    if row in grouping.group_ids(table):
        return grouping.group_label(table, row)
    if table == "months" and len(row) == 7 and row[4] == "-" and row[5:].isdigit():
        month = int(row[5:])
        if 1 <= month <= 12:
            return f"{MONTHS_NL[month - 1]} {row[:4]}"
    if table == "year_groups":
        return f"Leerjaar {row}" if row.isdigit() else row.replace("_", " ")
    text = row.replace("_", " ")
    return text[:1].upper() + text[1:]


def _note(merged: MergedFigures) -> str:
    mark = marker(merged.threshold)
    return (
        f"Een aantal van 1 tot en met {merged.threshold - 1} wordt niet getoond maar "
        f"weergegeven als \u201c{mark}\u201d, zodat geen leerling herkenbaar is. Waar een "
        "school een aantal zo heeft afgeschermd, is het precieze groepsaantal niet bekend: "
        "dan staat er een bereik, bijvoorbeeld \u201c12–20\u201d, van het kleinst tot het "
        "grootst mogelijke aantal. Een totaal dat een school moest weglaten om kleine "
        "aantallen te beschermen, telt mee als bereik."
    )


def render_group_pdf(merged: MergedFigures, out_path: Path) -> None:
    """Render ``merged`` as an A4 PDF and write it atomically to ``out_path``.

    Raises :class:`app.reports.data_file.DataFileError` (Dutch message) when the
    file cannot be written; nothing is left behind in that case.
    """
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontName="Helvetica", fontSize=10)
    title = ParagraphStyle("title", parent=styles["Title"], fontName="Helvetica-Bold")
    heading = ParagraphStyle(
        "heading", parent=styles["Heading2"], fontName="Helvetica-Bold", fontSize=12
    )
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11)
    right = ParagraphStyle("right", parent=body, alignment=TA_RIGHT)

    story: list[Any] = [
        Paragraph(escape(TITLE), title),
        Paragraph(escape(f"Schooljaar {merged.school_year}"), body),
        Spacer(1, 4 * mm),
        Paragraph("Opgenomen scholen", heading),
    ]
    for school, location in merged.schools:
        story.append(Paragraph(escape(f"• {school} — {location}"), body))
    story += [Spacer(1, 3 * mm), Paragraph(escape(_note(merged)), small)]

    for table in TABLES:
        if table not in merged.tables:
            continue
        rows = merged.tables[table]
        data: list[list[Any]] = [
            [Paragraph("<b>Onderdeel</b>", body), Paragraph("<b>Aantal</b>", right)]
        ]
        for row in rows:
            label = row_label(table, row)
            value = merged.display(table, row)
            if row == TOTAL_ROW:
                data.append(
                    [
                        Paragraph(f"<b>{escape(label)}</b>", body),
                        Paragraph(f"<b>{escape(value)}</b>", right),
                    ]
                )
            else:
                data.append([Paragraph(escape(label), body), Paragraph(escape(value), right)])
        grid = Table(data, colWidths=[120 * mm, 40 * mm], repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.whitesmoke]),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        block: list[Any] = [Spacer(1, 5 * mm), Paragraph(escape(TABLE_TITLES[table]), heading)]
        absent = merged.missing.get(table)
        if absent:
            names = ", ".join(f"{school} ({location})" for school, location in absent)
            block.append(Paragraph(escape(f"Zonder de cijfers van: {names}."), small))
        story.append(KeepTogether([*block, grid]))

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8.5)
        canvas.drawString(20 * mm, 12 * mm, f"Jaarcijfers {merged.school_year} — samengevoegd")
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, f"Pagina {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=TITLE,
        author="",
        subject=f"Schooljaar {merged.school_year}",
        creator="Vertrouwd",
        lang="nl-NL",
    )
    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    write_atomic(out_path, buffer.getvalue())
