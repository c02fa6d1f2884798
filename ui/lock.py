"""The inactivity lock, the quick-hide cover, and the unlock dialog.

`LockController` watches input events on the whole application; after `minutes` without input
(measured with an injectable clock, so tests use a fake one) or on Ctrl+L / the toolbar button
it asks the main window to lock: the window shows a neutral cover at once, open dialogs are
closed, the connection is closed and the key dropped. Unlocking asks for the PIN or the key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.config import StoreConfig, load_config
from app.i18n import _
from app.messages import reason_message
from app.security.keys import KeyProvider, normalize_recovery_key
from app.security.vault import Session, UnlockNeeds, unlock
from ui.help import install_help
from ui.style import label

INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class LockController(QObject):
    """Calls `on_lock` after `minutes` without input. `now` is the clock (tests pass a fake)."""

    def __init__(
        self,
        on_lock: Callable[[], None],
        minutes: int,
        now: Callable[[], datetime] = datetime.now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.on_lock = on_lock
        self.minutes = minutes
        self.now = now
        self.last_input = now()
        self.active = True
        self.timer = QTimer(self)
        self.timer.setInterval(5_000)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in INPUT_EVENTS:
            self.last_input = self.now()
        return False

    def touch(self) -> None:
        self.last_input = self.now()

    def check(self) -> None:
        if not self.active:
            return
        idle = (self.now() - self.last_input).total_seconds()
        if idle >= self.minutes * 60:
            self.active = False
            self.on_lock()

    def resume(self) -> None:
        self.active = True
        self.touch()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class UnlockDialog(QDialog):
    """Asks for what is needed to open the store: nothing, the PIN, or the recovery key.

    `reason` is the UnlockNeeds reason that brought us here; each has its own Dutch sentence.
    """

    def __init__(
        self,
        data_dir: Path,
        provider: KeyProvider,
        reason: str = "ask",
        *,
        pin_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.provider = provider
        self.session: Session | None = None
        self.restore_requested = False
        self.config: StoreConfig | None = None
        try:
            self.config = load_config(data_dir)
        except Exception:
            self.config = None
        self.pin_only = pin_only and self.config is not None and self.config.has_pin()
        self.setWindowTitle(_("Open Vertrouwd"))
        self.setMinimumWidth(520)

        layout = QVBoxLayout(self)
        layout.addWidget(label(_("Vertrouwd is locked"), "title"))
        self.message = label("", "warning")
        layout.addWidget(self.message)
        self.prompt = label("")
        layout.addWidget(self.prompt)
        self.entry = QLineEdit()
        self.entry.setObjectName("secret")
        self.entry.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.entry)
        self.error = label("", "error")
        self.error.hide()
        self.entry.textEdited.connect(lambda _text: self.error.hide())  # no stale error
        layout.addWidget(self.error)
        self.restore_button = QPushButton(_("Restore from a backup…"))
        self.restore_button.clicked.connect(self._restore)
        layout.addWidget(self.restore_button)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Open"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.try_unlock)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.show_reason(reason)
        install_help(self, "unlock")

    def show_reason(self, reason: str) -> None:
        self.reason = reason
        wants_key = not self.pin_only
        if reason in ("ask",) or (self.pin_only and reason == "locked_by_user"):
            self.message.hide()
        else:
            self.message.setText(reason_message(reason))
            self.message.show()
        if self.pin_only:
            self.prompt.setText(_("Type your lock PIN."))
        else:
            self.prompt.setText(
                _("Type the recovery key from your recovery sheet (6 groups of 5 characters).")
            )
        self.entry.setEchoMode(
            QLineEdit.EchoMode.Password if self.pin_only else QLineEdit.EchoMode.Normal
        )
        placeholder = "" if self.pin_only else "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX"
        self.entry.setPlaceholderText(placeholder)
        self.entry.setVisible(self.pin_only or wants_key)
        self.restore_button.setVisible(reason in ("missing", "damaged", "wrong_key_or_damaged"))

    def _fail(self, text: str) -> None:
        from ui.fit import grow_to_fit

        self.error.setText(text)
        self.error.show()
        grow_to_fit(self)  # the whole sentence, never cut off
        self.entry.selectAll()
        self.entry.setFocus()

    def try_unlock(self) -> None:
        typed = self.entry.text()
        if self.pin_only:
            assert self.config is not None
            if not self.config.check_pin(typed):
                self._fail(_("That PIN is not right. Try again, or close Vertrouwd and open it "
                             "with the recovery key."))
                return
            try:
                self.session = unlock(self.data_dir, self.provider)
            except UnlockNeeds as needs:
                self.pin_only = False
                self.show_reason(needs.reason)
                return
            self.accept()
            return
        key = normalize_recovery_key(typed)
        if key is None:
            self._fail(reason_message("bad_key_format"))
            return
        try:
            self.session = unlock(self.data_dir, self.provider, key)
        except UnlockNeeds as needs:
            self._fail(reason_message(needs.reason))
            self.restore_button.setVisible(needs.reason in ("missing", "damaged",
                                                            "wrong_key_or_damaged"))
            return
        self.accept()

    def _restore(self) -> None:
        self.restore_requested = True
        self.reject()
