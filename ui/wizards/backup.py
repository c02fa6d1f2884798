"""The backup and restore wizards (PRODUCT.md job 7) on top of `app.services.backup`.

`BackupWizard(window)` — two pages:

1. **Folder** — the backup folder (default: the one in the settings; a changed folder is
   remembered after a successful backup), when the last backup was made, how many backups are
   kept, and the backups of this data file already in that folder, marked "removed after this
   backup" where the new one pushes them out. "Back-up maken" runs `make_backup` on a worker
   thread (a big store takes seconds) with a busy bar; a failure is one Dutch sentence on the
   page (`backup_message`) and nothing has been written.
2. **Result** — file, folder, size, "checked: good", the record counts, the backups removed,
   and the backups now kept.

`RestoreWizard(data_dir, provider, window=None)` — four pages:

1. **Backup** — the backups in a folder (default: the settings' folder when a session is open)
   with their date and counts from the manifests, or any file picked with "Ander bestand…".
2. **Key** — the recovery key that belonged to the data file when the backup was made (an
   older backup keeps its old key after a re-key). Next runs `verify_file`: a wrong key, a
   damaged backup or one from a newer version stops here and nothing has changed.
3. **Check and confirm** — date, version, checks and counts of the backup, and what will happen
   (the current file is kept as a safety copy first). "Terugzetten" closes the main window's
   own session first (`window.lock()`: `restore_backup` can only see other processes), runs
   `restore_backup` on a worker thread, opens the restored store with the key, puts the key in
   the keyring when the store remembers it there, and hands the session to the main window
   (`unlocked_with`). When the restore fails, the previous store is opened again.
4. **Done** — what was restored: the backup's date, the counts, the safety copy.

Without a main window (start-up with a missing or damaged store, `ui.main.obtain_session`) the
wizard keeps the opened session in `self.session`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QStandardPaths, Qt, QThread, Slot
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.clock import Clock, SystemClock
from app.config import ConfigError, load_config
from app.i18n import _, language
from app.messages import reason_message
from app.paths import store_path
from app.security.keys import KeyProblem, KeyProvider, normalize_recovery_key
from app.security.vault import Session, UnlockNeeds, unlock
from app.services.backup import (
    NAME_RE,
    BackupError,
    BackupResult,
    RestoreReport,
    VerifyReport,
    backup_message,
    last_backup,
    list_backups,
    make_backup,
    read_manifest,
    restore_backup,
    verify_file,
)
from app.store.db import StoreError
from app.store.schema import SCHEMA_VERSION
from app.store.settings import load_settings, save_settings
from ui.dates import WindowClock, dutch_date, short_moment
from ui.help import install_help
from ui.style import label

if TYPE_CHECKING:
    from ui.main_window import MainWindow

PATH_ROLE = Qt.ItemDataRole.UserRole
KEY_PLACEHOLDER = "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX"


# -- small helpers -----------------------------------------------------------------------------
def count_labels() -> list[tuple[str, str]]:
    """The record counts a VP recognises, in the order the pages show them."""
    return [
        ("pupil", _("Pupils")),
        ("case_file", _("Case files")),
        ("request", _("Requests")),
        ("entry", _("Case entries")),
        ("activity", _("Activities")),
    ]


def human_size(size: int) -> str:
    """`840 kB`, `12,3 MB` (a decimal comma in Dutch)."""
    if size < 1_000_000:
        text = _("{size} kB").format(size=max(1, round(size / 1000)))
    else:
        text = _("{size} MB").format(size=f"{size / 1_000_000:.1f}")
    return text.replace(".", ",") if language() == "nl" else text


def moment_text(moment: datetime | None) -> str:
    """`dinsdag 3 maart 2026 om 14:05`; "unknown" without a moment."""
    if moment is None:
        return _("unknown date")
    return _("{date} at {time}").format(date=dutch_date(moment.date()),
                                        time=moment.strftime("%H:%M"))


def age_text(moment: datetime, now: datetime) -> str:
    days = (now.date() - moment.date()).days
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return _("{days} days ago").format(days=days)


def fill_counts(form: QFormLayout, counts: Mapping[str, int]) -> None:
    """One row per known count."""
    clear_form(form)
    for table, title in count_labels():
        if table in counts:
            form.addRow(title, QLabel(str(counts[table])))


def counts_box(title: str) -> tuple[QGroupBox, QFormLayout]:
    box = QGroupBox(title)
    form = QFormLayout(box)
    form.setHorizontalSpacing(24)
    return box, form


def good_label(text: str) -> QLabel:
    widget = QLabel(text)
    widget.setStyleSheet("color: #1d6b2f; font-weight: 600;")
    return widget


def wrapped(text: str) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(True)
    return widget


def clear_form(form: QFormLayout) -> None:
    while form.rowCount():
        form.removeRow(0)


@dataclass(frozen=True)
class BackupInfo:
    """A backup file as the lists show it: from its manifest when there is one."""

    path: Path
    created_at: datetime | None
    counts: Mapping[str, int]
    size: int
    store_id: str | None
    has_manifest: bool


def backup_info(path: Path) -> BackupInfo:
    manifest = read_manifest(path) or {}
    created: datetime | None = None
    text = manifest.get("created_at")
    if isinstance(text, str):
        try:
            created = datetime.fromisoformat(text)
        except ValueError:
            created = None
    if created is None:
        match = NAME_RE.match(path.name)
        if match:
            try:
                created = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
            except ValueError:
                created = None
    counts = manifest.get("counts")
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    store_id = manifest.get("store_id")
    return BackupInfo(
        path=path,
        created_at=created,
        counts=counts if isinstance(counts, dict) else {},
        size=size,
        store_id=store_id if isinstance(store_id, str) else None,
        has_manifest=bool(manifest),
    )


def backups_in(folder: Path | None, store_id: str | None = None) -> list[BackupInfo]:
    """The backups in `folder` (only `store_id`'s when given), newest first; none when the
    folder cannot be read."""
    if folder is None or not str(folder):
        return []
    try:
        paths = list_backups(folder, store_id)
    except OSError:
        return []
    return [backup_info(path) for path in reversed(paths)]


class BackupList(QTreeWidget):
    """The backups of a folder: when, the main counts, the size, and an optional note."""

    def __init__(self, note_title: str = "") -> None:
        super().__init__()
        headers = [_("Made on"), _("Pupils"), _("Case files"), _("Requests"), _("Size")]
        if note_title:
            headers.append(note_title)
        self.has_note = bool(note_title)
        self.setHeaderLabels(headers)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(headers) - 1 if note_title else 0,
                                    QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def fill(
        self,
        backups: Sequence[BackupInfo],
        notes: Mapping[Path, str] | None = None,
        *,
        quiet: set[Path] | None = None,
        bold: Path | None = None,
    ) -> None:
        self.clear()
        notes = notes or {}
        quiet = quiet or set()
        for info in backups:
            counts = info.counts
            cells = [
                short_moment(info.created_at) or info.path.name,
                str(counts.get("pupil", "—")),
                str(counts.get("case_file", "—")),
                str(counts.get("request", "—")),
                human_size(info.size),
            ]
            if self.has_note:
                cells.append(notes.get(info.path, ""))
            item = QTreeWidgetItem(cells)
            item.setData(0, PATH_ROLE, str(info.path))
            for column in range(len(cells)):
                item.setToolTip(column, str(info.path))
                if info.path in quiet:
                    item.setForeground(column, self.palette().placeholderText())
                if info.path == bold:
                    font = QFont(item.font(column))
                    font.setBold(True)
                    item.setFont(column, font)
            for column in (1, 2, 3, 4):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            self.addTopLevelItem(item)

    def items(self) -> list[QTreeWidgetItem]:
        found = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item for item in found if item is not None]

    def paths(self) -> list[Path]:
        return [Path(item.data(0, PATH_ROLE)) for item in self.items()]

    def selected_path(self) -> Path | None:
        items = self.selectedItems()
        return Path(items[0].data(0, PATH_ROLE)) if items else None

    def select_path(self, path: Path) -> None:
        for item in self.items():
            if Path(item.data(0, PATH_ROLE)) == path:
                self.setCurrentItem(item)
                return


def folder_row(edit: QLineEdit, button: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(button)
    return row


def documents_folder() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


# -- running slow work off the GUI thread ------------------------------------------------------
class _Task(QThread):
    """Runs `job` on a worker thread; `result` or `error` afterwards."""

    def __init__(self, job: Callable[[], Any], parent: QWidget) -> None:
        super().__init__(parent)
        self.job = job
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.job()
        except BaseException as exc:  # handed to the GUI thread, never lost
            self.error = exc


class TaskPage(QWizardPage):
    """A wizard page with an error line and a busy bar at the bottom."""

    def __init__(self) -> None:
        super().__init__()
        self.body = QVBoxLayout(self)
        self.error = label("", "error")
        self.error.hide()
        self.progress_text = label("", "subtitle")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(12)

    def add_feedback(self) -> None:
        """Put the error line and the busy bar at the end of the page."""
        self.body.addWidget(self.error)
        self.body.addWidget(self.progress_text)
        self.body.addWidget(self.progress)
        self.progress_text.hide()
        self.progress.hide()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def show_busy(self, text: str) -> None:
        self.show_error("")
        self.progress_text.setText(text)
        self.progress_text.show()
        self.progress.show()

    def hide_busy(self) -> None:
        self.progress_text.hide()
        self.progress.hide()

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        wizard = self.wizard()
        if isinstance(wizard, TaskWizard) and wizard.task is not None:
            return False
        return super().isComplete()


class TaskWizard(QWizard):
    """A wizard that runs its slow steps on a worker thread, one at a time.

    While a step runs, the buttons are off. Cancel, Escape, the window's close button and the
    main window's lock wait for a step that may be abandoned (a backup or a check) and then
    close; a step that may not (the restore itself) keeps the wizard open until it ends.
    """

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.task: _Task | None = None
        self.keep_open = False
        self._closing = False
        self._pending: tuple[TaskPage, Callable[[Any, BaseException | None], bool], bool] | None
        self._pending = None
        self._disabled: list[QAbstractButton] = []
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Close"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))

    def run_task(
        self,
        page: TaskPage,
        busy_text: str,
        job: Callable[[], Any],
        done: Callable[[Any, BaseException | None], bool],
        *,
        may_abandon: bool = True,
    ) -> None:
        """Run `job` on a worker thread; then `done(result, error)` on the GUI thread, and
        the next page when it returns True."""
        if self.task is not None:
            return
        page.show_busy(busy_text)
        task = _Task(job, self)
        self.task = task
        self._pending = (page, done, may_abandon)
        self._disabled = []
        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
            button = self.button(which)
            if button.isEnabled():
                button.setEnabled(False)
                self._disabled.append(button)
        page.completeChanged.emit()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        task.finished.connect(self._task_finished)
        task.start()

    @Slot()
    def _task_finished(self) -> None:
        task, pending = self.task, self._pending
        if task is None or pending is None or task.isRunning():
            return
        self.task = None
        self._pending = None
        QGuiApplication.restoreOverrideCursor()
        page, done, _may_abandon = pending
        page.hide_busy()
        for button in self._disabled:
            button.setEnabled(True)
        self._disabled = []
        page.completeChanged.emit()
        go_on = done(task.result, task.error)
        task.deleteLater()
        if go_on and not self._closing:
            self.next()

    def wait_for_task(self) -> None:
        """Let the running step end (the screen keeps painting), then handle its result."""
        task = self.task
        if task is None:
            return
        while task.isRunning():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
            task.wait(20)
        self._task_finished()

    def reject(self) -> None:
        if self.keep_open or self._closing:
            return
        if self.task is not None:
            pending = self._pending
            if pending is not None and not pending[2]:
                return  # the restore itself: it cannot be stopped half-way
            self._closing = True
            self.hide()
            self.before_wait()
            self.wait_for_task()
        super().reject()

    def before_wait(self) -> None:
        """Hook: called when the wizard closes while a step still runs."""


# -- the backup wizard -------------------------------------------------------------------------
class BackupWizard(TaskWizard):
    """Make a checked, encrypted backup of the open store in a folder the VP picks."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.result_: BackupResult | None = None
        self.folder_remembered = False
        self.setWindowTitle(_("Make a backup"))
        install_help(self, "backup")
        self.setMinimumSize(760, 600)
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Make backup"))
        self.folder_page = BackupFolderPage(self)
        self.result_page = BackupResultPage(self)
        self.addPage(self.folder_page)
        self.addPage(self.result_page)

    def session(self) -> Session | None:
        return self.window_.session

    def clock(self) -> Clock:
        return WindowClock(self.window_.now)

    def before_wait(self) -> None:
        # The main window is locking: no second lock from the inactivity timer meanwhile.
        self.window_.lock_controller.active = False

    def start_backup(self, folder: Path) -> None:
        session = self.session()
        if session is None:
            return
        generations = load_settings(session.store).backup_generations
        clock = self.clock()
        self.run_task(
            self.folder_page,
            _("Making the backup and checking it… This can take a little while."),
            lambda: make_backup(session, folder, clock=clock, generations=generations),
            lambda result, error: self._backup_done(folder, result, error),
        )

    def _backup_done(self, folder: Path, result: Any, error: BaseException | None) -> bool:
        if error is not None:
            if isinstance(error, BackupError):
                self.folder_page.show_error(backup_message(error.reason))
            elif isinstance(error, StoreError):
                self.folder_page.show_error(reason_message(error.reason))
            else:
                self.folder_page.show_error(backup_message("backup_io"))
            self.folder_page.show_list()
            return False
        self.result_ = result
        self.folder_remembered = self._remember_folder(folder)
        return True

    def _remember_folder(self, folder: Path) -> bool:
        session = self.session()
        if session is None or self._closing:
            return False
        settings = load_settings(session.store)
        if settings.backup_dir and Path(settings.backup_dir).expanduser() == folder:
            return False
        settings.backup_dir = str(folder)
        try:
            save_settings(session.store, settings)
        except StoreError:
            return False
        return True


class BackupFolderPage(TaskPage):
    def __init__(self, wizard: BackupWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.started = False
        self.setTitle(_("Make a backup"))
        self.setSubTitle(_(
            "Vertrouwd makes an encrypted copy of the data file in a folder you choose, for "
            "example on a USB stick or the school's network drive."))
        self.setCommitPage(True)
        form = QFormLayout()
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(_("for example E:\\Vertrouwd-backups"))
        self.folder.editingFinished.connect(self.show_list)
        self.folder.textChanged.connect(lambda _text: self.completeChanged.emit())
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self.browse)
        form.addRow(_("Backup folder"), folder_row(self.folder, browse))
        self.last = QLabel()
        self.last.setWordWrap(True)
        form.addRow(_("Last backup"), self.last)
        self.body.addLayout(form)
        self.kept = label("", "subtitle")
        self.body.addWidget(self.kept)
        self.list_title = label("", wrap=False)
        self.list_title.setStyleSheet("font-weight: 600; color: #1f3b57;")
        self.body.addWidget(self.list_title)
        self.backups = BackupList(_("After this backup"))
        self.backups.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.backups.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.body.addWidget(self.backups, 1)
        self.filler = QWidget()
        self.body.addWidget(self.filler, 1)
        self.add_feedback()

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        session = self.wizard_.session()
        if session is None:
            return
        settings = load_settings(session.store)
        if not self.folder.text():
            self.folder.setText(settings.backup_dir)
        last = last_backup(session.store, settings.backup_dir or None)
        now = self.wizard_.window_.now()
        if last is None:
            self.last.setText(_("No backup has been made yet."))
        else:
            self.last.setText(_("{when} ({age})").format(when=moment_text(last),
                                                         age=age_text(last, now)))
        self.kept.setText(_(
            "The copy opens only with your recovery key. Vertrouwd keeps the last {count} "
            "backups of this data file in the folder; older ones are removed after a new "
            "backup is made. You can change the number in the settings.").format(
                count=settings.backup_generations))
        self.show_list()

    def chosen(self) -> Path | None:
        text = self.folder.text().strip()
        return Path(text).expanduser().absolute() if text else None

    def browse(self) -> None:
        start = self.folder.text().strip() or documents_folder()
        folder = QFileDialog.getExistingDirectory(self, _("Choose the backup folder"), start)
        if folder:
            self.folder.setText(folder)
            self.show_list()

    def show_list(self) -> None:
        session = self.wizard_.session()
        folder = self.chosen()
        if session is None:
            return
        generations = max(1, load_settings(session.store).backup_generations)
        found = backups_in(folder, session.config.store_id)
        doomed = {info.path for info in found[generations - 1:]}
        notes = {info.path: _("is removed") if info.path in doomed else _("is kept")
                 for info in found}
        self.backups.fill(found, notes, quiet=doomed)
        if folder is None:
            self.list_title.setText(_("Choose a folder to see the backups in it."))
        elif not folder.is_dir():
            self.list_title.setText(_("This folder does not exist (yet)."))
        elif not found:
            self.list_title.setText(_("There are no backups of this data file in this folder "
                                      "yet."))
        else:
            self.list_title.setText(_("Backups of this data file in this folder: {count}")
                                    .format(count=len(found)))
        self.backups.setVisible(bool(found))
        self.filler.setVisible(not found)

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return bool(self.folder.text().strip()) and super().isComplete()

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        if self.wizard_.result_ is not None:
            return True
        folder = self.chosen()
        if folder is None:
            self.show_error(_("Choose a folder for the backups first."))
            return False
        if not folder.is_dir():
            self.show_error(backup_message("folder_missing"))
            self.show_list()
            return False
        self.wizard_.start_backup(folder)
        return False


class BackupResultPage(QWizardPage):
    def __init__(self, wizard: BackupWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(_("The backup has been made and checked"))
        self.setSubTitle(_("The copy opened with your recovery key and matches the data "
                           "file."))
        layout = QVBoxLayout(self)
        columns = QHBoxLayout()
        self.form = QFormLayout()
        columns.addLayout(self.form, 3)
        box, self.counts = counts_box(_("In the backup"))
        columns.addWidget(box, 2, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(columns)
        self.pruned = label("")
        layout.addWidget(self.pruned)
        self.list_title = label("", wrap=False)
        self.list_title.setStyleSheet("font-weight: 600; color: #1f3b57;")
        layout.addWidget(self.list_title)
        self.backups = BackupList()
        self.backups.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.backups.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.backups, 1)
        layout.addWidget(label(_(
            "Keep the backups in a safe place, away from this computer: they hold the same "
            "(encrypted) data as the data file."), "subtitle"))

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        result = self.wizard_.result_
        if result is None:
            return
        clear_form(self.form)
        self.form.addRow(_("Checked"), good_label(_("good")))
        self.form.addRow(_("Made on"), wrapped(moment_text(result.created_at)))
        self.form.addRow(_("File"), wrapped(result.path.name))
        self.form.addRow(_("Folder"), wrapped(str(result.path.parent)))
        if self.wizard_.folder_remembered:
            self.form.addRow("", label(_("Vertrouwd will use this folder from now on."),
                                       "subtitle"))
        self.form.addRow(_("Size"), QLabel(human_size(result.size)))
        fill_counts(self.counts, result.counts)
        if result.pruned:
            self.pruned.setText(_("Older backups removed: {count} ({names}).").format(
                count=len(result.pruned),
                names=", ".join(short_moment(backup_info(p).created_at) or p.name
                                for p in result.pruned)))
        else:
            self.pruned.setText(_("No older backups had to be removed."))
        if result.warnings:
            self.pruned.setText(self.pruned.text() + " " + _(
                "Not every older backup could be removed; you can delete them yourself."))
        session = self.wizard_.session()
        store_id = session.config.store_id if session is not None else None
        kept = backups_in(result.path.parent, store_id)
        self.list_title.setText(_("Backups now kept in this folder: {count}").format(
            count=len(kept)))
        self.backups.fill(kept, bold=result.path)


# -- the restore wizard ------------------------------------------------------------------------
class RestoreWizard(TaskWizard):
    """Put a backup back in place of the data file of `data_dir` (see the module doc)."""

    def __init__(
        self,
        data_dir: Path,
        provider: KeyProvider,
        window: MainWindow | None = None,
    ) -> None:
        super().__init__(window)
        self.data_dir = Path(data_dir)
        self.provider = provider
        self.window_ = window
        self.session: Session | None = None
        self.backup: Path | None = None
        self.key: str | None = None
        self.report: VerifyReport | None = None
        self.restored: RestoreReport | None = None
        self.notes: list[str] = []
        self.setWindowTitle(_("Restore a backup"))
        install_help(self, "restore")
        self.setMinimumSize(760, 600)
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Restore"))
        self.choose_page = ChooseBackupPage(self)
        self.key_page = BackupKeyPage(self)
        self.confirm_page = ConfirmRestorePage(self)
        self.done_page = RestoredPage(self)
        for page in (self.choose_page, self.key_page, self.confirm_page, self.done_page):
            self.addPage(page)

    # -- what the pages need ---------------------------------------------------------------
    def clock(self) -> Clock:
        if self.window_ is not None:
            return WindowClock(self.window_.now)
        return SystemClock()

    def default_folder(self) -> str:
        window = self.window_
        if window is not None and window.session is not None:
            return load_settings(window.session.store).backup_dir
        return ""

    def store_id(self) -> str | None:
        try:
            config = load_config(self.data_dir)
        except ConfigError:
            return None
        return config.store_id if config is not None else None

    def store_exists(self) -> bool:
        return store_path(self.data_dir).exists()

    def before_wait(self) -> None:
        if self.window_ is not None:
            self.window_.lock_controller.active = False

    # -- verify ---------------------------------------------------------------------------
    def start_verify(self, backup: Path, key: str) -> None:
        self.report = None
        self.run_task(
            self.key_page,
            _("Checking the backup with this key…"),
            lambda: verify_file(backup, key),
            lambda result, error: self._verify_done(backup, key, result, error),
        )

    def _verify_done(
        self, backup: Path, key: str, report: Any, error: BaseException | None
    ) -> bool:
        if error is not None or not isinstance(report, VerifyReport):
            self.key_page.show_error(backup_message("file_damaged"))
            return False
        if report.reason is not None:
            self.key_page.show_error(backup_message(report.reason))
            return False
        self.backup, self.key, self.report = backup, key, report
        return True

    # -- restore --------------------------------------------------------------------------
    def start_restore(self) -> None:
        backup, key = self.backup, self.key
        if backup is None or key is None:
            return
        old_key: str | None = None
        window = self.window_
        self.keep_open = True  # window.lock() closes dialogs; this one stays
        try:
            if window is not None and window.session is not None:
                old_key = window.session.key
                window.lock()
                for index in reversed(range(window.fixed_tabs, window.tabs.count())):
                    view = window.tabs.widget(index)
                    window.tabs.removeTab(index)
                    if view is not None:
                        view.deleteLater()
        finally:
            self.keep_open = False
        data_dir, clock = self.data_dir, self.clock()
        self.run_task(
            self.confirm_page,
            _("Putting the backup back… Do not switch off the computer."),
            lambda: restore_backup(data_dir, backup, key, clock=clock),
            lambda result, error: self._restore_done(key, old_key, result, error),
            may_abandon=False,
        )

    def _restore_done(
        self, key: str, old_key: str | None, report: Any, error: BaseException | None
    ) -> bool:
        if error is not None or not isinstance(report, RestoreReport):
            if isinstance(error, BackupError):
                text = backup_message(error.reason)
            elif isinstance(error, StoreError):
                text = reason_message(error.reason)
            else:
                text = backup_message("restore_io")
            self.confirm_page.show_error(text)
            self._reopen(old_key, key)
            return False
        self.restored = report
        if report.key_mode == "keyring" and report.key_changed:
            try:
                self.provider.put(report.store_id, key)
            except KeyProblem as problem:
                self.notes.append(reason_message(problem.reason))
        try:
            session = unlock(self.data_dir, self.provider, key, clock=self.clock())
        except UnlockNeeds as needs:
            self.notes.append(reason_message(needs.reason))
            return True
        self.session = session
        if self.window_ is not None:
            self.window_.unlocked_with(session)
        return True

    def _reopen(self, *keys: str | None) -> None:
        """After a failed restore: open the store again in the main window (the old key first;
        the backup's key in case the file was swapped after all)."""
        window = self.window_
        if window is None or window.session is not None:
            return
        for key in keys:
            if not key:
                continue
            try:
                session = unlock(self.data_dir, self.provider, key, clock=self.clock())
            except UnlockNeeds:
                continue
            window.unlocked_with(session)
            return


class ChooseBackupPage(TaskPage):
    def __init__(self, wizard: RestoreWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.extra: Path | None = None
        self.setTitle(_("Which backup do you want to restore?"))
        self.setSubTitle(_(
            "Choose the backup folder, then the backup. The newest backup is at the top."))
        form = QFormLayout()
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(_("for example E:\\Vertrouwd-backups"))
        self.folder.editingFinished.connect(self.show_list)
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self.browse_folder)
        form.addRow(_("Backup folder"), folder_row(self.folder, browse))
        self.body.addLayout(form)
        self.list_title = label("", wrap=False)
        self.list_title.setStyleSheet("font-weight: 600; color: #1f3b57;")
        self.body.addWidget(self.list_title)
        self.backups = BackupList(_("Remark"))
        self.backups.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backups.itemSelectionChanged.connect(self._selection_changed)
        self.backups.itemActivated.connect(lambda _item, _column: self.wizard_.next())
        self.body.addWidget(self.backups, 1)
        self.filler = QWidget()
        self.body.addWidget(self.filler, 1)
        other = QPushButton(_("Another backup file…"))
        other.clicked.connect(self.browse_file)
        row = QHBoxLayout()
        row.addWidget(other)
        row.addStretch(1)
        self.body.addLayout(row)
        self.add_feedback()

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        if not self.folder.text():
            self.folder.setText(self.wizard_.default_folder())
        self.show_list()

    def chosen_folder(self) -> Path | None:
        text = self.folder.text().strip()
        return Path(text).expanduser().absolute() if text else None

    def browse_folder(self) -> None:
        start = self.folder.text().strip() or documents_folder()
        folder = QFileDialog.getExistingDirectory(self, _("Choose the backup folder"), start)
        if folder:
            self.folder.setText(folder)
            self.show_list()

    def browse_file(self) -> None:
        start = self.folder.text().strip() or documents_folder()
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a backup"), start,
            _("Vertrouwd backups (*.db);;All files (*)"))
        if name:
            self.choose_file(Path(name))

    def choose_file(self, path: Path) -> None:
        """Show `path`'s folder and select `path` (also a file with another name)."""
        path = path.expanduser().absolute()
        self.folder.setText(str(path.parent))
        self.extra = path
        self.show_list()
        self.backups.select_path(path)

    def show_list(self) -> None:
        folder = self.chosen_folder()
        previous = self.backups.selected_path()
        found = backups_in(folder)
        if self.extra is not None and self.extra.parent == folder and self.extra.is_file() \
                and all(info.path != self.extra for info in found):
            found.insert(0, backup_info(self.extra))
        own = self.wizard_.store_id()
        notes: dict[Path, str] = {}
        quiet: set[Path] = set()
        for info in found:
            if not info.has_manifest:
                notes[info.path] = _("no manifest beside it")
            elif own and info.store_id and info.store_id != own:
                notes[info.path] = _("of another data file")
                quiet.add(info.path)
        self.backups.fill(found, notes, quiet=quiet)
        if folder is None:
            self.list_title.setText(_("Choose the folder with the backups."))
        elif not folder.is_dir():
            self.list_title.setText(_("This folder cannot be found. Is the USB stick "
                                      "connected?"))
        elif not found:
            self.list_title.setText(_("There are no backups in this folder."))
        else:
            self.list_title.setText(_("Backups in this folder: {count}").format(
                count=len(found)))
        self.backups.setVisible(bool(found))
        self.filler.setVisible(not found)
        if previous is not None and previous in self.backups.paths():
            self.backups.select_path(previous)
        elif found:
            ordinary = [info.path for info in found if info.path not in quiet]
            self.backups.select_path(ordinary[0] if ordinary else found[0].path)
        self.completeChanged.emit()

    def _selection_changed(self) -> None:
        self.show_error("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self.backups.selected_path() is not None and super().isComplete()

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        path = self.backups.selected_path()
        if path is None:
            return False
        if not path.is_file():
            self.show_error(backup_message("file_missing"))
            return False
        target = store_path(self.wizard_.data_dir)
        try:
            same = target.exists() and os.path.samefile(path, target)
        except OSError:
            same = False
        if same:
            self.show_error(backup_message("same_file"))
            return False
        if self.wizard_.backup != path:
            self.wizard_.backup = path
            self.wizard_.report = None
        return True


class BackupKeyPage(TaskPage):
    def __init__(self, wizard: RestoreWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(_("The recovery key of this backup"))
        self.setSubTitle(_("Vertrouwd first checks the backup with this key. Nothing is "
                           "changed yet."))
        self.which = label("")
        self.which.setStyleSheet("font-weight: 600;")
        self.body.addWidget(self.which)
        self.body.addSpacing(6)
        self.body.addWidget(label(_(
            "Type the recovery key that belonged to the data file when the backup was made "
            "(6 groups of 5 characters, from the recovery sheet).")))
        self.entry = QLineEdit()
        self.entry.setObjectName("secret")
        self.entry.setStyleSheet("font-family: monospace; font-size: 13pt; padding: 4px;")
        self.entry.setPlaceholderText(KEY_PLACEHOLDER)
        self.entry.textChanged.connect(self._typed)
        self.body.addWidget(self.entry)
        self.body.addWidget(label(_(
            "Did you make a new recovery key after that day? Then this backup still opens "
            "with the old key: use the recovery sheet of that time."), "subtitle"))
        self.add_feedback()
        self.body.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        backup = self.wizard_.backup
        if backup is not None:
            info = backup_info(backup)
            self.which.setText(_("Backup of {when} ({name})").format(
                when=moment_text(info.created_at), name=backup.name))
        self.show_error("")
        self.entry.setFocus()

    def _typed(self, _text: str) -> None:
        self.show_error("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return bool(self.entry.text().strip()) and super().isComplete()

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        backup = self.wizard_.backup
        if backup is None:
            return False
        key = normalize_recovery_key(self.entry.text())
        if key is None:
            self.show_error(reason_message("bad_key_format"))
            return False
        report = self.wizard_.report
        if report is not None and report.path == backup.absolute() and self.wizard_.key == key:
            return True
        self.wizard_.start_verify(backup, key)
        return False

    def cleanupPage(self) -> None:  # noqa: N802 - Qt API
        self.entry.clear()
        self.wizard_.key = None
        self.wizard_.report = None
        super().cleanupPage()


class ConfirmRestorePage(TaskPage):
    def __init__(self, wizard: RestoreWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(_("The backup is in order. Restore it?"))
        self.setSubTitle(_("Read what will happen, then confirm."))
        self.setCommitPage(True)
        columns = QHBoxLayout()
        self.form = QFormLayout()
        columns.addLayout(self.form, 3)
        box, self.counts = counts_box(_("In the backup"))
        columns.addWidget(box, 2, Qt.AlignmentFlag.AlignTop)
        self.body.addLayout(columns)
        self.body.addSpacing(8)
        self.what = label("", "warning")
        self.body.addWidget(self.what)
        self.confirm = QCheckBox(_("Yes, put this backup back in place of the current data "
                                   "file"))
        self.confirm.toggled.connect(lambda _on: self.completeChanged.emit())
        self.body.addWidget(self.confirm)
        self.add_feedback()
        self.body.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        report = self.wizard_.report
        self.confirm.setChecked(False)
        self.show_error("")
        if report is None:
            return
        clear_form(self.form)
        self.form.addRow(_("Checks"), good_label(_("good")))
        checks = [_("the key fits"), _("undamaged")]
        if report.manifest_found:
            checks.append(_("matches its manifest"))
        self.form.addRow("", wrapped(", ".join(checks)))
        self.form.addRow(_("Backup made on"), wrapped(moment_text(report.created_at)))
        if report.app_version:
            self.form.addRow(_("Made with"), QLabel(_("Vertrouwd {version}").format(
                version=report.app_version)))
        version = report.schema_version or 0
        version_text = _("version {number}").format(number=version)
        if version < SCHEMA_VERSION:
            version_text += " — " + _("it is brought up to date for this version of "
                                      "Vertrouwd when it is opened")
        self.form.addRow(_("File version"), wrapped(version_text))
        fill_counts(self.counts, report.counts)
        when = moment_text(report.created_at)
        if self.wizard_.store_exists():
            text = _(
                "The current data file is first kept as a safety copy in {folder}. Then this "
                "backup takes its place. What you recorded after {when} is then no longer in "
                "Vertrouwd (it stays in the safety copy).").format(
                    folder=self.wizard_.data_dir, when=when)
            if self.wizard_.window_ is not None:
                text += " " + _("Vertrouwd closes the data file for a moment; open case files "
                                "are closed.")
        else:
            text = _("There is no data file now: this backup becomes the data file in "
                     "{folder}.").format(folder=self.wizard_.data_dir)
        self.what.setText(text)
        self.confirm.setText(
            _("Yes, put this backup back in place of the current data file")
            if self.wizard_.store_exists() else _("Yes, put this backup back"))

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self.confirm.isChecked() and super().isComplete()

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        if self.wizard_.restored is not None:
            return True
        if not self.confirm.isChecked():
            return False
        self.wizard_.start_restore()
        return False


class RestoredPage(QWizardPage):
    def __init__(self, wizard: RestoreWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(_("The backup has been restored"))
        self.setSubTitle(_("Check a few case files to see that everything is there."))
        layout = QVBoxLayout(self)
        self.summary = label("")
        self.summary.setStyleSheet("font-weight: 600;")
        layout.addWidget(self.summary)
        columns = QHBoxLayout()
        self.form = QFormLayout()
        columns.addLayout(self.form, 3)
        box, self.counts = counts_box(_("Now in Vertrouwd"))
        columns.addWidget(box, 2, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(columns)
        self.notes = label("", "warning")
        layout.addWidget(self.notes)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        report = self.wizard_.restored
        if report is None:
            return
        self.summary.setText(_("Vertrouwd now works with the backup of {when}.").format(
            when=moment_text(report.backup_time)))
        clear_form(self.form)
        self.form.addRow(_("Backup"), wrapped(report.backup.name))
        if report.migrated:
            self.form.addRow(_("File version"), wrapped(_(
                "brought up to date for this version of Vertrouwd")))
        if report.safety_copy is not None:
            self.form.addRow(_("Safety copy"), wrapped(report.safety_copy.name))
            self.form.addRow(_("In the folder"), wrapped(str(report.safety_copy.parent)))
            self.form.addRow("", label(_(
                "The safety copy is the data file as it was just before the restore. Vertrouwd "
                "removes it after the next backup, and at the latest after 30 days."),
                "subtitle"))
        else:
            self.form.addRow(_("Safety copy"), wrapped(_(
                "none needed: there was no data file")))
        fill_counts(self.counts, report.counts)
        notes = list(self.wizard_.notes)
        from app.services.erasure_ledger import reapplied_message

        if report.reapplied.events:
            notes.insert(0, reapplied_message(report.reapplied))
        if self.wizard_.session is None:
            notes.append(_("Open Vertrouwd with the recovery key of this backup."))
        self.notes.setText("\n\n".join(notes))
        self.notes.setVisible(bool(notes))
