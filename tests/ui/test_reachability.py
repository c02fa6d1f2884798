"""Every dialog and wizard in ui/ can be reached from the main window (issue 11).

The list of classes comes FROM THE CODE: an ast scan of ui/ for every class that derives from
QDialog or QWizard (directly or through another class of ui/). A class that only serves as the
base of others (`TaskWizard`, `_PupilDialog`) is never shown itself and is not required.
`WAYS_IN` maps each class to the clicks that open it, starting from the main window on a demo
store: menu actions, toolbar and button clicks, double-clicks, keys. The test opens each one
that way and fails when it does not appear; a new dialog without a way in fails
`test_every_dialog_in_ui_has_a_way_in` (add its clicks to `WAYS_IN`, or make it reachable).
The one class reached before the main window exists is the set-up wizard (program start).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget, QWizard

from app.security.keys import MemoryProvider
from app.security.vault import Session
from app.services import casework
from app.services.meldcode import routes_for_case
from app.services.year_start import ClassLine, plan_visits
from tests.ui.test_views import double_click, session, template  # noqa: F401 - fixtures
from ui.main_window import MainWindow
from ui.views import entry_form
from ui.views.activities import ActivitiesView
from ui.views.case_file import CaseFileView
from ui.views.cases import CasesView
from ui.views.dashboard import DashboardView

UI = Path(__file__).resolve().parents[2] / "ui"
NOW = datetime(2026, 3, 4, 10, 0)
LEFT = Qt.MouseButton.LeftButton
QT_BASES = {"QDialog", "QWizard"}


def dialog_classes() -> dict[str, str]:
    """Every QDialog/QWizard subclass in ui/ (name -> file), bases of others left out."""
    found: dict[str, tuple[str, list[str]]] = {}
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")
                         for b in node.bases]
                found[node.name] = (str(path.relative_to(UI.parent)), bases)
    dialogs: dict[str, str] = {}
    grew = True
    while grew:
        grew = False
        for name, (where, bases) in found.items():
            if name not in dialogs and any(b in QT_BASES or b in dialogs for b in bases):
                dialogs[name] = where
                grew = True
    used_as_base = {b for name in dialogs for b in found[name][1]}
    return {name: where for name, where in dialogs.items() if name not in used_as_base}


# -- finding things in the demo store ------------------------------------------------------------
def store_of(window: MainWindow) -> Any:
    assert window.session is not None
    return window.session.store


def first_case(window: MainWindow, wanted: Callable[[Any, int], bool]) -> int:
    store = store_of(window)
    for summary in casework.list_cases(store, status="open", limit=1000):
        if wanted(store, summary.id):
            return summary.id
    raise AssertionError("the demo store has no such case")


def open_case_by_search(qtbot: Any, window: MainWindow, case_id: int) -> CaseFileView:
    """Case files tab, type the pupil's name, Enter, double-click the row."""
    name = casework.get_case(store_of(window), case_id).pupil_name
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    cases = window.tabs.currentWidget()
    assert isinstance(cases, CasesView)
    qtbot.keyClicks(cases.search_box, name)
    qtbot.keyClick(cases.search_box, Qt.Key.Key_Return)
    row = next(r for r in range(cases.table.rowCount())
               if cases.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == case_id)
    double_click(qtbot, cases.table, cases.table.item(row, 0))
    view = window.tabs.currentWidget()
    assert isinstance(view, CaseFileView) and view.case_id == case_id
    return view


def any_open_case(qtbot: Any, window: MainWindow) -> CaseFileView:
    return open_case_by_search(qtbot, window, first_case(window, lambda _s, _c: True))


def route_case(qtbot: Any, window: MainWindow) -> CaseFileView:
    case_id = first_case(window, lambda store, cid: any(
        not r.closed and r.next_step is not None for r in routes_for_case(store, cid)))
    return open_case_by_search(qtbot, window, case_id)


def tab(window: MainWindow, kind: type[QWidget]) -> Any:
    for index in range(window.tabs.count()):
        if isinstance(window.tabs.widget(index), kind):
            window.tabs.setCurrentIndex(index)
            return window.tabs.widget(index)
    raise AssertionError(kind.__name__)


def when_shown(kind: str, act: Callable[[QWidget], None]) -> None:
    """Once a window of class `kind` is up, do `act` on it (for paths through a dialog)."""
    def poll() -> None:
        for widget in QApplication.topLevelWidgets():
            if type(widget).__name__ == kind and widget.isVisible():
                act(widget)
                return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


# -- the ways in: the clicks from the main window --------------------------------------------
def via_menu(action: str) -> Callable[[Any, MainWindow, Path], None]:
    return lambda _qtbot, window, _tmp: getattr(window, action).trigger()


def new_request(qtbot: Any, window: MainWindow, _tmp: Path) -> None:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)


def intake(qtbot: Any, window: MainWindow, _tmp: Path) -> None:
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)


def help_window(qtbot: Any, window: MainWindow, _tmp: Path) -> None:
    when_shown("IntakeWizard", lambda wizard: wizard.button(  # type: ignore[attr-defined]
        QWizard.WizardButton.HelpButton).click())
    intake(qtbot, window, _tmp)


def unlock(qtbot: Any, window: MainWindow, _tmp: Path) -> None:
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.is_locked
    qtbot.mouseClick(window.cover.findChild(QWidget, "unlockButton"), LEFT)


def setup_wizard(_qtbot: Any, _window: MainWindow, tmp: Path) -> None:
    """Program start on an empty data folder (before any main window exists)."""
    from ui.main import obtain_session

    obtain_session(tmp / "new-data", MemoryProvider())


def complete_obligation(qtbot: Any, window: MainWindow, _tmp: Path) -> None:
    dashboard = tab(window, DashboardView)
    item = next(i for i in dashboard.obligations.rows()
                if i.data(0, Qt.ItemDataRole.UserRole)[0] == "obligation")
    double_click(qtbot, dashboard.obligations.tree, item)


def meldcode(qtbot: Any, window: MainWindow, _tmp: Path) -> CaseFileView:
    view = route_case(qtbot, window)
    qtbot.mouseClick(next(iter(view.meldcode_section.route_buttons.values())), LEFT)
    return view


def meldcode_step(qtbot: Any, window: MainWindow, _tmp: Path) -> None:
    tracker = meldcode(qtbot, window, _tmp).meldcode_section.dialog
    assert tracker is not None
    qtbot.mouseClick(next(iter(tracker.steps_tab.record_buttons.values())), LEFT)


def case_button(name: str) -> Callable[[Any, MainWindow, Path], None]:
    def way(qtbot: Any, window: MainWindow, _tmp: Path) -> None:
        view = any_open_case(qtbot, window)
        qtbot.mouseClick(getattr(view, name), LEFT)
    return way


def add_conversation(qtbot: Any, window: MainWindow, _tmp: Path) -> None:
    view = any_open_case(qtbot, window)
    qtbot.mouseClick(view.add_buttons["conversation"], LEFT)


def step_done(qtbot: Any, window: MainWindow, _tmp: Path) -> None:
    def open_step(store: Any, case_id: int) -> bool:
        return any(e.kind == "plan_step" and e.done_on is None and not e.superseded
                   for e in casework.timeline(store, case_id))
    view = open_case_by_search(qtbot, window, first_case(window, open_step))
    entry = next(e for e in view.entries.values()
                 if e.kind == "plan_step" and e.done_on is None and not e.superseded)
    view.select_entry(entry.id)
    item = view.tree.currentItem()
    qtbot.mouseClick(view.tree.viewport(), LEFT, pos=view.tree.visualItemRect(item).center())
    qtbot.mouseClick(view.done_button, LEFT)


def case_menu(action: str, held: bool = False) -> Callable[[Any, MainWindow, Path], None]:
    def way(qtbot: Any, window: MainWindow, _tmp: Path) -> None:
        view = any_open_case(qtbot, window)
        if held:
            from app.services.holds import HOLD_REASONS, place_hold

            place_hold(store_of(window), view.case_id, reason=HOLD_REASONS[0],
                       note="Verzoek van de politie.", review_on=None, now=NOW)
            view.refresh()
        getattr(view, action).trigger()  # a menu action of the Privacy button
    return way


def activity(qtbot: Any, window: MainWindow, _tmp: Path) -> None:
    qtbot.mouseClick(tab(window, ActivitiesView).add_button, LEFT)


def visit_done(qtbot: Any, window: MainWindow, _tmp: Path) -> None:
    plan_visits(store_of(window), "2025-2026", [(ClassLine("2B", 27), date(2026, 3, 2))])
    window.refresh()
    section = tab(window, DashboardView).year_start.section
    double_click(qtbot, section.tree, section.rows()[0])


WAYS_IN: dict[str, Callable[[Any, MainWindow, Path], None]] = {
    "AccessExportDialog": case_menu("export_action"),
    "ActivityDialog": activity,
    "AnnualReportWizard": via_menu("annual_report_action"),
    "BackupWizard": via_menu("backup_action"),
    "CloseCaseDialog": case_button("close_button"),
    "CompleteObligationDialog": complete_obligation,
    "DateDialog": step_done,
    "EntryFormDialog": add_conversation,
    "EraseDialog": case_menu("erase_action"),
    "EscalationWizard": case_button("escalation_button"),
    "HandoverDialog": via_menu("handover_action"),
    "HelpWindow": help_window,
    "HoldDialog": case_menu("hold_action"),
    "IntakeWizard": intake,
    "LiftHoldDialog": case_menu("hold_action", held=True),
    "MeldcodeDialog": meldcode,
    "RectificationDialog": case_menu("rectify_action"),
    "RegisterRequestDialog": new_request,
    "RekeyWizard": via_menu("rekey_action"),
    "RestoreWizard": via_menu("restore_action"),
    "RetentionDialog": via_menu("retention_action"),
    "SettingsDialog": via_menu("settings_action"),
    "SetupWizard": setup_wizard,
    "StepDialog": meldcode_step,
    "UnlockDialog": unlock,
    "VisitDoneDialog": visit_done,
    "YearStartWizard": via_menu("year_start_action"),
}


# -- the tests -------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(lambda *a, **k: None))
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    monkeypatch.setattr(entry_form, "ask", lambda *a, **k: False)


@pytest.fixture
def window(qtbot: Any, session: Session) -> Iterator[MainWindow]:  # noqa: F811
    win = MainWindow(session, MemoryProvider(), now=lambda: NOW)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    win.close()


def close_everything() -> None:
    for widget in reversed(QApplication.topLevelWidgets()):
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.done(0)


def test_the_scan_finds_the_dialogs() -> None:
    found = dialog_classes()
    for name in ("IntakeWizard", "CompleteObligationDialog", "MeldcodeDialog", "StepDialog",
                 "RegisterRequestDialog", "BackupWizard", "RestoreWizard"):
        assert name in found
    assert "TaskWizard" not in found  # only a base
    assert "IntakePage" not in found  # a page, not a dialog


def test_every_dialog_in_ui_has_a_way_in() -> None:
    missing = sorted(set(dialog_classes()) - set(WAYS_IN))
    assert missing == [], (
        "no way in from the main window for: " + ", ".join(
            f"{name} ({dialog_classes()[name]})" for name in missing)
        + " — make it reachable and add its clicks to WAYS_IN in " + __file__)


@pytest.mark.parametrize("name", sorted(dialog_classes()))
def test_each_dialog_opens_from_the_main_window(
    qtbot: Any, window: MainWindow, tmp_path: Path, name: str
) -> None:
    way_in = WAYS_IN.get(name)
    if way_in is None:
        pytest.fail(f"{name}: no way in (see test_every_dialog_in_ui_has_a_way_in)")
    seen: list[QWidget] = []
    waited = [0]

    def poll() -> None:
        for widget in QApplication.topLevelWidgets():
            if type(widget).__name__ == name and widget.isVisible():
                seen.append(widget)
                close_everything()
                return
        waited[0] += 20
        if waited[0] < 8000:
            QTimer.singleShot(20, poll)
        else:
            close_everything()  # never leave a modal loop hanging

    QTimer.singleShot(0, poll)
    way_in(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: bool(seen) or waited[0] >= 8000, timeout=10000)
    close_everything()
    assert seen, f"{name} did not open through its way in from the main window"
