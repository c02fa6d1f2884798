"""Printing a PDF made by `app/` through the Qt print dialog (QtPdf renders the same PDF), a
print preview of it, and saving bytes the VP asked to save, with a Dutch message on failure.
Save dialogs start in Documents (not the program folder) and warn before a file with pupil
data goes into a cloud-synced or network folder.

The PDF is read from memory (a QBuffer owned by the QPdfDocument), never from a temporary
file. Pages are printed on the whole sheet (`setFullPage`), scaled to fit it with their own
margins, and rendered at no more than 300 dpi so that a 1200-dpi printer does not need
half a gigabyte per page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, QStandardPaths
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app import winfs
from app.files import write_atomic
from app.i18n import _
from app.output_guard import OutputRefused, check_output, kind_of

#: The highest resolution a page is rendered at for printing.
MAX_PRINT_DPI = 300


def save_bytes(parent: QWidget, path: Path, data: bytes) -> bool:
    """Save `data` the VP asked to save, behind the output guard (app/output_guard.py)."""
    try:
        check_output(path, kind_of(data))
    except OutputRefused as refused:
        QMessageBox.warning(parent, _("Save"), refused.message)
        return False
    try:
        write_atomic(path, data)
    except winfs.FileInUseError as held:
        QMessageBox.warning(parent, _("Save"), held.strerror or "")
        return False
    except OSError:
        QMessageBox.warning(parent, _("Save"), _(
            "The file could not be saved in {folder}. Check that the folder exists and that "
            "you may write in it.").format(folder=path.parent))
        return False
    return True


def documents_folder() -> Path:
    """The user's Documents folder; the home folder when there is none."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def ask_pdf_path(parent: QWidget, title: str, name: str, *, personal: bool) -> Path | None:
    """Ask where to save a PDF, starting in Documents; None when the VP cancels. With
    `personal` (pupil data, a recovery key) a synced or network folder asks for confirmation."""
    from app.storage_location import location_risks

    while True:
        chosen, _filter = QFileDialog.getSaveFileName(
            parent, title, str(documents_folder() / name), _("PDF files (*.pdf)"))
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        if not personal or not location_risks(path.parent) & {"network", "synced"}:
            return path
        answer = QMessageBox.warning(
            parent, title, _(
                "This folder is synchronised with the cloud or lies on a network drive, so this "
                "file would leave this computer. It holds confidential data. Save it here "
                "anyway?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            return path


def pdf_document(parent: QWidget, data: bytes) -> Any:
    """A QPdfDocument of the PDF `data`, read from memory (the buffer belongs to it)."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def _printer(title: str) -> Any:
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setFullPage(True)
    return printer


def print_pdf(parent: QWidget, data: bytes, title: str) -> bool:
    """Show the print dialog and print every page of the PDF `data`."""
    from PySide6.QtPrintSupport import QPrintDialog

    document = pdf_document(parent, data)
    try:
        printer = _printer(title)
        dialog = QPrintDialog(printer, parent)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return False
        render_to_printer(document, printer)
        return True
    finally:
        document.deleteLater()


def preview_pdf(parent: QWidget, data: bytes, title: str) -> bool:
    """Show the print preview of the PDF `data` (it has its own print button)."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    document = pdf_document(parent, data)
    try:
        printer = _printer(title)
        dialog = QPrintPreviewDialog(printer, parent)
        dialog.setWindowTitle(_("Print preview: {title}").format(title=title))
        dialog.resize(900, 760)
        dialog.paintRequested.connect(lambda target: render_to_printer(document, target))
        return bool(dialog.exec() == QPrintPreviewDialog.DialogCode.Accepted)
    finally:
        document.deleteLater()


def render_to_printer(document: object, printer: object) -> None:
    """Draw every page of `document` on its own sheet of `printer`, scaled to fit."""
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter

    assert isinstance(document, QPdfDocument) and isinstance(printer, QPrinter)
    painter = QPainter()
    if not painter.begin(printer):
        return
    try:
        sheet = printer.paperRect(QPrinter.Unit.DevicePixel)
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        for index in range(document.pageCount()):
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            if points.width() <= 0 or points.height() <= 0:
                continue
            scale = min(sheet.width() / points.width(), sheet.height() / points.height())
            target = QRectF(0, 0, points.width() * scale, points.height() * scale)
            size = QSize(int(points.width() / 72 * dpi), int(points.height() / 72 * dpi))
            painter.drawImage(target, document.render(index, size))
    finally:
        painter.end()
