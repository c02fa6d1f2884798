"""The short ways in, for the few minutes between lessons (issue 11, item 3).

`install_navigation(window)` adds to the Work menu and the toolbar:

* **New request…** (Ctrl+N) — the request form; its confirmation offers "Intakegesprek nu
  starten", which starts the intake with that request (name, source and note carried over);
* **Start intake conversation…** (Ctrl+I);
* **Search case files** (Ctrl+F) — the case files tab with the cursor in the search box.

It also gives every wizard's buttons an Alt-mnemonic (`WizardMnemonics`, an application event
filter): when a wizard is shown, each of its Back/Next/Finish/Cancel/Help buttons without an
`&` gets one on a letter no other button of that wizard uses, so Alt+V is "Volgende" and the
keyboard alone walks a wizard. Texts a wizard sets itself keep their own `&`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWizard

from app.i18n import _

if TYPE_CHECKING:
    from ui.main_window import MainWindow

WIZARD_BUTTONS = (
    QWizard.WizardButton.NextButton,
    QWizard.WizardButton.BackButton,
    QWizard.WizardButton.FinishButton,
    QWizard.WizardButton.CommitButton,
    QWizard.WizardButton.CancelButton,
    QWizard.WizardButton.HelpButton,
    QWizard.WizardButton.CustomButton1,
    QWizard.WizardButton.CustomButton2,
    QWizard.WizardButton.CustomButton3,
)


def with_mnemonic(text: str, used: set[str]) -> str:
    """`text` with `&` before its first letter not in `used` (which it then adds); a text that
    already has one (or no free letter) is returned as it is."""
    if "&" in text.replace("&&", ""):
        index = text.replace("&&", "  ").index("&")
        if index + 1 < len(text):
            used.add(text[index + 1].casefold())
        return text
    for index, char in enumerate(text):
        if char.isalpha() and char.casefold() not in used:
            used.add(char.casefold())
            return text[:index] + "&" + text[index:]
    return text


def give_mnemonics(wizard: QWizard) -> None:
    """Alt-mnemonics on the buttons of `wizard` (see the module doc)."""
    used: set[str] = set()
    texts = {which: wizard.buttonText(which) for which in WIZARD_BUTTONS}
    # the ones that already have an & keep theirs; the others take a free letter
    for text in texts.values():
        if text and "&" in text:
            with_mnemonic(text, used)
    for which in WIZARD_BUTTONS:
        text = texts[which]
        if text and "&" not in text:
            wizard.setButtonText(which, with_mnemonic(text, used))


class WizardMnemonics(QObject):
    """Gives every wizard its Alt-mnemonics the moment it is shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Show and isinstance(watched, QWizard):
            give_mnemonics(watched)
        return False


def new_request(window: MainWindow) -> None:
    """The request form; after saving, the intake when the VP chose to start it now."""
    session = window.session
    if session is None:
        return
    from ui.dialogs.request import RegisterRequestDialog

    dialog = RegisterRequestDialog(session.store, window.now, window)
    dialog.exec()
    if dialog.saved is None:
        return
    window.refresh()
    if dialog.intake_now and window.session is not None:
        window.start_intake(dialog.saved.request.id)


def search_cases(window: MainWindow) -> None:
    """The case files tab, with the cursor in the search box (all text selected)."""
    if window.session is None:
        return
    from ui.views.cases import CasesView

    for index in range(window.tabs.count()):
        view = window.tabs.widget(index)
        if isinstance(view, CasesView):
            window.tabs.setCurrentIndex(index)
            view.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
            view.search_box.selectAll()
            return


def install_navigation(window: MainWindow) -> None:
    """The three actions (menu, toolbar, shortcuts) and the wizard mnemonics."""
    window.new_request_action = QAction(_("New request…"), window)
    window.new_request_action.setShortcut(QKeySequence("Ctrl+N"))
    window.new_request_action.triggered.connect(lambda: new_request(window))
    window.intake_action = QAction(_("Start intake conversation…"), window)
    window.intake_action.setShortcut(QKeySequence("Ctrl+I"))
    window.intake_action.triggered.connect(lambda: window.start_intake())
    window.search_action = QAction(_("Search case files"), window)
    window.search_action.setShortcut(QKeySequence("Ctrl+F"))
    window.search_action.triggered.connect(lambda: search_cases(window))
    actions = (window.new_request_action, window.intake_action, window.search_action)
    existing = window.work_menu.actions()
    for action in actions:
        if existing:
            window.work_menu.insertAction(existing[0], action)
        else:
            window.work_menu.addAction(action)
        window.addAction(action)  # the shortcut works whichever tab has the focus
    if existing:
        window.work_menu.insertSeparator(existing[0])
    lock = window.lock_action
    for action in (window.new_request_action, window.intake_action):
        window.toolbar.insertAction(lock, action)
    window.toolbar.insertSeparator(lock)
    app = QApplication.instance()
    if app is not None and not hasattr(app, "_vertrouwd_mnemonics"):
        mnemonics = WizardMnemonics(app)
        app.installEventFilter(mnemonics)
        app._vertrouwd_mnemonics = mnemonics  # type: ignore[attr-defined]  # keep it alive


__all__ = ["give_mnemonics", "install_navigation", "new_request", "search_cases",
           "with_mnemonic"]
