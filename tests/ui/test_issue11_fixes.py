"""Issue 11 items 6 and 7, from the main window: the settings take dates as dd-mm-jjjj, have
a "Bladeren…" for the backup folder and a field for school holidays the program does not know
(the warning that points there then goes away); the case list hides note text until asked;
Qt's own buttons speak Dutch; the command line speaks Dutch."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QFileDialog, QPushButton

from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import Session, create_store
from app.services.requests import answer_date
from app.store.settings import Settings, load_settings
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog

NOW = datetime(2026, 3, 4, 10, 0)


@pytest.fixture(autouse=True)
def boxes(message_boxes: Any) -> Any:
    return message_boxes


@pytest.fixture
def window(qtbot: Any, tmp_path: Path) -> Iterator[MainWindow]:
    key = generate_recovery_key()
    session: Session = create_store(tmp_path / "data", Settings(school="Testschool"), key,
                                    key_mode="ask", provider=MemoryProvider())
    main = MainWindow(session, MemoryProvider(), now=lambda: NOW)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def in_settings(window: MainWindow, act: Callable[[SettingsDialog], None]) -> None:
    """Open Bestand › Instellingen… and run `act` on the dialog while it is open."""
    seen: list[QDialog] = []

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SettingsDialog):
            QTimer.singleShot(20, handle)
            return
        seen.append(dialog)
        act(dialog)
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, handle)
    window.settings_action.trigger()
    assert seen, "the settings did not open"


def save(dialog: SettingsDialog) -> None:
    for box in dialog.findChildren(QDialogButtonBox):
        for button in box.buttons():
            if box.buttonRole(button) == QDialogButtonBox.ButtonRole.AcceptRole:
                button.click()
                return
    raise AssertionError("no Opslaan button")


def test_settings_take_dutch_dates_and_own_school_holidays(window: MainWindow, boxes) -> None:
    def fill(dialog: SettingsDialog) -> None:
        dialog.study_days.setText("12-10-2026, 2027-02-03")
        dialog.own_holidays.setText("17-10-2031 t/m 26-10-2031; 21-12-2031 - 04-01-2032")
        save(dialog)

    in_settings(window, fill)
    assert window.session is not None
    settings = load_settings(window.session.store)
    assert settings.study_days == ["2026-10-12", "2027-02-03"]
    assert settings.own_holidays == ["2031-10-17/2031-10-26", "2031-12-21/2032-01-04"]

    shown: list[str] = []
    in_settings(window, lambda d: shown.extend([d.study_days.text(), d.own_holidays.text()]))
    assert shown == ["12-10-2026, 03-02-2027",
                     "17-10-2031 tot en met 26-10-2031; 21-12-2031 tot en met 04-01-2032"]


def test_wrong_dates_are_refused_in_dutch_and_nothing_is_saved(window: MainWindow,
                                                               boxes) -> None:
    def fill(dialog: SettingsDialog) -> None:
        dialog.study_days.setText("31-02-2026")
        save(dialog)
        assert dialog.isVisible()  # stays open with what was typed
        dialog.study_days.setText("")
        dialog.own_holidays.setText("26-10-2031 t/m 17-10-2031")
        save(dialog)
        assert dialog.isVisible()

    in_settings(window, fill)
    assert "31-02-2026" in boxes.take("warning")
    assert "niet eindigen voordat hij begint" in boxes.take("warning")
    assert window.session is not None
    assert load_settings(window.session.store).own_holidays == []


def test_browse_fills_the_backup_folder(window: MainWindow, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = tmp_path / "stick"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *_a, **_k: str(chosen)))

    def browse(dialog: SettingsDialog) -> None:
        assert dialog.browse_button.text() == "Bladeren…"
        dialog.browse_button.click()
        assert dialog.backup_dir.text() == str(chosen)

    in_settings(window, browse)


def test_own_school_holidays_end_the_warning_and_move_the_answer_date() -> None:
    friday = date(2031, 10, 17)  # the package knows no school holidays of 2031
    plain = answer_date(friday, False, Settings(region="zuid"))
    assert plain.missing_holidays_year == 2031
    assert plain.respond_by == date(2031, 10, 20)  # Monday: holidays unknown
    own = Settings(region="zuid", own_holidays=["2031-10-18/2031-10-26"])
    told = answer_date(friday, False, own)
    assert told.missing_holidays_year is None
    assert told.respond_by == date(2031, 10, 27)
    assert told.in_or_after_holiday


def test_case_list_hides_note_text_until_asked(window: MainWindow) -> None:
    from ui.views.cases import CasesView

    view = window.tabs.widget(1)
    assert isinstance(view, CasesView)
    assert view.table.isColumnHidden(5)
    view.show_text.click()
    assert not view.table.isColumnHidden(5)
    window.lock()  # after a lock the text is hidden again
    assert view.table.isColumnHidden(5)


def test_qt_standard_buttons_are_dutch(qapp: Any) -> None:
    from PySide6.QtWidgets import QWizard

    from ui.main import install_qt_translations

    install_qt_translations(qapp)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No
                           | QDialogButtonBox.StandardButton.Cancel)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert texts == {"Ja", "Nee", "Annuleren"}
    assert QWizard().buttonText(QWizard.WizardButton.NextButton).replace("&", "").startswith(
        "Volgende")


def test_command_line_speaks_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    with pytest.raises(SystemExit) as done:
        main(["--bogus"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "gebruik: vertrouwd" in err
    assert "fout: onbekende argumenten: --bogus" in err


def test_a_report_that_cannot_be_written_says_why_in_dutch(tmp_path: Path) -> None:
    from app.reports.annual import ReportError
    from app.reports.export import write_all

    target = tmp_path / "no-such-folder" / "jaarverslag.pdf"
    with pytest.raises(ReportError) as refused:
        write_all([(target, b"%PDF-1.4")])
    text = refused.value.message_nl if hasattr(refused.value, "message_nl") else str(refused.value)
    assert "bestaat niet" in text and "niets opgeslagen" in text
    assert "No such file" not in text
    assert not target.exists()


def test_a_refused_write_is_explained_in_dutch() -> None:
    import errno

    from app.messages import io_reason

    assert io_reason(PermissionError(errno.EACCES, "Permission denied")) == (
        "je mag in deze map niet schrijven")
    assert io_reason(OSError(errno.ENOSPC, "No space left")) == "de schijf is vol"
    assert io_reason(OSError(9999, "odd")) == "de schijf weigerde het bestand"


def test_a_fixed_problem_takes_its_message_away(window: MainWindow, qtbot: Any) -> None:
    """The request form: saving without "through whom" shows why; choosing one removes it."""
    from ui.dialogs.request import RegisterRequestDialog

    seen: list[bool] = []

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RegisterRequestDialog):
            QTimer.singleShot(20, handle)
            return
        dialog.save_button.click()  # no source chosen
        seen.append(dialog.error.isVisible())
        next(iter(dialog.source.buttons.values())).click()
        seen.append(dialog.error.isVisible())
        dialog.reject()

    QTimer.singleShot(0, handle)
    dashboard = window.tabs.widget(0)
    dashboard.new_request_button.click()  # type: ignore[attr-defined]
    assert seen == [True, False]


def test_the_unlock_error_is_shown_whole_and_goes_when_typing(window: MainWindow) -> None:
    from PySide6.QtTest import QTest

    from ui.lock import UnlockDialog

    seen: list[tuple[bool, bool]] = []

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, UnlockDialog):
            QTimer.singleShot(20, handle)
            return
        dialog.resize(520, 100)
        QTest.keyClicks(dialog.entry, "ABC")
        dialog.try_unlock()
        error = dialog.error
        whole = error.height() >= error.heightForWidth(error.width()) - 1
        seen.append((error.isVisible(), whole))
        QTest.keyClicks(dialog.entry, "D")
        seen.append((error.isVisible(), True))
        dialog.reject()

    window.lock()
    QTimer.singleShot(0, handle)
    window.cover.findChild(QPushButton, "unlockButton").click()
    assert seen == [(True, True), (False, True)]


def test_after_a_restore_the_backups_are_still_known(tmp_path: Path) -> None:
    """The restored file lacks the journal line of its own backup; the overview and the backup
    wizard still find that backup (and later ones) in the backup folder of the store id."""
    from app.clock import FixedClock
    from app.security.vault import unlock
    from app.services.backup import backup_age_days, last_backup, make_backup, restore_backup

    clock = FixedClock(datetime(2026, 3, 4, 10, 0))
    key = generate_recovery_key()
    data_dir, folder = tmp_path / "data", tmp_path / "backups"
    folder.mkdir()
    session = create_store(data_dir, Settings(school="Testschool", backup_dir=str(folder)),
                           key, key_mode="ask", provider=MemoryProvider(), clock=clock)
    made = make_backup(session, folder, clock=clock, generations=10)
    session.lock()
    clock.advance(days=2)
    restore_backup(data_dir, made.path, key, clock=clock)
    restored = unlock(data_dir, MemoryProvider(), key, clock=clock)
    try:
        assert last_backup(restored.store) is None  # the journal alone forgot it
        assert last_backup(restored.store, folder) == datetime(2026, 3, 4, 10, 0)
        assert backup_age_days(restored.store, date(2026, 3, 6), str(folder)) == 2
    finally:
        restored.lock()
