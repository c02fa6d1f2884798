"""Printing a PDF made by `app/` through the Qt print dialog (QtPdf renders the same PDF), and
saving bytes the VP asked to save, with a Dutch message on failure."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QMessageBox, QWidget

from app.files import write_atomic
from app.i18n import _


def save_bytes(parent: QWidget, path: Path, data: bytes) -> bool:
    try:
        write_atomic(path, data)
    except OSError:
        QMessageBox.warning(parent, _("Save"), _(
            "The file could not be saved in {folder}. Check that the folder exists and that "
            "you may write in it.").format(folder=path.parent))
        return False
    return True


def print_pdf(parent: QWidget, data: bytes, title: str) -> bool:
    """Show the print dialog and print every page of the PDF `data`."""
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    document = QPdfDocument(parent)
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    render_to_printer(document, printer)
    buffer.close()
    return True


def render_to_printer(document: object, printer: object) -> None:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter

    assert isinstance(document, QPdfDocument) and isinstance(printer, QPrinter)
    painter = QPainter()
    if not painter.begin(printer):
        return
    try:
        dpi = printer.resolution()
        for index in range(document.pageCount()):
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            size = QSize(int(points.width() / 72 * dpi), int(points.height() / 72 * dpi))
            image = document.render(index, size)
            painter.drawImage(0, 0, image)
    finally:
        painter.end()
