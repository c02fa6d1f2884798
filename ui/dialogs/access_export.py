"""Right of access and right to erasure for one pupil (PRODUCT.md job 8, AVG art. 15 and 17).

`AccessExportDialog` explains who may receive the export, offers requests registered with only
a name like this pupil's to include, and saves the PDF where the VP chooses. `EraseDialog`
asks the VP to type the pupil's name before everything about the pupil is erased.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import show_date
from app.domain.errors import ValidationError
from app.domain.models import Pupil, Request
from app.i18n import _
from app.services import casework
from app.services.access_export import erase_pupil, pupil_export_pdf, unlinked_requests_like
from app.services.pupils import fold
from app.services.retention import RetentionError, backups_note
from app.store.db import Store, StoreError
from app.store.settings import load_settings
from ui.help import install_help
from ui.style import label

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def close_case_tabs(window: MainWindow, case_ids: Iterable[int]) -> None:
    """Close the case file tabs of `case_ids` (they no longer exist)."""
    from ui.views.case_file import CaseFileView

    gone = {int(c) for c in case_ids}
    for index in reversed(range(window.tabs.count())):
        view = window.tabs.widget(index)
        if isinstance(view, CaseFileView) and view.case_id in gone:
            window.tabs.removeTab(index)
            view.deleteLater()


class RequestPicker(QGroupBox):
    """Requests registered with only a name that looks like this pupil's, to include."""

    def __init__(self, requests: list[Request], explanation: str) -> None:
        super().__init__(_("Requests registered with only a name"))
        layout = QVBoxLayout(self)
        layout.addWidget(label(explanation, "subtitle"))
        self.boxes: list[tuple[QCheckBox, int]] = []
        for request in requests:
            text = _("{name}, received {day}").format(
                name=request.pupil_label, day=show_date(request.received_at.date()))
            box = QCheckBox(text)
            layout.addWidget(box)
            self.boxes.append((box, request.id))
        self.setVisible(bool(requests))

    def chosen(self) -> tuple[int, ...]:
        return tuple(rid for box, rid in self.boxes if box.isChecked())


class _PupilDialog(QDialog):
    def __init__(self, window: MainWindow, pupil_id: int) -> None:
        super().__init__(window)
        self.window_ = window
        self.pupil_id = pupil_id
        self.pupil: Pupil = casework.get_pupil(self.store(), pupil_id)

    def store(self) -> Store:
        session = self.window_.session
        if session is None:
            raise ValidationError(_("Vertrouwd is locked. Unlock it and try again."))
        return session.store


class AccessExportDialog(_PupilDialog):
    def __init__(self, window: MainWindow, pupil_id: int) -> None:
        super().__init__(window, pupil_id)
        self.saved_to: Path | None = None
        self.setWindowTitle(_("Access export"))
        self.resize(620, 420)
        layout = QVBoxLayout(self)
        layout.addWidget(label(_("Access export for {name}").format(name=self.pupil.name),
                               "title"))
        layout.addWidget(label(_(
            "Everything Vertrouwd holds about this pupil, as one PDF marked as personal data "
            "(right of access, AVG article 15).")))
        layout.addWidget(label(_(
            "Who may receive it: the parents or carers of a pupil under 16, or the pupil "
            "from 16. Read it before you hand it over: you decide whether parts must be "
            "withheld to protect other people.")))
        self.picker = RequestPicker(unlinked_requests_like(self.store(), pupil_id), _(
            "These requests were registered with only a name like this pupil's. Tick the ones "
            "that are about this pupil to include them."))
        layout.addWidget(self.picker)
        layout.addWidget(label(_(
            "The PDF is saved only where you choose. Keep it safe and delete it once it has "
            "been handed over."), "warning"))
        layout.addStretch(1)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton(_("Save as PDF…"))
        self.save_button.clicked.connect(self.save)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).clicked.connect(self.reject)
        layout.addWidget(buttons)
        install_help(self, "access_export")

    def save(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save access export"), "inzage-vertrouwd.pdf", "PDF (*.pdf)")
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            store = self.store()
            made_by = load_settings(store).vp_name
            pdf = pupil_export_pdf(store, self.pupil_id, made_by=made_by,
                                   now=self.window_.now(), also_requests=self.picker.chosen())
        except (ValidationError, StoreError) as error:
            QMessageBox.warning(self, self.windowTitle(), getattr(error, "message", "") or _(
                "The export could not be made. Try again later."))
            return
        from ui.printing import save_bytes

        if not save_bytes(self, target, pdf):
            return
        self.saved_to = target
        QMessageBox.information(self, self.windowTitle(), _(
            "The access export has been saved as {path}.").format(path=target))
        self.accept()


class EraseDialog(_PupilDialog):
    def __init__(self, window: MainWindow, pupil_id: int) -> None:
        super().__init__(window, pupil_id)
        self.erased_cases: int | None = None
        self.setWindowTitle(_("Erase pupil"))
        self.resize(620, 460)
        store = self.store()
        self.case_ids = [int(r[0]) for r in store.query(
            "SELECT id FROM case_file WHERE pupil_id = ?", (pupil_id,))]
        layout = QVBoxLayout(self)
        layout.addWidget(label(_("Erase {name}").format(name=self.pupil.name), "title"))
        layout.addWidget(label(_(
            "On request (AVG article 17) everything about this pupil is erased: {count} case "
            "file(s), open ones too, with every entry, check and obligation, the requests for "
            "contact and the pupil's details.").format(count=len(self.case_ids))))
        self.picker = RequestPicker(unlinked_requests_like(store, pupil_id), _(
            "These requests were registered with only a name like this pupil's. Tick the ones "
            "that are about this pupil to erase them too."))
        layout.addWidget(self.picker)
        layout.addWidget(label(
            _("This cannot be undone.") + " " + backups_note(), "warning"))
        layout.addWidget(label(_("Type the pupil's name to confirm:")))
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.pupil.name)
        self.name_edit.textChanged.connect(lambda *_a: self._update())
        layout.addWidget(self.name_edit)
        layout.addStretch(1)
        buttons = QDialogButtonBox()
        self.erase_button = QPushButton(_("Erase for good"))
        self.erase_button.clicked.connect(self.erase)
        buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).clicked.connect(self.reject)
        layout.addWidget(buttons)
        install_help(self, "erase")
        self._update()

    def _update(self) -> None:
        typed = fold(self.name_edit.text())
        self.erase_button.setEnabled(bool(typed) and typed == fold(self.pupil.name))

    def erase(self) -> None:
        if not self.erase_button.isEnabled():
            return
        try:
            count = erase_pupil(self.store(), self.pupil_id, now=self.window_.now(),
                                also_requests=self.picker.chosen())
        except RetentionError as error:
            count = error.count
            QMessageBox.warning(self, self.windowTitle(), error.message)
        except (ValidationError, StoreError) as error:
            QMessageBox.warning(self, self.windowTitle(), getattr(error, "message", "") or _(
                "The pupil could not be erased; nothing has been deleted. Try again later."))
            return
        self.erased_cases = count
        close_case_tabs(self.window_, self.case_ids)
        self.window_.refresh()
        QMessageBox.information(self, self.windowTitle(), _(
            "The pupil has been erased, with {count} case file(s).").format(count=count)
            + "\n\n" + backups_note())
        self.accept()


def run_for_pupil(window: MainWindow, pupil_id: int, kind: str, parent: QWidget | None = None
                  ) -> None:
    """Open the access export ("export") or the erasure ("erase") dialog for a pupil."""
    if window.session is None:
        return
    try:
        dialog: QDialog = (AccessExportDialog(window, pupil_id) if kind == "export"
                           else EraseDialog(window, pupil_id))
    except ValidationError as error:
        QMessageBox.warning(parent or window, _("Vertrouwd"), error.message)
        return
    dialog.exec()
