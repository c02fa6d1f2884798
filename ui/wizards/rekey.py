"""Change the recovery key (re-key, PRODUCT.md job 7).

Like set-up: the NEW key is shown once, put on a new recovery sheet (save or print), and the
VP retypes two groups of it. Only then does `accept()` call `app.services.rekey.apply_rekey`.
Afterwards the VP is told that older backups keep the old key (`old_backups_message`).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from app.i18n import _
from app.messages import reason_message
from app.security.keys import GROUP_LEN
from app.services.rekey import (
    RekeyError,
    apply_rekey,
    new_key,
    new_recovery_sheet,
    old_backups_message,
)
from ui.help import install_help
from ui.key_sheet import KeySheetPanel
from ui.style import label

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class RekeyWizard(QWizard):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.new_key = new_key()
        self.confirm_groups = sorted(secrets.SystemRandom().sample(range(6), 2))
        self.changed = False
        self.setWindowTitle(_("Change the recovery key"))
        install_help(self, "rekey")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.resize(720, 500)
        self.addPage(RekeyIntroPage())
        self.key_page = NewKeyPage(self)
        self.addPage(self.key_page)
        self.confirm_page = RetypePage(self)
        self.addPage(self.confirm_page)
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Change the key"))

    def sheet(self) -> bytes:
        session = self.window_.session
        assert session is not None
        return new_recovery_sheet(session, self.new_key, self.window_.now().date())

    def accept(self) -> None:
        session = self.window_.session
        if session is None:
            self.reject()
            return
        if not self.confirm_page.isComplete():
            return
        try:
            result = apply_rekey(session, self.new_key, self.window_.provider,
                                 now=self.window_.now())
        except RekeyError as error:
            QMessageBox.warning(self, self.windowTitle(), error.message)
            if error.reason == "not_proven":
                super().reject()
            return
        self.changed = True
        text = old_backups_message() + " " + _(
            "The safety copies in the data folder, which still opened with the old key, have "
            "been removed.")
        for reason in result.warnings:
            text += "\n\n" + reason_message(reason)
        QMessageBox.information(self, self.windowTitle(), text)
        super().accept()


class RekeyIntroPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("A new recovery key"))
        layout = QVBoxLayout(self)
        layout.addWidget(label(_(
            "Change the recovery key when you think someone else may have seen it, or when the "
            "recovery sheet was lost. The data file gets a new key; your case files stay as "
            "they are.")))
        layout.addWidget(label(_(
            "On the next page you see the new key once. Print the new recovery sheet or write "
            "the key down, and keep it locked away. Then you type two groups of it to check.")))
        layout.addWidget(label(_(
            "Backups made before the change keep the OLD key. Keep the old recovery sheet with "
            "them until they have been replaced."), "warning"))
        layout.addStretch(1)


class NewKeyPage(QWizardPage):
    def __init__(self, wizard: RekeyWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(_("Your new recovery key"))
        self.setSubTitle(_("This key is shown only now. Print the recovery sheet or write the "
                           "key down, and keep it locked away."))
        layout = QVBoxLayout(self)
        self.panel = KeySheetPanel(wizard.sheet)
        self.panel.show_key(wizard.new_key)
        layout.addWidget(self.panel)
        layout.addWidget(label(_("Whoever has this key can read every case file. You need it "
                                 "when the computer is replaced and to restore a backup.")))
        self.done_box = QCheckBox(_("I have printed the sheet or written the key down"))
        self.done_box.toggled.connect(self.completeChanged)
        layout.addWidget(self.done_box)
        layout.addStretch(1)

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self.done_box.isChecked()


class RetypePage(QWizardPage):
    def __init__(self, wizard: RekeyWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(_("Check the key"))
        layout = QVBoxLayout(self)
        layout.addWidget(label(_("Type two groups of your new recovery key from the sheet or "
                                 "your note, so we know it was written down correctly.")))
        form = QFormLayout()
        self.first = QLineEdit()
        self.second = QLineEdit()
        a, b = wizard.confirm_groups
        for edit in (self.first, self.second):
            edit.setMaxLength(GROUP_LEN + 2)
            edit.textChanged.connect(self.completeChanged)
        form.addRow(label(_("Group {n}").format(n=a + 1), wrap=False), self.first)
        form.addRow(label(_("Group {n}").format(n=b + 1), wrap=False), self.second)
        layout.addLayout(form)
        layout.addWidget(label(_("When you click “Change the key”, the data file gets the new "
                                 "key. The old key no longer opens it."), "subtitle"))
        layout.addStretch(1)

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        groups = self.wizard_.new_key.split("-")
        a, b = self.wizard_.confirm_groups
        return (self.first.text().strip().upper() == groups[a]
                and self.second.text().strip().upper() == groups[b])
