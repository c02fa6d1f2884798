"""Handover to a successor VP (PRODUCT.md job 7).

First page: choose an empty folder, read what goes along (open cases only; what is due for
destruction is destroyed first) and that the successor gets a new key. Then
`app.services.handover.handover` makes the successor's data file, and the second page shows
the new key ONCE with a recovery sheet to save or print.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError
from app.i18n import _
from app.messages import reason_message
from app.security.recovery_sheet import render_recovery_sheet
from app.services.handover import HandoverError, handover, handover_done_message
from app.services.retention import RetentionError
from app.store.db import StoreError
from app.store.settings import load_settings
from ui.help import install_help
from ui.key_sheet import KeySheetPanel
from ui.style import label

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class HandoverDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.target: Path | None = None
        self.key: str | None = None
        self.setWindowTitle(_("Hand over to a successor"))
        self.resize(720, 480)
        outer = QVBoxLayout(self)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._key_page())
        self.buttons = QDialogButtonBox()
        self.start_button = QPushButton(_("Make the successor's file"))
        self.start_button.clicked.connect(self.run)
        self.buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.clicked.connect(self.reject)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.accept)
        self.close_button.hide()
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        outer.addWidget(self.buttons)
        from ui.dialogs.handover_finish import Finisher

        self.finisher = Finisher(self)  # closed files, archive key, wiping (issue 13)
        install_help(self, "handover")
        self._update()

    # -- pages ------------------------------------------------------------------------------
    def _choose_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(label(_("Hand over to a successor"), "title"))
        layout.addWidget(label(_(
            "This makes a separate data file for the next confidential adviser. It holds only "
            "the open cases with everything in them, the requests still to be answered and "
            "this school year's activities. Closed cases stay with you and are not handed "
            "over; what is due for destruction is destroyed first.")))
        layout.addWidget(label(_(
            "Your successor gets a NEW recovery key, shown once after the file is made. Print "
            "the recovery sheet and give it to your successor separately from the file.")))
        layout.addWidget(label(_("Choose an empty folder for the successor's file, for example "
                                 "on a USB stick:")))
        row = QHBoxLayout()
        self.folder_edit = QLineEdit()
        self.folder_edit.textChanged.connect(lambda *_a: self._update())
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self.browse)
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        self.problem = label("", "error")
        self.problem.hide()
        layout.addWidget(self.problem)
        layout.addStretch(1)
        return page

    def _key_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(label(_("The successor's recovery key"), "title"))
        self.done_label = label("")
        layout.addWidget(self.done_label)
        layout.addWidget(label(_("This key is shown only now."), "warning"))
        self.panel = KeySheetPanel(self.sheet)
        layout.addWidget(self.panel)
        self.done_box = QCheckBox(_("I have printed the sheet or written the key down"))
        self.done_box.toggled.connect(lambda *_a: self._update())
        layout.addWidget(self.done_box)
        layout.addStretch(1)
        return page

    # -- acting -----------------------------------------------------------------------------
    def browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Folder for the successor's file"))
        if folder:
            self.folder_edit.setText(folder)

    def _folder_problem(self, folder: Path) -> str:
        if folder.exists() and not folder.is_dir():
            return _("This is not a folder. Choose an empty folder.")
        if folder.is_dir() and any(folder.iterdir()):
            return _("This folder is not empty. Choose an empty folder.")
        return ""

    def _update(self) -> None:
        self.start_button.setEnabled(bool(self.folder_edit.text().strip()))
        self.close_button.setEnabled(self.done_box.isChecked())
        finisher = getattr(self, "finisher", None)
        if finisher is not None:
            finisher.update()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def run(self) -> None:
        session = self.window_.session
        text = self.folder_edit.text().strip()
        if session is None or not text or self.key is not None:
            return
        folder = Path(text).expanduser()
        problem = self._folder_problem(folder)
        if problem:
            self._show_problem(problem)
            return
        try:
            target, key = handover(session, folder, now=self.window_.now())
        except HandoverError as error:
            self._show_problem(error.message)
            return
        except (RetentionError, ValidationError) as error:
            self._show_problem(error.message)
            return
        except StoreError as error:
            self._show_problem(reason_message(error.reason))
            return
        except OSError:
            self._show_problem(_("The successor's file could not be made in this folder. "
                                 "Check that you may write in it."))
            return
        self.target, self.key = target, key
        self.done_label.setText(handover_done_message(target) + "\n\n" + _(
            "Tell the pupils of the open cases yourself that your successor takes over, and "
            "who that is."))
        self.panel.show_key(key)
        self.pages.setCurrentIndex(1)
        self.start_button.hide()
        self.cancel_button.hide()
        self.close_button.show()
        self.finisher.start()
        self._update()
        self.window_.refresh()

    def sheet(self) -> bytes:
        session = self.window_.session
        assert self.key is not None and self.target is not None
        settings = load_settings(session.store) if session is not None else None
        return render_recovery_sheet(
            school=settings.school if settings else "",
            location=settings.location if settings else "",
            data_file=self.target, key=self.key, made_on=self.window_.now().date())

    def reject(self) -> None:
        if self.key is not None and not self.done_box.isChecked():
            answer = QMessageBox.question(self, self.windowTitle(), _(
                "You have not confirmed that the key was printed or written down. Without it "
                "your successor cannot open the file. Close anyway?"))
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()
