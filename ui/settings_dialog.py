"""The settings dialog: the school's settings (kept in the encrypted store) and the lock PIN."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from app.config import save_config
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
        self.study_days = QLineEdit(", ".join(s.study_days))
        self.study_days.setPlaceholderText(_("for example 2026-10-12, 2027-02-03"))
        self.lock_minutes = _spin(1, 60, s.lock_minutes, _(" min"))
        self.no_contact = _spin(1, 52, s.no_contact_weeks, _(" weeks"))
        self.retention = _spin(0, 20, s.retention_years, _(" year(s)"))
        self.board_name = QLineEdit(s.board_name)
        self.board_name.setPlaceholderText(_("for example Stichting Onderwijs Peelland"))
        self.retention_meldcode = _spin(0, 30, s.retention_years_meldcode, _(" year(s)"))
        self.safety_days = _spin(1, 30, s.safety_copy_days, _(" days"))
        self.backup_dir = QLineEdit(s.backup_dir)
        self.generations = _spin(1, 100, s.backup_generations, "")
        self.warn_days = _spin(1, 90, s.backup_warn_days, _(" days"))
        self.threshold = _spin(5, 50, s.report_threshold, "")
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(_("leave empty to keep; type a space to remove"))
        form.addRow(_("School name"), self.school)
        form.addRow(_("Location"), self.location)
        form.addRow(_("School board (controller)"), self.board_name)
        form.addRow(_("Your name"), self.vp_name)
        form.addRow(_("Holiday region"), self.region)
        form.addRow("", self.school_holidays)
        form.addRow(_("Study days (closed)"), self.study_days)
        form.addRow(_("Lock after"), self.lock_minutes)
        form.addRow(_("Warn when no contact for"), self.no_contact)
        form.addRow(_("Keep closed cases"), self.retention)
        form.addRow(_("Keep files with a meldcode route"), self.retention_meldcode)
        form.addRow("", label(_(
            "There is no fixed term in the law: the school chooses. Counted from the end of the "
            "school year in which the file was closed and counted in the annual report. Files "
            "on hold are kept until the hold ends."), "subtitle"))
        form.addRow(_("Backup folder"), self.backup_dir)
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

    def save(self) -> None:
        from datetime import date

        days: list[str] = []
        for part in self.study_days.text().replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                days.append(date.fromisoformat(part).isoformat())
            except ValueError:
                QMessageBox.warning(self, _("Settings"), _(
                    "'{text}' is not a date. Write study days as year-month-day, for example "
                    "2026-10-12.").format(text=part))
                return
        s = self.settings
        s.school = self.school.text().strip() or s.school
        s.location = self.location.text().strip()
        s.vp_name = self.vp_name.text().strip()
        s.region = REGIONS[self.region.currentIndex()]
        s.school_holidays = self.school_holidays.isChecked()
        s.study_days = sorted(set(days))
        s.lock_minutes = self.lock_minutes.value()
        s.no_contact_weeks = self.no_contact.value()
        s.retention_years = self.retention.value()
        s.board_name = self.board_name.text().strip()
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
