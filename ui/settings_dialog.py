"""The settings dialog: the school's settings (kept in the encrypted store) and the lock PIN."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.config import save_config
from app.domain.dates import parse_date, show_date
from app.domain.errors import ValidationError
from app.i18n import _
from app.messages import reason_message
from app.security.vault import Session
from app.store.db import StoreError
from app.store.settings import REGIONS, Settings, load_settings, save_settings
from ui.help import install_help
from ui.style import label


class SettingsDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings: Settings = load_settings(session.store)
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        s = self.settings
        self.school = QLineEdit(s.school)
        self.location = QLineEdit(s.location)
        self.vp_name = QLineEdit(s.vp_name)
        self.region = QComboBox()
        self.region.addItems([_("North"), _("Middle"), _("South")])
        self.region.setCurrentIndex(REGIONS.index(s.region))
        self.school_holidays = QCheckBox(_("Skip school holidays when counting working days"))
        self.school_holidays.setChecked(s.school_holidays)
        self.study_days = QLineEdit(", ".join(_dutch_days(s.study_days)))
        self.study_days.setPlaceholderText(_("for example 12-10-2026, 03-02-2027"))
        self.own_holidays = QLineEdit("; ".join(_dutch_periods(s.own_holidays)))
        self.own_holidays.setPlaceholderText(_("for example 17-10-2026 to 25-10-2026"))
        self.own_holidays.setToolTip(_(
            "Only needed when the program does not know the school holidays of a year: it then "
            "says so when you register a request. Write each holiday as first day to last "
            "day; separate holidays with a semicolon."))
        self.lock_minutes = _spin(1, 60, s.lock_minutes, _(" min"))
        self.no_contact = _spin(1, 52, s.no_contact_weeks, _(" weeks"))
        self.retention = _spin(0, 20, s.retention_years, _(" year(s)"))
        self.board_name = QLineEdit(s.board_name)
        self.board_name.setPlaceholderText(_("for example Stichting Onderwijs Peelland"))
        # Names the duty texts use (issue 10); empty: a neutral wording.
        self.complaints_scheme = QLineEdit(s.complaints_scheme)
        self.complaints_scheme.setPlaceholderText(
            _("for example the Klachtenregeling of the board"))
        self.complaints_committee = QLineEdit(s.complaints_committee)
        self.complaints_committee.setPlaceholderText(
            _("for example the Landelijke Klachtencommissie Onderwijs"))
        self.appeal_rules = QLineEdit(s.appeal_rules)
        self.appeal_rules.setPlaceholderText(
            _("for example the Reglement bezwaar en beroep leerlingenzaken"))
        self.retention_meldcode = _spin(0, 30, s.retention_years_meldcode, _(" year(s)"))
        self.safety_days = _spin(1, 30, s.safety_copy_days, _(" days"))
        self.backup_dir = QLineEdit(s.backup_dir)
        self.browse_button = QPushButton(_("Browse…"))
        self.browse_button.clicked.connect(self.browse_backup_dir)
        backup_row = QHBoxLayout()
        backup_row.setContentsMargins(0, 0, 0, 0)
        backup_row.addWidget(self.backup_dir, 1)
        backup_row.addWidget(self.browse_button)
        self.generations = _spin(1, 100, s.backup_generations, "")
        self.warn_days = _spin(1, 90, s.backup_warn_days, _(" days"))
        self.threshold = _spin(5, 50, s.report_threshold, "")
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(_("leave empty to keep; type a space to remove"))
        form.addRow(_("School name"), self.school)
        form.addRow(_("Location"), self.location)
        form.addRow(_("School board (controller)"), self.board_name)
        form.addRow(_("Complaints scheme"), self.complaints_scheme)
        form.addRow(_("Complaints committee"), self.complaints_committee)
        form.addRow(_("Objection and appeal, pupil matters"), self.appeal_rules)
        form.addRow(_("Your name"), self.vp_name)
        form.addRow(_("Holiday region"), self.region)
        form.addRow("", self.school_holidays)
        form.addRow(_("Study days (closed)"), self.study_days)
        form.addRow(_("School holidays, entered yourself"), self.own_holidays)
        form.addRow(_("Lock after"), self.lock_minutes)
        form.addRow(_("Warn when no contact for"), self.no_contact)
        form.addRow(_("Keep closed cases"), self.retention)
        form.addRow(_("Keep files with a meldcode route"), self.retention_meldcode)
        term_note = label(_(
            "There is no fixed term in the law: the school chooses. Counted from the end of the "
            "school year in which the file was closed and counted in the annual report. Files "
            "on hold are kept until the hold ends."), "subtitle")
        # A form does not give a word-wrapped text its height: reserve it, never cut it off.
        term_note.setMinimumHeight(term_note.heightForWidth(380))
        form.addRow("", term_note)
        form.addRow(_("Backup folder"), backup_row)
        form.addRow(_("Backups to keep"), self.generations)
        form.addRow(_("Warn when last backup is older than"), self.warn_days)
        form.addRow(_("Remove safety copies after at most"), self.safety_days)
        form.addRow(_("Annual report: hide counts below"), self.threshold)
        if session.config.key_mode == "keyring":
            form.addRow(_("New lock PIN"), self.pin)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        install_help(self, "settings")

    def browse_backup_dir(self) -> None:
        start = self.backup_dir.text().strip() or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, _("Choose the backup folder"), start)
        if folder:
            self.backup_dir.setText(folder)

    def save(self) -> None:
        try:
            days = _parse_days(self.study_days.text())
            periods = _parse_periods(self.own_holidays.text())
        except ValidationError as error:
            QMessageBox.warning(self, _("Settings"), error.message)
            return
        s = self.settings
        s.school = self.school.text().strip() or s.school
        s.location = self.location.text().strip()
        s.vp_name = self.vp_name.text().strip()
        s.region = REGIONS[self.region.currentIndex()]
        s.school_holidays = self.school_holidays.isChecked()
        s.study_days = sorted(set(days))
        s.own_holidays = periods
        s.lock_minutes = self.lock_minutes.value()
        s.no_contact_weeks = self.no_contact.value()
        s.retention_years = self.retention.value()
        s.board_name = self.board_name.text().strip()
        s.complaints_scheme = self.complaints_scheme.text().strip()
        s.complaints_committee = self.complaints_committee.text().strip()
        s.appeal_rules = self.appeal_rules.text().strip()
        s.retention_years_meldcode = max(self.retention.value(),
                                         self.retention_meldcode.value())
        s.safety_copy_days = self.safety_days.value()
        s.backup_dir = self.backup_dir.text().strip()
        s.backup_generations = self.generations.value()
        s.backup_warn_days = self.warn_days.value()
        s.report_threshold = self.threshold.value()
        try:
            save_settings(self.session.store, s)
            if self.pin.text():
                pin = self.pin.text().strip()
                if pin and len(pin) < 4:
                    QMessageBox.warning(self, _("Settings"), _("A PIN has at least 4 characters."))
                    return
                self.session.config.set_pin(pin or None)
                save_config(self.session.data_dir, self.session.config)
        except ValidationError as error:
            QMessageBox.warning(self, _("Settings"), error.message)
            return
        except (StoreError, OSError) as error:
            reason = error.reason if isinstance(error, StoreError) else "io"
            QMessageBox.warning(self, _("Settings"), reason_message(reason))
            return
        self.accept()


def _spin(low: int, high: int, value: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(max(low, min(high, value)))
    box.setSuffix(suffix)
    return box


def _dutch_days(days: list[str]) -> list[str]:
    shown = []
    for text in days:
        try:
            shown.append(show_date(date.fromisoformat(str(text))))
        except ValueError:
            shown.append(str(text))
    return shown


def _dutch_periods(periods: list[str]) -> list[str]:
    shown = []
    for text in periods:
        first, _sep, last = str(text).partition("/")
        parts = _dutch_days([first, last or first])
        shown.append(_("{first} to {last}").format(first=parts[0], last=parts[1]))
    return shown


def _parse_days(text: str) -> list[str]:
    """Study days typed as dd-mm-jjjj (jjjj-mm-dd is read too), separated by commas."""
    return [parse_date(part).isoformat() for part in re.split(r"[,;]", text) if part.strip()]


def _parse_periods(text: str) -> list[str]:
    """Holidays typed as "first to last" (or "t/m", or a dash between two dates), separated by
    semicolons; one date is a one-day holiday. Stored as "YYYY-MM-DD/YYYY-MM-DD"."""
    periods = []
    for part in text.split(";"):
        if not part.strip():
            continue
        pieces = re.split(r"\s+(?:t/m|tot en met|tot|to|-|–)\s+", part.strip())
        first = parse_date(pieces[0])
        last = parse_date(pieces[-1])
        if last < first:
            raise ValidationError(_("A holiday cannot end before it starts: {text}.").format(
                text=part.strip()))
        if (last - first).days > 120:
            raise ValidationError(_("A holiday of more than 120 days cannot be right: "
                                    "{text}.").format(text=part.strip()))
        periods.append(f"{first.isoformat()}/{last.isoformat()}")
    return sorted(set(periods))
