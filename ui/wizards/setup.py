"""The first-run wizard: school, storage, key mode, the recovery key and its sheet, a check.

Nothing is written until the last page: the key is generated when the key page is first shown,
shown once, put on a recovery sheet (save or print), and the VP retypes two groups of it. Only
`accept()` creates the store (app.security.vault.create_store, which follows the R15 order).
"""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain.errors import ValidationError
from app.i18n import _
from app.messages import reason_message
from app.paths import store_path
from app.security.keys import GROUP_LEN, KeyProvider, generate_recovery_key
from app.security.recovery_sheet import render_recovery_sheet
from app.security.vault import Session, create_store
from app.storage_location import location_risks, risk_message
from app.store.db import StoreError
from app.store.settings import REGIONS, Settings
from ui.help import install_help
from ui.key_sheet import KeySheetPanel
from ui.style import label


class SetupWizard(QWizard):
    def __init__(self, data_dir: Path, provider: KeyProvider, parent: QWidget | None = None):
        super().__init__(parent)
        self.provider = provider
        self.session: Session | None = None
        self.recovery_key = generate_recovery_key()
        self.confirm_groups = sorted(secrets.SystemRandom().sample(range(6), 2))
        self.setWindowTitle(_("Set up Vertrouwd"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        install_help(self)
        self.setMinimumSize(680, 520)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.school_page = SchoolPage()
        self.storage_page = StoragePage(data_dir)
        self.key_page = KeyModePage(provider)
        self.sheet_page = RecoveryKeyPage()
        self.confirm_page = ConfirmPage()
        for page in (IntroPage(), self.school_page, self.storage_page, self.key_page,
                     self.sheet_page, self.confirm_page):
            self.addPage(page)

    def settings(self) -> Settings:
        return Settings(
            school=self.field("school").strip(),
            location=self.field("location").strip(),
            region=REGIONS[self.school_page.region.currentIndex()],
            vp_name=self.field("vp_name").strip(),
            retention_years=int(self.field("retention")),
            backup_dir=self.field("backup_dir").strip(),
        )

    def data_dir(self) -> Path:
        return Path(self.field("data_dir").strip()).expanduser()

    def key_mode(self) -> str:
        return "keyring" if self.key_page.remember.isChecked() else "ask"

    def accept(self) -> None:
        try:
            self.session = create_store(
                self.data_dir(), self.settings(), self.recovery_key,
                key_mode=self.key_mode(), provider=self.provider,
                pin=self.key_page.pin.text() or None,
            )
        except StoreError as error:
            QMessageBox.warning(self, _("Set up Vertrouwd"), reason_message(error.reason))
            return
        except ValidationError as error:  # a name too long or with hidden characters
            QMessageBox.warning(self, _("Set up Vertrouwd"), error.message)
            return
        except OSError:
            QMessageBox.warning(self, _("Set up Vertrouwd"), reason_message("io"))
            return
        if self.session.warnings:
            QMessageBox.information(
                self, _("Set up Vertrouwd"),
                "\n\n".join(reason_message(w) for w in self.session.warnings),
            )
        super().accept()


class IntroPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("help_id", "setup.intro")
        self.setTitle(_("Welcome to Vertrouwd"))
        layout = QVBoxLayout(self)
        layout.addWidget(label(_(
            "Vertrouwd keeps your notes as confidential adviser for pupils in one encrypted "
            "file on this computer. Nothing goes over the internet."
        )))
        layout.addWidget(label(_(
            "In a few steps you enter your school, choose where the file is kept, and receive "
            "a recovery key. Keep that key on paper in a safe place: without it nobody can open "
            "the file, not even IT staff."
        )))
        layout.addStretch(1)


class SchoolPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("help_id", "setup.school")
        self.setTitle(_("Your school"))
        self.setSubTitle(_("This appears on the annual report and the recovery sheet."))
        form = QFormLayout(self)
        self.school = QLineEdit()
        self.location = QLineEdit()
        self.vp_name = QLineEdit()
        self.region = QComboBox()
        self.region.addItems([_("North"), _("Middle"), _("South")])
        self.region.setCurrentIndex(2)
        form.addRow(_("School name *"), self.school)
        form.addRow(_("Location (deelschool)"), self.location)
        form.addRow(_("Holiday region"), self.region)
        form.addRow(_("Your name"), self.vp_name)
        form.addRow(label(_("The holiday region decides which school holidays are skipped when "
                            "Vertrouwd counts school days (answering a contact request, "
                            "referring a complaint). Deadlines that protect a pupil never skip "
                            "school holidays."),
                          "subtitle"))
        self.registerField("school*", self.school)
        self.registerField("location", self.location)
        self.registerField("vp_name", self.vp_name)

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        if not self.school.text().strip():
            self.school.clear()
            self.school.setFocus()
            return False
        return True


class StoragePage(QWizardPage):
    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self.setProperty("help_id", "setup.storage")
        self.setTitle(_("Where your data is kept"))
        self.setSubTitle(_("Choose a folder on this computer that only you can open."))
        form = QFormLayout(self)
        self.folder = QLineEdit(str(data_dir))
        self.backup = QLineEdit()
        self.retention = QSpinBox()
        self.retention.setRange(0, 20)
        self.retention.setValue(1)
        self.retention.setSuffix(_(" year(s)"))
        form.addRow(_("Data folder"), self._with_browse(self.folder))
        form.addRow(_("Backup folder"), self._with_browse(self.backup))
        form.addRow(_("Keep closed cases"), self.retention)
        form.addRow(label(_("Closed cases are destroyed this long after they were counted in an "
                            "annual report. A USB stick or a network folder of the school is a "
                            "good backup place."), "subtitle"))
        self.notice = label("", "warning")
        self.notice.hide()
        form.addRow(self.notice)
        self.registerField("data_dir*", self.folder)
        self.registerField("backup_dir", self.backup)
        self.registerField("retention", self.retention)
        self.folder.textChanged.connect(self._check_folder)

    def _with_browse(self, edit: QLineEdit) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        button = QPushButton(_("Browse…"))
        button.clicked.connect(lambda: self._browse(edit))
        row.addWidget(button)
        return box

    def _browse(self, edit: QLineEdit) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Choose a folder"), edit.text())
        if chosen:
            edit.setText(chosen)

    def _check_folder(self) -> None:
        text = self.folder.text().strip()
        warnings = []
        if text and store_path(Path(text).expanduser()).exists():
            warnings.append(reason_message("exists"))
        risky = risk_message(location_risks(Path(text).expanduser())) if text else ""
        if risky:
            warnings.append(risky)
        self.notice.setText("\n".join(warnings))
        self.notice.setVisible(bool(warnings))

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        text = self.folder.text().strip()
        return bool(text) and not store_path(Path(text).expanduser()).exists()


class KeyModePage(QWizardPage):
    def __init__(self, provider: KeyProvider) -> None:
        super().__init__()
        self.setProperty("help_id", "setup.key_mode")
        self.setTitle(_("How the key is kept"))
        self.setSubTitle(_("The file is locked with a long key. Where should it be kept?"))
        layout = QVBoxLayout(self)
        self.remember = QRadioButton(_("Remember the key on this computer (recommended)"))
        self.ask = QRadioButton(_("Ask for the recovery key every time Vertrouwd starts"))
        layout.addWidget(self.remember)
        layout.addWidget(label(_("The key is kept in Windows' own safe (Credential Manager) "
                                 "under your account."), "subtitle"))
        layout.addWidget(self.ask)
        available = provider.available()
        self.remember.setEnabled(available)
        (self.remember if available else self.ask).setChecked(True)
        if not available:
            layout.addWidget(label(reason_message("keyring_unavailable"), "warning"))
        layout.addSpacing(12)
        layout.addWidget(label(_("Optional: a lock PIN. When Vertrouwd has locked itself, this "
                                 "PIN opens it again (only when the key is remembered).")))
        form = QFormLayout()
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_again = QLineEdit()
        self.pin_again.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Lock PIN"), self.pin)
        form.addRow(_("PIN again"), self.pin_again)
        layout.addLayout(form)
        self.error = label("", "error")
        self.error.hide()
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.remember.toggled.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        self.pin.setEnabled(self.remember.isChecked())
        self.pin_again.setEnabled(self.remember.isChecked())

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        if not self.remember.isChecked():
            self.pin.clear()
            self.pin_again.clear()
            return True
        if self.pin.text() != self.pin_again.text():
            self.error.setText(_("The two PINs are not the same."))
            self.error.show()
            return False
        if self.pin.text() and len(self.pin.text()) < 4:
            self.error.setText(_("A PIN has at least 4 characters."))
            self.error.show()
            return False
        return True


class RecoveryKeyPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("help_id", "setup.recovery_key")
        self.setTitle(_("Your recovery key"))
        self.setSubTitle(_("This key is shown only now. Print the recovery sheet or write the "
                           "key down, and keep it locked away."))
        layout = QVBoxLayout(self)
        self.panel = KeySheetPanel(self.sheet)
        self.key_label = self.panel.key_label
        layout.addWidget(self.panel)
        layout.addWidget(label(_("Whoever has this key can read every case file. You need it "
                                 "when the computer is replaced and to restore a backup.")))
        self.done_box = QCheckBox(_("I have printed the sheet or written the key down"))
        self.done_box.toggled.connect(self.completeChanged)
        layout.addWidget(self.done_box)
        layout.addStretch(1)

    def wizard_(self) -> SetupWizard:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        return wizard

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        self.key_label.setText(self.wizard_().recovery_key)

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self.done_box.isChecked()

    def sheet(self) -> bytes:
        wizard = self.wizard_()
        settings = wizard.settings()
        return render_recovery_sheet(
            school=settings.school, location=settings.location,
            data_file=store_path(wizard.data_dir()), key=wizard.recovery_key,
            made_on=date.today(),
        )


class ConfirmPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("help_id", "setup.confirm")
        self.setTitle(_("Check the key"))
        layout = QVBoxLayout(self)
        self.intro = label("")
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.first = QLineEdit()
        self.second = QLineEdit()
        for edit in (self.first, self.second):
            edit.setMaxLength(GROUP_LEN + 2)
            edit.textChanged.connect(self.completeChanged)
        self.first_label = label("", wrap=False)
        self.second_label = label("", wrap=False)
        form.addRow(self.first_label, self.first)
        form.addRow(self.second_label, self.second)
        layout.addLayout(form)
        layout.addWidget(label(_("When you click Finish, the encrypted data file is made."),
                               "subtitle"))
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        a, b = wizard.confirm_groups
        self.intro.setText(_("Type two groups of your recovery key from the sheet or your note, "
                             "so we know it was written down correctly."))
        self.first_label.setText(_("Group {n}").format(n=a + 1))
        self.second_label.setText(_("Group {n}").format(n=b + 1))

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        wizard = self.wizard()
        if not isinstance(wizard, SetupWizard):
            return False
        groups = wizard.recovery_key.split("-")
        a, b = wizard.confirm_groups
        return (self.first.text().strip().upper() == groups[a]
                and self.second.text().strip().upper() == groups[b])
