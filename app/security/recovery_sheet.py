"""The recovery sheet: a one-page A4 PDF with the recovery key and what to do with the sheet.

It holds the school, the date, where the data file lives and the key, nothing else of the store.
It is rendered to bytes so that printing needs no file; saving is the VP's explicit choice.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from app.i18n import _


def render_recovery_sheet(
    *, school: str, location: str, data_file: Path, key: str, made_on: date
) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    pdf.setTitle(_("Vertrouwd recovery sheet"))
    pdf.setAuthor("Vertrouwd")
    width, height = A4
    left = 25 * mm
    y = height - 30 * mm

    pdf.setFont("Helvetica-Bold", 20)
    pdf.drawString(left, y, _("Recovery sheet for Vertrouwd"))
    y -= 10 * mm
    pdf.setFont("Helvetica", 11)
    for label, value in (
        (_("School"), school + (f" — {location}" if location else "")),
        (_("Made on"), made_on.strftime("%d-%m-%Y")),
        (_("Data file"), str(data_file)),
    ):
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(left, y, label + ":")
        pdf.setFont("Helvetica", 11)
        pdf.drawString(left + 40 * mm, y, value[:80])
        y -= 6 * mm

    y -= 8 * mm
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(left, y, _("Recovery key"))
    y -= 20 * mm
    pdf.setStrokeColor(colors.black)
    pdf.setLineWidth(1.5)
    pdf.rect(left, y - 4 * mm, width - 2 * left, 18 * mm)
    pdf.setFont("Courier-Bold", 17)
    pdf.drawCentredString(width / 2, y + 2 * mm, key)
    y -= 18 * mm

    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(left, y, _("What to do with this sheet"))
    y -= 7 * mm
    pdf.setFont("Helvetica", 11)
    advice = [
        _("This key opens all case files. Whoever has this sheet can read them."),
        _("Keep the sheet locked away, for example in the director's safe."),
        _("Do not keep it with the computer or the backup stick, and do not photograph it."),
        _("You need the key when the computer is replaced, when the key is no longer"),
        _("remembered on this computer, and to restore a backup."),
        _("Without this key nobody can open the data, not even the school's IT staff."),
        _("When you change the key in Vertrouwd, print a new sheet and destroy this one."),
    ]
    for line in advice:
        pdf.drawString(left, y, "• " + line if not line[0].islower() else "  " + line)
        y -= 6 * mm
    pdf.setFont("Helvetica-Oblique", 9)
    pdf.drawString(left, 20 * mm, _("Vertrouwd — confidential: the key to pupils' case files."))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
