"""The in-app help (ui/help.py): F1 beside the main window and inside wizards, the pages under
resources/help/nl/, and the getting-started page after the first-run wizard.

The window runs on a real encrypted store (pytest-qt, offscreen). The pages are checked as
files: every id a screen declares has a page, every page names the protocol article(s) it
serves, and its `help:` links lead somewhere.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from app.i18n import _
from app.resources import resource_path
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import Session, create_store, unlock
from app.store.settings import Settings
from ui.help import (
    DEFAULT_HELP_ID,
    HelpBrowser,
    help_file,
    help_id_for,
    help_ids,
    help_text,
    install_help,
)
from ui.main_window import MainWindow
from ui.views import entry_form
from ui.views.activities import ActivitiesView
from ui.views.cases import CasesView
from ui.views.dashboard import DashboardView
from ui.wizards.intake import IntakeWizard

ROOT = Path(__file__).resolve().parents[2]
HELP_DIR = resource_path("help", "nl")

#: Ids that screens still being written will declare (the annual report wizard); their pages
#: exist already so that F1 works from the first day.
PLANNED_IDS = {
    "annual_report", "annual_report.year", "annual_report.check", "annual_report.texts",
    "annual_report.preview", "annual_report.save",
}
#: Every page of the brief, by id.
REQUIRED_IDS = PLANNED_IDS | {
    "getting_started", "dashboard", "cases", "activities", "case_file",
    "intake.pupil", "intake.confidentiality", "intake.story", "intake.categories",
    "intake.taken_up", "intake.consent", "intake.summary",
    "escalation.questions", "escalation.duties", "escalation.confirm", "escalation.recorded",
    "meldcode", "obligation", "unlock", "lock", "settings", "request",
    "setup.intro", "setup.school", "setup.storage", "setup.key_mode", "setup.recovery_key",
    "setup.confirm",
    # screens that came later: backup and restore, re-key, the privacy duties, handover
    "backup", "restore", "rekey", "retention", "access_export", "erase", "handover",
}
DECLARATION = re.compile(
    r"""(?:setProperty\(\s*["']help_id["']\s*,\s*|install_help\(\s*\w+\s*,\s*|show_help\(\s*"""
    r"""|help_id\s*=\s*)["']([a-z][a-z0-9_.]*)["']""")
ARTICLE = re.compile(r"\bprotocol(?:artikel)?\s+\d[a-j]\b", re.IGNORECASE)
NO_ARTICLE = re.compile(r"geen (?:protocol)?artikel", re.IGNORECASE)


# -- fixtures ----------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def quiet_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind,
                            staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(entry_form, "ask", lambda *a, **k: True)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    opened = create_store(tmp_path / "data", Settings(school="Testschool"),
                          generate_recovery_key(), key_mode="ask", provider=MemoryProvider())
    yield opened
    if opened.store.conn is not None:
        opened.lock()


@pytest.fixture
def window(qtbot: Any, session: Session) -> Iterator[MainWindow]:
    win = MainWindow(session, MemoryProvider())
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    qtbot.waitExposed(win)
    activate(qtbot, win)
    yield win
    win.close()


def press_f1(widget: QWidget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_F1)


def activate(qtbot: Any, widget: QWidget) -> None:
    """Make `widget`'s window the active one (activation is asynchronous, also offscreen)."""
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())


def select_tab(window: MainWindow, kind: type[QWidget]) -> QWidget:
    for index in range(window.tabs.count()):
        if isinstance(window.tabs.widget(index), kind):
            window.tabs.setCurrentIndex(index)
            return window.tabs.widget(index)
    raise AssertionError(kind.__name__)


# -- the main window -------------------------------------------------------------------------
def test_f1_on_the_dashboard_shows_the_dashboard_help(qtbot: Any, window: MainWindow) -> None:
    select_tab(window, DashboardView)
    panel = window.help_panel
    assert not panel.isVisible()
    press_f1(window)
    qtbot.waitUntil(panel.isVisible)
    assert panel.help_id == "dashboard"
    shown = panel.browser.toPlainText()
    assert shown.startswith("Overzicht")
    assert "protocol 5b" in shown
    press_f1(window)  # F1 again closes it
    assert not panel.isVisible()


def test_the_help_menu_has_the_action_with_f1(window: MainWindow) -> None:
    action = window.help_panel.help_action
    assert action.text() == _("Help for this screen") == "Uitleg bij dit scherm"
    assert action.shortcut().toString() == "F1"
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == _("&Help"))
    assert action in help_menu.actions()
    assert window.help_panel.start_action in help_menu.actions()


def test_the_panel_follows_the_tab_and_the_focus(qtbot: Any, window: MainWindow) -> None:
    select_tab(window, DashboardView)
    press_f1(window)
    qtbot.waitUntil(window.help_panel.isVisible)
    cases = select_tab(window, CasesView)
    assert window.help_panel.help_id == "cases"
    select_tab(window, ActivitiesView)
    assert window.help_panel.help_id == "activities"
    assert isinstance(cases, CasesView)
    window.tabs.setCurrentWidget(cases)
    cases.search_box.setFocus()
    assert help_id_for(cases.search_box) == "cases"
    assert window.help_panel.current_help_id() == "cases"


def test_the_panel_hides_when_the_window_locks(qtbot: Any, window: MainWindow) -> None:
    window.show_help("intake.story")
    assert window.help_panel.isVisible()
    window.lock()
    assert not window.help_panel.isVisible(), "the lock cover must stay neutral"
    assert help_id_for(window.cover) == "lock"
    assert window.help_panel.current_help_id() == "lock"


def test_show_help_opens_a_named_page_and_links_work(qtbot: Any, window: MainWindow) -> None:
    window.show_help("getting_started")
    panel = window.help_panel
    assert panel.isVisible() and panel.help_id == "getting_started"
    assert "Eerste stappen" in panel.browser.toPlainText()
    panel.browser.anchorClicked.emit(QUrl("help:dashboard"))
    assert panel.help_id == "dashboard"
    panel.browser.anchorClicked.emit(QUrl("https://example.org/"))
    assert panel.help_id == "dashboard", "no other links are followed"


# -- wizards and dialogs -----------------------------------------------------------------------
def test_f1_in_the_intake_wizard_on_the_story_page(qtbot: Any, window: MainWindow) -> None:
    wizard = IntakeWizard(window)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.pupil_page.name.setText("Sanne de Vries")
    wizard.next()
    wizard.confidentiality_page.tick.setChecked(True)
    wizard.next()
    assert wizard.currentPage() is wizard.story_page
    activate(qtbot, wizard)
    wizard.story_page.story.edit.setFocus()
    focus = QApplication.focusWidget()
    assert focus is wizard.story_page.story.edit
    press_f1(focus)  # where the VP is typing
    support = wizard.help_support  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: support.help_window is not None and support.help_window.isVisible())
    assert support.help_window.help_id == "intake.story"
    assert "Verhaal en hulpvraag".lower() in support.help_window.browser.toPlainText().lower()
    assert not wizard.isHidden(), "the help is beside the wizard, not instead of it"
    wizard.next()  # the help follows the page
    assert support.help_window.help_id == "intake.categories"
    wizard.ask_keep_draft = lambda: "discard"  # type: ignore[method-assign]
    wizard.reject()


def test_the_wizard_has_an_explanation_button(qtbot: Any, window: MainWindow) -> None:
    wizard = IntakeWizard(window)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.testOption(QWizard.WizardOption.HaveHelpButton)
    button = wizard.button(QWizard.WizardButton.HelpButton)
    assert button.text().replace("&", "") == "Uitleg (F1)"  # with its Alt-mnemonic
    button.click()
    support = wizard.help_support  # type: ignore[attr-defined]
    assert support.help_window.isVisible()
    assert support.help_window.help_id == "intake.pupil"
    activate(qtbot, support.help_window)
    press_f1(support.help_window)  # F1 in the help window closes it
    assert not support.help_window.isVisible()
    wizard.reject()


def test_every_intake_page_has_its_own_page(window: MainWindow) -> None:
    wizard = IntakeWizard(window)
    ids = [help_id_for(page) for page in wizard.pages]
    assert ids == ["intake.pupil", "intake.confidentiality", "intake.story",
                   "intake.categories", "intake.taken_up", "intake.consent", "intake.summary"]
    assert all(help_file(i) is not None for i in ids)
    wizard.deleteLater()


def test_install_help_on_a_plain_dialog_adds_a_button(qtbot: Any) -> None:
    from PySide6.QtWidgets import QDialog, QDialogButtonBox

    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel("x"))
    layout.addWidget(QDialogButtonBox(QDialogButtonBox.StandardButton.Ok))
    support = install_help(dialog, "settings")
    assert install_help(dialog) is support, "installing twice changes nothing"
    assert support.button is not None and support.button.text() == "Uitleg (F1)"
    dialog.show()
    support.button.click()
    assert support.help_window is not None and support.help_window.help_id == "settings"


# -- finding the id ----------------------------------------------------------------------------
def test_help_id_for_walks_up_and_into_the_current_page(qtbot: Any) -> None:
    outer = QWidget()
    qtbot.addWidget(outer)
    outer.setProperty("help_id", "case_file")
    tabs = QTabWidget(outer)
    first, second = QWidget(), QWidget()
    second.setProperty("help_id", "meldcode")
    tabs.addTab(first, "a")
    tabs.addTab(second, "b")
    inner = QLabel("x", first)
    assert help_id_for(inner) == "case_file"  # up to the first declared id
    tabs.setCurrentIndex(1)
    assert help_id_for(tabs.tabBar()) == "meldcode"  # the tab bar: the current tab's id
    assert help_id_for(QWidget()) == DEFAULT_HELP_ID
    assert help_id_for(None) == DEFAULT_HELP_ID

    class Declared(QWidget):
        help_id = "request"

    assert help_id_for(QLabel("y", Declared())) == "request"


def test_unknown_pages_fall_back_without_an_error() -> None:
    assert help_file("no.such.page") is None
    assert help_file("../../etc/passwd") is None
    text = help_text("no.such.page")
    assert "Eerste stappen" in text and "help:getting_started" in text
    assert help_file("dashboard", "en") == help_file("dashboard", "nl")  # Dutch fallback


# -- the pages as files ------------------------------------------------------------------------
def declared_ids() -> dict[str, str]:
    """Every help id a screen in ui/ declares -> where."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in DECLARATION.finditer(line):
                found.setdefault(match.group(1), f"{path.relative_to(ROOT)}:{number}")
    return found


def test_the_scan_sees_the_declarations() -> None:
    found = declared_ids()
    assert {"dashboard", "cases", "activities", "case_file", "intake.story", "lock",
            "escalation.questions", "setup.recovery_key", "getting_started"} <= set(found)
    assert DECLARATION.search('self.setProperty("help_id", "a.b")').group(1) == "a.b"
    assert DECLARATION.search('install_help(self, "unlock")').group(1) == "unlock"


def test_every_declared_help_id_has_a_dutch_page() -> None:
    missing = [f"{where}: {hid}" for hid, where in declared_ids().items()
               if not (HELP_DIR / f"{hid}.md").is_file()]
    assert missing == [], "help page missing in resources/help/nl/:\n" + "\n".join(missing)


def test_every_page_of_the_brief_exists() -> None:
    assert set(help_ids("nl")) >= REQUIRED_IDS, sorted(REQUIRED_IDS - set(help_ids("nl")))


@pytest.mark.parametrize("help_id", help_ids("nl"))
def test_every_page_names_the_article_it_serves(help_id: str) -> None:
    text = (HELP_DIR / f"{help_id}.md").read_text(encoding="utf-8")
    assert text.startswith("# "), "a page starts with its title"
    why = [line for line in text.splitlines() if "Waarom:" in line]
    assert why, "a page ends with a 'Waarom:' paragraph"
    tail = text[text.index(why[-1]):]
    assert ARTICLE.search(tail) or NO_ARTICLE.search(tail), \
        "the 'Waarom:' paragraph names a protocol article, or says why none applies"


@pytest.mark.parametrize("help_id", help_ids("nl"))
def test_every_page_is_short_plain_and_its_links_work(help_id: str) -> None:
    text = (HELP_DIR / f"{help_id}.md").read_text(encoding="utf-8")
    assert len(text.split()) <= 450, "keep a help page short"
    for target in re.findall(r"\]\(help:([^)]+)\)", text):
        assert help_file(target) is not None, target
    assert not re.search(r"\]\((?!help:)", text), "only help: links (no browser, no network)"
    for word in ("SQLCipher", "database", "keyring", "traceback", "exception"):
        assert word.lower() not in text.lower(), f"technical word {word!r}"
    assert not re.search(r"\b(u|uw)\b", text.lower()), "write 'je', not 'u'"


def test_pages_render_in_the_browser(qtbot: Any) -> None:
    browser = HelpBrowser()
    qtbot.addWidget(browser)
    for help_id in help_ids("nl"):
        browser.show_page(help_id)
        shown = browser.toPlainText()
        assert shown.strip() and "#" not in shown.splitlines()[0], help_id
        assert "Waarom:" in shown, help_id


# -- getting started after the first-run wizard ------------------------------------------------
class Unused:
    """A signal of the stand-in application that never fires (`connect` only remembers)."""

    def __init__(self) -> None:
        self.slots: list[Any] = []

    def connect(self, slot: Any) -> None:
        self.slots.append(slot)


class NoLoop:
    """Stands in for the QApplication in `run_gui`: no restyling of the test's application,
    and `exec()` returns at once (the test closes the window itself). `commitDataRequest` is
    there for `ui.session_end.install` (log-off locks the window)."""

    def __init__(self) -> None:
        self.commitDataRequest = Unused()  # noqa: N815 - the Qt name

    def exec(self) -> int:
        return 0


def test_getting_started_is_shown_after_the_first_run_wizard(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.main
    from ui.main import needs_setup, run_gui

    data_dir = tmp_path / "fresh"
    assert needs_setup(data_dir)
    key = generate_recovery_key()

    def fake_wizard(folder: Path, provider: Any, pending: Any = None) -> Session:
        return create_store(folder, Settings(school="Nieuwe school"), key, key_mode="ask",
                            provider=provider)

    shown: list[str | None] = []
    windows: list[MainWindow] = []
    monkeypatch.setattr(ui.main, "make_app", NoLoop)
    monkeypatch.setattr(ui.main, "obtain_session", fake_wizard)
    monkeypatch.setattr(MainWindow, "show_help",
                        lambda self, help_id=None: shown.append(help_id))
    monkeypatch.setattr(MainWindow, "show", lambda self: windows.append(self))
    monkeypatch.delenv("VERTROUWD_EXIT_AFTER_SHOW", raising=False)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    try:
        assert run_gui(data_dir, provider=MemoryProvider()) == 0
        assert shown == ["getting_started"]
        assert not needs_setup(data_dir)
        shown.clear()
        for window in windows:
            window.close()  # locks the session
        # The next start opens the existing store: no getting-started page.
        monkeypatch.setattr(ui.main, "obtain_session",
                            lambda folder, provider, pending=None: unlock(folder, provider, key))
        assert run_gui(data_dir, provider=MemoryProvider()) == 0
        assert shown == []
        assert len(windows) == 2
    finally:
        for window in windows:
            window.close()
