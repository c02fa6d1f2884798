"""The second half of the handover dialog: nothing stays with the departing VP (issue 13 item 6).

After the successor's key is shown, `Finisher` adds three pages to `HandoverDialog`:

1. the closed files that remain: into an archive for the school board (a folder; its own key)
   or destroyed (not possible while a file is on hold);
2. the archive's recovery key, shown once, with a sheet for the school board;
3. wiping: what will be removed (the data file, its safety copies and its backups in the
   backup folder) after the VP types WISSEN. Then the window closes: there is no store left.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.security.recovery_sheet import render_recovery_sheet
from app.services.handover import HandoverError
from app.services.handover_wipe import (
    CONFIRM_WORD,
    archive_closed,
    closed_count,
    destroy_closed,
    wipe_departing,
)
from app.services.retention import RetentionError
from app.store.db import StoreError
from app.store.settings import load_settings
from ui.key_sheet import KeySheetPanel
from ui.style import label

if TYPE_CHECKING:
    from ui.dialogs.handover import HandoverDialog


class Finisher:
    """Adds the closed-files, archive-key and wipe pages and their buttons to the dialog."""

    def __init__(self, dialog: HandoverDialog) -> None:
        self.dialog = dialog
        self.archive: Path | None = None
        self.archive_key: str | None = None
        self.wiped = False
        self.closed_page = self._closed_page()
        self.key_page = self._key_page()
        self.wipe_page = self._wipe_page()
        for page in (self.closed_page, self.key_page, self.wipe_page):
            dialog.pages.addWidget(page)
        self.next_button = QPushButton(_("Next: your own files…"))
        self.next_button.clicked.connect(self.next)
        self.next_button.hide()
        dialog.buttons.addButton(self.next_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.wipe_button = QPushButton(_("Remove my data file and backups"))
        self.wipe_button.clicked.connect(self.wipe)
        self.wipe_button.hide()
        dialog.buttons.addButton(self.wipe_button, QDialogButtonBox.ButtonRole.ActionRole)

    # -- pages ------------------------------------------------------------------------------
    def _closed_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(label(_("Your closed files"), "title"))
        self.closed_text = label("")
        layout.addWidget(self.closed_text)
        self.archive_choice = QRadioButton(_(
            "Put them in a separate, encrypted archive for the school board (recommended)"))
        self.archive_choice.setChecked(True)
        self.destroy_choice = QRadioButton(_("Destroy them now"))
        layout.addWidget(self.archive_choice)
        row = QHBoxLayout()
        self.folder_edit = QLineEdit()
        self.folder_edit.setPlaceholderText(_("an empty folder, for example on a USB stick"))
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self.browse)
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        layout.addWidget(self.destroy_choice)
        self.problem = label("", "error")
        self.problem.hide()
        layout.addWidget(self.problem)
        layout.addStretch(1)
        return page

    def _key_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(label(_("The archive's recovery key"), "title"))
        layout.addWidget(label(_(
            "Give the archive and this recovery sheet to the school board, separately. The "
            "board keeps them until the retention period of the files has passed. This key is "
            "shown only now."), "warning"))
        self.panel = KeySheetPanel(self.sheet)
        layout.addWidget(self.panel)
        self.key_done = QCheckBox(_("I have printed the sheet or written the key down"))
        self.key_done.toggled.connect(lambda *_a: self.update())
        layout.addWidget(self.key_done)
        layout.addStretch(1)
        return page

    def _wipe_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(label(_("Remove your data file"), "title"))
        layout.addWidget(label(_(
            "A confidential adviser who leaves keeps nothing. Vertrouwd now removes your data "
            "file, its safety copies and its backups in the backup folder, and forgets the "
            "key on this computer. Your successor and the school board have what is needed.")))
        self.wipe_list = label("", "subtitle")
        layout.addWidget(self.wipe_list)
        layout.addWidget(label(_("This cannot be undone. Type {word} to confirm:").format(
            word=CONFIRM_WORD), "warning"))
        self.confirm_edit = QLineEdit()
        self.confirm_edit.textChanged.connect(lambda *_a: self.update())
        layout.addWidget(self.confirm_edit)
        self.wipe_problem = label("", "error")
        self.wipe_problem.hide()
        layout.addWidget(self.wipe_problem)
        layout.addStretch(1)
        return page

    # -- flow -------------------------------------------------------------------------------
    def start(self) -> None:
        """Called once the successor's key is shown."""
        self.next_button.show()
        self.update()

    def update(self) -> None:
        dialog = self.dialog
        page = dialog.pages.currentWidget()
        if page is self.key_page:
            self.next_button.setEnabled(self.key_done.isChecked())
        elif page is self.wipe_page:
            self.next_button.hide()
            self.wipe_button.show()
            self.wipe_button.setEnabled(
                self.confirm_edit.text().strip().upper() == CONFIRM_WORD)
        else:
            self.next_button.setEnabled(dialog.done_box.isChecked())

    def browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.dialog, _("Folder for the archive"))
        if folder:
            self.folder_edit.setText(folder)

    def _show(self, page: QWidget) -> None:
        self.dialog.pages.setCurrentWidget(page)
        self.update()

    def next(self) -> None:
        dialog, session = self.dialog, self.dialog.window_.session
        if session is None:
            return
        page = dialog.pages.currentWidget()
        if page is self.closed_page:
            self._handle_closed()
            return
        if page is self.key_page:
            self._to_wipe()
            return
        closed, held = closed_count(session)
        self.closed_text.setText(_(
            "{count} closed file(s) are still within the retention period ({held} on hold). "
            "They may not stay with you, and they do not go into your successor's daily "
            "work.").format(count=closed, held=held))
        if closed == 0:
            self._to_wipe()
            return
        self._show(self.closed_page)

    def _handle_closed(self) -> None:
        session = self.dialog.window_.session
        assert session is not None
        now = self.dialog.window_.now()
        try:
            if self.destroy_choice.isChecked():
                destroy_closed(session, now=now)
            else:
                text = self.folder_edit.text().strip()
                if not text:
                    self.problem.setText(_("Choose an empty folder for the archive."))
                    self.problem.show()
                    return
                self.archive, self.archive_key, _count = archive_closed(
                    session, Path(text).expanduser(), now=now)
        except (HandoverError, RetentionError) as error:
            self.problem.setText(error.message)
            self.problem.show()
            return
        except (StoreError, OSError):
            self.problem.setText(_("This did not work; nothing has been removed. Check the "
                                   "folder and try again."))
            self.problem.show()
            return
        self.dialog.window_.refresh()
        if self.archive_key is not None:
            self.panel.show_key(self.archive_key)
            self._show(self.key_page)
        else:
            self._to_wipe()

    def _to_wipe(self) -> None:
        session = self.dialog.window_.session
        assert session is not None
        folder = load_settings(session.store).backup_dir
        lines = [_("The data file in {folder}").format(folder=session.data_dir)]
        if folder:
            lines.append(_("Its backups in {folder}").format(folder=folder))
        self.wipe_list.setText("\n".join("• " + line for line in lines))
        self._show(self.wipe_page)

    def sheet(self) -> bytes:
        assert self.archive is not None and self.archive_key is not None
        session = self.dialog.window_.session
        settings = load_settings(session.store) if session is not None else None
        return render_recovery_sheet(
            school=settings.school if settings else "",
            location=settings.location if settings else "",
            data_file=self.archive, key=self.archive_key,
            made_on=self.dialog.window_.now().date())

    def wipe(self) -> None:
        window = self.dialog.window_
        session = window.session
        if session is None or not self.wipe_button.isEnabled():
            return
        window.session = None  # the store goes: the window must not touch it again
        try:
            report = wipe_departing(session, window.provider, typed=self.confirm_edit.text())
        except HandoverError as error:
            window.session = session
            self.wipe_problem.setText(error.message)
            self.wipe_problem.show()
            return
        self.wiped = True
        QMessageBox.information(self.dialog, self.dialog.windowTitle(), report.message())
        self.dialog.accept()
        window.close()
