"""The backup and restore wizards (PRODUCT.md job 7) on a real encrypted demo store and a real
MainWindow (pytest-qt, offscreen): backup to a folder, the retention list, a missing folder, a
write failure, restore from the main window (right key, wrong key, damaged backup, bad key
format) and restore at start-up when the data file has gone.

No real dialog is opened: message boxes are silenced; the unlock dialog and the restore wizard
of the start-up path are driven by replaced `exec` methods.
"""

from __future__ import annotations

import hashlib
import shutil
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtWidgets import QDialog, QMenu, QWizard

from app import journal
from app.clock import FixedClock
from app.messages import reason_message
from app.paths import store_path
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import Session, create_store, unlock
from app.services import demo
from app.services.backup import (
    BackupError,
    backup_message,
    list_backups,
    make_backup,
    manifest_path_for,
    verify_file,
)
from app.services.casework import register_request
from app.store.db import Store
from app.store.settings import Settings, load_settings, save_settings
from ui import main as ui_main
from ui.lock import UnlockDialog
from ui.main_window import MainWindow
from ui.views.dashboard import DashboardView
from ui.wizards import backup as backup_ui
from ui.wizards.backup import BackupWizard, RestoreWizard

NOW = datetime(2026, 3, 4, 10, 0)
TODAY = NOW.date()
WAIT_MS = 60_000


# -- fixtures ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One small demo store per module, copied for every test."""
    data_dir = tmp_path_factory.mktemp("template") / "data"
    key = generate_recovery_key()
    session = create_store(data_dir, Settings(school="De Linde", location="Helmond"), key,
                           key_mode="ask", provider=MemoryProvider())
    demo.generate(session.store, years=1, seed=3, today=TODAY, scale=0.2)
    session.lock()
    return data_dir, key


@pytest.fixture
def keyed(template: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    source, key = template
    data_dir = tmp_path / "data"
    shutil.copytree(source, data_dir)
    return data_dir, key


@pytest.fixture
def backups(tmp_path: Path) -> Path:
    folder = tmp_path / "backups"
    folder.mkdir()
    return folder


@pytest.fixture
def session(keyed: tuple[Path, str], backups: Path) -> Iterator[Session]:
    data_dir, key = keyed
    opened = unlock(data_dir, MemoryProvider(), typed_key=key)
    settings = load_settings(opened.store)
    settings.backup_dir = str(backups)
    settings.backup_generations = 3
    save_settings(opened.store, settings)
    yield opened
    if opened.store.conn is not None:
        opened.lock()


@pytest.fixture(autouse=True)
def boxes(message_boxes: Any) -> Any:
    """Every message box recorded; an unexpected error or warning fails the test."""
    return message_boxes


@pytest.fixture
def window(qtbot: Any, session: Session) -> Iterator[MainWindow]:
    win = MainWindow(session, MemoryProvider(), now=lambda: NOW)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


# -- helpers ---------------------------------------------------------------------------------
def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count(store: Store, table: str) -> int:
    return int(store.scalar(f"SELECT count(*) FROM {table}"))


def events(store: Store) -> list[str]:
    """The journal's events, oldest first."""
    return [event for _at, event, _detail in reversed(journal.entries(store))]


def wait_idle(qtbot: Any, wizard: Any) -> None:
    qtbot.waitUntil(lambda: wizard.task is None, timeout=WAIT_MS)


def backup_now(session: Session, folder: Path, moment: datetime, generations: int = 3) -> Path:
    return make_backup(session, folder, clock=FixedClock(moment), generations=generations).path


W = TypeVar("W", bound=QWizard)


def open_wizard(qtbot: Any, wizard: W) -> W:
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def add_request(session: Session) -> None:
    register_request(session.store, FixedClock(NOW), received_at=NOW - timedelta(hours=1),
                     source="leerling_zelf", pupil_label="NA-DE-BACKUP")


def drive_restore(qtbot: Any, wizard: RestoreWizard, folder: Path, backup: Path,
                  key: str) -> None:
    """Choose `backup` in `folder`, type `key`, check, confirm, restore."""
    page = wizard.choose_page
    page.folder.setText(str(folder))
    page.show_list()
    page.backups.select_path(backup)
    assert page.backups.selected_path() == backup
    wizard.next()
    assert wizard.currentPage() is wizard.key_page
    wizard.key_page.entry.setText(key.lower().replace("-", " "))  # as typed from paper
    wizard.next()
    wait_idle(qtbot, wizard)
    assert wizard.currentPage() is wizard.confirm_page, wizard.key_page.error.text()
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert not commit.isEnabled()  # the confirmation box comes first
    wizard.confirm_page.confirm.setChecked(True)
    assert commit.isEnabled()
    wizard.next()
    wait_idle(qtbot, wizard)
    assert wizard.currentPage() is wizard.done_page, wizard.confirm_page.error.text()


# -- backup ------------------------------------------------------------------------------------
def test_backup_wizard_makes_a_checked_backup_and_remembers_a_new_folder(
    qtbot: Any, window: MainWindow, session: Session, keyed: tuple[Path, str], backups: Path,
    tmp_path: Path,
) -> None:
    _data_dir, key = keyed
    wizard = open_wizard(qtbot, BackupWizard(window))
    page = wizard.folder_page
    assert page.folder.text() == str(backups)  # the settings' folder
    assert "nog nooit een back-up" in page.last.text()
    stick = tmp_path / "stick"
    stick.mkdir()
    page.folder.setText(str(stick))
    page.show_list()
    wizard.next()
    wait_idle(qtbot, wizard)
    assert wizard.currentPage() is wizard.result_page, page.error.text()
    result = wizard.result_
    assert result is not None
    assert result.path.parent == stick and result.path.is_file()
    assert manifest_path_for(result.path).is_file()
    report = verify_file(result.path, key)
    assert report.ok and report.checksum_ok and report.counts_ok
    assert list_backups(stick, session.config.store_id) == [result.path]
    assert load_settings(session.store).backup_dir == str(stick)
    assert wizard.folder_remembered
    assert wizard.result_page.backups.paths() == [result.path]
    assert events(session.store)[-1] == "backed_up"
    wizard.accept()
    window.refresh()
    dashboard = window.tabs.widget(0)
    assert isinstance(dashboard, DashboardView)
    assert "vandaag" in dashboard.backup_label.text()


def test_the_retention_list_shows_what_a_new_backup_pushes_out(
    qtbot: Any, window: MainWindow, session: Session, backups: Path
) -> None:
    settings = load_settings(session.store)
    settings.backup_generations = 2
    save_settings(session.store, settings)
    oldest = backup_now(session, backups, NOW - timedelta(days=9), generations=2)
    middle = backup_now(session, backups, NOW - timedelta(days=3), generations=2)
    wizard = open_wizard(qtbot, BackupWizard(window))
    page = wizard.folder_page
    assert page.backups.paths() == [middle, oldest]  # newest first
    notes = [item.text(5) for item in page.backups.items()]
    assert notes == ["blijft bewaard", "wordt verwijderd"]
    assert "3 dagen geleden" in page.last.text()
    assert "laatste 2 back-ups" in page.kept.text()
    wizard.next()
    wait_idle(qtbot, wizard)
    result = wizard.result_
    assert result is not None and result.pruned == [oldest]
    assert not oldest.exists() and not manifest_path_for(oldest).exists()
    assert wizard.result_page.backups.paths() == [result.path, middle]
    assert "verwijderd: 1" in wizard.result_page.pruned.text()
    assert not wizard.folder_remembered  # the folder was already the settings' one


def test_a_missing_folder_is_one_dutch_sentence_and_nothing_is_written(
    qtbot: Any, window: MainWindow, session: Session, keyed: tuple[Path, str], tmp_path: Path
) -> None:
    data_dir, _key = keyed
    before = digest(store_path(data_dir))
    listing = sorted(p.name for p in tmp_path.iterdir())
    wizard = open_wizard(qtbot, BackupWizard(window))
    page = wizard.folder_page
    gone = tmp_path / "stick-not-connected"
    page.folder.setText(str(gone))
    page.show_list()
    wizard.next()
    wait_idle(qtbot, wizard)
    assert wizard.currentPage() is page
    assert page.error.isVisible()
    assert page.error.text() == backup_message("folder_missing")
    assert "USB-stick" in page.error.text()
    assert not gone.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == listing
    assert "backed_up" not in events(session.store)
    session.store.close()
    assert digest(store_path(data_dir)) == before
    assert load_settings(Store.open(store_path(data_dir), _key)).backup_dir != str(gone)


def test_a_write_failure_in_the_worker_is_shown_and_the_folder_not_remembered(
    qtbot: Any, window: MainWindow, session: Session, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def pulled_out(*_args: Any, **_kwargs: Any) -> Any:
        raise BackupError("backup_io", "EIO")

    monkeypatch.setattr(backup_ui, "make_backup", pulled_out)
    stick = tmp_path / "stick"
    stick.mkdir()
    wizard = open_wizard(qtbot, BackupWizard(window))
    wizard.folder_page.folder.setText(str(stick))
    wizard.next()
    wait_idle(qtbot, wizard)
    assert wizard.currentPage() is wizard.folder_page
    assert wizard.folder_page.error.text() == backup_message("backup_io")
    assert wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    assert wizard.button(QWizard.WizardButton.CommitButton).isEnabled()  # try again
    assert load_settings(session.store).backup_dir != str(stick)


def test_locking_during_a_backup_waits_for_it_and_leaves_no_half_file(
    qtbot: Any, window: MainWindow, session: Session, backups: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started = threading.Event()

    def slow_backup(*args: Any, **kwargs: Any) -> Any:
        started.set()
        time.sleep(0.5)
        return make_backup(*args, **kwargs)

    monkeypatch.setattr(backup_ui, "make_backup", slow_backup)
    wizard = open_wizard(qtbot, BackupWizard(window))
    wizard.next()  # starts the backup on the worker thread
    assert started.wait(5) and wizard.task is not None
    window.lock()  # quick-hide while the backup runs: the connection closes after it
    assert window.is_locked and session.store.conn is None
    assert wizard.task is None and not wizard.isVisible()
    names = sorted(p.name for p in backups.iterdir())
    assert [n[-3:] for n in names] == [".db", "son"]  # one whole backup and its manifest


# -- restore from the main window -------------------------------------------------------------
def test_restore_from_the_main_window_puts_the_backup_back(
    qtbot: Any, window: MainWindow, session: Session, keyed: tuple[Path, str], backups: Path
) -> None:
    data_dir, key = keyed
    backup = backup_now(session, backups, NOW - timedelta(hours=2))
    requests_in_backup = count(session.store, "request")
    add_request(session)  # made after the backup: gone after the restore
    assert count(session.store, "request") == requests_in_backup + 1
    window.open_case(int(session.store.scalar("SELECT min(id) FROM case_file")))
    assert window.tabs.count() > window.fixed_tabs
    wizard = open_wizard(qtbot, RestoreWizard(window.data_dir, window.provider, window=window))
    assert wizard.choose_page.folder.text() == str(backups)
    assert wizard.choose_page.backups.selected_path() == backup  # the newest one
    drive_restore(qtbot, wizard, backups, backup, key)

    assert wizard.isVisible()  # window.lock() did not close the wizard
    restored = window.session
    assert restored is not None and restored is not session and not window.is_locked
    assert session.store.conn is None  # the old connection was closed before the swap
    assert count(restored.store, "request") == requests_in_backup
    assert restored.store.scalar(
        "SELECT count(*) FROM request WHERE pupil_label = 'NA-DE-BACKUP'") == 0
    assert events(restored.store)[-2:] == ["restored", "unlocked"]
    assert window.tabs.count() == window.fixed_tabs  # open case files were closed
    report = wizard.restored
    assert report is not None and report.safety_copy is not None
    assert report.safety_copy.parent == data_dir and report.safety_copy.is_file()
    safety = Store.open(report.safety_copy, key, migrate=False)
    try:
        assert count(safety, "request") == requests_in_backup + 1  # kept, not lost
    finally:
        safety.close()
    done = wizard.done_page
    assert "woensdag 4 maart 2026 om 08:00" in done.summary.text()
    assert done.counts.rowCount() >= 4
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    wizard.accept()


def test_a_wrong_key_changes_nothing(
    qtbot: Any, window: MainWindow, session: Session, keyed: tuple[Path, str], backups: Path
) -> None:
    data_dir, _key = keyed
    backup = backup_now(session, backups, NOW - timedelta(hours=2))
    before = digest(store_path(data_dir))
    backup_before = digest(backup)
    wizard = open_wizard(qtbot, RestoreWizard(window.data_dir, window.provider, window=window))
    wizard.next()
    wizard.key_page.entry.setText(generate_recovery_key())
    wizard.next()
    wait_idle(qtbot, wizard)
    assert wizard.currentPage() is wizard.key_page
    assert wizard.key_page.error.text() == backup_message("file_wrong_key")
    assert window.session is session and session.store.conn is not None
    assert digest(backup) == backup_before
    assert not list(data_dir.glob("*before-restore*"))
    wizard.reject()
    session.store.close()
    assert digest(store_path(data_dir)) == before


def test_a_damaged_backup_and_a_mistyped_key_stop_before_anything_changes(
    qtbot: Any, window: MainWindow, session: Session, keyed: tuple[Path, str], backups: Path
) -> None:
    data_dir, key = keyed
    backup = backup_now(session, backups, NOW - timedelta(hours=2))
    raw = bytearray(backup.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    backup.write_bytes(bytes(raw))
    wizard = open_wizard(qtbot, RestoreWizard(window.data_dir, window.provider, window=window))
    wizard.next()
    wizard.key_page.entry.setText("abc")
    wizard.next()
    assert wizard.key_page.error.text() == reason_message("bad_key_format")
    assert wizard.task is None
    wizard.key_page.entry.setText(key)
    wizard.next()
    wait_idle(qtbot, wizard)
    assert wizard.currentPage() is wizard.key_page
    assert wizard.key_page.error.text() in (
        backup_message("file_damaged"), backup_message("checksum_mismatch"))
    assert window.session is session and session.store.conn is not None
    assert not list(data_dir.glob("*before-restore*"))


def test_the_data_file_itself_is_refused_as_a_backup(
    qtbot: Any, window: MainWindow, keyed: tuple[Path, str]
) -> None:
    data_dir, _key = keyed
    wizard = open_wizard(qtbot, RestoreWizard(window.data_dir, window.provider, window=window))
    wizard.choose_page.choose_file(store_path(data_dir))
    assert wizard.choose_page.backups.selected_path() == store_path(data_dir)
    wizard.next()
    assert wizard.currentPage() is wizard.choose_page
    assert wizard.choose_page.error.text() == backup_message("same_file")


def test_a_failed_restore_opens_the_previous_store_again(
    qtbot: Any, window: MainWindow, session: Session, keyed: tuple[Path, str], backups: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data_dir, key = keyed
    backup = backup_now(session, backups, NOW - timedelta(hours=2))
    add_request(session)
    requests = count(session.store, "request")

    def in_use(*_args: Any, **_kwargs: Any) -> Any:
        raise BackupError("store_in_use")

    monkeypatch.setattr(backup_ui, "restore_backup", in_use)
    wizard = open_wizard(qtbot, RestoreWizard(window.data_dir, window.provider, window=window))
    page = wizard.choose_page
    page.folder.setText(str(backups))
    page.show_list()
    page.backups.select_path(backup)
    wizard.next()
    wizard.key_page.entry.setText(key)
    wizard.next()
    wait_idle(qtbot, wizard)
    wizard.confirm_page.confirm.setChecked(True)
    wizard.next()
    wait_idle(qtbot, wizard)
    assert wizard.currentPage() is wizard.confirm_page
    assert wizard.confirm_page.error.text() == backup_message("store_in_use")
    reopened = window.session
    assert reopened is not None and reopened is not session and not window.is_locked
    assert count(reopened.store, "request") == requests
    assert wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    wizard.reject()
    assert not wizard.isVisible()
    del data_dir


def test_the_menu_and_the_dashboard_offer_backup_and_restore(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    assert window.backup_action in file_menu.actions()
    assert window.restore_action in file_menu.actions()
    assert window.backup_action.text() == "Back-up maken…"
    assert window.restore_action.text() == "Back-up terugzetten…"
    calls: list[str] = []
    monkeypatch.setattr(window, "make_backup", lambda: calls.append("backup"))
    dashboard = window.tabs.widget(0)
    assert isinstance(dashboard, DashboardView)
    assert dashboard.backup_button.isVisible()
    dashboard.backup_button.click()
    assert calls == ["backup"]


# -- restore at start-up ------------------------------------------------------------------------
def test_restore_at_start_up_when_the_data_file_has_gone(
    qtbot: Any, session: Session, keyed: tuple[Path, str], backups: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data_dir, key = keyed
    backup = backup_now(session, backups, NOW - timedelta(days=1))
    counts = session.store.table_counts()
    session.lock()
    store_path(data_dir).unlink()
    seen: list[str] = []

    def unlock_exec(dialog: UnlockDialog) -> int:
        seen.append(dialog.reason)
        assert dialog.restore_button.isVisibleTo(dialog)
        dialog.restore_button.click()
        return int(dialog.result())

    def wizard_exec(wizard: RestoreWizard) -> int:
        open_wizard(qtbot, wizard)
        assert wizard.choose_page.folder.text() == ""  # no settings without a store
        drive_restore(qtbot, wizard, backups, backup, key)
        assert wizard.session is not None
        wizard.accept()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(UnlockDialog, "exec", unlock_exec)
    monkeypatch.setattr(RestoreWizard, "exec", wizard_exec)
    opened = ui_main.obtain_session(data_dir, MemoryProvider())
    assert seen == ["missing"]
    assert opened is not None
    try:
        assert store_path(data_dir).is_file()
        restored = opened.store.table_counts()
        for table in ("pupil", "case_file", "request", "entry"):
            assert restored[table] == counts[table]
        assert not list(data_dir.glob("*before-restore*"))  # there was nothing to keep
    finally:
        opened.lock()


def test_cancelling_the_start_up_restore_shows_the_unlock_dialog_again(
    qtbot: Any, keyed: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir, _key = keyed
    store_path(data_dir).unlink()
    rounds: list[str] = []

    def unlock_exec(dialog: UnlockDialog) -> int:
        rounds.append(dialog.reason)
        if len(rounds) == 1:
            dialog.restore_button.click()
        else:
            dialog.reject()
        return int(dialog.result())

    monkeypatch.setattr(UnlockDialog, "exec", unlock_exec)
    monkeypatch.setattr(RestoreWizard, "exec", lambda wizard: int(QDialog.DialogCode.Rejected))
    assert ui_main.obtain_session(data_dir, MemoryProvider()) is None
    assert rounds == ["missing", "missing"]
