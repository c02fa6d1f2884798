"""The recovery key in large letters with buttons to save or print its recovery sheet: shown
by the set-up wizard, the re-key wizard and the handover dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.i18n import _
from ui.style import label


class KeySheetPanel(QWidget):
    """The key in large letters, and buttons to save or print its recovery sheet."""

    def __init__(self, sheet: Callable[[], bytes]) -> None:
        super().__init__()
        self.sheet = sheet
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.key_label = label("", "key", wrap=False)
        layout.addWidget(self.key_label)
        row = QHBoxLayout()
        save = QPushButton(_("Save recovery sheet as PDF…"))
        save.clicked.connect(self.save)
        print_button = QPushButton(_("Print recovery sheet…"))
        print_button.clicked.connect(self.print_)
        row.addWidget(save)
        row.addWidget(print_button)
        row.addStretch(1)
        layout.addLayout(row)

    def show_key(self, key: str) -> None:
        self.key_label.setText(key)

    def save(self) -> None:
        from ui.printing import ask_pdf_path, save_bytes

        path = ask_pdf_path(self, _("Save recovery sheet"), "herstelblad-vertrouwd.pdf",
                            personal=True)
        if path is not None:
            save_bytes(self, path, self.sheet())

    def print_(self) -> None:
        from ui.printing import print_pdf

        print_pdf(self, self.sheet(), _("Recovery sheet"))
